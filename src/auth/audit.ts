import { createHmac, randomBytes } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLResolveInfo,
} from 'graphql';
import type { AuditSink } from '../observability/audit-sink.js';
import { disclosureOf } from '../ledger/disclosure.js';
import type { Ledger } from '../ledger/ledger.js';
import type { AccessPath } from '../ledger/record.js';
import { parseHmppsId, hmppsIdKey } from '../domain/identifiers.js';
import { preferredHmppsId, type PersonRef } from '../domain/person.js';

/**
 * One audit event per request that touched person data (design §5): who (consumer), what (operation
 * name and hash, the root fields and their criteria), which people (hmppsIds asked for and returned).
 * Search criteria are personal data (names, dates of birth, PNC numbers), so they are never written
 * as given: each value becomes a keyed hash (HMAC-SHA-256 with AUDIT_HASH_KEY, normalised: trimmed,
 * lower case), which an investigator holding the key can match against a known value but which
 * reveals nothing to a log reader. Booleans, numbers and enum values are kept; ids are kept only when
 * they have the form of an hmppsId (a name typed into an id field is counted, never written).
 */

const PAGING_ARGUMENTS = new Set(['first', 'last', 'after', 'before']);
/** The scalar of `Query._entities(representations)` (federation): each value an object with an hmppsId. */
const ENTITY_REPRESENTATION = '_Any';
const MAX_IDS = 200;

export interface AuditRootField {
  field: string;
  /** The root field's key in the response (its alias, or its name). */
  responseKey: string;
  requestedHmppsIds: string[];
  malformedIds: number;
  criteria: Record<string, unknown>;
}

export class AuditCollector {
  private readonly roots: AuditRootField[] = [];
  private readonly returned_ = new Set<string>();
  private redactions = 0;
  /** For the disclosure ledger: the person admitted at each response path (`a/0/b`). */
  readonly personAtPath = new Map<string, string>();
  /** Response paths whose value a redaction withheld or masked, with the coordinate. */
  readonly redactedPaths = new Map<string, string>();
  /** Every person a search matched (the count discloses them all), by the search's response key. */
  readonly searchMatches = new Map<string, string[]>();
  /** The other identifiers of those people (a prison number beside a CRN), by the search's response key. */
  readonly searchMatchOtherIds = new Map<string, string[]>();
  /**
   * For the disclosure ledger: each admitted person's other identifiers the gateway resolved (a linked prison
   * number beside the CRN, a merged number asked with), by preferred hmppsId, so that `ledger subject` finds the
   * person by any of them. Identifiers only; whether a consumer saw them is what `disclosed` says.
   */
  readonly otherIdentifiers = new Map<string, Set<string>>();

  constructor(private readonly hashKey: Buffer) {}

  get touchedPersonData(): boolean {
    return this.roots.length > 0;
  }

  rootField(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, info: GraphQLResolveInfo): void {
    const entry: AuditRootField = {
      field: `${info.parentType.name}.${field.name}`,
      responseKey: String(info.path.key),
      requestedHmppsIds: [], malformedIds: 0, criteria: {} };
    for (const arg of field.args) {
      const value = args[arg.name];
      if (value === undefined || PAGING_ARGUMENTS.has(arg.name)) continue;
      const argType = getNamedType(arg.type).name;
      if (argType === 'ID' || argType === ENTITY_REPRESENTATION) {
        for (const item of Array.isArray(value) ? value : [value]) {
          // A federation representation ({__typename, hmppsId}) is audited by its hmppsId, nothing else of it.
          const id = argType === ENTITY_REPRESENTATION ? (item as { hmppsId?: unknown } | null)?.hmppsId : item;
          const parsed = typeof id === 'string' ? parseHmppsId(id) : null;
          if (parsed && entry.requestedHmppsIds.length < MAX_IDS) entry.requestedHmppsIds.push(hmppsIdKey(parsed));
          else if (!parsed) entry.malformedIds++;
        }
        continue;
      }
      entry.criteria[arg.name] = this.summarise(value, arg.type);
    }
    this.roots.push(entry);
  }

  returned(person: PersonRef, path: string): void {
    const id = preferredHmppsId(person);
    if (this.returned_.size < MAX_IDS) this.returned_.add(id);
    this.personAtPath.set(path, id);
    for (const other of [person.crn, person.prisonNumber, person.requestedPrisonNumber]) {
      if (!other || other === id) continue;
      let known = this.otherIdentifiers.get(id);
      if (!known) this.otherIdentifiers.set(id, (known = new Set()));
      known.add(other);
    }
  }

  redacted(path: string, coordinate: string): void {
    this.redactions++;
    this.redactedPaths.set(path, coordinate);
  }

  searchMatched(responseKey: string, hmppsIds: string[], otherIds: string[] = []): void {
    this.searchMatches.set(responseKey, hmppsIds);
    this.searchMatchOtherIds.set(responseKey, otherIds);
  }

  get rootFields(): readonly AuditRootField[] {
    return this.roots;
  }

  /** A criterion as it may be logged: structure kept, personal values hashed. */
  summarise(value: unknown, type: GraphQLInputType): unknown {
    if (value === null || value === undefined) return value;
    const nullable = getNullableType(type);
    if (isListType(nullable)) return Array.isArray(value) ? value.map((v) => this.summarise(v, nullable.ofType)) : this.summarise(value, nullable.ofType);
    if (isInputObjectType(nullable)) {
      const fields = nullable.getFields();
      const out: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const def = fields[name];
        if (def && v !== undefined) out[name] = this.summarise(v, def.type);
      }
      return out;
    }
    if (isEnumType(nullable)) return value;
    if (isScalarType(nullable) && ['Boolean', 'Int', 'Float'].includes(nullable.name)) return value;
    return `hmac:${createHmac('sha256', this.hashKey).update(String(value).normalize('NFC').trim().toLowerCase()).digest('hex').slice(0, 32)}`;
  }

  event() {
    return {
      rootFields: this.roots.map(({ responseKey: _key, ...root }) => root),
      returnedHmppsIds: [...this.returned_],
      redactions: this.redactions,
    };
  }
}

/** The key that hashes search criteria: the configured one, or a random one per process. */
export function auditHashKey(configured: string | null): Buffer {
  return configured ? Buffer.from(configured, 'utf8') : randomBytes(32);
}

/** What the listener knows about a request that the ledger records (set per request by the gateway). */
export interface LedgerRequestFacts {
  accessPath: AccessPath;
  /** `x-on-behalf-of` as sent (recorded only; never used for an access decision). */
  onBehalfOf: string | null;
  /** The request's document id and whether it is one of the consumer's trusted documents (null before it is known). */
  document(): { id: string; trusted: boolean } | null;
  /** The request's `x-purpose`, one of the policy's `requestPurposes` (null when the policy asks for none). */
  requestPurpose: string | null;
  /** Called once the request's record is made, so that the listener does not make a second one. */
  recorded(): void;
}

interface AuditedContext {
  requestId: string;
  consumer: { name: string; certificateSerial?: string | null; grant?: { purpose?: string | null } };
  security: { audit: AuditCollector };
  ledger?: LedgerRequestFacts;
}

function hasData(data: Record<string, unknown> | null | undefined): boolean {
  return !!data && Object.values(data).some((v) => v !== null && v !== undefined);
}

/**
 * Emits the audit event when a response goes out for a request that reached person data; the sink
 * (src/observability/audit-sink.ts) writes it.
 */
export function auditPlugin(sink: AuditSink, ledger: Ledger | null = null): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const audit = rc.contextValue.security?.audit;
          const body = rc.response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
          const data = body.kind === 'single' ? body.singleResult.data : null;
          // The disclosure ledger: every request that reached person data, and every request refused
          // before execution (limits and grants gate, parse and validation).
          const facts = rc.contextValue.ledger;
          const refused = errors.length > 0 && data === undefined;
          if (ledger && facts && audit && (audit.touchedPersonData || refused)) {
            const disclosure = refused ? { subjects: [], searches: [] } : disclosureOf(rc.schema, rc.document, rc.operationName ?? null, data, audit);
            const consumer = rc.contextValue.consumer;
            const document = facts.document();
            ledger.record({
              kind: refused ? 'refusal' : 'disclosure',
              at: new Date().toISOString(),
              requestId: rc.contextValue.requestId,
              consumer: consumer.name,
              certificateSerial: consumer.certificateSerial ?? null,
              accessPath: facts.accessPath,
              onBehalfOf: facts.onBehalfOf,
              purpose: consumer.grant?.purpose ?? null,
              requestPurpose: facts.requestPurpose,
              // A name only for a trusted document (registered, reviewed); any other is consumer-chosen text,
              // identified by its hash (the ledger goes to the audit sink in local development).
              operationName: document?.trusted ? (rc.operationName ?? null) : null,
              documentHash: rc.queryHash ? `sha256:${rc.queryHash}` : null,
              documentTrusted: document?.trusted ?? false,
              outcome: refused ? 'refused' : errors.length === 0 ? 'ok' : hasData(data) ? 'partial' : 'error',
              httpStatus: rc.response.http.status ?? 200,
              errorCodes: codes,
              ...disclosure,
            });
            facts.recorded();
          }
          if (!audit?.touchedPersonData) return;
          // An application log: an operation name only when the document is a trusted one (else consumer-chosen text).
          const trusted = rc.contextValue.ledger?.document()?.trusted === true;
          sink.write({
            requestId: rc.contextValue.requestId,
            consumer: rc.contextValue.consumer.name,
            operationName: trusted ? (rc.operationName ?? null) : null,
            operationHash: rc.queryHash ?? null,
            ...audit.event(),
            outcome: errors.length === 0 ? 'ok' : hasData(body.kind === 'single' ? body.singleResult.data : null) ? 'partial' : 'error',
            errorCodes: codes,
          });
        },
      };
    },
  };
}
