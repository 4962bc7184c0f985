import { emptyBatch, type KeyedBatch } from '../http/contract.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeCurrentLevels, decodeReviewSummary } from './decode.js';

/** DPS Incentives API (dps-incentives.json). */
export interface CurrentIncentiveLevelDto {
  bookingId: number;
  iepLevel: string;
}

export interface IncentiveReviewDetailDto {
  iepCode: string;
  iepLevel: string;
  iepDate: string;
  iepTime: string;
  agencyId: string;
  reviewType: string;
  comments?: string | null;
}

export interface IncentiveReviewSummaryDto {
  iepCode: string;
  iepLevel: string;
  prisonerNumber: string;
  iepDate: string;
  nextReviewDate: string;
  daysSinceReview: number;
  iepDetails: IncentiveReviewDetailDto[];
}

export const CURRENT_LEVELS = 'POST /incentive-reviews/bookings';

export function incentivesRoutes(client: UpstreamCaller) {
  return {
    /** Batch: the current level of every given booking in one request; bookings without a review are absent. */
    async currentLevels(bookingIds: readonly string[]): Promise<KeyedBatch<CurrentIncentiveLevelDto>> {
      const response = await client.call<KeyedBatch<CurrentIncentiveLevelDto>>({
        route: CURRENT_LEVELS,
        method: 'POST',
        path: '/incentive-reviews/bookings',
        json: bookingIds.map(Number),
        decode: decodeCurrentLevels,
      });
      return response.body ?? emptyBatch();
    },
    /** One prisoner's review history; `null` when the service holds no review of them (404). */
    reviewHistory(prisonNumber: string): Promise<IncentiveReviewSummaryDto | null> {
      return client.get(
        'GET /incentive-reviews/prisoner/{prisonerNumber}',
        `/incentive-reviews/prisoner/${encodeURIComponent(prisonNumber)}`,
        undefined,
        [404],
        decodeReviewSummary,
      );
    },
  };
}

export type IncentivesRoutes = ReturnType<typeof incentivesRoutes>;
