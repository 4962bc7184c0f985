import DataLoader from 'dataloader';
import type { IncentiveHistory } from '../../domain/prison-welfare.js';
import { perKey } from '../batching.js';
import { invalidItem } from '../http/errors.js';
import { toIncentiveHistory } from './mapping.js';
import { CURRENT_LEVELS, type IncentivesRoutes } from './routes.js';

/** Booking ids per batch request: the spec sets no limit; this keeps one request sane. */
const CURRENT_LEVELS_MAX = 1000;

/**
 * Booking id -> current incentive level (e.g. "Standard"), or `null` when the booking has none: every
 * person of one operation in ONE request to the batch route. A booking whose entry broke the contract
 * gets UPSTREAM_INVALID_RESPONSE, never `null`.
 */
export const currentIncentiveLevelLoader = (routes: IncentivesRoutes) =>
  new DataLoader<string, string | null>(
    async (bookingIds) => {
      const batch = await routes.currentLevels(bookingIds);
      const found = new Map(batch.items.map((l) => [String(l.bookingId), l.iepLevel]));
      return bookingIds.map((id) => {
        const level = found.get(id);
        if (level !== undefined) return level;
        if (batch.spoiled.has(id) || batch.unattributable) return invalidItem('incentives', CURRENT_LEVELS);
        return null;
      });
    },
    { maxBatchSize: CURRENT_LEVELS_MAX },
  );

/** Prison number -> review history, or `null` (never reviewed); the upstream has no batch form of it. */
export const incentiveHistoryLoader = (routes: IncentivesRoutes) =>
  new DataLoader<string, IncentiveHistory | null>(
    perKey(async (n) => {
      const dto = await routes.reviewHistory(n);
      return dto ? toIncentiveHistory(dto) : null;
    }),
  );
