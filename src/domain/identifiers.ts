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
