/**
 * Incentive level reviews (dps-incentives.json), derived per person from a PRNG of its own, seeded by
 * (population seed, prison number, area): the population's own sequence is never drawn from, so adding
 * this area changed no existing person. The current level is the one prisoner search shows
 * (`currentIncentive`), so the two upstreams agree.
 */

import { SNAPSHOT_DATE, addDays, localDateTime, toDays } from './dates.js';
import { bookings, profile } from './details.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';

export interface IncentiveReviewModel {
  id: number;
  iepCode: string;
  iepLevel: string;
  comments: string;
  bookingId: number;
  iepDate: string;
  iepTime: string;
  agencyId: string;
  userId: string;
  reviewType: 'INITIAL' | 'REVIEW' | 'TRANSFER' | 'MIGRATED' | 'READMISSION';
  auditModuleName: string;
  isRealReview: boolean;
}

export interface IncentiveHistoryModel {
  prisonerNumber: string;
  bookingId: number;
  /** Newest first (the spec: "descending in time"). */
  reviews: IncentiveReviewModel[];
  nextReviewDate: string;
  daysSinceReview: number;
}

const LEVELS = [
  { code: 'BAS', description: 'Basic' },
  { code: 'STD', description: 'Standard' },
  { code: 'ENH', description: 'Enhanced' },
] as const;

const COMMENTS = [
  'Good behaviour on the wing, engages with education.',
  'Positive reports from workshop staff.',
  'Two negative entries this month; reviewed and kept at this level.',
  'Level kept after transfer; behaviour to be reviewed locally.',
  'Complied with the regime; no adjudications since the last review.',
] as const;

/** Review counts of well-known people: `no-addresses` has never been reviewed (the service answers 404). */
const WELL_KNOWN_REVIEWS: Readonly<Record<string, number>> = { 'no-addresses': 0, 'long-lists': 25, linked: 4, restricted: 3, released: 2 };

export function incentiveHistory(pop: Population, p: Person): IncentiveHistoryModel | null {
  if (p.prisonNumber === null) return null;
  return pop.memo('incentives', p.index, () => buildHistory(pop, p, p.prisonNumber as string));
}

function buildHistory(pop: Population, p: Person, prisonerNumber: string): IncentiveHistoryModel | null {
  const rng = Rng.of(pop.seed, prisonerNumber, 'incentives');
  const count = (p.key !== null ? WELL_KNOWN_REVIEWS[p.key] : undefined) ?? rng.between(1, 6);
  const booking = bookings(pop, p)[0];
  if (count === 0 || booking === undefined) return null;
  const current = profile(pop, p).incentive;
  const agencyId = p.prisonId === 'OUT' || p.prisonId === null ? (p.lastPrisonId ?? booking.prisonId) : p.prisonId;
  // Newest review last in this loop, then reversed: the latest is the level prisoner search shows.
  let date = addDays(p.receptionDate ?? booking.startDate, 1);
  const oldestFirst: IncentiveReviewModel[] = [];
  for (let i = 0; i < count; i++) {
    const latest = i === count - 1;
    const level = latest ? current : rng.pick(LEVELS);
    const minutes = 8 * 60 + rng.int(9 * 60);
    oldestFirst.push({
      id: 500_000 + p.index * 32 + i,
      iepCode: level.code,
      iepLevel: level.description,
      comments: rng.pick(COMMENTS),
      bookingId: booking.bookingId,
      iepDate: date,
      iepTime: `${localDateTime(date, minutes)}.${String(rng.int(1_000_000)).padStart(6, '0')}`,
      agencyId,
      userId: `${rng.letters(4)}_GEN`,
      reviewType: i === 0 ? 'INITIAL' : rng.chance(0.15) ? 'TRANSFER' : 'REVIEW',
      auditModuleName: i === 0 ? 'MIGRATED' : 'INCENTIVES_API',
      isRealReview: i !== 0,
    });
    // Spread the rest of the reviews up to (never after) the snapshot date.
    const left = toDays(SNAPSHOT_DATE) - toDays(date);
    date = addDays(date, Math.max(1, Math.floor(left / (count - i + 1))));
  }
  const reviews = oldestFirst.reverse();
  const last = reviews[0] as IncentiveReviewModel;
  return {
    prisonerNumber,
    bookingId: booking.bookingId,
    reviews,
    nextReviewDate: addDays(last.iepDate, last.iepCode === 'BAS' ? 28 : 365),
    daysSinceReview: toDays(SNAPSHOT_DATE) - toDays(last.iepDate),
  };
}
