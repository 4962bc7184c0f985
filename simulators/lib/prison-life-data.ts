/**
 * Prison life on the Prison API (issue 18 areas 7, 8, 9): movements, sentence adjustments and
 * image bytes. Each area draws from its own PRNG seeded by (population seed, prison number, area
 * name), never from the population's sequence, so adding them changed no existing person.
 */

import { SNAPSHOT_DATE, addDays, toDays } from './dates.js';
import { type BookingModel, bookings, images } from './details.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';
import { PRISONS } from './reference.js';

const areaRng = (pop: Population, p: Person, area: string, salt: number | string = ''): Rng => Rng.of(pop.seed, p.prisonNumber ?? `#${p.index}`, area, salt);

// ---------------------------------------------------------------------------------------------
// Movements (area 7)

export type MovementType = 'ADM' | 'CRT' | 'REL' | 'TAP' | 'TRN';

export interface MovementModel {
  bookingId: number;
  type: MovementType;
  direction: 'IN' | 'OUT';
  /** Local (Europe/London) calendar date and wall time. */
  date: string;
  time: string;
  reasonCode: string;
  reason: string;
  fromAgency: string | null;
  toAgency: string | null;
  fromCity: string | null;
  toCity: string | null;
  comment: string | null;
}

export const MOVEMENT_TYPE_DESCRIPTIONS: Record<MovementType, string> = {
  ADM: 'Admission',
  CRT: 'Court',
  REL: 'Release',
  TAP: 'Temporary Absence',
  TRN: 'Transfer',
};

const COURT_AGENCIES = [
  { code: 'LEEDCC', description: 'Leeds Crown Court' },
  { code: 'SHEFMC', description: 'Sheffield Magistrates Court' },
  { code: 'SNARCC', description: 'Snaresbrook Crown Court' },
  { code: 'CARDCC', description: 'Cardiff Crown Court' },
] as const;

const TAP_REASONS = [
  { code: 'C3', reason: 'Resettlement Day Release' },
  { code: 'C5', reason: 'Funeral / Compassionate' },
  { code: 'C6', reason: 'Medical / Hospital Appointment' },
] as const;

/** Well-known people with a hand-picked timeline shape; others get theirs from the PRNG. */
const HAND_PICKED: Record<string, { courtVisits: number; absences: number; transfers: number; clockChange?: boolean }> = {
  linked: { courtVisits: 2, absences: 1, transfers: 0, clockChange: true },
  'long-lists': { courtVisits: 8, absences: 10, transfers: 4 },
  'other-prison': { courtVisits: 1, absences: 0, transfers: 1 },
  released: { courtVisits: 1, absences: 2, transfers: 0 },
};

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

/** Every movement of every booking, oldest first. */
export function movements(pop: Population, p: Person): MovementModel[] {
  if (p.prisonNumber === null) return [];
  return pop.memo('prison-life:movements', p.index, () => bookings(pop, p).slice().reverse().flatMap((b) => bookingMovements(pop, p, b)));
}

function bookingMovements(pop: Population, p: Person, b: BookingModel): MovementModel[] {
  const rng = areaRng(pop, p, 'movements', b.bookingId);
  const shape = (p.key !== null && b.bookingSeq === 0 ? HAND_PICKED[p.key] : undefined) ?? {
    courtVisits: rng.int(3),
    absences: rng.chance(0.3) ? rng.between(1, 3) : 0,
    transfers: rng.chance(0.25) ? 1 : 0,
  };
  const list: MovementModel[] = [];
  const add = (m: Omit<MovementModel, 'bookingId' | 'fromCity' | 'toCity' | 'comment'> & Partial<MovementModel>) =>
    list.push({ bookingId: b.bookingId, fromCity: null, toCity: null, comment: null, ...m });

  // Where the booking starts: a person moved here later started in the previous prison.
  const current = b.prisonId;
  const moved = b.bookingSeq === 0 && p.previousPrisonId !== null && p.previousPrisonId !== current;
  const others = PRISONS.map((x) => x.code).filter((c) => c !== current);
  const firstPrison = moved ? p.previousPrisonId! : shape.transfers > 0 ? rng.pick(others) : current;
  const end = b.active ? SNAPSHOT_DATE : (b.keyDates.confirmedReleaseDate ?? b.keyDates.releaseDate);
  const span = Math.max(10, toDays(end < b.startDate ? addDays(b.startDate, 30) : end) - toDays(b.startDate));

  add({ type: 'ADM', direction: 'IN', date: b.startDate, time: hhmm(rng.between(10 * 60, 19 * 60)), reasonCode: 'N', reason: 'Unconvicted Remand', fromAgency: null, toAgency: firstPrison, fromCity: 'Police custody' });

  // Events inside the booking, at distinct days in order.
  type Event = 'court' | 'absence' | 'transfer';
  const events: Event[] = [
    ...Array<Event>(shape.courtVisits).fill('court'),
    ...Array<Event>(shape.absences).fill('absence'),
    ...Array<Event>(shape.transfers).fill('transfer'),
  ];
  const days = [...new Set(events.map(() => rng.between(1, span - 2)))].sort((a, c) => a - c);
  let here = firstPrison;
  let transfersLeft = shape.transfers;
  events.forEach((kind, i) => {
    const day = days[i];
    if (day === undefined) return;
    const date = addDays(b.startDate, day);
    if (kind === 'court') {
      const court = rng.pick(COURT_AGENCIES);
      add({ type: 'CRT', direction: 'OUT', date, time: hhmm(rng.between(7 * 60, 9 * 60)), reasonCode: 'CRT', reason: 'Court Appearance', fromAgency: here, toAgency: court.code });
      add({ type: 'CRT', direction: 'IN', date, time: hhmm(rng.between(15 * 60, 19 * 60)), reasonCode: 'CRT', reason: 'Court Appearance', fromAgency: court.code, toAgency: here });
    } else if (kind === 'absence') {
      const reason = rng.pick(TAP_REASONS);
      add({ type: 'TAP', direction: 'OUT', date, time: hhmm(rng.between(8 * 60, 10 * 60)), reasonCode: reason.code, reason: reason.reason, fromAgency: here, toAgency: null, toCity: 'Sheffield' });
      add({ type: 'TAP', direction: 'IN', date, time: hhmm(rng.between(16 * 60, 18 * 60)), reasonCode: reason.code, reason: reason.reason, fromAgency: null, toAgency: here, fromCity: 'Sheffield' });
    } else {
      transfersLeft -= 1;
      // The last transfer of the latest booking arrives where the person is now.
      const to = transfersLeft === 0 ? current : rng.pick(PRISONS.map((x) => x.code).filter((c) => c !== here && c !== current));
      if (to === here) return;
      const time = rng.between(8 * 60, 11 * 60);
      add({ type: 'TRN', direction: 'OUT', date, time: hhmm(time), reasonCode: 'NOTR', reason: 'Normal Transfer', fromAgency: here, toAgency: to });
      add({ type: 'ADM', direction: 'IN', date, time: hhmm(time + 4 * 60), reasonCode: 'INT', reason: 'Transfer In from Other Establishment', fromAgency: here, toAgency: to });
      here = to;
    }
  });
  if (here !== current) {
    // A booking whose PRNG transfers did not end where the booking says: one more transfer.
    const date = addDays(b.startDate, span - 1);
    add({ type: 'TRN', direction: 'OUT', date, time: hhmm(9 * 60), reasonCode: 'NOTR', reason: 'Normal Transfer', fromAgency: here, toAgency: current });
    add({ type: 'ADM', direction: 'IN', date, time: hhmm(14 * 60), reasonCode: 'INT', reason: 'Transfer In from Other Establishment', fromAgency: here, toAgency: current });
  }
  if (shape.clockChange === true) {
    // Local times on the days the clocks change (30 March and 26 October 2025), both sides of the change.
    add({ type: 'CRT', direction: 'OUT', date: '2025-03-30', time: '00:30:00', reasonCode: 'CRT', reason: 'Court Appearance', fromAgency: current, toAgency: 'LEEDCC' });
    add({ type: 'CRT', direction: 'IN', date: '2025-03-30', time: '03:15:00', reasonCode: 'CRT', reason: 'Court Appearance', fromAgency: 'LEEDCC', toAgency: current });
    add({ type: 'TAP', direction: 'OUT', date: '2025-10-26', time: '01:30:00', reasonCode: 'C6', reason: 'Medical / Hospital Appointment', fromAgency: current, toAgency: null });
    add({ type: 'TAP', direction: 'IN', date: '2025-10-26', time: '02:30:00', reasonCode: 'C6', reason: 'Medical / Hospital Appointment', fromAgency: null, toAgency: current });
  }
  if (!b.active) {
    add({ type: 'REL', direction: 'OUT', date: end, time: hhmm(rng.between(8 * 60, 11 * 60)), reasonCode: 'CR', reason: 'Conditional Release (CJA91) -SH Term>1YR', fromAgency: current, toAgency: 'OUT', toCity: 'Leeds' });
  }
  return list.sort((x, y) => (x.date + x.time < y.date + y.time ? -1 : x.date + x.time > y.date + y.time ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Sentence adjustments (area 8)

export type SentenceAdjustmentType = 'REMAND' | 'TAGGED_BAIL' | 'UNUSED_REMAND' | 'RECALL_SENTENCE_REMAND';
export type BookingAdjustmentType = 'ADDITIONAL_DAYS_AWARDED' | 'RESTORED_ADDITIONAL_DAYS_AWARDED' | 'UNLAWFULLY_AT_LARGE' | 'LAWFULLY_AT_LARGE' | 'SPECIAL_REMISSION';

export interface AdjustmentModel<T extends string> {
  type: T;
  sentenceSequence?: number;
  days: number;
  fromDate: string | null;
  toDate: string | null;
  active: boolean;
  comment: string | null;
}

export interface BookingAdjustmentsModel {
  sentence: AdjustmentModel<SentenceAdjustmentType>[];
  booking: AdjustmentModel<BookingAdjustmentType>[];
}

/**
 * A booking's adjustments. Remand and tagged bail run before the sentence; added days (the same
 * number the key dates carry) and unlawfully-at-large periods during it; a few are inactive
 * (quashed). `long-lists` has every kind.
 */
export function sentenceAdjustments(pop: Population, p: Person, b: BookingModel): BookingAdjustmentsModel {
  const rng = areaRng(pop, p, 'sentence-adjustments', b.bookingId);
  const everything = p.key === 'long-lists' && b.bookingSeq === 0;
  const start = b.keyDates.sentenceStartDate;
  const sentence: AdjustmentModel<SentenceAdjustmentType>[] = [];
  for (const s of b.sentences) {
    const all = everything && s.sentenceSeq <= 3;
    if (all || rng.chance(0.5)) {
      const days = rng.between(3, 90);
      const to = addDays(s.startDate, -1);
      sentence.push({ type: 'REMAND', sentenceSequence: s.sentenceSeq, days, fromDate: addDays(to, -days + 1), toDate: to, active: true, comment: null });
    }
    if (all || rng.chance(0.15)) {
      const days = rng.between(5, 60);
      sentence.push({ type: 'TAGGED_BAIL', sentenceSequence: s.sentenceSeq, days, fromDate: null, toDate: null, active: true, comment: 'Tagged bail on electronic monitoring' });
    }
  }
  if (everything) sentence.push({ type: 'UNUSED_REMAND', sentenceSequence: 1, days: 4, fromDate: addDays(start, -200), toDate: addDays(start, -197), active: false, comment: null });
  const booking: AdjustmentModel<BookingAdjustmentType>[] = [];
  if (b.keyDates.additionalDaysAwarded > 0) {
    const from = addDays(start, rng.between(20, 200));
    booking.push({ type: 'ADDITIONAL_DAYS_AWARDED', days: b.keyDates.additionalDaysAwarded, fromDate: from, toDate: null, active: true, comment: 'Adjudication' });
  }
  if (everything || rng.chance(0.08)) {
    const days = rng.between(2, 40);
    const from = addDays(start, rng.between(60, 300));
    booking.push({ type: 'UNLAWFULLY_AT_LARGE', days, fromDate: from, toDate: addDays(from, days - 1), active: true, comment: 'Failed to return from temporary release' });
  }
  if (everything) {
    booking.push({ type: 'RESTORED_ADDITIONAL_DAYS_AWARDED', days: 3, fromDate: addDays(start, 250), toDate: null, active: true, comment: null });
    booking.push({ type: 'LAWFULLY_AT_LARGE', days: 10, fromDate: addDays(start, 320), toDate: addDays(start, 329), active: false, comment: null });
  }
  return { sentence, booking };
}

// ---------------------------------------------------------------------------------------------
// Image bytes (area 9)

const IMAGE_BASE = 2_400_000;
const IMAGES_PER_PERSON = 8;

/** The person and image an image id belongs to (ids are `2400000 + index * 8 + n`, details.ts). */
export function imageOwner(pop: Population, imageId: number): { person: Person; position: number } | undefined {
  if (!Number.isInteger(imageId) || imageId < IMAGE_BASE) return undefined;
  const person = pop.get(Math.floor((imageId - IMAGE_BASE) / IMAGES_PER_PERSON));
  const position = (imageId - IMAGE_BASE) % IMAGES_PER_PERSON;
  if (person === undefined || position >= images(pop, person).length) return undefined;
  return { person, position };
}

/**
 * A tiny valid JPEG (a 1x1 grey baseline image) with the image id in a comment segment, so each
 * image's bytes differ and a test can tell whose photograph came back. `long-lists`' first image is
 * padded to 3 MiB with a second comment run: larger than a gateway's image cap should be.
 */
export function imageBytes(pop: Population, imageId: number): Buffer | undefined {
  const owner = imageOwner(pop, imageId);
  if (owner === undefined) return undefined;
  const comment = Buffer.from(`person-graph simulator image ${imageId}`, 'latin1');
  const padding = owner.person.key === 'long-lists' && owner.position === 0 ? 3 * 1024 * 1024 : 0;
  const segments: Buffer[] = [SOI, commentSegment(comment)];
  for (let left = padding; left > 0; left -= 65_000) segments.push(commentSegment(Buffer.alloc(Math.min(left, 65_000), 0x20)));
  segments.push(PIXEL);
  return Buffer.concat(segments);
}

const SOI = Buffer.from([0xff, 0xd8]);

function commentSegment(text: Buffer): Buffer {
  const head = Buffer.from([0xff, 0xfe, 0, 0]);
  head.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([head, text]);
}

/** DQT, SOF0 (1x1, one component), DHT (DC and AC tables), SOS and one block, EOI. */
const PIXEL = Buffer.from(
  'ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432' +
    'ffc0000b080001000101011100' +
    'ffc4001f0000010501010101010100000000000000000102030405060708090a0b' +
    'ffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa' +
    'ffda0008010100003f00d2cf20' +
    'ffd9',
  'hex',
);
