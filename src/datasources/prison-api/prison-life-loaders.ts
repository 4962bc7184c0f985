import DataLoader from 'dataloader';
import { omittedFrom, withOmitted } from '../../domain/omitted.js';
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
 * The adjustments of every booking of each person: the bookings of all keys at once from the batch
 * sentences call (shared with key dates and sentences), then one call per booking, in parallel and
 * deduplicated. A person whose bookings or any booking's adjustments failed gets that failure alone.
 */
export const sentenceAdjustmentsLoader = (loaders: Pick<BookingLoaders, 'prisonBookings'> & { bookingAdjustments: ReturnType<typeof bookingAdjustmentsLoader> }) =>
  new DataLoader<string, SentenceAdjustment[]>(async (numbers) => {
    const bookings = await loaders.prisonBookings.loadMany(numbers);
    return Promise.all(
      bookings.map(async (list) => {
        if (list instanceof Error) return list;
        const lists = await loaders.bookingAdjustments.loadMany(list.map((b) => String(b.bookingId)));
        const failed = lists.find((l): l is Error => l instanceof Error);
        if (failed) return failed;
        const whole = lists as SentenceAdjustment[][];
        // Missing what was left out of any booking's adjustments (ADR 21).
        return withOmitted(
          whole.flat().sort((a, b) => (b.fromDate ?? '').localeCompare(a.fromDate ?? '')),
          whole.reduce((n, l) => n + omittedFrom(l), 0),
        );
      }),
    );
  });
