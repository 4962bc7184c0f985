/**
 * A list some of whose entries could not be used (the source gave them, but they broke its contract
 * and were left out at the datasource boundary) carries how many were left out, so that whoever
 * presents the list says it is incomplete instead of passing it off as whole (docs/adr/0021).
 *
 * The count travels on the array itself (a non-enumerable symbol property): loaders cache and pass
 * arrays along, and a count kept beside the list could be lost on the way. It is not part of the
 * array's content: JSON, spreading and iteration do not see it.
 */
const OMITTED = Symbol('omittedEntries');

/** `list`, marked as missing `omitted` entries (nothing is marked when `omitted` is 0). */
export function withOmitted<T>(list: T[], omitted: number): T[] {
  if (omitted > 0) Object.defineProperty(list, OMITTED, { value: omitted, configurable: true, enumerable: false });
  return list;
}

/** How many entries were left out of `list` (0 for a whole list, `null` or `undefined`). */
export function omittedFrom(list: readonly unknown[] | null | undefined): number {
  return (list as { [OMITTED]?: number } | null | undefined)?.[OMITTED] ?? 0;
}

/** `to`, made from `from` (mapped, regrouped), missing what `from` was missing. */
export function carryOmitted<T>(from: readonly unknown[] | null | undefined, to: T[]): T[] {
  return withOmitted(to, omittedFrom(from));
}

/**
 * `mapped` (made from `from` entry by entry) without the entries that mapped to `null`: entries the
 * source gave that passed its contract but cannot be shown (e.g. a language without its code, where
 * the schema's field is non-null). They are counted as left out, on top of what `from` was missing:
 * never dropped without a word (docs/adr/0021).
 */
export function keepShowable<T>(from: readonly unknown[] | null | undefined, mapped: ReadonlyArray<T | null>): T[] {
  const kept = mapped.filter((entry): entry is T => entry !== null);
  return withOmitted(kept, omittedFrom(from) + mapped.length - kept.length);
}
