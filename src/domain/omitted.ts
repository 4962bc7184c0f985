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
