/** Two starts with the same seed give the same answers; another seed gives another world. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SimulatorHandle, startSimulators, wellKnownPeople } from '../../local-stack/simulators.js';
import { call } from './http-client.js';

let first: SimulatorHandle;
let second: SimulatorHandle;
let reseeded: SimulatorHandle;
const wk = wellKnownPeople();
const linked = wk.people.find((p) => p.key === 'linked')!;

/** Requests covering every upstream, including generated (not well-known) people found by search. */
async function snapshot(s: SimulatorHandle): Promise<unknown[]> {
  const token = await s.token();
  const out: unknown[] = [];
  const take = async (url: string, body?: unknown): Promise<unknown> => {
    const res = await call(url, { token, body });
    const value = { status: res.status, body: res.text === '' ? null : res.json() };
    out.push(value);
    return value.body;
  };
  const page = (await take(`${s.urls.prisonerSearch}/attribute-search?page=0&size=20`, {
    queries: [{ matchers: [{ type: 'String', attribute: 'prisonId', condition: 'IN', searchTerm: 'MDI,LEI' }] }],
    pagination: { page: 0, size: 20 },
  })) as { content: { prisonerNumber: string }[] };
  const numbers = page.content.map((p) => p.prisonerNumber);
  await take(`${s.urls.alerts}/search/alerts/prison-numbers?includeInactive=true`, numbers);
  await take(`${s.urls.prisonApi}/api/offender-sentences`, numbers);
  for (const n of numbers.slice(0, 5)) {
    await take(`${s.urls.prisonApi}/api/offenders/${n}`);
    await take(`${s.urls.prisonApi}/api/offenders/${n}/addresses`);
    await take(`${s.urls.personRecord}/person/prison/${n}`);
    await take(`${s.urls.managePom}/api/allocation/${n}`);
  }
  const people = (await take(`${s.urls.probationSearch}/search/people?page=0&size=20`, { surname: 'Smith' })) as { content: { otherIds: { crn: string } }[] };
  for (const c of people.content.slice(0, 5).map((p) => p.otherIds.crn)) {
    await take(`${s.urls.deliusIntegration}/case/${c}/supervisions`);
    await take(`${s.urls.deliusIntegration}/case/${c}/addresses`);
  }
  await take(`${s.urls.deliusIntegration}/search/probation-cases`, { crn: linked.crn });
  return out;
}

beforeAll(async () => {
  [first, second, reseeded] = await Promise.all([
    startSimulators({ population: 2000 }),
    startSimulators({ population: 2000, latencyMs: 40 }),
    startSimulators({ population: 2000, args: ['--seed', 'another-world'] }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop(), reseeded?.stop()]);
});

describe('determinism', () => {
  it('two starts with the default seed answer identically', async () => {
    const [a, b] = await Promise.all([snapshot(first), snapshot(second)]);
    expect(a.length).toBeGreaterThan(25);
    expect(b).toEqual(a);
  });

  it('--latency-ms is the response time from arrival: never sooner, and not much later when unloaded', async () => {
    const token = await second.token();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(`${second.urls.prisonerSearch}/prisoner/${linked.prisonNumber!}`, { token });
      expect(res.status).toBe(200);
      expect(res.ms).toBeGreaterThanOrEqual(40);
      times.push(res.ms);
    }
    // The simulator's own work is inside the 40 ms; the rest is timer granularity, a new connection and noise:
    // the quickest of five calls shows it (one call alone is at the mercy of whatever else the machine runs).
    expect(Math.min(...times)).toBeLessThan(40 + 20);
  });

  it('another seed gives other people (and another well-known file)', async () => {
    const other = (await call(`${reseeded.urls.admin}/admin/well-known`)).json<typeof wk>();
    expect(other.seed).toBe('another-world');
    expect(other.people.map((p) => p.key)).toEqual(wk.people.map((p) => p.key));
    expect(other.people.find((p) => p.key === 'linked')?.crn).not.toBe(linked.crn);
    const [a, b] = await Promise.all([snapshot(first), snapshot(reseeded)]);
    expect(b).not.toEqual(a);
  });
});
