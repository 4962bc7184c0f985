/** Search criteria shared by the two Delius-family search endpoints. */

import { isValidDate } from './dates.js';
import { HttpError, optBoolean, optString } from './http.js';
import { canonicalPnc } from './identifiers.js';
import type { Person, Population } from './population.js';

export interface ProbationCriteria {
  firstName?: string;
  surname?: string;
  dateOfBirth?: string;
  pncNumber?: string;
  croNumber?: string;
  crn?: string;
  nomsNumber?: string;
  includeAliases: boolean;
}

export function parseProbationCriteria(body: Record<string, unknown>, allowCro: boolean): ProbationCriteria {
  const dateOfBirth = optString(body, 'dateOfBirth');
  if (dateOfBirth !== undefined && !isValidDate(dateOfBirth)) throw new HttpError(400, 'dateOfBirth must be a date (yyyy-MM-dd)');
  const c: ProbationCriteria = {
    firstName: optString(body, 'firstName'),
    surname: optString(body, 'surname'),
    dateOfBirth,
    pncNumber: optString(body, 'pncNumber'),
    croNumber: allowCro ? optString(body, 'croNumber') : undefined,
    crn: optString(body, 'crn')?.toUpperCase(),
    nomsNumber: optString(body, 'nomsNumber')?.toUpperCase(),
    includeAliases: optBoolean(body, 'includeAliases') ?? false,
  };
  if (Object.entries(c).every(([k, v]) => k === 'includeAliases' || v === undefined)) {
    throw new HttpError(400, 'Invalid search - please provide at least one search criterion');
  }
  return c;
}

function eq(actual: string, wanted: string | undefined): boolean {
  return wanted === undefined || actual.toLowerCase() === wanted.toLowerCase();
}

export function probationMatches(p: Person, c: ProbationCriteria): boolean {
  if (p.crn === null) return false;
  if (c.crn !== undefined && p.crn !== c.crn) return false;
  if (c.nomsNumber !== undefined && p.deliusNomsNumber !== c.nomsNumber) return false;
  if (c.pncNumber !== undefined) {
    const want = canonicalPnc(c.pncNumber);
    if (want === null || p.pncNumber === null || canonicalPnc(p.pncNumber) !== want) return false;
  }
  if (c.croNumber !== undefined && p.croNumber?.toUpperCase() !== c.croNumber.toUpperCase()) return false;
  const own = eq(p.firstName, c.firstName) && eq(p.lastName, c.surname) && (c.dateOfBirth === undefined || p.dateOfBirth === c.dateOfBirth);
  if (own || !c.includeAliases) return own;
  return p.aliases.some((a) => eq(a.firstName, c.firstName) && eq(a.lastName, c.surname) && (c.dateOfBirth === undefined || a.dateOfBirth === c.dateOfBirth));
}

export function probationSearch(pop: Population, c: ProbationCriteria): Person[] {
  let candidates: readonly number[];
  if (c.crn !== undefined) {
    const p = pop.byCrnValue(c.crn);
    candidates = p ? [p.index] : [];
  } else if (c.nomsNumber !== undefined) {
    const p = pop.byDeliusNomsNumber(c.nomsNumber);
    candidates = p ? [p.index] : [];
  } else if (c.pncNumber !== undefined) {
    const p = pop.byPncValue(c.pncNumber);
    candidates = p ? [p.index] : [];
  } else if (c.surname !== undefined) {
    candidates = pop.candidatesByName(c.surname);
  } else if (c.firstName !== undefined) {
    candidates = pop.candidatesByName(c.firstName);
  } else if (c.dateOfBirth !== undefined) {
    candidates = pop.candidatesByDob(c.dateOfBirth);
  } else {
    candidates = pop.probationCases;
  }
  const out: Person[] = [];
  const seen = new Set<number>();
  for (const i of candidates) {
    if (seen.has(i)) continue;
    seen.add(i);
    const p = pop.get(i);
    if (p !== undefined && probationMatches(p, c)) out.push(p);
  }
  return out.sort((a, b) => ((a.crn ?? '') < (b.crn ?? '') ? -1 : (a.crn ?? '') > (b.crn ?? '') ? 1 : 0));
}
