import type { RowFilters } from '../domain/visibility.js';
import type { ConsumerGrant, Policy, TrustedDocumentsMode } from './policy.js';

/** One way a new policy lets an existing consumer see more than before. */
export interface Widening {
  consumer: string;
  change:
    | 'granted'
    | 'filter-lifted'
    | 'filter-widened'
    | 'redaction-removed'
    | 'redaction-weakened'
    | 'api-key-added'
    | 'trusted-documents-relaxed'
    | 'introspection-enabled'
    | 'unsuspended';
  /**
   * The coordinates, filter dimension, API key labels or modes concerned (never person data, never a key
   * or its hash: policy names only).
   */
  what: string[];
}

const FILTERS: (keyof RowFilters)[] = ['prisons', 'supervisionStatuses', 'alertCodes', 'caseNoteTypes', 'mappaCategories'];
const LISTED = 20;
/** How strictly each trusted-documents mode holds a consumer to its registered documents. */
const STRICTNESS: Record<TrustedDocumentsMode, number> = { off: 0, 'log-unknown': 1, enforce: 2 };

/**
 * How `next` widens what each consumer of `previous` may see: new coordinates, filters lifted
 * (`*`) or given more values, redactions removed or weakened (remove -> mask, always -> limited-access
 * people only), new API keys (a new way in), trusted documents relaxed (enforce -> log-unknown -> off),
 * introspection enabled, suspension lifted. A reload
 * that does this is applied - the file is the authority - but it must never pass unnoticed: deleting a
 * consumer's `filters:` lines is a valid file that lifts its filters.
 */
export function wideningsOf(previous: Policy, next: Policy): Widening[] {
  const out: Widening[] = [];
  for (const name of next.consumerNames) {
    const before = previous.consumer(name);
    const after = next.consumer(name)!;
    if (before) out.push(...wideningsOfGrant(before, after));
  }
  return out;
}

function wideningsOfGrant(before: ConsumerGrant, after: ConsumerGrant): Widening[] {
  const out: Widening[] = [];
  const consumer = after.name;
  const granted = [...after.coordinates].filter((c) => !before.coordinates.has(c)).sort();
  if (granted.length > 0) out.push({ consumer, change: 'granted', what: listed(granted) });
  for (const dimension of FILTERS) {
    const was = before.rowFilters[dimension];
    const is = after.rowFilters[dimension];
    if (was === null || was === undefined) continue;
    if (is === null || is === undefined) out.push({ consumer, change: 'filter-lifted', what: [dimension] });
    else if ([...is].some((v) => !was.has(v as never))) out.push({ consumer, change: 'filter-widened', what: [dimension] });
  }
  const unredacted = [...before.redactions.keys()].filter((c) => !after.redactions.has(c) && after.coordinates.has(c)).sort();
  if (unredacted.length > 0) out.push({ consumer, change: 'redaction-removed', what: listed(unredacted) });
  const weakened = [...before.redactions]
    .filter(([c, was]) => {
      const is = after.redactions.get(c);
      return is !== undefined && ((was.action === 'remove' && is.action === 'mask') || (!was.limitedAccessOnly && is.limitedAccessOnly));
    })
    .map(([c]) => c)
    .sort();
  if (weakened.length > 0) out.push({ consumer, change: 'redaction-weakened', what: listed(weakened) });
  const known = new Set(before.apiKeys.map((k) => k.digest.toString('hex')));
  const added = after.apiKeys.filter((k) => !known.has(k.digest.toString('hex'))).map((k) => k.id);
  if (added.length > 0) out.push({ consumer, change: 'api-key-added', what: listed(added) });
  if (STRICTNESS[after.trustedDocuments] < STRICTNESS[before.trustedDocuments]) {
    out.push({ consumer, change: 'trusted-documents-relaxed', what: [`${before.trustedDocuments} -> ${after.trustedDocuments}`] });
  }
  if (after.introspection && !before.introspection) out.push({ consumer, change: 'introspection-enabled', what: [] });
  if (before.suspended && !after.suspended) out.push({ consumer, change: 'unsuspended', what: [] });
  return out;
}

function listed(items: string[]): string[] {
  return items.length > LISTED ? [...items.slice(0, LISTED), `(and ${items.length - LISTED} more)`] : items;
}
