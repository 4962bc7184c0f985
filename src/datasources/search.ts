import { omittedFrom } from '../domain/omitted.js';
import type { PrisonRecord, ProbationRecord } from '../domain/person.js';
import { recordMatches, type SearchCriteria } from '../domain/search.js';
import { toProbationRecord } from './probation-search/mapping.js';
import type { ProbationSearchQueries } from './probation-search/search.js';
import { mergedNumbersOf, toPrisonRecord } from './prisoner-search/mapping.js';
import type { PrisonerSearchQueries } from './prisoner-search/search.js';

/** One person found by a search: the halves the searches returned (linked by prison number). */
export interface SearchMatch {
  prison: PrisonRecord | null;
  probation: ProbationRecord | null;
}

export interface SearchOptions {
  /** Only people in these prisons (pushed into prisoner search); null = anywhere. */
  prisonIds: readonly string[] | null;
  /** Whether to search probation at all (a prisons-only scope cannot see probation-only people). */
  includeProbation: boolean;
  /** Most matches taken from each side. */
  limit: number;
}

/** Per side, how many records the search returned that broke their contract and could not be read. */
export interface UnreadableHits {
  PRISON: number;
  PROBATION: number;
}

const UNREADABLE = new WeakMap<readonly SearchMatch[], UnreadableHits>();

/**
 * The records each side's search returned that broke their contract (left out at the datasource
 * boundary): whether they match cannot be known, so they are neither matches nor counted (ADR 21).
 */
export function unreadableHits(matches: readonly SearchMatch[]): UnreadableHits {
  return UNREADABLE.get(matches) ?? { PRISON: 0, PROBATION: 0 };
}

export class SearchTooBroadError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} matches`);
    this.name = 'SearchTooBroadError';
  }
}

/**
 * Searches prison and probation at once and returns each person once: a probation case whose
 * prison number is a prisoner in the prison results (or a number merged into one) is the same person.
 */
export async function searchBothSides(
  prisonerSearch: PrisonerSearchQueries,
  probationSearch: ProbationSearchQueries,
  criteria: SearchCriteria,
  options: SearchOptions,
): Promise<SearchMatch[]> {
  // Both sides are waited for even when one fails: the work (and the time) of a search does not depend on
  // which side failed first, so a failing side cannot make the other's call disappear (equal work, ADR 1).
  const [prisonSide, probationSide] = await Promise.allSettled([
    prisonerSearch.search(criteria, options.prisonIds, options.limit),
    options.includeProbation ? probationSearch.search(criteria, options.limit) : { content: [], total: 0 },
  ]);
  if (prisonSide.status === 'rejected') throw prisonSide.reason;
  if (probationSide.status === 'rejected') throw probationSide.reason;
  const [prison, probation] = [prisonSide.value, probationSide.value];
  if (prison.total > options.limit || probation.total > options.limit) throw new SearchTooBroadError(options.limit);

  const matches: SearchMatch[] = [];
  const byPrisonNumber = new Map<string, SearchMatch>();
  // The upstreams return what may match; the names are compared here (`recordMatches`).
  for (const dto of prison.content) {
    const record = toPrisonRecord(dto);
    if (!recordMatches(record, criteria)) continue;
    const match: SearchMatch = { prison: record, probation: null };
    matches.push(match);
    byPrisonNumber.set(dto.prisonerNumber, match);
    // Probation may still hold a number that was since merged into this record.
    for (const old of mergedNumbersOf(dto)) if (!byPrisonNumber.has(old)) byPrisonNumber.set(old, match);
  }
  for (const dto of probation.content) {
    const record = toProbationRecord(dto);
    if (!recordMatches(record, criteria)) continue;
    const same = record.prisonNumber ? byPrisonNumber.get(record.prisonNumber) : undefined;
    if (same && !same.probation) same.probation = record;
    else matches.push({ prison: null, probation: record });
  }
  UNREADABLE.set(matches, { PRISON: omittedFrom(prison.content), PROBATION: omittedFrom(probation.content) });
  return matches;
}
