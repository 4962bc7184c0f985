/**
 * hmppsId formats (design §1). A CRN is the probation case reference, a prison number is the
 * NOMS number. PNC and CRO numbers are search terms, never ids.
 */
export const CRN_PATTERN = /^[A-Z][0-9]{6}$/;
export const PRISON_NUMBER_PATTERN = /^[A-Z][0-9]{4}[A-Z]{2}$/;

export type HmppsId = { kind: 'crn'; crn: string } | { kind: 'prisonNumber'; prisonNumber: string };

/**
 * Parses a consumer-supplied id. Surrounding blanks and lower case are forgiven (consumers copy ids
 * from letters and screens); anything else that is not a CRN or a prison number is rejected.
 */
export function parseHmppsId(input: string): HmppsId | null {
  const id = input.trim().toUpperCase();
  if (CRN_PATTERN.test(id)) return { kind: 'crn', crn: id };
  if (PRISON_NUMBER_PATTERN.test(id)) return { kind: 'prisonNumber', prisonNumber: id };
  return null;
}

export function hmppsIdKey(id: HmppsId): string {
  return id.kind === 'crn' ? id.crn : id.prisonNumber;
}

/**
 * The one form PNC numbers are given in: the PNC's canonical long form, a four-digit year, `/`, the
 * serial without leading zeros and the check letter (`2012/394773H`), as prisoner search's
 * `pncNumberCanonicalLong`. Upstreams write the year with two or four digits and the serial with or
 * without leading zeros. A two-digit year is read as the latest year ending so that is not after
 * `thisYear`. Anything else is not a PNC number: null.
 */
export function pncCanonicalLong(pnc: string | null | undefined, thisYear: number): string | null {
  const m = pnc ? /^\s*(\d{2}|\d{4})\/(\d{1,7})([A-Za-z])\s*$/.exec(pnc) : null;
  if (!m) return null;
  const [, year, serial, check] = m as unknown as [string, string, string, string];
  const century = Number(year) > thisYear % 100 ? Math.floor(thisYear / 100) - 1 : Math.floor(thisYear / 100);
  const fullYear = year.length === 4 ? year : `${century}${year}`;
  return `${fullYear}/${Number(serial)}${check.toUpperCase()}`;
}
