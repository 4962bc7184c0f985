/**
 * DPS Manage Prison Visits orchestration (dps-manage-prison-visits.json): a prisoner's future visits, and
 * the paged visit search (by prisoner, prison, start-date range and status), newest first.
 */

import { addDays, isValidDate, wallClockToday } from '../lib/dates.js';
import { HttpError, type UpstreamDefinition, hmppsError, intParam, listParam, ok, springPage } from '../lib/http.js';
import type { Population } from '../lib/population.js';
import { type VisitModel, visitDto, visitsOf } from '../lib/visits-data.js';

const STATUSES = new Set(['BOOKED', 'CANCELLED']);

const byStart = (a: VisitModel, b: VisitModel) => a.dayOffset - b.dayOffset || a.startMinutes - b.startMinutes;

function dateParam(query: URLSearchParams, name: string): string | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  if (!isValidDate(raw)) throw new HttpError(400, `${name} must be a date (yyyy-MM-dd)`);
  return raw;
}

function requiredInt(query: URLSearchParams, name: string, min: number, max: number): number {
  if (query.get(name) === null) throw new HttpError(400, `Required request parameter '${name}' is not present`);
  return intParam(query, name, 0, min, max);
}

export function createPrisonVisits(pop: Population): UpstreamDefinition {
  return {
    name: 'prisonVisits',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/visits/search/future/{prisonerId}',
        handler: (ctx) => {
          const p = pop.byPrisonNumberValue((ctx.params.prisonerId ?? '').toUpperCase());
          // Booked visits still to come, soonest first; a prisoner it knows nothing of has none.
          const visits = p ? visitsOf(pop, p).filter((v) => v.dayOffset > 0 && v.status === 'BOOKED').sort(byStart) : [];
          const today = wallClockToday();
          return ok(visits.map((v) => visitDto(p!, v, today)));
        },
      },
      {
        method: 'GET',
        path: '/visits/search',
        handler: (ctx) => {
          const statuses = listParam(ctx.query, 'visitStatus');
          if (statuses.length === 0) throw new HttpError(400, "Required request parameter 'visitStatus' is not present");
          for (const s of statuses) if (!STATUSES.has(s)) throw new HttpError(400, `Unknown visit status ${s}`);
          const page = requiredInt(ctx.query, 'page', 0, 100_000);
          const size = requiredInt(ctx.query, 'size', 1, 1000);
          const from = dateParam(ctx.query, 'visitStartDate');
          const to = dateParam(ctx.query, 'visitEndDate');
          const prisonerId = ctx.query.get('prisonerId');
          const prisonId = ctx.query.get('prisonId');
          if (!prisonerId && !prisonId) throw new HttpError(400, 'Must have prisonerId or prisonId');
          const p = prisonerId ? pop.byPrisonNumberValue(prisonerId.toUpperCase()) : undefined;
          const today = wallClockToday();
          const day = (v: VisitModel) => addDays(today, v.dayOffset);
          const matching = (p ? visitsOf(pop, p) : [])
            .filter((v) => statuses.includes(v.status) && (!prisonId || v.prisonId === prisonId))
            .filter((v) => (from === null || day(v) >= from) && (to === null || day(v) <= to))
            .sort((a, b) => byStart(b, a));
          const body = springPage(matching, { page, size }, true);
          return ok({ ...body, content: body.content.map((v) => visitDto(p!, v, today)) });
        },
      },
    ],
  };
}
