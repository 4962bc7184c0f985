/**
 * What the operation gate decides about a document for a consumer, kept so that a repeated operation
 * goes straight to execution (issue 19). Apollo already keeps parsed and validated documents by query
 * hash (its document store; a cache hit also gives the same `DocumentNode` object, so the document
 * analysis of operation.ts, memoised per document object, is not redone). Kept here, per (query hash,
 * operation name, consumer, policy version): the refusal or permission of the consumer's field
 * allow-list, limits and introspection, and the cost by the values of the variables the cost reads
 * (a page size, an id list; most operations read none, so one entry serves every request).
 *
 * Bounded (least recently used first out) and emptied when a request brings another policy version
 * (a reload): a decision is never taken from the policy it was not made under.
 */

/** A map of at most `max` entries that forgets the least recently used first. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      // Most recently used last: a Map iterates in insertion order.
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}

/** What a decision depends on besides the document's text. */
export interface DecisionKey {
  /** Apollo's hash of the query text. */
  queryHash: string;
  operationName: string | null;
  consumer: string;
  /** The policy's hash: the version the consumer's grant comes from. */
  policyVersion: string;
  /** Introspection allowed whatever the policy says (the development listener). */
  introspectionAllowed: boolean;
}

/** The gate's verdict on one document for one consumer under one policy version. */
export interface DocumentDecision {
  /** The refusal to throw (a fresh error each time), or null when the consumer may run it. */
  readonly refusal: (() => Error) | null;
  /** Names of the variables the cost read the first time (null until the cost was computed once). */
  costVariables: readonly string[] | null;
  /** Cost by the values of `costVariables`. */
  readonly costs: Lru<string, number>;
}

/** Entries kept by default: distinct (document, operation, consumer) triples in use at once. */
export const DOCUMENT_CACHE_ENTRIES = 2000;
/** Costs kept per entry (distinct values of the variables the cost reads, e.g. page sizes). */
const COSTS_PER_ENTRY = 32;

export class DocumentCache {
  private readonly entries: Lru<string, DocumentDecision>;
  private policyVersion: string | null = null;
  hits = 0;
  misses = 0;

  constructor(maxEntries = DOCUMENT_CACHE_ENTRIES) {
    this.entries = new Lru(maxEntries);
  }

  /** The decision for this key, made by `decide` on a miss; another policy version empties the cache first. */
  decision(key: DecisionKey, decide: () => (() => Error) | null): DocumentDecision {
    if (key.policyVersion !== this.policyVersion) {
      this.entries.clear();
      this.policyVersion = key.policyVersion;
    }
    const id = `${key.queryHash}\u0000${key.operationName ?? ''}\u0000${key.consumer}\u0000${key.introspectionAllowed ? 'i' : ''}`;
    const known = this.entries.get(id);
    if (known) {
      this.hits++;
      return known;
    }
    this.misses++;
    const made: DocumentDecision = { refusal: decide(), costVariables: null, costs: new Lru(COSTS_PER_ENTRY) };
    this.entries.set(id, made);
    return made;
  }

  /**
   * The operation's cost for these variables: `compute` runs once per distinct value of the
   * variables it reads (recorded on the first run through a read-tracking view of the variables).
   */
  cost(decision: DocumentDecision, variables: Record<string, unknown>, compute: (variables: Record<string, unknown>) => number): number {
    if (decision.costVariables === null) {
      const read = new Set<string>();
      const tracked = new Proxy(variables, {
        get(target, name) {
          if (typeof name === 'string') read.add(name);
          return target[name as string];
        },
        has(target, name) {
          if (typeof name === 'string') read.add(name);
          return name in target;
        },
      });
      const cost = compute(tracked);
      decision.costVariables = [...read].sort();
      decision.costs.set(valuesKey(decision.costVariables, variables), cost);
      return cost;
    }
    const valueKey = valuesKey(decision.costVariables, variables);
    const known = decision.costs.get(valueKey);
    if (known !== undefined) return known;
    const cost = compute(variables);
    decision.costs.set(valueKey, cost);
    return cost;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The values of `names` in `variables`, absent told apart from null. */
function valuesKey(names: readonly string[], variables: Record<string, unknown>): string {
  return JSON.stringify(names.map((n) => (n in variables ? [variables[n] ?? null] : [])));
}
