/** The synthetic population model, in-process: ids, identity cases, determinism and dates. */
import { describe, expect, it } from '@jest/globals';
import { londonOffsetMinutes, zonedDateTime } from '../../simulators/lib/dates.js';
import { alerts, bookings, supervisions } from '../../simulators/lib/details.js';
import { canonicalPnc } from '../../simulators/lib/identifiers.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { WELL_KNOWN } from '../../simulators/lib/well-known-specs.js';

// 100,000 people are exercised through the real process in well-known.test.ts; 30,000 keep this quick.
const SIZE = 30_000;
const big = new Population({ size: SIZE, seed: DEFAULT_SEED });

describe('population', () => {
  it('gives every person unique, well-formed identifiers', () => {
    const crns = new Set<string>();
    const numbers = new Set<string>();
    const pncs = new Set<string>();
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && bad.length < 10) bad.push(what);
    };
    for (const p of big.people) {
      if (p.crn !== null) {
        check(/^[A-Z][0-9]{6}$/.test(p.crn), p.crn);
        crns.add(p.crn);
      }
      for (const n of [p.prisonNumber, ...p.mergedPrisonNumbers]) {
        if (n === null) continue;
        check(/^[A-Z][0-9]{4}[A-Z]{2}$/.test(n), n);
        numbers.add(n);
      }
      if (p.pncNumber !== null) {
        check(/^\d{4}\/\d{7}[A-Z]$/.test(p.pncNumber), p.pncNumber);
        pncs.add(canonicalPnc(p.pncNumber) ?? '');
      }
      if (p.croNumber !== null) check(/^\d{6}\/\d{2}[A-Z]$/.test(p.croNumber), p.croNumber);
      check(p.firstName.length > 0, `empty first name at ${p.index}`);
      check(/^\d{4}-\d{2}-\d{2}$/.test(p.dateOfBirth), p.dateOfBirth);
    }
    expect(bad).toEqual([]);
    expect(crns.size).toBe(big.probationCases.length);
    expect(numbers.size).toBe(big.prisoners.length + big.people.reduce((n, p) => n + p.mergedPrisonNumbers.length, 0));
    expect(pncs.size).toBe(big.people.filter((p) => p.pncNumber !== null).length);
  });

  it('covers every identity case among generated people too', () => {
    const generated = big.people.slice(WELL_KNOWN.length);
    const count = (f: (p: (typeof generated)[number]) => boolean): number => generated.filter(f).length;
    const share = (f: (p: (typeof generated)[number]) => boolean): number => count(f) / generated.length;
    expect(share((p) => p.kind === 'prison-only')).toBeGreaterThan(0.2);
    expect(share((p) => p.kind === 'probation-only')).toBeGreaterThan(0.2);
    expect(share((p) => p.kind === 'linked')).toBeGreaterThan(0.2);
    expect(share((p) => p.kind === 'linked-no-cpr')).toBeGreaterThan(0.02);
    expect(share((p) => p.mergedPrisonNumbers.length > 0)).toBeGreaterThan(0.005);
    expect(share((p) => p.exclusion)).toBeGreaterThan(0.003);
    expect(share((p) => p.restriction)).toBeGreaterThan(0.003);
    expect(share((p) => p.aliases.length > 0)).toBeGreaterThan(0.05);
    expect(share((p) => p.addressCount === 0)).toBeGreaterThan(0.03);
    expect(count((p) => p.alertCount >= 200)).toBeGreaterThan(5);
    expect(share((p) => p.prisonId === 'OUT')).toBeGreaterThan(0.05);
    expect(share((p) => /[-']/.test(p.lastName) || /[^\x20-\x7e]/.test(p.firstName + p.lastName))).toBeGreaterThan(0.03);
    expect(new Set(generated.map((p) => p.prisonId).filter((x) => x !== null && x !== 'OUT')).size).toBeGreaterThanOrEqual(10);
  });

  it('places the well-known people at fixed low indices, independent of size and per seed', () => {
    const small = new Population({ size: WELL_KNOWN.length, seed: DEFAULT_SEED });
    WELL_KNOWN.forEach((spec, i) => {
      expect(small.people[i]).toEqual(big.people[i]);
      expect(big.people[i]?.key).toBe(spec.key);
    });
    const other = new Population({ size: WELL_KNOWN.length, seed: 'other' });
    expect(other.people[0]?.crn).not.toBe(small.people[0]?.crn);
  });

  it('generates details deterministically and consistently with the person', () => {
    const again = new Population({ size: 3000, seed: DEFAULT_SEED });
    expect(SIZE).toBeGreaterThan(3000);
    for (const i of [17, 500, 2999]) {
      const a = big.people[i]!;
      const b = again.people[i]!;
      expect(alerts(big, a)).toEqual(alerts(again, b));
      expect(bookings(big, a)).toEqual(bookings(again, b));
      expect(supervisions(big, a)).toEqual(supervisions(again, b));
    }
    const prisoner = big.people.find((p) => p.prisonNumber !== null && p.crn === null)!;
    expect(supervisions(big, prisoner)).toEqual([]);
    const probationer = big.people.find((p) => p.prisonNumber === null)!;
    expect(bookings(big, probationer)).toEqual([]);
    expect(alerts(big, probationer)).toEqual([]);
  });

  it('refuses populations it cannot build', () => {
    expect(() => new Population({ size: WELL_KNOWN.length - 1, seed: DEFAULT_SEED })).toThrow(/population must be/);
    expect(() => new Population({ size: 1_000_001, seed: DEFAULT_SEED })).toThrow(/population must be/);
  });
});

describe('dates', () => {
  it('knows the UK clock changes', () => {
    expect(londonOffsetMinutes(Date.parse('2025-03-30T00:59:59Z'))).toBe(0);
    expect(londonOffsetMinutes(Date.parse('2025-03-30T01:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(Date.parse('2025-10-26T00:59:59Z'))).toBe(60);
    expect(londonOffsetMinutes(Date.parse('2025-10-26T01:00:00Z'))).toBe(0);
    expect(zonedDateTime('2025-07-01', 10 * 60)).toBe('2025-07-01T10:00:00+01:00');
    expect(zonedDateTime('2025-12-01', 10 * 60)).toBe('2025-12-01T10:00:00+00:00');
  });

  it('compares PNC numbers in their 2- and 4-digit year forms', () => {
    expect(canonicalPnc('2012/0052494Q')).toBe(canonicalPnc('12/52494q'));
    expect(canonicalPnc('not a pnc')).toBeNull();
  });
});
