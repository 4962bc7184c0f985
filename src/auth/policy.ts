import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  getNamedType,
  getNullableType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLSchema,
} from 'graphql';
import { parse as parseYaml } from 'yaml';
import type { RowFilters, SupervisionStatus } from '../domain/visibility.js';
import { policySchemaProblems } from './policy-schema.js';
import { parseStoredKey, type StoredApiKey } from './api-keys.js';
import { normaliseSerial } from './certificates.js';

/**
 * The consumer policy (design §3): one YAML file per environment. Roles grant schema coordinates,
 * row filters and redactions; consumers (keyed by certificate CN) have roles, their own filters, API
 * key hashes, a rate limit and flags. Deny by default. The file is checked against the live schema
 * and every problem is reported at once, naming the role, consumer, coordinate or filter.
 * The file format is documented in docs/adr/0005-consumer-security.md and policy/development.yaml.
 */

export type RedactionAction = 'mask' | 'remove';

export interface Redaction {
  action: RedactionAction;
  /** Only for people with limited access (LAO: excluded or restricted probation cases). */
  limitedAccessOnly: boolean;
}

/** The value a masked string field gets. */
export const MASK = '**REDACTED**';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Everything one consumer may do, resolved from its roles and own entry. */
export interface ConsumerGrant {
  name: string;
  roles: string[];
  /** Concrete schema coordinates (`Type.field`), wildcards expanded. */
  coordinates: ReadonlySet<string>;
  rowFilters: RowFilters;
  /** By coordinate: the strictest redaction any of the consumer's roles asks for. */
  redactions: ReadonlyMap<string, Redaction>;
  apiKeys: readonly StoredApiKey[];
  /** Requests per second and burst; null = the gateway default (RATE_LIMIT_* configuration). */
  rateLimit: RateLimit | null;
  suspended: boolean;
  /** May run introspection queries on the consumer listener. */
  introspection: boolean;
  /**
   * The consumer's declared purpose / data-sharing agreement reference, recorded with every
   * disclosure in the ledger (src/ledger); null when the entry has none.
   */
  purpose: string | null;
  /**
   * Trusted documents (policy/documents/<consumer>/, docs/adr/0020-trusted-documents.md): `off` (no
   * check), `log-unknown` (serve, but log and count documents that are not registered; the default) or
   * `enforce` (refuse them with DOCUMENT_NOT_TRUSTED before parsing).
   */
  trustedDocuments: TrustedDocumentsMode;
  /**
   * When set, every request must say why it is made: an `x-purpose` header with one of these values
   * (refused with PURPOSE_NOT_ALLOWED otherwise); the value is recorded in the disclosure ledger.
   */
  requestPurposes: readonly string[] | null;
  /**
   * `x-on-behalf-of` (the user a request is made for): `record` (the default: recorded in the ledger when sent,
   * never used for an access decision), `ignore` (never recorded) or `require` (a request without it is refused
   * with ON_BEHALF_OF_REQUIRED: the one access decision it may take part in, and only when the policy says so).
   */
  onBehalfOf: OnBehalfOfMode;
}

export const ON_BEHALF_OF_MODES = ['ignore', 'record', 'require'] as const;
export type OnBehalfOfMode = (typeof ON_BEHALF_OF_MODES)[number];

export const TRUSTED_DOCUMENTS_MODES = ['off', 'log-unknown', 'enforce'] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

export interface Policy {
  consumer(name: string): ConsumerGrant | undefined;
  readonly consumerNames: string[];
  /** True when this serial is revoked for everyone, or for this consumer. */
  isRevoked(serial: string, consumer: string): boolean;
  /** SHA-256 of the file (first 16 hex digits), for /info and logs. */
  readonly hash: string;
  readonly file: string;
}

export class PolicyError extends Error {
  constructor(
    file: string,
    readonly problems: string[],
  ) {
    super(`policy ${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyError';
  }
}

type FilterName = keyof RowFilters;
const FILTERS: Record<FilterName, { pattern: RegExp; describe: string }> = {
  prisons: { pattern: /^[A-Z0-9]{2,6}$/, describe: 'prison codes such as MDI (upper case), or "*"' },
  supervisionStatuses: { pattern: /^(PRISONS|PROBATION|NONE)$/, describe: 'PRISONS, PROBATION or NONE, or "*"' },
  alertCodes: { pattern: /^[A-Za-z0-9_]{1,12}$/, describe: 'alert codes such as XA, or "*"' },
  caseNoteTypes: { pattern: /^[A-Z0-9_]{1,12}$/, describe: 'case-note type codes such as CAB (upper case), or "*"' },
  mappaCategories: { pattern: /^[1-4]$/, describe: 'MAPPA categories 1, 2, 3 or 4 (as strings), or "*"' },
};
const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

const TOP_LEVEL_KEYS = ['description', 'roles', 'consumers', 'certificateRevocationList'];
const ROLE_KEYS = ['description', 'grants', 'filters', 'redactions'];
const CONSUMER_KEYS = ['description', 'roles', 'filters', 'apiKeys', 'rateLimit', 'suspended', 'introspection', 'purpose', 'trustedDocuments', 'requestPurposes', 'onBehalfOf'];
const REDACTION_KEYS = ['field', 'action', 'limitedAccessOnly'];

export interface PolicyOptions {
  /** Certificate CNs that must not be consumers (the trusted proxy's own identity). */
  reservedNames?: readonly string[];
}

/** Reads and checks the policy file; throws PolicyError naming every problem. */
export function loadPolicy(file: string, schema: GraphQLSchema, options: PolicyOptions = {}): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PolicyError(file, [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  return parsePolicy(file, text, schema, options);
}

export function parsePolicy(file: string, text: string, schema: GraphQLSchema, options: PolicyOptions = {}): Policy {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true }) ?? {};
  } catch (e) {
    throw new PolicyError(file, [`not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const policy = buildPolicy(file, doc, schema, options, hash);
  // The published JSON Schema holds too (policy-schema.ts): what it refuses and the checks above let through.
  const shapeProblems = policySchemaProblems(doc);
  if (shapeProblems.length > 0) throw new PolicyError(file, shapeProblems);
  return policy;
}

type Doc = Record<string, unknown>;
const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

interface CompiledRole {
  coordinates: Set<string>;
  filters: Partial<Record<FilterName, string[]>>;
  redactions: Map<string, Redaction>;
}

export function buildPolicy(file: string, doc: unknown, schema: GraphQLSchema, options: PolicyOptions = {}, hash = ''): Policy {
  const problems: string[] = [];
  if (!isRecord(doc)) throw new PolicyError(file, ['the file must be a mapping with roles and consumers']);
  unknownKeys(doc, TOP_LEVEL_KEYS, 'the file', problems);

  const roles = new Map<string, CompiledRole>();
  const roleDocs = doc.roles ?? {};
  if (!isRecord(roleDocs)) problems.push('roles must be a mapping of role names');
  for (const [role, def] of Object.entries(isRecord(roleDocs) ? roleDocs : {})) {
    const where = `role "${role}"`;
    if (!isRecord(def)) {
      problems.push(`${where}: must be a mapping with grants`);
      continue;
    }
    unknownKeys(def, ROLE_KEYS, where, problems);
    const coordinates = new Set<string>();
    if (!Array.isArray(def.grants)) problems.push(`${where}: grants must be a list of schema coordinates`);
    else {
      for (const grant of def.grants) {
        const expanded = typeof grant === 'string' ? expandCoordinate(grant, schema) : null;
        if (!expanded) problems.push(`${where}: unknown schema coordinate "${String(grant)}"`);
        else expanded.forEach((c) => coordinates.add(c));
      }
    }
    roles.set(role, {
      coordinates,
      filters: readFilters(def.filters, where, problems),
      redactions: readRedactions(def.redactions, where, schema, problems),
    });
  }

  const consumers = new Map<string, ConsumerGrant>();
  const consumerDocs = doc.consumers ?? {};
  if (!isRecord(consumerDocs)) problems.push('consumers must be a mapping of certificate CNs');
  for (const [name, def] of Object.entries(isRecord(consumerDocs) ? consumerDocs : {})) {
    const where = `consumer "${name}"`;
    if (!isRecord(def)) {
      problems.push(`${where}: must be a mapping with roles`);
      continue;
    }
    unknownKeys(def, CONSUMER_KEYS, where, problems);
    if (options.reservedNames?.includes(name)) {
      problems.push(`${where}: this name is the trusted proxy's certificate CN and cannot be a consumer`);
    }
    const roleNames = def.roles;
    if (!Array.isArray(roleNames) || roleNames.some((r) => typeof r !== 'string')) {
      problems.push(`${where}: roles must be a list of role names`);
      continue;
    }
    const coordinates = new Set<string>();
    const redactions = new Map<string, Redaction>();
    const filterSources: Array<Partial<Record<FilterName, string[]>>> = [];
    for (const role of roleNames as string[]) {
      const compiled = roles.get(role);
      if (!compiled) {
        problems.push(`${where}: unknown role "${role}"`);
        continue;
      }
      compiled.coordinates.forEach((c) => coordinates.add(c));
      filterSources.push(compiled.filters);
      for (const [coordinate, redaction] of compiled.redactions) {
        redactions.set(coordinate, strictest(redactions.get(coordinate), redaction));
      }
    }
    filterSources.push(readFilters(def.filters, where, problems));
    problems.push(...undoneRedactions(where, coordinates, redactions));
    consumers.set(name, {
      name,
      roles: roleNames as string[],
      coordinates,
      rowFilters: combineFilters(filterSources),
      redactions,
      apiKeys: readApiKeys(def.apiKeys, where, problems),
      rateLimit: readRateLimit(def.rateLimit, where, problems),
      suspended: readFlag(def.suspended, 'suspended', where, problems),
      introspection: readFlag(def.introspection, 'introspection', where, problems),
      purpose: readPurpose(def.purpose, where, problems),
      trustedDocuments: readMode(def.trustedDocuments, 'trustedDocuments', TRUSTED_DOCUMENTS_MODES, 'log-unknown', where, problems),
      requestPurposes: readRequestPurposes(def.requestPurposes, where, problems),
      onBehalfOf: readMode(def.onBehalfOf, 'onBehalfOf', ON_BEHALF_OF_MODES, 'record', where, problems),
    });
  }

  const revoked = readRevocations(doc.certificateRevocationList, problems);
  if (problems.length > 0) throw new PolicyError(file, problems);
  return {
    consumer: (name) => consumers.get(name),
    consumerNames: [...consumers.keys()],
    isRevoked: (serial, consumer) => revoked.global.has(serial) || revoked.perConsumer.has(`${serial}/${consumer}`),
    hash,
    file,
  };
}

function unknownKeys(doc: Doc, allowed: string[], where: string, problems: string[]): void {
  for (const key of Object.keys(doc)) {
    if (!allowed.includes(key)) problems.push(`${where}: unknown key "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

function readFilters(raw: unknown, where: string, problems: string[]): Partial<Record<FilterName, string[]>> {
  const out: Partial<Record<FilterName, string[]>> = {};
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) {
    problems.push(`${where}: filters must be a mapping (${FILTER_NAMES.join(', ')})`);
    return out;
  }
  for (const [name, values] of Object.entries(raw)) {
    if (!(FILTER_NAMES as string[]).includes(name)) {
      problems.push(`${where}: unknown filter "${name}" (known: ${FILTER_NAMES.join(', ')})`);
      continue;
    }
    const filter = FILTERS[name as FilterName];
    // MAPPA categories are numbers; YAML writes them without quotes.
    if (name === 'mappaCategories' && Array.isArray(values)) values.forEach((v, i) => typeof v === 'number' && (values[i] = String(v)));
    if (!Array.isArray(values)) {
      problems.push(`${where}: filter "${name}" must be a list of ${filter.describe}`);
      continue;
    }
    const bad = values.filter((v) => typeof v !== 'string' || (v !== '*' && !filter.pattern.test(v)));
    if (bad.length > 0) {
      problems.push(`${where}: filter "${name}" has invalid values ${bad.map((b) => JSON.stringify(b)).join(', ')} (expected ${filter.describe})`);
      continue;
    }
    out[name as FilterName] = values as string[];
  }
  return out;
}

/**
 * Filters combine by union over the consumer's roles and its own entry; `*` anywhere lifts that
 * filter; a filter nobody mentions does not restrict; an empty list (mentioned, nothing in it)
 * grants nothing.
 */
export function combineFilters(sources: Array<Partial<Record<FilterName, string[]>>>): RowFilters {
  const combine = <T extends string>(name: FilterName): ReadonlySet<T> | null => {
    const lists = sources.map((s) => s[name]).filter((l): l is string[] => l !== undefined);
    if (lists.length === 0) return null;
    const values = lists.flat();
    if (values.includes('*')) return null;
    return new Set(values as T[]);
  };
  return {
    prisons: combine<string>('prisons'),
    supervisionStatuses: combine<SupervisionStatus>('supervisionStatuses'),
    alertCodes: combine<string>('alertCodes'),
    caseNoteTypes: combine<string>('caseNoteTypes'),
    mappaCategories: combine<string>('mappaCategories'),
  };
}

function readRedactions(raw: unknown, where: string, schema: GraphQLSchema, problems: string[]): Map<string, Redaction> {
  const out = new Map<string, Redaction>();
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    problems.push(`${where}: redactions must be a list of {field, action, limitedAccessOnly}`);
    return out;
  }
  for (const entry of raw) {
    if (!isRecord(entry)) {
      problems.push(`${where}: a redaction must be a mapping {field, action, limitedAccessOnly}`);
      continue;
    }
    unknownKeys(entry, REDACTION_KEYS, `${where} redaction`, problems);
    const { field, action } = entry;
    if (action !== 'mask' && action !== 'remove') {
      problems.push(`${where}: redaction of "${String(field)}": action must be mask or remove (got ${JSON.stringify(action)})`);
      continue;
    }
    const limitedAccessOnly = readFlag(entry.limitedAccessOnly, 'limitedAccessOnly', `${where} redaction`, problems);
    const problem = typeof field === 'string' ? redactionProblem(field, action, schema) : 'field must be a schema coordinate';
    if (problem) {
      problems.push(`${where}: redaction of "${String(field)}": ${problem}`);
      continue;
    }
    out.set(field as string, strictest(out.get(field as string), { action, limitedAccessOnly }));
  }
  return out;
}

/** Why a redaction cannot apply to this field, or null when it can. */
function redactionProblem(coordinate: string, action: RedactionAction, schema: GraphQLSchema): string | null {
  const field = fieldOf(coordinate, schema);
  if (!field) return 'unknown schema coordinate';
  const named = getNamedType(field.type);
  if (action === 'mask') {
    const stringLike = isScalarType(named) && (named.name === 'String' || named.name === 'ID');
    return stringLike ? null : `mask needs a String or ID field (${coordinate} is ${String(field.type)}); use remove`;
  }
  if (isNonNullType(field.type) && !isListType(getNullableType(field.type))) {
    return `remove needs a nullable field or a list (${coordinate} is ${String(field.type)})`;
  }
  return null;
}

/**
 * Fields that carry the value of another: `Person.hmppsId` is the CRN when the person is known to
 * probation, else the prison number; `Licence.prisonNumber` is the prison number the licence was made
 * under. A redaction of the id would be undone by the carrier if the carrier were readable (issue 14: an
 * identifier a consumer may not see never appears anywhere else). tests/security/policy.test.ts finds
 * every id-shaped field of the schema by its name and fails when one is neither an id here nor a carrier.
 */
export const CARRIERS: Readonly<Record<string, readonly string[]>> = {
  'Identifiers.crn': ['Person.hmppsId'],
  'Identifiers.prisonNumber': ['Person.hmppsId', 'Licence.prisonNumber'],
  'Identifiers.pncNumber': [],
  'Identifiers.croNumber': [],
};

/** Problems of a consumer whose redaction of an id a granted carrier field would undo. */
function undoneRedactions(where: string, coordinates: ReadonlySet<string>, redactions: ReadonlyMap<string, Redaction>): string[] {
  const problems: string[] = [];
  for (const [id, carriers] of Object.entries(CARRIERS)) {
    const hidden = redactions.get(id);
    if (!hidden) continue;
    for (const carrier of carriers) {
      if (!coordinates.has(carrier)) continue;
      const r = redactions.get(carrier);
      if (r && (!r.limitedAccessOnly || hidden.limitedAccessOnly)) continue;
      problems.push(
        `${where}: ${carrier} would undo the redaction of ${id} (${carrier} is that id for some people): ` +
          `redact ${carrier} as well (mask${hidden.limitedAccessOnly ? ', limitedAccessOnly or always' : ''}) or do not grant it`,
      );
    }
  }
  return problems;
}

/** When roles redact one field differently: remove beats mask, and "always" beats "LAO only". */
function strictest(a: Redaction | undefined, b: Redaction): Redaction {
  if (!a) return b;
  return {
    action: a.action === 'remove' || b.action === 'remove' ? 'remove' : 'mask',
    limitedAccessOnly: a.limitedAccessOnly && b.limitedAccessOnly,
  };
}

function readApiKeys(raw: unknown, where: string, problems: string[]): StoredApiKey[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${where}: apiKeys must be a list of hashes (sha256:<salt>:<digest>; make one with npm run api-key)`);
    return [];
  }
  const out: StoredApiKey[] = [];
  raw.forEach((entry, index) => {
    const hash = isRecord(entry) ? entry.hash : entry;
    const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : `#${index + 1}`;
    const parsed = typeof hash === 'string' ? parseStoredKey(hash, id) : null;
    if (!parsed) problems.push(`${where}: API key ${id} is not a hash in the form sha256:<salt>:<digest> (never put a key itself in the policy)`);
    else out.push(parsed);
  });
  return out;
}

function readRateLimit(raw: unknown, where: string, problems: string[]): RateLimit | null {
  if (raw === undefined || raw === null) return null;
  const ok = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 100_000;
  if (!isRecord(raw) || !ok(raw.perSecond, 1) || !(raw.burst === undefined || ok(raw.burst, 0))) {
    problems.push(`${where}: rateLimit must be {perSecond: integer >= 1, burst: integer >= 0}`);
    return null;
  }
  unknownKeys(raw, ['perSecond', 'burst'], `${where} rateLimit`, problems);
  return { perSecond: raw.perSecond as number, burst: (raw.burst as number | undefined) ?? 0 };
}

function readPurpose(raw: unknown, where: string, problems: string[]): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 500) {
    problems.push(`${where}: purpose must be a non-empty string of at most 500 characters`);
    return null;
  }
  return raw.trim();
}

/** What an `x-purpose` value may look like: a short code or phrase, no control characters. */
export const REQUEST_PURPOSE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,99}$/;

function readRequestPurposes(raw: unknown, where: string, problems: string[]): string[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((p) => typeof p !== 'string' || !REQUEST_PURPOSE_PATTERN.test(p))) {
    problems.push(`${where}: requestPurposes must be a non-empty list of purposes (letters, digits, space . _ : / -, at most 100 characters each)`);
    return null;
  }
  return [...new Set(raw as string[])];
}

function readMode<M extends string>(raw: unknown, key: string, modes: readonly M[], fallback: M, where: string, problems: string[]): M {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'string' || !(modes as readonly string[]).includes(raw)) {
    problems.push(`${where}: ${key} must be one of ${modes.join(', ')} (got ${JSON.stringify(raw)})`);
    return fallback;
  }
  return raw as M;
}

function readFlag(raw: unknown, name: string, where: string, problems: string[]): boolean {
  if (raw === undefined || raw === null) return false;
  if (typeof raw !== 'boolean') {
    problems.push(`${where}: ${name} must be true or false`);
    return false;
  }
  return raw;
}

function readRevocations(raw: unknown, problems: string[]) {
  const global = new Set<string>();
  const perConsumer = new Set<string>();
  if (raw === undefined || raw === null) return { global, perConsumer };
  if (!Array.isArray(raw)) {
    problems.push('certificateRevocationList must be a list of "SERIAL" or "SERIAL/consumer" entries');
    return { global, perConsumer };
  }
  for (const entry of raw) {
    const text = typeof entry === 'string' || typeof entry === 'number' ? String(entry) : '';
    const [serialText, consumer, ...rest] = text.split('/');
    // Serials in the list are hex (as openssl and certificate viewers print them).
    const serial = serialText ? normaliseSerial(serialText, 'hex') : null;
    if (!serial || rest.length > 0 || consumer === '') {
      problems.push(`certificateRevocationList: ${JSON.stringify(entry)} is not "SERIAL" or "SERIAL/consumer" (serial in hex)`);
      continue;
    }
    if (consumer) perConsumer.add(`${serial}/${consumer}`);
    else global.add(serial);
  }
  return { global, perConsumer };
}

function fieldOf(coordinate: string, schema: GraphQLSchema) {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(coordinate);
  if (!match) return null;
  const type = schema.getType(match[1]!);
  if (!isObjectType(type) || isIntrospectionType(type)) return null;
  return type.getFields()[match[2]!] ?? null;
}

/**
 * Coordinates no wildcard grants: the federation fields (docs/adr/0011-federation-subgraph.md). A router
 * consumer's role names them; `*` and `Query.*` do not reach them, so making Person Graph a subgraph
 * widened no existing grant.
 */
export const NAMED_ONLY_COORDINATES: ReadonlySet<string> = new Set(['Query._entities', 'Query._service']);

/**
 * `Type.field` -> itself if it exists; `Type.*` -> every field of Type; `*` -> every field of every
 * type (full access, including fields added later: a deliberate choice for full-access roles only);
 * otherwise null. Wildcards leave out NAMED_ONLY_COORDINATES.
 */
export function expandCoordinate(coordinate: string, schema: GraphQLSchema): string[] | null {
  if (coordinate === '*') {
    return Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !isIntrospectionType(t))
      .flatMap((t) => Object.keys((t as { getFields(): Record<string, unknown> }).getFields()).map((f) => `${t.name}.${f}`))
      .filter((c) => !NAMED_ONLY_COORDINATES.has(c));
  }
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*|\*)$/.exec(coordinate);
  if (!match) return null;
  const [, typeName, field] = match as unknown as [string, string, string];
  const type = schema.getType(typeName);
  if (!isObjectType(type) || isIntrospectionType(type)) return null;
  const fields = Object.keys(type.getFields());
  if (field === '*') return fields.map((f) => `${typeName}.${f}`).filter((c) => !NAMED_ONLY_COORDINATES.has(c));
  return fields.includes(field) ? [coordinate] : null;
}
