import { describe, expect, it } from '@jest/globals';
import { londonLocalToInstant } from '../../src/domain/time.js';

/** The instant a result denotes, as epoch ms: what matters to a consumer, whatever the offset. */
const epoch = (value: string | null) => (value === null ? null : Date.parse(value));

describe('UK local date-times to instants', () => {
  describe.each([
    // year, last Sunday of March, last Sunday of October
    [2025, '2025-03-30', '2025-10-26'],
    [2026, '2026-03-29', '2026-10-25'],
  ])('%i', (_year, march, october) => {
    const dayBefore = (date: string) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - 1);
      return d.toISOString().slice(0, 10);
    };

    it('is GMT before the clocks go forward in March and BST after', () => {
      expect(londonLocalToInstant(`${dayBefore(march)}T12:00:00`)).toBe(`${dayBefore(march)}T12:00:00+00:00`);
      expect(londonLocalToInstant(`${march}T00:59:59`)).toBe(`${march}T00:59:59+00:00`);
      expect(londonLocalToInstant(`${march}T02:00:00`)).toBe(`${march}T02:00:00+01:00`);
      expect(londonLocalToInstant(`${march}T12:00:00`)).toBe(`${march}T12:00:00+01:00`);
    });

    it('reads a time in the hour that never happens in March as GMT', () => {
      // 01:00-01:59 local does not exist: 01:00 GMT is followed by 02:00 BST.
      expect(londonLocalToInstant(`${march}T01:00:00`)).toBe(`${march}T01:00:00+00:00`);
      expect(londonLocalToInstant(`${march}T01:30:00`)).toBe(`${march}T01:30:00+00:00`);
      expect(epoch(londonLocalToInstant(`${march}T01:30:00`))).toBe(Date.parse(`${march}T01:30:00Z`));
    });

    it('is BST before the clocks go back in October and GMT after', () => {
      expect(londonLocalToInstant(`${dayBefore(october)}T23:30:00`)).toBe(`${dayBefore(october)}T23:30:00+01:00`);
      expect(londonLocalToInstant(`${october}T00:59:59`)).toBe(`${october}T00:59:59+01:00`);
      expect(londonLocalToInstant(`${october}T02:00:00`)).toBe(`${october}T02:00:00+00:00`);
      expect(londonLocalToInstant(`${october}T12:00:00`)).toBe(`${october}T12:00:00+00:00`);
    });

    it('takes the earlier instant (BST) in the hour that happens twice in October', () => {
      expect(londonLocalToInstant(`${october}T01:00:00`)).toBe(`${october}T01:00:00+01:00`);
      expect(londonLocalToInstant(`${october}T01:59:59`)).toBe(`${october}T01:59:59+01:00`);
      expect(epoch(londonLocalToInstant(`${october}T01:30:00`))).toBe(Date.parse(`${october}T00:30:00Z`));
    });

    it('keeps instants in order across the October change', () => {
      const times = ['00:30:00', '01:30:00', '02:30:00'].map((t) => epoch(londonLocalToInstant(`${october}T${t}`)) as number);
      expect(times[1]! - times[0]!).toBe(3600_000);
      expect(times[2]! - times[1]!).toBe(2 * 3600_000);
    });
  });

  it('uses BST through the summer and GMT through the winter', () => {
    expect(londonLocalToInstant('2025-07-01T09:15:00')).toBe('2025-07-01T09:15:00+01:00');
    expect(londonLocalToInstant('2026-01-15T09:15:00')).toBe('2026-01-15T09:15:00+00:00');
    expect(londonLocalToInstant('2025-12-31T23:59:59')).toBe('2025-12-31T23:59:59+00:00');
  });

  it('accepts minutes without seconds and keeps fractions of a second', () => {
    expect(londonLocalToInstant('2025-06-01T10:35')).toBe('2025-06-01T10:35:00+01:00');
    expect(londonLocalToInstant('2025-06-01T10:35:17.123')).toBe('2025-06-01T10:35:17.123+01:00');
    expect(londonLocalToInstant('2026-02-01T10:35:17.5')).toBe('2026-02-01T10:35:17.5+00:00');
  });

  it('does not depend on the zone the server runs in', () => {
    // The arithmetic is UTC-only; a value in winter and one in summer both carry their own offset.
    expect(epoch(londonLocalToInstant('2025-01-10T12:00:00'))).toBe(Date.UTC(2025, 0, 10, 12));
    expect(epoch(londonLocalToInstant('2025-08-10T12:00:00'))).toBe(Date.UTC(2025, 7, 10, 11));
  });

  it.each([
    ['', 'empty'],
    ['not a date', 'text'],
    ['2025-06-01', 'a date without a time'],
    ['2025-06-01 10:00:00', 'a space instead of T'],
    ['2025-02-29T10:00:00', '29 February outside a leap year'],
    ['2025-04-31T10:00:00', '31 April'],
    ['2025-13-01T10:00:00', 'month 13'],
    ['2025-00-10T10:00:00', 'month 0'],
    ['2025-06-00T10:00:00', 'day 0'],
    ['2025-06-01T24:00:00', 'hour 24'],
    ['2025-06-01T10:60:00', 'minute 60'],
    ['2025-06-01T10:00:60', 'second 60'],
    ['2025-06-01T10:00:00+25:00', 'an impossible offset'],
  ])('gives null for %j (%s), never a crash', (value) => {
    expect(londonLocalToInstant(value)).toBeNull();
  });

  it('gives null for a missing value', () => {
    expect(londonLocalToInstant(null)).toBeNull();
    expect(londonLocalToInstant(undefined)).toBeNull();
  });

  it('keeps 29 February in a leap year', () => {
    expect(londonLocalToInstant('2028-02-29T08:00:00')).toBe('2028-02-29T08:00:00+00:00');
  });

  it.each([
    '2025-06-01T10:00:00Z',
    '2025-06-01T10:00:00+01:00',
    '2025-10-26T01:30:00+00:00',
    '2025-06-01T10:00:00.250-05:00',
    '2025-06-01T10:00Z',
  ])('keeps %j, which already has an offset, as it is', (value) => {
    expect(londonLocalToInstant(value)).toBe(value);
  });

  it.each(['2025-02-30T10:00:00Z', '2025-02-29T10:00:00+00:00', '2025-06-01T24:00:00Z'])(
    'gives null for %j, an impossible date-time with an offset',
    (value) => {
      expect(londonLocalToInstant(value)).toBeNull();
    },
  );
});
