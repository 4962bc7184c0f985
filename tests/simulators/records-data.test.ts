/**
 * The case-record simulator data (simulators/lib/case-notes-data.ts, contact-events-data.ts): deterministic,
 * from its own PRNG (the same answers from any population size, so the population's own sequence is not
 * touched), with the edge cases the issue names for the well-known people.
 */
import { describe, expect, it } from '@jest/globals';
import { caseNotes } from '../../simulators/lib/case-notes-data.js';
import { contactEvents, mappaCategoryOf } from '../../simulators/lib/contact-events-data.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';

const small = new Population({ size: 100, seed: DEFAULT_SEED });
const large = new Population({ size: 3000, seed: DEFAULT_SEED });
const byKey = (pop: Population, key: string) => pop.people.find((p) => p.key === key)!;

describe('case-record simulator data', () => {
  it('is the same whatever the population size (its own PRNG per person and area)', () => {
    for (let i = 0; i < 100; i++) {
      expect(caseNotes(small, small.people[i]!)).toEqual(caseNotes(large, large.people[i]!));
      expect(contactEvents(small, small.people[i]!)).toEqual(contactEvents(large, large.people[i]!));
    }
  });

  it('the well-known people cover the edge cases: hundreds of notes, sensitive ones, every type, none at all', () => {
    const many = caseNotes(large, byKey(large, 'long-lists'));
    expect(many).toHaveLength(460);
    expect(many.some((n) => n.sensitive)).toBe(true);
    expect(new Set(many.map((n) => n.ref.type)).size).toBeGreaterThanOrEqual(6);
    expect(caseNotes(large, byKey(large, 'many-alerts'))).toEqual([]);
    expect(caseNotes(large, byKey(large, 'probation-only'))).toEqual([]);
    const occurred = many.map((n) => n.occurrenceDateTime);
    expect(occurred).toEqual([...occurred].sort().reverse());
  });

  it('contacts only for MAPPA cases: 150 for hyphen-name, 25 for the excluded (limited-access) case, none without MAPPA', () => {
    expect(mappaCategoryOf(large, byKey(large, 'hyphen-name'))).toBe(3);
    expect(contactEvents(large, byKey(large, 'hyphen-name'))).toHaveLength(150);
    expect(contactEvents(large, byKey(large, 'excluded'))).toHaveLength(25);
    expect(contactEvents(large, byKey(large, 'linked'))).toEqual([]);
    const withMappa = large.people.filter((p) => mappaCategoryOf(large, p) !== null);
    expect(withMappa.filter((p) => contactEvents(large, p).length > 0).length).toBeGreaterThan(withMappa.length / 2);
  });
});
