/**
 * Person search: criteria, the name variants sent to the upstream search services, and the stable
 * order of results. Pure.
 */

export interface SearchCriteria {
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  pncNumber: string | null;
  includeAliases: boolean;
}

export const MAX_NAME_LENGTH = 100;
/** Each name yields at most this many spellings to look for. */
const MAX_VARIANTS = 5;

/**
 * The spellings looked for, for a name as typed: the name itself, then with accents removed,
 * typographic apostrophes as plain ones, apostrophes removed, and hyphens as spaces or removed. Upstream searches compare whole names
 * ignoring case, so these are what lets `O'Neil` find `ONeil` and `Zoë` find `Zoe`.
 */
export function nameVariants(name: string): string[] {
  const typed = name.trim().replace(/\s+/g, ' ');
  const unaccented = typed.normalize('NFD').replace(/\p{M}/gu, '');
  const variants = [typed, unaccented];
  for (const base of [typed, unaccented]) {
    variants.push(base.replace(/’/g, "'"), base.replace(/['’]/g, ''));
    variants.push(base.replace(/-/g, ' '), base.replace(/-/g, ''));
  }
  const seen = new Set<string>();
  return variants
    .filter((v) => v.length > 0)
    .filter((v) => {
      const key = v.toLocaleLowerCase('en-GB');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_VARIANTS);
}

/** Validates criteria; returns the problem in words, or null when they are usable. */
export function criteriaProblem(c: SearchCriteria): string | null {
  if (!c.firstName && !c.lastName && !c.dateOfBirth && !c.pncNumber) {
    return 'Give at least one of firstName, lastName, dateOfBirth or pncNumber.';
  }
  for (const [field, value] of [['firstName', c.firstName], ['lastName', c.lastName]] as const) {
    if (value === null) continue;
    if (value.trim().length === 0) return `${field} must not be blank.`;
    if (value.length > MAX_NAME_LENGTH) return `${field} must be at most ${MAX_NAME_LENGTH} characters.`;
    if (!/^[\p{L}\p{M}' ’.-]+$/u.test(value.trim())) {
      return `${field} may contain only letters, spaces, hyphens, apostrophes and full stops.`;
    }
  }
  if (c.pncNumber !== null && !/^\d{2}(\d{2})?\/\d{1,7}[A-Z]$/i.test(c.pncNumber.trim())) {
    return 'pncNumber must look like 2012/0123456A or 12/123456A.';
  }
  return null;
}

/**
 * PNC numbers are written with a 2- or 4-digit year and a serial with or without leading zeros;
 * both forms name the same number.
 */
export function canonicalPnc(pnc: string | null | undefined): string | null {
  const m = pnc ? /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/i.exec(pnc.trim()) : null;
  if (!m) return null;
  const [, year, serial, check] = m as unknown as [string, string, string, string];
  return `${year.slice(-2)}/${Number(serial)}${check.toUpperCase()}`;
}

export interface SortKey {
  lastName: string | null;
  firstName: string | null;
  dateOfBirth: string | null;
  hmppsId: string;
}

const fold = (s: string | null) => (s ?? '\uffff').normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('en-GB');

/** Stable order of search results: last name, first name, date of birth, hmppsId. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  return (
    fold(a.lastName).localeCompare(fold(b.lastName), 'en-GB') ||
    fold(a.firstName).localeCompare(fold(b.firstName), 'en-GB') ||
    (a.dateOfBirth ?? '9999').localeCompare(b.dateOfBirth ?? '9999') ||
    a.hmppsId.localeCompare(b.hmppsId)
  );
}

/**
 * On a search's result page: the hmppsId of every person the search matched (what `totalCount`
 * counts). Read by the disclosure ledger (src/auth/audit.ts) and never serialised: a symbol key.
 */
export const MATCHED_HMPPS_IDS = Symbol('matchedHmppsIds');
