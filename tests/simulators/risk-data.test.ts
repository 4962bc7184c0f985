/**
 * Population coverage of the risk and licence simulator data (simulators/lib/risk-data.ts), issue 17:
 * deterministic from its own PRNG (the same answers from any population size), and among the people who
 * are not well known every shape the gateway must be honest about - both predictor output versions (and
 * people with both), people never assessed, people last assessed more than a year ago (no serious-harm
 * summary), and licences of every type, in post-sentence supervision and under variation - besides the
 * well-known people's fixed edge cases.
 */
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SEED, Population, type Person } from '../../simulators/lib/population.js';
import { licences, riskProfile, roshWithinYear } from '../../simulators/lib/risk-data.js';

const small = new Population({ size: 100, seed: DEFAULT_SEED });
const large = new Population({ size: 2000, seed: DEFAULT_SEED });
const byKey = (key: string) => large.people.find((p) => p.key === key)!;
/** People with a CRN who are not well known: their data comes from the PRNG alone. */
const random: Person[] = large.people.filter((p) => p.key === null && p.crn !== null);
const share = (n: number) => n / random.length;

describe('risk and licence simulator data', () => {
  it('is the same whatever the population size (its own PRNG per person and area)', () => {
    for (let i = 0; i < 100; i++) {
      expect(riskProfile(small, small.people[i]!)).toEqual(riskProfile(large, large.people[i]!));
      expect(licences(small, small.people[i]!)).toEqual(licences(large, large.people[i]!));
    }
  });

  it('predictor scores: both output versions in the population, and people assessed in both', () => {
    const versions = random.map((p) => new Set((riskProfile(large, p)?.assessments ?? []).map((a) => a.outputVersion)));
    const legacy = versions.filter((v) => v.has('1')).length;
    const newer = versions.filter((v) => v.has('2')).length;
    const both = versions.filter((v) => v.has('1') && v.has('2')).length;
    expect({ legacy: share(legacy) > 0.2, newer: newer > 20, both: both > 10 }).toEqual({ legacy: true, newer: true, both: true });
    // Several assessments for some: the list is paged newest first by the gateway.
    expect(random.some((p) => (riskProfile(large, p)?.assessments.length ?? 0) >= 3)).toBe(true);
  });

  it('some people on probation were never assessed, and some not within a year (no serious-harm summary)', () => {
    const never = random.filter((p) => riskProfile(large, p) === null).length;
    const old = random.filter((p) => {
      const profile = riskProfile(large, p);
      return profile !== null && roshWithinYear(profile) === null;
    }).length;
    const recent = random.filter((p) => {
      const profile = riskProfile(large, p);
      return profile !== null && roshWithinYear(profile) !== null;
    }).length;
    expect({ never: share(never) > 0.05 && share(never) < 0.3, olderThanAYear: old > 20, withinAYear: recent > 20 })
      .toEqual({ never: true, olderThanAYear: true, withinAYear: true });
  });

  it('licences: every type, some in post-sentence supervision, some under variation, some still being made', () => {
    const all = random.flatMap((p) => licences(large, p));
    expect(new Set(all.map((l) => l.licenceType))).toEqual(new Set(['AP', 'PSS', 'AP_PSS']));
    expect(all.filter((l) => l.isInPssPeriod).length).toBeGreaterThan(5);
    expect(all.some((l) => l.statusCode.startsWith('VARIATION_'))).toBe(true);
    expect(all.some((l) => ['IN_PROGRESS', 'SUBMITTED', 'APPROVED'].includes(l.statusCode))).toBe(true);
    expect(all.filter((l) => l.statusCode === 'ACTIVE').length).toBeGreaterThan(20);
    // Conditions with their text: post-sentence supervision ones for a PSS licence.
    const pss = all.find((l) => l.licenceType === 'PSS')!;
    expect(pss.conditions.PSS.standard.length).toBeGreaterThan(0);
    expect(pss.conditions.PSS.standard.every((c) => c.text.length > 0)).toBe(true);
  });

  it('the well-known people hold the fixed edge cases', () => {
    expect(riskProfile(large, byKey('linked'))!.assessments.map((a) => a.outputVersion)).toEqual(['1', '1', '2']);
    expect(riskProfile(large, byKey('hyphen-name'))).toBeNull();
    const old = riskProfile(large, byKey('apostrophe-name'))!;
    expect([old.assessments.length, roshWithinYear(old)]).toEqual([2, null]);
    expect(riskProfile(large, byKey('long-lists'))!.assessments).toHaveLength(12);
    expect(riskProfile(large, byKey('prison-only'))).toBeNull();
  });
});
