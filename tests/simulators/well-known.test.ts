/** The committed well-known people agree with running simulators of 2,000 and 100,000 people. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SimulatorHandle, startSimulators, wellKnownPeople } from '../../local-stack/simulators.js';
import { call } from './http-client.js';

const file = wellKnownPeople();
const sims: Record<number, SimulatorHandle> = {};
const SIZES = [2000, 100_000] as const;
const REQUIRED_KEYS = [
  'prison-only', 'probation-only', 'linked', 'linked-no-cpr', 'merged', 'excluded', 'restricted', 'aliases',
  'no-addresses', 'many-alerts', 'other-prison', 'hyphen-name', 'apostrophe-name', 'non-ascii-name',
];

beforeAll(async () => {
  const started = await Promise.all(SIZES.map((population) => startSimulators({ population, timeoutMs: 30_000 })));
  SIZES.forEach((size, i) => {
    sims[size] = started[i]!;
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(sims).map((s) => s.stop()));
});

type Json = Record<string, unknown>;

describe('well-known-people.json', () => {
  it('has every required identity case, valid ids and a first name for everyone', () => {
    const keys = file.people.map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(REQUIRED_KEYS));
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of file.people) {
      expect(p.firstName).not.toBe('');
      if (p.crn !== null) expect(p.crn).toMatch(/^[A-Z][0-9]{6}$/);
      if (p.prisonNumber !== null) expect(p.prisonNumber).toMatch(/^[A-Z][0-9]{4}[A-Z]{2}$/);
      for (const old of p.mergedPrisonNumbers) expect(old).toMatch(/^[A-Z][0-9]{4}[A-Z]{2}$/);
      expect(p.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.crn !== null || p.prisonNumber !== null).toBe(true);
    }
    expect(file.unknown.crn).toMatch(/^[A-Z][0-9]{6}$/);
    expect(file.unknown.prisonNumber).toMatch(/^[A-Z][0-9]{4}[A-Z]{2}$/);
    expect(file.people.find((p) => p.key === 'merged')?.mergedPrisonNumbers).toHaveLength(1);
    expect(file.people.find((p) => p.key === 'other-prison')?.prisonId).not.toBe(file.people.find((p) => p.key === 'linked')?.prisonId);
  });

  for (const size of SIZES) {
    describe(`population ${size}`, () => {
      it('reports its size and serves the same well-known file', async () => {
        const s = sims[size]!;
        expect(s.population).toBe(size);
        const served = (await call(`${s.urls.admin}/admin/well-known`)).json();
        expect(served).toEqual(file);
      });

      it('answers each well-known person as the file describes them, and not the unknown ids', async () => {
        const s = sims[size]!;
        const token = await s.token();
        for (const p of file.people) {
          if (p.prisonNumber !== null) {
            const doc = (await call(`${s.urls.prisonerSearch}/prisoner/${p.prisonNumber}`, { token })).json<Json>();
            expect([p.key, doc.firstName, doc.lastName, doc.dateOfBirth, doc.prisonId ?? null]).toEqual([p.key, p.firstName, p.lastName, p.dateOfBirth, p.prisonId]);
          }
          if (p.crn !== null) {
            const [detail] = (await call(`${s.urls.probationSearch}/crns`, { token, body: [p.crn] })).json<Json[]>();
            expect([p.key, detail?.firstName, detail?.surname, detail?.dateOfBirth, (detail?.otherIds as Json | undefined)?.pncNumber]).toEqual([p.key, p.firstName, p.lastName, p.dateOfBirth, p.pncNumber]);
          }
        }
        expect((await call(`${s.urls.prisonerSearch}/prisoner/${file.unknown.prisonNumber}`, { token })).status).toBe(404);
        expect((await call(`${s.urls.probationSearch}/crns`, { token, body: [file.unknown.crn] })).json()).toEqual([]);
      });
    });
  }

  it('ordinary people are the same whatever the population size (the small population is a prefix)', async () => {
    const [small, large] = [sims[2000]!, sims[100_000]!];
    const [ts, tl] = await Promise.all([small.token(), large.token()]);
    const body = { queries: [{ matchers: [{ type: 'String', attribute: 'prisonId', condition: 'IS', searchTerm: 'LEI' }] }], pagination: { page: 0, size: 50 } };
    const fromSmall = (await call(`${small.urls.prisonerSearch}/attribute-search`, { token: ts, body })).json<{ content: Json[] }>().content;
    expect(fromSmall.length).toBe(50);
    const numbers = fromSmall.map((p) => p.prisonerNumber);
    const fromLarge = (await call(`${large.urls.prisonerSearch}/prisoner-search/prisoner-numbers`, { token: tl, body: { prisonerNumbers: numbers } })).json<Json[]>();
    const byNumber = new Map(fromLarge.map((p) => [p.prisonerNumber, p]));
    for (const p of fromSmall) expect(byNumber.get(p.prisonerNumber)).toEqual(p);
  });
});
