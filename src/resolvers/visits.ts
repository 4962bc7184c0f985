import type { PersonRef } from '../domain/person.js';
import { londonDate } from '../domain/time.js';
import type { Visit } from '../domain/visits.js';
import type { ResolverContext } from './context.js';
import { badUserInput } from './errors.js';
import { fingerprint, pageSize, startOffset } from './pagination.js';
import { prisonHalf, upstream } from './person.js';
import { upstreamPaged } from './records.js';

/** Visits (issue 18 area 2): future visits whole, recent visits paged upstream by Manage Prison Visits. */

interface RecentVisitArgs {
  days?: number | null;
  first?: number | null;
  after?: string | null;
}

export const MAX_VISIT_DAYS = 366;

/** The calendar date `n` days before a London calendar date. */
function daysBefore(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

export const visitResolvers = {
  Person: {
    futureVisits: async (person: PersonRef, _args: unknown, ctx: ResolverContext): Promise<Visit[] | null> => {
      const prison = prisonHalf(person);
      return prison ? upstream(ctx.loaders.futureVisits.load(prison.prisonNumber)) : null;
    },
    recentVisits: async (person: PersonRef, args: RecentVisitArgs, ctx: ResolverContext) => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const first = pageSize(args.first ?? 20, 'first');
      const days = args.days ?? 90;
      if (!Number.isInteger(days) || days < 1 || days > MAX_VISIT_DAYS) throw badUserInput(`days must be between 1 and ${MAX_VISIT_DAYS}.`, 'days');
      const to = londonDate(new Date());
      const from = daysBefore(to, days - 1);
      // The dates are in the question: a cursor from yesterday's list does not page today's.
      const question = fingerprint(['recentVisits', prison.prisonNumber, from, to]);
      const offset = startOffset(args.after, question);
      return upstreamPaged(offset, first, question, (page) =>
        upstream(ctx.loaders.visitPage.load({ prisonNumber: prison.prisonNumber, search: { from, to, page, size: first } })),
      );
    },
    visitBalance: async (person: PersonRef, _args: unknown, ctx: ResolverContext) => {
      const prison = prisonHalf(person);
      return prison ? upstream(ctx.loaders.visitBalance.load(prison.prisonNumber)) : null;
    },
    visitRestrictions: async (person: PersonRef, args: { includeExpired?: boolean | null }, ctx: ResolverContext) => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const all = await upstream(ctx.loaders.visitRestrictions.load(prison.prisonNumber));
      return args.includeExpired ? all : all.filter((r) => r.active);
    },
  },
  Visit: {
    visitorCount: (v: Visit) => v.visitors.length,
  },
};
