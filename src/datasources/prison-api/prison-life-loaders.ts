import DataLoader from 'dataloader';
import type { Movement, SentenceAdjustment } from '../../domain/prison-life.js';
import { perKey } from '../batching.js';
import { invalidItem } from '../http/errors.js';
import type { BookingLoaders } from './loaders.js';
import { toMovements, toSentenceAdjustments } from './prison-life-mapping.js';
import { MOVEMENTS, MOVEMENTS_MAX, type MovementDto, type PrisonLifeRoutes } from './prison-life-routes.js';

/** Every movement of each person, all bookings: one batch call for up to MOVEMENTS_MAX people. */
export const movementsLoader = (routes: PrisonLifeRoutes) =>
  new DataLoader<string, Movement[]>(
    async (numbers) => {
      const byNumber = new Map<string, MovementDto[]>(numbers.map((n) => [n.toUpperCase(), []]));
      const batch = await routes.movements(numbers);
      for (const m of batch.items) byNumber.get(m.offenderNo.toUpperCase())?.push(m);
      return numbers.map((n) => {
        const found = byNumber.get(n.toUpperCase()) ?? [];
        // A spoiled entry could have been this person's only one, or one of several: either way the timeline is not whole.
        if (batch.spoiled.has(n.toUpperCase()) || batch.unattributable) return invalidItem('prisonApi', MOVEMENTS);
        return toMovements(found);
      });
    },
    { maxBatchSize: MOVEMENTS_MAX },
  );

/** By booking id: that booking's adjustments. */
export const bookingAdjustmentsLoader = (routes: PrisonLifeRoutes) =>
  new DataLoader<string, SentenceAdjustment[]>(perKey(async (bookingId) => toSentenceAdjustments(bookingId, await routes.bookingAdjustments(bookingId))));

/**
 * The adjustments of every booking of each person: the bookings from the batch sentences call
 * (shared with key dates and sentences), then one call per booking, in parallel and deduplicated.
 */
export const sentenceAdjustmentsLoader = (loaders: Pick<BookingLoaders, 'prisonBookings'> & { bookingAdjustments: ReturnType<typeof bookingAdjustmentsLoader> }) =>
  new DataLoader<string, SentenceAdjustment[]>(
    perKey(async (n) => {
      const ids = (await loaders.prisonBookings.load(n)).map((b) => String(b.bookingId));
      const lists = await Promise.all(ids.map((id) => loaders.bookingAdjustments.load(id)));
      return lists.flat().sort((a, b) => (b.fromDate ?? '').localeCompare(a.fromDate ?? ''));
    }),
  );
