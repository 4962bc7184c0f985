import { omittedFrom, withOmitted } from '../../domain/omitted.js';
import { calendarDate } from '../../domain/person.js';
import type { Movement, MovementKind, SentenceAdjustment, SentenceAdjustmentKind } from '../../domain/prison-life.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { AdjustmentValuesDto, BookingAndSentenceAdjustmentsDto, MovementDto } from './prison-life-routes.js';

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

// ---------------------------------------------------------------------------------------------
// Movements

const KINDS: Record<string, MovementKind> = { ADM: 'ADMISSION', REL: 'RELEASE', TRN: 'TRANSFER', TAP: 'TEMPORARY_ABSENCE', CRT: 'COURT' };

/** Every movement of a person, newest first (by instant; ties keep the upstream's order). */
export function toMovements(dtos: readonly MovementDto[]): Movement[] {
  const list = dtos.map(toMovement).filter((m): m is Movement => m !== null);
  const key = (m: Movement) => (m.occurredAt ? new Date(m.occurredAt).getTime() : m.date ? Date.parse(m.date) : Number.NEGATIVE_INFINITY);
  return list
    .map((m, i) => ({ m, i }))
    .sort((a, b) => key(b.m) - key(a.m) || a.i - b.i)
    .map(({ m }) => m);
}

/** `null` for a movement type outside the contract's five (the decoder has already reported it). */
export function toMovement(dto: MovementDto): Movement | null {
  const kind = KINDS[dto.movementType];
  if (!kind || (dto.directionCode !== 'IN' && dto.directionCode !== 'OUT')) return null;
  const date = calendarDate(dto.movementDate);
  const time = text(dto.movementTime);
  // Nomis records London wall-clock time; the date and time of the movement, not when it was keyed in.
  const occurredAt = date && time ? londonLocalToInstant(`${date}T${time.length === 5 ? `${time}:00` : time}`) : null;
  return {
    kind,
    direction: dto.directionCode,
    occurredAt,
    date,
    reasonCode: text(dto.movementReasonCode),
    reason: text(dto.movementReason),
    fromLocation: text(dto.fromAgency),
    fromLocationName: text(dto.fromAgencyDescription),
    toLocation: text(dto.toAgency),
    toLocationName: text(dto.toAgencyDescription),
  };
}

// ---------------------------------------------------------------------------------------------
// Sentence adjustments

const ADJUSTMENT_KINDS: Record<string, SentenceAdjustmentKind> = {
  REMAND: 'REMAND',
  TAGGED_BAIL: 'TAGGED_BAIL',
  UNUSED_REMAND: 'UNUSED_REMAND',
  RECALL_SENTENCE_REMAND: 'RECALL_REMAND',
  RECALL_SENTENCE_TAGGED_BAIL: 'RECALL_TAGGED_BAIL',
  TIME_SPENT_IN_CUSTODY_ABROAD: 'CUSTODY_ABROAD',
  TIME_SPENT_AS_AN_APPEAL_APPLICANT: 'APPEAL_APPLICANT',
  ADDITIONAL_DAYS_AWARDED: 'ADDITIONAL_DAYS_AWARDED',
  RESTORED_ADDITIONAL_DAYS_AWARDED: 'RESTORED_ADDITIONAL_DAYS_AWARDED',
  UNLAWFULLY_AT_LARGE: 'UNLAWFULLY_AT_LARGE',
  LAWFULLY_AT_LARGE: 'LAWFULLY_AT_LARGE',
  SPECIAL_REMISSION: 'SPECIAL_REMISSION',
};

/** The kinds the contract names; an adjustment of another kind is left out (and reported by the caller). */
export function adjustmentKind(type: string | null | undefined): SentenceAdjustmentKind | null {
  return type ? (ADJUSTMENT_KINDS[type] ?? null) : null;
}

/** A booking's sentence and booking adjustments, newest first (undated ones last). */
export function toSentenceAdjustments(bookingId: string, dto: BookingAndSentenceAdjustmentsDto | null): SentenceAdjustment[] {
  const one = (a: AdjustmentValuesDto, level: 'sentence' | 'booking'): SentenceAdjustment | null => {
    const kind = adjustmentKind(a.type);
    if (!kind) return null;
    return {
      kind,
      bookingId,
      sentenceSequence: level === 'sentence' && typeof a.sentenceSequence === 'number' ? a.sentenceSequence : null,
      days: typeof a.numberOfDays === 'number' ? a.numberOfDays : 0,
      fromDate: calendarDate(a.fromDate),
      toDate: calendarDate(a.toDate),
      active: a.active !== false,
      comment: text(a.comment),
    };
  };
  const all = [
    ...(dto?.sentenceAdjustments ?? []).map((a) => one(a, 'sentence')),
    ...(dto?.bookingAdjustments ?? []).map((a) => one(a, 'booking')),
  ].filter((a): a is SentenceAdjustment => a !== null);
  const sorted = all
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (y.a.fromDate ?? '').localeCompare(x.a.fromDate ?? '') || x.i - y.i)
    .map(({ a }) => a);
  // Missing what the decoder left out of either list (docs/adr/0021).
  return withOmitted(sorted, omittedFrom(dto?.sentenceAdjustments) + omittedFrom(dto?.bookingAdjustments));
}
