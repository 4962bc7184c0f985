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
/** Letters a prefix search (`Qu*`) needs before its `*`. */
export const MIN_PREFIX_LETTERS = 2;
/** Each name yields at most this many spellings to look for. */
const MAX_VARIANTS = 5;

/**
 * The spellings looked for, for a name as typed: the name itself, then with accents removed,
 * typographic apostrophes as plain ones, apostrophes removed, and hyphens as spaces or removed. Upstream searches compare whole names
 * ignoring case, so these are what lets `O'Neil` find `ONeil` and `Zoë` find `Zoe`.
 */
export function nameVariants(name: string): string[] {
  const typed = name.trim().replace(/\*$/, '').trim().replace(/\s+/g, ' ');
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
    if (!/^[\p{L}\p{M}' ’.-]+\*?$/u.test(value.trim())) {
      return `${field} may contain only letters, spaces, hyphens, apostrophes and full stops, and end in * for a prefix.`;
    }
    if (value.trim().endsWith('*') && foldName(value).length < MIN_PREFIX_LETTERS) {
      return `${field} needs at least ${MIN_PREFIX_LETTERS} letters before the *.`;
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

/** Beside MATCHED_HMPPS_IDS: the matched people's other identifiers (the prison number of a person matched by CRN). */
export const MATCHED_OTHER_IDS = Symbol('matchedOtherIds');

/** Letters with no decomposition into a base letter and a mark, written as the letters they stand for. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ß: 'ss', ı: 'i', ħ: 'h', ŧ: 't',
};

/**
 * A name as search compares it: letters only, without accents (`ë` -> `e`, `ø` -> `o`), in lower
 * case; apostrophes, hyphens, spaces and full stops dropped. `Bjørnsdóttir` -> `bjornsdottir`,
 * `O'Dowd` -> `odowd`, `Smith-Jones` -> `smithjones`.
 */
export function foldName(name: string): string {
  return name
    .toLocaleLowerCase('en-GB')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/./gu, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .replace(/[^\p{L}]/gu, '');
}

/** A name criterion: whole (folded names equal) or a prefix (typed with a trailing `*`). */
export interface NameCriterion {
  folded: string;
  prefix: boolean;
}

export function nameCriterion(typed: string | null): NameCriterion | null {
  if (typed === null) return null;
  return { folded: foldName(typed), prefix: typed.trim().endsWith('*') };
}

export function nameMatches(recorded: string | null, wanted: NameCriterion | null): boolean {
  if (wanted === null) return true;
  if (recorded === null) return false;
  const folded = foldName(recorded);
  return wanted.prefix ? folded.startsWith(wanted.folded) : folded === wanted.folded;
}

/**
 * Letters names often carry accented (`é`, `ø`, `ç`, `ł`, `ñ`, `š`, `ž`...): an upstream pattern leaves
 * them open (`?`). The others must be typed as recorded.
 */
const ACCENTED: ReadonlySet<string> = new Set([...'aeiouyclnsz']);

/**
 * The upstream (prisoner search `CONTAINS`) pattern that finds every name `nameMatches` accepts,
 * and a few more: each letter of the folded name in order (a letter that may carry an accent as
 * `?`, any one character), with `*` between them for the apostrophes, hyphens and spaces a
 * recorded name may have where the typed one has none. Ends in `*` for a prefix. The gateway
 * filters what comes back with `nameMatches`, so the pattern only has to be wide enough.
 */
export function upstreamNamePattern(wanted: NameCriterion): string {
  const letters = [...wanted.folded].map((ch) => (ACCENTED.has(ch) ? '?' : ch));
  return `${letters.join('*')}${wanted.prefix ? '*' : ''}`;
}

/**
 * Whether a person record meets the criteria's names and date of birth, with the names compared by
 * `nameMatches`. With `includeAliases`, the names and the date of birth may each be met by the
 * record or by any of its aliases (as the upstream searches read it).
 */
export function recordMatches(
  record: { firstName: string | null; lastName: string | null; dateOfBirth: string | null; aliases: ReadonlyArray<{ firstName: string | null; lastName: string | null; dateOfBirth: string | null }> },
  c: SearchCriteria,
): boolean {
  const first = nameCriterion(c.firstName);
  const last = nameCriterion(c.lastName);
  const candidates = c.includeAliases ? [record, ...record.aliases] : [record];
  const names = candidates.some((r) => nameMatches(r.firstName, first) && nameMatches(r.lastName, last));
  const born = c.dateOfBirth === null || candidates.some((r) => r.dateOfBirth === c.dateOfBirth);
  return names && born;
}

interface Halves {
  prison: { prisonNumber: string } | null;
  probation: { crn: string } | null;
}

/**
 * Joins a probation-only match to a prison-only match when the core person record links the two
 * (`linkedPrisonNumber`: CRN -> prison number): the searches join halves only by the prison number
 * probation holds, which may be missing or another one. Each person is then one match.
 */
export function joinLinked<M extends Halves>(matches: readonly M[], linkedPrisonNumber: ReadonlyMap<string, string | null>): M[] {
  const prisonOnly = new Map<string, M>();
  for (const m of matches) if (m.prison && !m.probation) prisonOnly.set(m.prison.prisonNumber, m);
  const out: M[] = [];
  const absorbed = new Set<M>();
  for (const m of matches) {
    if (!m.probation || m.prison) continue;
    const linked = linkedPrisonNumber.get(m.probation.crn);
    const partner = linked ? prisonOnly.get(linked) : undefined;
    if (partner && !absorbed.has(partner)) {
      absorbed.add(partner);
      absorbed.add(m);
      out.push({ ...partner, probation: m.probation });
    }
  }
  return [...matches.filter((m) => !absorbed.has(m)), ...out];
}
