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
const MAX_IDS = 200;

export interface AuditRootField {
  field: string;
  requestedHmppsIds: string[];
  malformedIds: number;
  criteria: Record<string, unknown>;
}

export class AuditCollector {
  private readonly roots: AuditRootField[] = [];
  private readonly returned_ = new Set<string>();
  private redactions = 0;

  constructor(private readonly hashKey: Buffer) {}

  get touchedPersonData(): boolean {
    return this.roots.length > 0;
  }

  rootField(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, info: GraphQLResolveInfo): void {
    const entry: AuditRootField = { field: `${info.parentType.name}.${field.name}`, requestedHmppsIds: [], malformedIds: 0, criteria: {} };
    for (const arg of field.args) {
      const value = args[arg.name];
      if (value === undefined || PAGING_ARGUMENTS.has(arg.name)) continue;
      if (getNamedType(arg.type).name === 'ID') {
        for (const id of Array.isArray(value) ? value : [value]) {
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

  returned(person: PersonRef): void {
    if (this.returned_.size < MAX_IDS) this.returned_.add(preferredHmppsId(person));
  }

  redacted(): void {
    this.redactions++;
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
      rootFields: this.roots,
      returnedHmppsIds: [...this.returned_],
      redactions: this.redactions,
    };
  }
}

/** The key that hashes search criteria: the configured one, or a random one per process. */
export function auditHashKey(configured: string | null): Buffer {
  return configured ? Buffer.from(configured, 'utf8') : randomBytes(32);
}

interface AuditedContext {
  requestId: string;
  consumer: { name: string };
  security: { audit: AuditCollector };
}

function hasData(data: Record<string, unknown> | null | undefined): boolean {
  return !!data && Object.values(data).some((v) => v !== null && v !== undefined);
}

/**
 * Emits the audit event when a response goes out for a request that reached person data; the sink
 * (src/observability/audit-sink.ts) writes it.
 */
export function auditPlugin(sink: AuditSink): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const audit = rc.contextValue.security?.audit;
          if (!audit?.touchedPersonData) return;
          const body = rc.response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
          sink.write({
            requestId: rc.contextValue.requestId,
            consumer: rc.contextValue.consumer.name,
            operationName: rc.operationName ?? null,
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
