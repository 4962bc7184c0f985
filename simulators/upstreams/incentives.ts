/** DPS Incentives API (dps-incentives.json): incentive level reviews, per prisoner and in batch by booking id. */

import { HttpError, type UpstreamDefinition, bookingIdsBody, hmppsError, ok } from '../lib/http.js';
import { type IncentiveHistoryModel, incentiveHistory } from '../lib/incentives-data.js';
import type { Population } from '../lib/population.js';

/** The spec sets no limit on the booking ids of one batch; a sane one, like the other batch routes. */
const MAX_BATCH = 1000;

function summary(h: IncentiveHistoryModel): Record<string, unknown> {
  const [latest] = h.reviews;
  if (latest === undefined) throw new Error('an incentive history has at least one review');
  return {
    id: latest.id,
    iepCode: latest.iepCode,
    iepLevel: latest.iepLevel,
    prisonerNumber: h.prisonerNumber,
    bookingId: h.bookingId,
    iepDate: latest.iepDate,
    iepTime: latest.iepTime,
    iepDetails: h.reviews.map((r) => ({ ...r, prisonerNumber: h.prisonerNumber })),
    nextReviewDate: h.nextReviewDate,
    daysSinceReview: h.daysSinceReview,
  };
}

export function createIncentives(pop: Population): UpstreamDefinition {
  return {
    name: 'incentives',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/incentive-reviews/prisoner/{prisonerNumber}',
        handler: (ctx) => {
          const n = ctx.params.prisonerNumber ?? '';
          if (!/^[A-Z0-9]{7}$/.test(n)) throw new HttpError(400, 'Prisoner number must be 7 letters and digits');
          const p = pop.byPrisonNumberValue(n);
          const history = p ? incentiveHistory(pop, p) : null;
          // The service answers 404 for a prisoner it holds no review of (never reviewed, unknown, merged away).
          if (history === null) throw new HttpError(404, `No incentive reviews for ${n}`);
          return ok(summary(history));
        },
      },
      {
        method: 'POST',
        path: '/incentive-reviews/bookings',
        handler: (ctx) => {
          const levels: Array<{ bookingId: number; iepLevel: string }> = [];
          for (const id of bookingIdsBody(ctx, MAX_BATCH)) {
            const hit = pop.byBookingId(id);
            const history = hit && hit.bookingSeq === 0 ? incentiveHistory(pop, hit.person) : null;
            const latest = history?.reviews[0];
            if (latest) levels.push({ bookingId: id, iepLevel: latest.iepLevel });
          }
          return ok(levels);
        },
      },
    ],
  };
}
