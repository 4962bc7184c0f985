import type { GraphQLResolveInfo } from 'graphql';
import type { TypeSubTypes } from '../datasources/case-notes/routes.js';
import { omittedFrom } from '../domain/omitted.js';
import type { PersonRef } from '../domain/person.js';
import type { ContactEvent, LimitedAccessDetails, UpstreamPage } from '../domain/records.js';
import { londonDate } from '../domain/time.js';
import { graphQLError } from '../errors/contract.js';
import type { ResolverContext } from './context.js';
import { badUserInput } from './errors.js';
import { reportedList, reportOmittedEntries, type RecordSource } from './partial.js';
import { cursorAt, fingerprint, pageSize, startOffset, type Page } from './pagination.js';
import { prisonHalf, probationHalf, upstream } from './person.js';

/**
 * Case records (issue 17 areas 5-7; docs/adr/0016-case-records.md): case notes and contact events
 * paged by their upstreams (never read whole into memory), and the details of a limited-access case.
 */

/** The coordinate whose grant lets a consumer ask for sensitive case notes. */
export const SENSITIVE_CASE_NOTES = 'CaseNote.sensitive';

/** MAPPA categories Delius knows; a consumer without a `mappaCategories` filter may see all of them. */
const ALL_MAPPA_CATEGORIES = [1, 2, 3, 4];

/** Contact events read per upstream page when the gateway has to filter them itself (date or type). */
const CONTACT_SCAN_PAGE = 100;
/** At most this many upstream pages are read to filter contact events (1,000 contacts). */
const CONTACT_SCAN_PAGES = 10;

interface CaseNoteArgs {
  types?: Array<{ type: string; subTypes?: string[] | null }> | null;
  from?: string | null;
  to?: string | null;
  includeSensitive?: boolean | null;
  first?: number | null;
  after?: string | null;
}

interface ContactEventArgs {
  from?: string | null;
  to?: string | null;
  types?: string[] | null;
  first?: number | null;
  after?: string | null;
}

interface LimitedAccessParent {
  excluded: boolean;
  restricted: boolean;
  crn: string;
}

const emptyPage = <T>(): Page<T> => ({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });

function dateRange(from: string | null | undefined, to: string | null | undefined): void {
  if (from && to && from > to) throw badUserInput('from must not be after to.', 'from');
}

/**
 * The types to ask the case notes service for: what the consumer asked for, within what its policy
 * allows. `undefined` = every type; an empty list = nothing the consumer may see was asked for.
 */
export function caseNoteTypesToAsk(
  asked: CaseNoteArgs['types'],
  allowed: ReadonlySet<string> | null | undefined,
): TypeSubTypes[] | undefined {
  if (!asked) return allowed ? [...allowed].sort().map((type) => ({ type, subTypes: [] })) : undefined;
  const byType = new Map<string, Set<string> | null>();
  for (const { type, subTypes } of asked) {
    if (allowed && !allowed.has(type)) continue;
    const wanted = subTypes && subTypes.length > 0 ? subTypes : null;
    const had = byType.get(type);
    // Every sub-type (null) wins over some; otherwise the sub-types add up.
    if (had === null || wanted === null) byType.set(type, had === undefined && wanted !== null ? new Set(wanted) : null);
    else byType.set(type, new Set([...(had ?? []), ...wanted]));
  }
  return [...byType.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, subs]) => ({ type, subTypes: subs ? [...subs].sort() : [] }));
}

/** The MAPPA categories to ask Delius for: the consumer's `mappaCategories` filter, or all. */
export function mappaCategoriesToAsk(allowed: ReadonlySet<string> | null | undefined): number[] {
  return allowed ? ALL_MAPPA_CATEGORIES.filter((c) => allowed.has(String(c))) : ALL_MAPPA_CATEGORIES;
}

/**
 * A cursor page read from an upstream that pages by number: the upstream pages of `first` items that
 * cover [offset, offset + first) - one page when the offset falls on a page boundary (a consumer
 * paging with the same `first`), else two - read in parallel. With `omissions`, entries of those
 * upstream pages that broke their contract are reported at the connection (ADR 21); `totalCount` is
 * the upstream's and still counts them.
 */
export async function upstreamPaged<T>(
  offset: number,
  first: number,
  question: string,
  fetchPage: (page: number) => Promise<UpstreamPage<T>>,
  omissions?: { ctx: ResolverContext; info: GraphQLResolveInfo; source: RecordSource },
): Promise<Page<T>> {
  const firstPage = Math.floor(offset / first);
  const skip = offset - firstPage * first;
  const pages = await Promise.all((skip === 0 ? [firstPage] : [firstPage, firstPage + 1]).map(fetchPage));
  if (omissions) reportOmittedEntries(omissions.ctx, omissions.info, pages.reduce((n, p) => n + omittedFrom(p.items), 0), omissions.source);
  const nodes = pages.flatMap((p) => p.items).slice(skip, skip + first);
  const totalCount = pages[0]!.totalCount;
  const end = offset + nodes.length;
  return { totalCount, nodes, pageInfo: { hasNextPage: end < totalCount, endCursor: nodes.length > 0 ? cursorAt(end, question) : null } };
}

const contactDay = (c: ContactEvent): string | null => (c.contactDate ? londonDate(new Date(c.contactDate)) : null);

export const recordResolvers = {
  Person: {
    caseNotes: async (person: PersonRef, args: CaseNoteArgs, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<Page<unknown> | null> => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const first = pageSize(args.first ?? 20, 'first');
      const includeSensitive = args.includeSensitive === true;
      if (includeSensitive && !ctx.granted(SENSITIVE_CASE_NOTES)) {
        throw graphQLError('FORBIDDEN', `Your access policy does not allow sensitive case notes (${SENSITIVE_CASE_NOTES}).`, { coordinates: [SENSITIVE_CASE_NOTES] });
      }
      dateRange(args.from, args.to);
      const typeSubTypes = caseNoteTypesToAsk(args.types, ctx.rowFilters.caseNoteTypes);
      const question = fingerprint(['caseNotes', prison.prisonNumber, typeSubTypes ?? null, args.from ?? null, args.to ?? null, includeSensitive]);
      const offset = startOffset(args.after, question);
      if (typeSubTypes && typeSubTypes.length === 0) return emptyPage();
      return upstreamPaged(offset, first, question, (page) =>
        upstream(
          ctx.loaders.caseNotePage.load({
            prisonNumber: prison.prisonNumber,
            search: {
              page: page + 1,
              size: first,
              includeSensitive,
              ...(typeSubTypes ? { typeSubTypes } : {}),
              ...(args.from ? { occurredFrom: `${args.from}T00:00:00` } : {}),
              ...(args.to ? { occurredTo: `${args.to}T23:59:59` } : {}),
            },
          }),
        ),
        { ctx, info, source: 'PRISON' },
      );
    },

    contactEvents: async (person: PersonRef, args: ContactEventArgs, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<Page<ContactEvent> | null> => {
      const probation = probationHalf(person);
      if (!probation) return null;
      const first = pageSize(args.first ?? 20, 'first');
      dateRange(args.from, args.to);
      const mappaCategories = mappaCategoriesToAsk(ctx.rowFilters.mappaCategories);
      const types = args.types ? [...new Set(args.types)].sort() : null;
      const question = fingerprint(['contactEvents', probation.crn, args.from ?? null, args.to ?? null, types]);
      const offset = startOffset(args.after, question);
      if (mappaCategories.length === 0) return emptyPage();
      const load = async (page: number, size: number): Promise<UpstreamPage<ContactEvent>> =>
        (await upstream(ctx.loaders.contactEventPage.load({ crn: probation.crn, query: { page, size, mappaCategories } }))) ?? { items: [], totalCount: 0 };
      if (!args.from && !args.to && !types) return upstreamPaged(offset, first, question, (page) => load(page, first), { ctx, info, source: 'PROBATION' });
      // Delius cannot filter contacts: the gateway reads them newest first and stops once past `from`.
      const wanted = types ? new Set(types) : null;
      const matches: ContactEvent[] = [];
      // Contacts left out of the pages read: whether they would have matched cannot be known, so
      // `totalCount` (the matches) does not count them; the error at the connection does (ADR 21).
      let omitted = 0;
      let page = 0;
      for (;;) {
        if (page === CONTACT_SCAN_PAGES) {
          throw badUserInput(`Too many contact events to filter (over ${CONTACT_SCAN_PAGE * CONTACT_SCAN_PAGES}): give a narrower from/to.`, 'from');
        }
        const { items, totalCount } = await load(page, CONTACT_SCAN_PAGE);
        omitted += omittedFrom(items);
        let pastFrom = false;
        for (const c of items) {
          const day = contactDay(c);
          if (args.from && day !== null && day < args.from) {
            pastFrom = true;
            break;
          }
          if (args.to && (day === null || day > args.to)) continue;
          if (wanted && !(c.type && wanted.has(c.type.code))) continue;
          matches.push(c);
        }
        page++;
        if (pastFrom || items.length + omittedFrom(items) < CONTACT_SCAN_PAGE || page * CONTACT_SCAN_PAGE >= totalCount) break;
      }
      reportOmittedEntries(ctx, info, omitted, 'PROBATION');
      const nodes = matches.slice(offset, offset + first);
      const end = offset + nodes.length;
      return { totalCount: matches.length, nodes, pageInfo: { hasNextPage: end < matches.length, endCursor: nodes.length > 0 ? cursorAt(end, question) : null } };
    },

    contactEvent: async (person: PersonRef, args: { id: string }, ctx: ResolverContext): Promise<ContactEvent | null> => {
      const probation = probationHalf(person);
      if (!probation) return null;
      if (!/^[1-9][0-9]{0,17}$/.test(args.id)) throw badUserInput('id is not a contact event id.', 'id');
      const mappaCategories = mappaCategoriesToAsk(ctx.rowFilters.mappaCategories);
      if (mappaCategories.length === 0) return null;
      return upstream(ctx.loaders.contactEvent.load({ crn: probation.crn, id: args.id, mappaCategories }));
    },
  },

  LimitedAccess: {
    // Delius is asked only about a limited-access case: for any other the answer is known (none).
    details: async (parent: LimitedAccessParent, _args: unknown, ctx: ResolverContext) => {
      if (!parent.excluded && !parent.restricted) return null;
      const details = await upstream(ctx.loaders.limitedAccessDetails.load(parent.crn));
      if (!details) return null;
      // Only what applies now: the booleans come from the same Delius case.
      return {
        exclusionMessage: parent.excluded ? details.exclusionMessage : null,
        excludedFrom: parent.excluded ? details.excludedFrom : [],
        restrictionMessage: parent.restricted ? details.restrictionMessage : null,
        restrictedTo: parent.restricted ? details.restrictedTo : [],
      };
    },
  },

  // Email addresses Delius gave missing or blank are counted at the list's path (ADR 21).
  LimitedAccessDetails: {
    excludedFrom: reportedList('PROBATION', (details: LimitedAccessDetails) => details.excludedFrom),
    restrictedTo: reportedList('PROBATION', (details: LimitedAccessDetails) => details.restrictedTo),
  },
};
