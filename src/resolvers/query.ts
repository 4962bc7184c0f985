import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { coverIds, linksAmong, lookupsOf, SearchTooBroadError, unreadableHits, type SearchMatch } from '../datasources/index.js';
import { hmppsIdKey, parseHmppsId } from '../domain/identifiers.js';
import { preferredHmppsId, type PersonRef } from '../domain/person.js';
import { compareSortKeys, criteriaProblem, joinLinked, MATCHED_HMPPS_IDS, MATCHED_OTHER_IDS, type SearchCriteria } from '../domain/search.js';
import { isLimitedAccess } from '../domain/visibility.js';
import type { ResolverContext } from './context.js';
import { badUserInput, toConsumerError } from './errors.js';
import { fingerprint, pageSize, startOffset, cursorAt, type Page } from './pagination.js';
import { reportOmittedEntries } from './partial.js';
import { visibleOrNotFound } from './visibility.js';

export const MAX_PERSONS = 100;
/** Most matches taken from each of prison and probation search; a broader search must be narrowed. */
export const SEARCH_LIMIT = 500;
/** Stand-in ids a filtered search resolves with its matches (of each kind, CRN and prison number). */
const SEARCH_COVER = 2;
const CRITERIA = ['firstName', 'lastName', 'dateOfBirth', 'pncNumber'] as const;

function idsOrRefuse(hmppsIds: readonly string[], field: string) {
  return hmppsIds.map((raw, i) => {
    const id = parseHmppsId(raw);
    if (!id) {
      throw badUserInput(`${field}[${i}] must be a CRN (e.g. X123456) or a prison number (e.g. A1234BC).`, field);
    }
    return hmppsIdKey(id);
  });
}

async function person(_root: unknown, args: { hmppsId: string }, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<PersonRef> {
  const [key] = idsOrRefuse([args.hmppsId], 'hmppsId');
  ctx.loaders.expect([key!], lookupsOf(info.fieldNodes, info.fragments));
  const found = visibleOrNotFound(await ctx.loaders.person.load(key!).catch((e: Error) => e), ctx);
  if (found instanceof GraphQLError) throw found;
  return found;
}

/** In the order asked; each missing person is null with its own NOT_FOUND error at its position. */
async function persons(_root: unknown, args: { hmppsIds: string[] }, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<Array<PersonRef | GraphQLError>> {
  if (args.hmppsIds.length > MAX_PERSONS) {
    throw badUserInput(`hmppsIds may hold at most ${MAX_PERSONS} ids (got ${args.hmppsIds.length}).`, 'hmppsIds');
  }
  const keys = idsOrRefuse(args.hmppsIds, 'hmppsIds');
  ctx.loaders.expect(keys, lookupsOf(info.fieldNodes, info.fragments));
  const found = await ctx.loaders.person.loadMany(keys);
  return found.map((p) => visibleOrNotFound(p, ctx));
}

interface SearchArgs {
  criteria: {
    firstName?: string | null;
    lastName?: string | null;
    dateOfBirth?: string | null;
    pncNumber?: string | null;
    includeAliases?: boolean | null;
  };
  first?: number | null;
  after?: string | null;
}

/**
 * Searches prison and probation at once, each person once, in a stable order; only the page asked
 * for is resolved into full people (batched).
 */
async function searchPersons(_root: unknown, args: SearchArgs, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<Page<PersonRef> & { [MATCHED_HMPPS_IDS]: string[]; [MATCHED_OTHER_IDS]: string[] }> {
  const criteria: SearchCriteria = {
    firstName: args.criteria.firstName ?? null,
    lastName: args.criteria.lastName ?? null,
    dateOfBirth: args.criteria.dateOfBirth ?? null,
    pncNumber: args.criteria.pncNumber ?? null,
    includeAliases: args.criteria.includeAliases ?? false,
  };
  const problem = criteriaProblem(criteria);
  if (problem) throw badUserInput(problem, 'criteria');
  const first = pageSize(args.first, 'first');
  const question = fingerprint(['searchPersons', criteria]);
  const start = startOffset(args.after, question);

  const prisons = ctx.rowFilters.prisons ? [...ctx.rowFilters.prisons].sort() : null;
  let matches;
  try {
    matches = await ctx.loaders.search(criteria, { prisonIds: prisons, includeProbation: prisons === null, limit: SEARCH_LIMIT });
  } catch (e) {
    if (e instanceof SearchTooBroadError) {
      throw badUserInput(`More than ${e.limit} people match; add criteria to narrow the search.`, 'criteria');
    }
    throw toConsumerError(e);
  }

  const unreadable = unreadableHits(matches);
  const used = CRITERIA.filter((c) => criteria[c] !== null);
  const hideLimitedAccess = ctx.searchHidesLimitedAccess(used, criteria.includeAliases);
  // Whether the gateway itself hides some matches (a row filter or limited access applied here).
  const hides = ctx.rowFilters.supervisionStatuses !== null || hideLimitedAccess;
  // A consumer held to prisons is not searched in probation: no match has a probation half to join.
  if (prisons === null) matches = await joinedByCorePersonRecord(matches, ctx, hides);

  let ordered = matches
    .map((m) => {
      const record = m.probation ?? m.prison!;
      const hmppsId = m.probation?.crn ?? m.prison!.prisonNumber;
      const other = m.probation && m.prison ? m.prison.prisonNumber : null;
      return { hmppsId, other, key: { lastName: record.lastName, firstName: record.firstName, dateOfBirth: record.dateOfBirth, hmppsId } };
    })
    .sort((a, b) => compareSortKeys(a.key, b.key));
  if (hides) {
    // A row filter the upstream searches could not apply (supervision status needs both halves of a
    // person), or a criterion on a field redacted for limited-access people, must be applied before
    // counting and paging: otherwise the count and the cursor would reveal people the consumer may
    // not see, or confirm a hidden value. Resolving the matches costs upstream calls that depend on
    // them, so the batch is padded with stand-in ids: the same calls in the same rounds whether the
    // only match is a hidden person or nobody matched (up to SEARCH_COVER of each kind; issue 14).
    const ids = ordered.map((m) => m.hmppsId);
    const everyone = await ctx.loaders.person.loadMany([...ids, ...coverIds(ids, SEARCH_COVER)]);
    const keep = ids.map((_, i) => {
      const p = shownOrSkipped(everyone[i] ?? null, ctx);
      return p !== null && !(hideLimitedAccess && isLimitedAccess(p));
    });
    ordered = ordered.filter((_, i) => keep[i]);
  } else {
    // What each side already returned need not be fetched again when the page is resolved.
    for (const m of matches) {
      if (m.prison) ctx.loaders.prisonRecord.prime(m.prison.prisonNumber, m.prison);
      if (m.probation) ctx.loaders.probationRecord.prime(m.probation.crn, m.probation);
    }
  }

  // Records a search returned that could not be read may be people who match: the consumer is told how
  // many, at `searchPersons` (they are not in totalCount: whether they match is not known). Not when the
  // gateway itself hides some matches (a row filter or limited access applied here): an unreadable
  // record may be one of the hidden, and counting it would say such people exist (ADR 21).
  if (!hides) {
    for (const source of ['PRISON', 'PROBATION'] as const) {
      reportOmittedEntries(ctx, info, unreadable[source], source, 'They may be people who match; totalCount does not count them.');
    }
  }

  const pageIds = ordered.slice(start, start + first).map((m) => m.hmppsId);
  const people = await ctx.loaders.person.loadMany(pageIds);
  const nodes: PersonRef[] = [];
  const seen = new Set<string>();
  for (const found of people) {
    // A person found on both sides under different ids resolves to the same person: show it once.
    if (found && !(found instanceof Error) && seen.has(preferredHmppsId(found))) continue;
    const p = shownOrSkipped(found, ctx);
    if (!p) continue;
    seen.add(preferredHmppsId(p));
    nodes.push(p);
  }
  const end = start + pageIds.length;
  return {
    totalCount: ordered.length,
    nodes,
    pageInfo: { hasNextPage: end < ordered.length, endCursor: pageIds.length > 0 ? cursorAt(end, question) : null },
    // For the disclosure ledger: the count confirms every one of them exists.
    [MATCHED_HMPPS_IDS]: ordered.map((m) => m.hmppsId),
    [MATCHED_OTHER_IDS]: ordered.flatMap((m) => (m.other ? [m.other] : [])),
  };
}

/**
 * A search match as `person` would answer its id (`visibleOrNotFound`): the person, `null` where `person`
 * says NOT_FOUND (left out of a search), or the failure thrown (an identity step that decides it failed).
 */
function shownOrSkipped(found: PersonRef | null | Error, ctx: ResolverContext): PersonRef | null {
  const decided = visibleOrNotFound(found, ctx);
  if (!(decided instanceof GraphQLError)) return decided;
  if (decided.extensions.code === 'NOT_FOUND') return null;
  throw decided;
}

/**
 * Probation-only and prison-only matches that the core person record links are one person, so that
 * `totalCount` counts people, not records. The record service answers both directions, so the smaller
 * of the two sets is looked up (`linksAmong`: one lookup per id; the same answers either way), and the
 * links learnt are kept in the request's link loaders for resolving the page.
 *
 * When the gateway hides some matches (`hides`: the matches then include people the consumer may not
 * see), how many lookups are made, by which id and in which round must not depend on them (issue 14,
 * ADR 19): every CRN among the matches is looked up, whether or not a prison-only match is there to
 * join, padded with stand-in CRNs to SEARCH_COVER - the very CRNs and stand-ins that resolving every
 * match looks up right after (`coverIds` of the same CRNs, through the same loaders) - so the join
 * costs no call of its own, and its round is made by every such search. The other kind is not primed
 * there: which prison numbers are resolved depends on the join, what they cost must not.
 */
async function joinedByCorePersonRecord<M extends SearchMatch>(matches: M[], ctx: ResolverContext, hides: boolean): Promise<M[]> {
  const numbers = matches.filter((m) => m.prison && !m.probation).map((m) => m.prison!.prisonNumber);
  if (hides) {
    const crns = matches.flatMap((m) => (m.probation ? [m.probation.crn] : []));
    const cover = coverIds(crns, SEARCH_COVER).filter((id) => parseHmppsId(id)?.kind === 'crn');
    return joinLinked(matches, await linksAmong(ctx.loaders, crns, numbers, { side: 'crn', cover, primeOtherKind: false }));
  }
  const crns = matches.filter((m) => m.probation && !m.prison).map((m) => m.probation!.crn);
  if (crns.length === 0 || numbers.length === 0) return matches;
  return joinLinked(matches, await linksAmong(ctx.loaders, crns, numbers));
}

export const queryResolvers = { Query: { person, persons, searchPersons } };
