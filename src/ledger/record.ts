import { createHash } from 'node:crypto';

/**
 * The disclosure ledger's record (issue 15 part 2, docs/adr/0013-disclosure-ledger.md): who was told
 * what about whom. One per request that reached person data, one per refused request, and periodic
 * anchors. Records are hash-chained per replica chain: each carries the hash of the one before it.
 */

export type AccessPath = 'direct-mtls' | 'trusted-proxy' | 'development-listener';
export type Outcome = 'ok' | 'partial' | 'error' | 'refused';

export interface SubjectDisclosure {
  hmppsId: string;
  /**
   * The person's other identifiers the gateway resolved (a linked prison number beside the CRN, a merged number
   * asked with); indexed with hmppsId, so a subject access request by any of them finds the record. Absent when
   * there are none, and in records made before it existed.
   */
  alsoKnownAs?: string[];
  /** Schema coordinates with a value in the response under this person (after redaction). */
  disclosed: string[];
  /** Coordinates whose value was withheld or masked by a redaction. */
  redacted: string[];
}

export interface SearchDisclosure {
  /** The root field (`Query.searchPersons`) and its response key. */
  field: string;
  responseKey: string;
  /** Criteria as keyed hashes (src/auth/audit.ts), never as given. */
  criteria: Record<string, unknown>;
  /** Every subject whose existence the response confirmed: on the page, or counted by `totalCount`. */
  confirmed: string[];
  /**
   * The confirmed subjects' other identifiers (the prison number of a person confirmed under the CRN); indexed
   * with `confirmed`, so a subject access request by either finds the search. Absent when there are none.
   */
  confirmedAlsoKnownAs?: string[];
}

export interface DisclosureBody {
  kind: 'disclosure' | 'refusal';
  /** UTC, ISO 8601. */
  at: string;
  requestId: string;
  /** The verified CN (null when the identity did not verify) and its certificate serial. */
  consumer: string | null;
  certificateSerial: string | null;
  accessPath: AccessPath;
  /** `x-on-behalf-of` as sent: recorded only, never used for an access decision. */
  onBehalfOf: string | null;
  /** The consumer's declared purpose from its policy entry. */
  purpose: string | null;
  /** The request's own purpose (`x-purpose`), one of the policy entry's `requestPurposes` (absent in older records). */
  requestPurpose?: string | null;
  operationName: string | null;
  /** sha256 of the document text (`sha256:<hex>`: the trusted-document id when it is one). */
  documentHash: string | null;
  /** Whether the document is one of the consumer's trusted documents (absent in records made before they existed). */
  documentTrusted?: boolean;
  outcome: Outcome;
  httpStatus: number;
  errorCodes: string[];
  subjects: SubjectDisclosure[];
  searches: SearchDisclosure[];
}

export interface AnchorBody {
  kind: 'anchor';
  at: string;
  /** Records in the chain up to and including this anchor. */
  records: number;
}

export type LedgerBody = DisclosureBody | AnchorBody;

/** A record as stored: its place in a chain, the link to the previous record and its own hash. */
export interface ChainedRecord {
  chain: string;
  seq: number;
  body: LedgerBody;
  prevHash: string;
  hash: string;
}

/**
 * JSON with keys sorted at every level: the same text for the same value, however it was stored (jsonb
 * reorders keys). Written into one string without intermediate arrays (it runs once per request).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Default sort: by UTF-16 code units, as `a < b` compares.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** The hash a chain starts from. */
export function genesisHash(chain: string): string {
  return createHash('sha256').update(`person-graph-ledger\n${chain}`).digest('hex');
}

export function recordHash(chain: string, seq: number, prevHash: string, body: LedgerBody): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalJson({ chain, seq, body })}`).digest('hex');
}

/** The subjects a record names (an indexed column, for `ledger subject`). */
export function subjectsOf(body: LedgerBody): string[] {
  if (body.kind === 'anchor') return [];
  const ids = new Set<string>(body.subjects.flatMap((s) => [s.hmppsId, ...(s.alsoKnownAs ?? [])]));
  for (const s of body.searches) for (const id of [...s.confirmed, ...(s.confirmedAlsoKnownAs ?? [])]) ids.add(id);
  return [...ids];
}

/**
 * One replica's chain, appended to in this process only (a new chain per process start, so no
 * replica ever needs to read another's head, or its own, from the database before recording).
 */
export class Chain {
  private seq = 0;
  private head: string;

  constructor(readonly id: string) {
    this.head = genesisHash(id);
  }

  get length(): number {
    return this.seq;
  }

  append(body: LedgerBody): ChainedRecord {
    const seq = ++this.seq;
    const prevHash = this.head;
    const hash = recordHash(this.id, seq, prevHash, body);
    this.head = hash;
    return { chain: this.id, seq, body, prevHash, hash };
  }
}

export type VerifyProblem = { chain: string; seq: number; problem: string };

/**
 * Checks one chain's records, in seq order: numbering without gaps from 1, each link to the
 * previous hash, each hash over the stored body. Returns the first broken link, or null.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prev: string;

  constructor(readonly chain: string) {
    this.prev = genesisHash(chain);
  }

  check(row: { seq: number; body: LedgerBody; prevHash: string; hash: string }): VerifyProblem | null {
    const at = (problem: string): VerifyProblem => ({ chain: this.chain, seq: row.seq, problem });
    if (row.seq !== this.expectedSeq) return at(`expected record ${this.expectedSeq}, found ${row.seq} (records missing)`);
    if (row.prevHash !== this.prev) return at('its link to the previous record does not match that record');
    if (recordHash(this.chain, row.seq, row.prevHash, row.body) !== row.hash) return at('its content does not match its hash (altered)');
    this.prev = row.hash;
    this.expectedSeq++;
    return null;
  }

  get checked(): number {
    return this.expectedSeq - 1;
  }
}
