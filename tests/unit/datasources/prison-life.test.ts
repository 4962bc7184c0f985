import { describe, expect, it } from '@jest/globals';
import { ImageLinks } from '../../../src/auth/image-links.js';
import { decodeBookingAdjustments, decodeMovements } from '../../../src/datasources/prison-api/prison-life-decode.js';
import { toMovement, toMovements, toSentenceAdjustments } from '../../../src/datasources/prison-api/prison-life-mapping.js';
import type { MovementDto } from '../../../src/datasources/prison-api/prison-life-routes.js';
import { expectSpecShaped } from './spec-sample.js';

// nomis-prison-api.json, POST /api/movements/offenders, 200 (synthetic).
const movements: MovementDto[] = [
  {
    offenderNo: 'A1234AA', createDateTime: '2025-10-26T01:30:00', fromAgency: 'MDI', fromAgencyDescription: 'Moorland (HMP & YOI)',
    movementType: 'TAP', movementTypeDescription: 'Temporary Absence', directionCode: 'OUT', movementDate: '2025-10-26', movementTime: '01:30:00',
    movementReason: 'Medical / Hospital Appointment', movementReasonCode: 'C6',
  },
  {
    offenderNo: 'A1234AA', createDateTime: '2025-03-30T03:15:00', fromAgency: 'LEEDCC', toAgency: 'MDI', toAgencyDescription: 'Moorland (HMP & YOI)',
    movementType: 'CRT', movementTypeDescription: 'Court', directionCode: 'IN', movementDate: '2025-03-30', movementTime: '03:15:00',
    movementReason: 'Court Appearance', movementReasonCode: 'CRT',
  },
];

// nomis-prison-api.json, GET /api/adjustments/{bookingId}/sentence-and-booking, 200 (synthetic).
const adjustments = {
  sentenceAdjustments: [{ sentenceSequence: 2, type: 'REMAND', numberOfDays: 10, fromDate: '2024-01-01', toDate: '2024-01-10', active: true }],
  bookingAdjustments: [
    { type: 'UNLAWFULLY_AT_LARGE', numberOfDays: 3, fromDate: '2024-06-01', toDate: '2024-06-03', active: true, comment: ' Absconded ' },
    { type: 'ADDITIONAL_DAYS_AWARDED', numberOfDays: 14, active: false },
  ],
};

const noReport = () => undefined;

describe('movements (toMovements)', () => {
  it('the sample is a movements answer as the spec defines it', () => {
    expectSpecShaped('prisonApi', 'POST', '/api/movements/offenders', movements);
  });

  it('maps kind, direction, places and reasons; London wall-clock times become instants on both sides of the clock changes', () => {
    const [october, march] = toMovements(movements);
    expect(october).toEqual({
      kind: 'TEMPORARY_ABSENCE', direction: 'OUT', occurredAt: '2025-10-26T01:30:00+01:00', date: '2025-10-26', reasonCode: 'C6',
      reason: 'Medical / Hospital Appointment', fromLocation: 'MDI', fromLocationName: 'Moorland (HMP & YOI)', toLocation: null, toLocationName: null,
    });
    expect(march!.occurredAt).toBe('2025-03-30T03:15:00+01:00');
    expect(march!.kind).toBe('COURT');
  });

  it('newest first by instant, not by the text of the date', () => {
    expect(toMovements([movements[1]!, movements[0]!]).map((m) => m.date)).toEqual(['2025-10-26', '2025-03-30']);
  });

  it('a movement type outside the contract is left out; a missing time leaves only the date', () => {
    expect(toMovement({ ...movements[0]!, movementType: 'XXX' })).toBeNull();
    expect(toMovement({ ...movements[0]!, movementTime: null })).toMatchObject({ occurredAt: null, date: '2025-10-26' });
  });

  it('decoding: an entry without a prison number spoils the whole batch (no silent empty timeline); a bad type spoils its person', () => {
    const bad = decodeMovements([{ ...movements[0], offenderNo: 7 }, movements[1]], noReport);
    expect(bad.unattributable).toBe(true);
    const wrongType = decodeMovements([{ ...movements[0], movementType: 'FLY' }, movements[1]], noReport);
    expect(wrongType.spoiled.has('A1234AA')).toBe(true);
    expect(wrongType.items).toHaveLength(1);
    expect(() => decodeMovements({ movements }, noReport)).toThrow();
  });
});

describe('sentence adjustments (toSentenceAdjustments)', () => {
  it('the sample is a sentence-and-booking answer as the spec defines it (with the spec erratum for BookingAdjustment.type)', () => {
    expectSpecShaped('prisonApi', 'GET', '/api/adjustments/1200000/sentence-and-booking', adjustments);
  });

  it('sentence- and booking-level adjustments with their days and dates, newest first', () => {
    expect(toSentenceAdjustments('1200000', adjustments)).toEqual([
      { kind: 'UNLAWFULLY_AT_LARGE', bookingId: '1200000', sentenceSequence: null, days: 3, fromDate: '2024-06-01', toDate: '2024-06-03', active: true, comment: 'Absconded' },
      { kind: 'REMAND', bookingId: '1200000', sentenceSequence: 2, days: 10, fromDate: '2024-01-01', toDate: '2024-01-10', active: true, comment: null },
      { kind: 'ADDITIONAL_DAYS_AWARDED', bookingId: '1200000', sentenceSequence: null, days: 14, fromDate: null, toDate: null, active: false, comment: null },
    ]);
  });

  it('an unknown booking (404 -> null) has none; an unknown kind is left out', () => {
    expect(toSentenceAdjustments('1', null)).toEqual([]);
    expect(toSentenceAdjustments('1', { bookingAdjustments: [{ type: 'SOMETHING_NEW', numberOfDays: 1 }] })).toEqual([]);
  });

  it('decoding: an adjustment with negative days or a period ending before it starts is dropped and reported', () => {
    const reasons: string[] = [];
    const decoded = decodeBookingAdjustments(
      { sentenceAdjustments: [{ type: 'REMAND', numberOfDays: -1 }, { type: 'REMAND', numberOfDays: 2, fromDate: '2024-02-02', toDate: '2024-02-01' }, adjustments.sentenceAdjustments[0]] },
      (reason) => reasons.push(reason),
    ) as typeof adjustments;
    expect(decoded.sentenceAdjustments).toHaveLength(1);
    expect(reasons).toEqual(['value', 'value']);
  });
});

describe('photograph links (ImageLinks)', () => {
  const key = Buffer.from('a-unit-test-key-that-is-long-enough-0123456789');
  it('open only for the consumer and image they were made for, until they expire', () => {
    let now = Date.parse('2026-08-21T12:00:00Z');
    const links = new ImageLinks(key, 300, () => now);
    const { url, expiresAt } = links.linkFor('prison-operator', 'A1234AA', '2400000');
    expect(expiresAt).toBe('2026-08-21T12:05:00.000Z');
    const token = new URL(url, 'https://x').searchParams.get('token')!;
    expect(url).not.toContain('A1234AA');
    expect(links.open(token, '2400000', 'prison-operator')).toEqual({
      ok: true, claims: { consumer: 'prison-operator', prisonNumber: 'A1234AA', imageId: '2400000', expiresAt: Date.parse(expiresAt) / 1000 },
    });
    expect(links.open(token, '2400001', 'prison-operator')).toEqual({ ok: false, reason: 'invalid' });
    expect(links.open(token, '2400000', 'police-force')).toEqual({ ok: false, reason: 'other-consumer' });
    const tampered = `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    expect(links.open(tampered, '2400000', 'prison-operator')).toEqual({ ok: false, reason: 'invalid' });
    expect(new ImageLinks(Buffer.from('another-key-that-is-long-enough-0123456789'), 300, () => now).open(token, '2400000', 'prison-operator').ok).toBe(false);
    now += 300_000;
    expect(links.open(token, '2400000', 'prison-operator')).toEqual({ ok: false, reason: 'expired' });
  });
});
