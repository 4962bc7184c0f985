/**
 * No oracle through the work done (issue 14 items 2-3, issue 12 item 6): a person a consumer may not
 * see costs the same upstream calls as an id nobody holds - counted at the simulators, per upstream
 * and route - and gets a byte-identical answer, through person, persons and searchPersons; and while
 * an identity-step upstream (prisoner search, probation search, core person record) is down, the
 * filtered and the unknown id still get the same answer, never NOT_FOUND for a visible person.
 * Real gateway process, real simulators, the sample policy (policy/sample.yaml).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { REPO_ROOT, wellKnownPeople, type UpstreamName } from '../../local-stack/simulators.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates } from '../../local-stack/consumer-identities.js';
import { countersWhenQuiet } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';

const people = wellKnownPeople();
const person = (key: string) => people.people.find((x) => x.key === key)!;
const unknown = people.unknown;
/** In EWI, outside prison-operator's prisons; Delius still holds the old number (simulators/lib/well-known-specs.ts). */
const merged = person('merged');
/**
 * Released people whose old prison number was merged away and who are under no active supervision: a
 * supervision filter of PROBATION hides them, but only their probation half can say so (the prison
 * half says "released"). One Delius knows by the surviving number, one Delius does not know at all.
 */
const population = new Population({ size: 2000, seed: DEFAULT_SEED });
const releasedMerged = (kind: 'linked' | 'prison-only') =>
  population.people.find((p) => p.kind === kind && p.prisonId === 'OUT' && p.mergedPrisonNumbers.length > 0 && !p.activeSupervision && p.deliusNomsNumber !== p.mergedPrisonNumbers[0])!;

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: () => ({ file: join(REPO_ROOT, 'policy', 'sample.yaml') }),
  // One attempt per call and no breaker opening during the outage cases: the counts compare the work
  // asked for, not retry or breaker luck.
  env: { UPSTREAM_RETRIES: '0', BREAKER_MIN_CALLS: '100000', BREAKER_CONSECUTIVE_FAILURES: '1000000', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'probation-partner', 'police-force']);

type Counts = Record<string, number>;
/** Upstream calls by `upstream route` (the token endpoint and health checks left out). */
function flatten(counters: Record<string, Record<string, number>>): Counts {
  const out: Counts = {};
  for (const [upstream, routes] of Object.entries(counters)) {
    if (upstream.startsWith('_') || upstream === 'auth') continue;
    for (const [route, n] of Object.entries(routes)) if (!route.includes('/health') && n > 0) out[`${upstream} ${route}`] = n;
  }
  return out;
}

/**
 * The counters once no more calls arrive: the answer can leave before an early (speculative) read
 * nobody awaits reaches a loaded simulator (ADR 19), and that read is work done all the same.
 */
async function settledCounts(): Promise<Counts> {
  return flatten(await countersWhenQuiet(stack.sims));
}

async function measured(consumer: string, query: string, variables: Record<string, unknown>) {
  await settledCounts();
  await stack.sims.resetCounters();
  const r = await as(consumer).gql(query, variables);
  return { status: r.status, raw: r.raw, body: r.body, calls: await settledCounts() };
}

const PERSON = 'query P($id: ID!) { person(hmppsId: $id) { hmppsId firstName lastName } }';
const PERSONS = 'query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName } }';
const PERSONS_PROFILE = 'query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId prison { prisonName } alerts { totalCount } } }';
// Person data is asked early, with identity resolution (ADR 19): by the kind of id, never by what is known.
const PRISON_PROFILE = 'query P($id: ID!) { person(hmppsId: $id) { hmppsId prison { prisonName } alerts { totalCount } } }';
const PROBATION_PROFILE = 'query P($id: ID!) { person(hmppsId: $id) { hmppsId probation { mappa { level } } } }';
const SEARCH = 'query S($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount nodes { hmppsId firstName } pageInfo { hasNextPage endCursor } } }';

interface Case {
  name: string;
  consumer: string;
  query: string;
  filtered: Record<string, unknown>;
  unknown: Record<string, unknown>;
}

const cases: Case[] = [
  { name: 'person by prison number, another prison', consumer: 'prison-operator', query: PERSON, filtered: { id: person('other-prison').prisonNumber }, unknown: { id: unknown.prisonNumber } },
  { name: 'person by CRN, another prison', consumer: 'prison-operator', query: PERSON, filtered: { id: person('other-prison').crn }, unknown: { id: unknown.crn } },
  { name: 'profile by prison number, another prison', consumer: 'prison-operator', query: PRISON_PROFILE, filtered: { id: person('other-prison').prisonNumber }, unknown: { id: unknown.prisonNumber } },
  { name: 'profile by CRN, another prison', consumer: 'prison-operator', query: PRISON_PROFILE, filtered: { id: person('other-prison').crn }, unknown: { id: unknown.crn } },
  { name: 'profile by CRN, limited access, probation only', consumer: 'prison-operator', query: PRISON_PROFILE, filtered: { id: person('excluded').crn }, unknown: { id: unknown.crn } },
  { name: 'profile by CRN, a prisoner to a probation-only consumer', consumer: 'probation-partner', query: PROBATION_PROFILE, filtered: { id: person('other-prison').crn }, unknown: { id: unknown.crn } },
  { name: 'profile by prison number, a prisoner to a probation-only consumer', consumer: 'probation-partner', query: PROBATION_PROFILE, filtered: { id: person('prison-only').prisonNumber }, unknown: { id: unknown.prisonNumber } },
  { name: 'person by CRN, probation only', consumer: 'prison-operator', query: PERSON, filtered: { id: person('probation-only').crn }, unknown: { id: unknown.crn } },
  { name: 'person by CRN, limited access, probation only', consumer: 'prison-operator', query: PERSON, filtered: { id: person('excluded').crn }, unknown: { id: unknown.crn } },
  { name: 'person by prison number, a prisoner to a probation-only consumer', consumer: 'probation-partner', query: PERSON, filtered: { id: person('prison-only').prisonNumber }, unknown: { id: unknown.prisonNumber } },
  {
    name: 'persons, one of two filtered (prison numbers)', consumer: 'prison-operator', query: PERSONS,
    filtered: { ids: [person('linked').prisonNumber, person('other-prison').prisonNumber] }, unknown: { ids: [person('linked').prisonNumber, unknown.prisonNumber] },
  },
  {
    name: 'persons, one of two filtered (CRNs)', consumer: 'prison-operator', query: PERSONS,
    filtered: { ids: [person('linked').crn, person('other-prison').crn] }, unknown: { ids: [person('linked').crn, unknown.crn] },
  },
  // A merged-away (old) prison number of a person the consumer may not see (the surviving record is in
  // another prison): what an unknown number costs - no surviving-side lookups (ADR 1, ADR 19).
  { name: 'person by a merged-away prison number, another prison', consumer: 'prison-operator', query: PERSON, filtered: { id: merged.mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
  { name: 'profile by a merged-away prison number, another prison', consumer: 'prison-operator', query: PRISON_PROFILE, filtered: { id: merged.mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
  {
    name: 'persons, one of two a merged-away number in another prison', consumer: 'prison-operator', query: PERSONS_PROFILE,
    filtered: { ids: [person('linked').prisonNumber, merged.mergedPrisonNumbers[0]] }, unknown: { ids: [person('linked').prisonNumber, unknown.prisonNumber] },
  },
  {
    name: 'persons, a merged-away number in another prison beside a CRN', consumer: 'prison-operator', query: PERSONS_PROFILE,
    filtered: { ids: [person('linked').crn, merged.mergedPrisonNumbers[0]] }, unknown: { ids: [person('linked').crn, unknown.prisonNumber] },
  },
  // Released: whether a supervision filter hides them is for the probation half to say, asked by the
  // surviving number; an id nobody holds, and a person hidden by the prison half, cost that round too.
  { name: 'person by a merged-away number, released, unsupervised (supervision filter)', consumer: 'probation-partner', query: PERSON, filtered: { id: releasedMerged('linked').mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
  { name: 'person by a merged-away number, released, prison only (supervision filter)', consumer: 'police-force', query: PERSON, filtered: { id: releasedMerged('prison-only').mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
  { name: 'profile by a merged-away number, released, unsupervised (supervision filter)', consumer: 'probation-partner', query: PROBATION_PROFILE, filtered: { id: releasedMerged('linked').mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
  {
    name: 'searchPersons, the only match released, unsupervised, merged from another number (supervision filter)', consumer: 'police-force', query: SEARCH,
    filtered: { c: { lastName: releasedMerged('linked').lastName, dateOfBirth: releasedMerged('linked').dateOfBirth } }, unknown: { c: { lastName: 'Zzyzzyxx', dateOfBirth: releasedMerged('linked').dateOfBirth } },
  },
  { name: 'person by a merged-away number, in prison (supervision filter without PRISONS)', consumer: 'probation-partner', query: PERSON, filtered: { id: merged.mergedPrisonNumbers[0] }, unknown: { id: unknown.prisonNumber } },
  {
    name: 'persons, a merged-away number, released, unsupervised, beside a visible prison number', consumer: 'police-force', query: PERSONS,
    filtered: { ids: [person('linked').prisonNumber, releasedMerged('linked').mergedPrisonNumbers[0]] }, unknown: { ids: [person('linked').prisonNumber, unknown.prisonNumber] },
  },
  {
    name: 'searchPersons, the only match merged from another number, in another prison', consumer: 'prison-operator', query: SEARCH,
    filtered: { c: { lastName: merged.lastName, dateOfBirth: merged.dateOfBirth } }, unknown: { c: { lastName: 'Zzyzzyxx', dateOfBirth: merged.dateOfBirth } },
  },
  {
    name: 'searchPersons, the only match in another prison', consumer: 'prison-operator', query: SEARCH,
    filtered: { c: { lastName: person('other-prison').lastName, dateOfBirth: person('other-prison').dateOfBirth } }, unknown: { c: { lastName: 'Zzyzzyxx', dateOfBirth: person('other-prison').dateOfBirth } },
  },
  {
    name: 'searchPersons, the only match a prisoner (supervision filter)', consumer: 'probation-partner', query: SEARCH,
    filtered: { c: { lastName: person('prison-only').lastName, dateOfBirth: person('prison-only').dateOfBirth } }, unknown: { c: { lastName: 'Zzyzzyxx', dateOfBirth: person('prison-only').dateOfBirth } },
  },
];

describe('filtered and unknown cost the same upstream calls and get the same bytes', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const filtered = await measured(c.consumer, c.query, c.filtered);
    const nobody = await measured(c.consumer, c.query, c.unknown);
    expect(filtered.raw).toBe(nobody.raw);
    expect(filtered.calls).toEqual(nobody.calls);
    expect(Object.keys(filtered.calls).length).toBeGreaterThan(0);
  });
});

describe('an identity-step upstream down: filtered and unknown still look the same, and nobody is told NOT_FOUND', () => {
  afterAll(() => stack.sims.clearFaults());

  const outageCases: Array<[UpstreamName, string]> = [
    ['prisonerSearch', 'UPSTREAM_UNAVAILABLE'],
    ['probationSearch', 'UPSTREAM_UNAVAILABLE'],
    ['personRecord', 'NOT_FOUND'],
  ];
  it.each(outageCases)('%s down', async (upstream, expectedCode) => {
    await stack.sims.setFault(upstream, { outage: true });
    try {
      for (const c of cases) {
        const filtered = await measured(c.consumer, c.query, c.filtered);
        const nobody = await measured(c.consumer, c.query, c.unknown);
        expect({ case: c.name, raw: filtered.raw }).toEqual({ case: c.name, raw: nobody.raw });
        expect({ case: c.name, calls: filtered.calls }).toEqual({ case: c.name, calls: nobody.calls });
      }
      // A single unknown id: the failure when a system that could know it did not answer.
      const lone = await measured('prison-operator', PERSON, { id: unknown.prisonNumber });
      expect(lone.body.errors?.[0]?.extensions?.code).toBe(expectedCode);
      // A person the consumer may see is never told it does not exist.
      for (const id of [person('linked').prisonNumber, person('linked').crn]) {
        const visible = await measured('prison-operator', PERSON, { id });
        expect({ id, codes: (visible.body.errors ?? []).map((e) => e.extensions?.code) }).not.toEqual({ id, codes: expect.arrayContaining(['NOT_FOUND']) });
        if (upstream !== 'personRecord') {
          const data = visible.body.data?.person as { firstName?: string } | null | undefined;
          const codes = (visible.body.errors ?? []).map((e) => e.extensions?.code);
          expect(data?.firstName === person('linked').firstName || codes.includes('UPSTREAM_UNAVAILABLE')).toBe(true);
        }
      }
    } finally {
      await stack.sims.clearFaults();
    }
  }, 60_000);
});
