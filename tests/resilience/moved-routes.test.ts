/**
 * A 404 from a per-person GET route (issue 12 item 2, ADR 10 "404 per route"): every route is held to
 * its spec in ../shared/upstream-specs. Where the spec does not say 404 means "this person has none",
 * the gateway has already established that the system holds the person (the prison number or CRN came
 * from prisoner or probation search, the booking id from prisoner search): a 404 there is a moved or
 * misrouted upstream, a contract departure - UPSTREAM_INVALID_RESPONSE at the fields it feeds (for a
 * merged list: the other side's entries and an error naming the missing source), counted as
 * `reason="unexpected_status"`. Where the spec says 404 means "none", it stays "none".
 *
 * One route at a time answers 404 (simulator fault `respondWith: notFound` limited to that route).
 */
import { describe, expect, it } from '@jest/globals';
import type { TestCertificates } from '../../local-stack/certs.js';
import type { GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, type UpstreamName } from '../../local-stack/simulators.js';
import { asConsumer, scrape, writeTestPolicy, type TestPolicy } from '../ops/support.js';
import { useGatewayStack } from '../support/stack.js';

const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

const PROFILE = `hmppsId
  addresses { postcode sources }
  offences { description source }
  sentences { description source }
  images { id }
  probation { mappa { level } }
  responsibleOfficer { prisonOffenderManager { forename } communityManager { forename } }
  protectedCharacteristics { reasonableAdjustments { treatmentCode } }`;

const stack = useGatewayStack<TestCertificates, TestPolicy>({
  population: 500,
  policy: (dir) => writeTestPolicy(dir),
  env: { BREAKER_MIN_CALLS: '1000000', REQUEST_DEADLINE_MS: '4000', HEALTH_CHECK_INTERVAL_MS: '60000' },
});

async function profile(): Promise<GraphQLResult> {
  return asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy)(`query P($id: ID!) { person(hmppsId: $id) { ${PROFILE} } }`, { id: linked.crn! });
}

interface Departure {
  upstream: UpstreamName;
  route: string;
  /** Paths (below `person`) that get UPSTREAM_INVALID_RESPONSE; for a merged list, with `missingSources`. */
  errors: Record<string, string[] | null>;
}

/** Routes whose spec does not say 404 means "none". */
const DEPARTURES: Departure[] = [
  // nomis-prison-api.json: 404 "Requested resource not found" (the offender), never "has none" (that is `[]`).
  { upstream: 'prisonApi', route: 'GET /api/offenders/{offenderNo}/addresses', errors: { addresses: ['PRISON'] } },
  { upstream: 'prisonApi', route: 'GET /api/images/offenders/{offenderNo}', errors: { images: null } },
  { upstream: 'prisonApi', route: 'GET /api/bookings/{bookingId}/reasonable-adjustments', errors: { 'protectedCharacteristics.reasonableAdjustments': null } },
  // No 404 in the spec at all.
  // (Offences ask it only for their courts: not selected here.)
  { upstream: 'prisonApi', route: 'GET /api/offenders/{offenderNo}/booking/latest/sentence-summary', errors: { sentences: ['PRISON'] } },
  // The offence-history batch route (one call for every booking of the operation).
  { upstream: 'prisonApi', route: 'POST /api/bookings/offence-history', errors: { offences: ['PRISON'] } },
  // delius-integration-api.json: 200 only.
  {
    upstream: 'deliusIntegration',
    route: 'GET /case/{crn}/supervisions',
    errors: { offences: ['PROBATION'], sentences: ['PROBATION'], 'probation.mappa': null, 'responsibleOfficer.communityManager': null },
  },
  { upstream: 'deliusIntegration', route: 'GET /case/{crn}/addresses', errors: { addresses: ['PROBATION'] } },
];

const violations = (upstream: string, route: string) =>
  scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total', { upstream, route, reason: 'unexpected_status' });

describe('a 404 where the spec does not say "none" is a contract departure, per route', () => {
  it('baseline: no error', async () => {
    const result = await profile();
    expect(result.body.errors).toBeUndefined();
  });

  it.each(DEPARTURES)('$upstream $route', async ({ upstream, route, errors }) => {
    const before = await violations(upstream, route);
    await stack.sims.setFault(upstream, { respondWith: 'notFound', routes: [route] });
    let result: GraphQLResult;
    try {
      result = await profile();
    } finally {
      await stack.sims.clearFaults();
    }
    const got = Object.fromEntries(
      (result.body.errors ?? []).map((e) => [(e.path ?? []).slice(1).join('.'), [e.extensions?.code, e.extensions?.missingSources ?? null]]),
    );
    expect(got).toEqual(Object.fromEntries(Object.entries(errors).map(([path, sources]) => [path, ['UPSTREAM_INVALID_RESPONSE', sources]])));
    expect(await violations(upstream, route)).toBeGreaterThan(before);
  });
});

describe('a 404 the spec declares as "none" is "none" only with the service\'s own body', () => {
  it('manage-POM primary_pom answering a bare framework 404 (a moved service, not its Status body) is UPSTREAM_INVALID_RESPONSE, counted', async () => {
    const route = 'GET /api/allocation/{nomsNumber}/primary_pom';
    const before = await violations('managePom', route);
    await stack.sims.setFault('managePom', { respondWith: 'notFound', routes: [route] });
    let result: GraphQLResult;
    try {
      result = await profile();
    } finally {
      await stack.sims.clearFaults();
    }
    const got = (result.body.errors ?? []).map((e) => [(e.path ?? []).slice(1).join('.'), e.extensions?.code]);
    expect(got).toEqual([['responsibleOfficer.prisonOffenderManager', 'UPSTREAM_INVALID_RESPONSE']]);
    expect(await violations('managePom', route)).toBeGreaterThan(before);
  });

  it('real "no such person" 404s stay "none", without error: no POM allocated (manage-POM Status body), never assessed by ARNS (ErrorResponse)', async () => {
    const released = wellKnownPeople().people.find((p) => p.key === 'released')!;
    const neverAssessed = wellKnownPeople().people.find((p) => p.key === 'hyphen-name')!;
    const query = `query P($a: ID!, $b: ID!) {
      released: person(hmppsId: $a) { responsibleOfficer { prisonOffenderManager { forename } } }
      neverAssessed: person(hmppsId: $b) { riskOfSeriousHarm { overallLevel } criminogenicNeeds { assessedAt } riskScores { totalCount } }
    }`;
    const before = await scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total');
    await stack.sims.resetCounters();
    const result = await asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy)(query, { a: released.crn!, b: neverAssessed.crn! });
    // Both answers were asked for (and answered 404 by the simulators), not skipped.
    const calls = await stack.sims.counters();
    expect([calls.managePom?.['GET /api/allocation/{nomsNumber}/primary_pom'], calls.arns?.['GET /risks/rosh/{crn}']]).toEqual([1, 1]);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data).toEqual({
      released: { responsibleOfficer: expect.objectContaining({ prisonOffenderManager: null }) },
      neverAssessed: { riskOfSeriousHarm: null, criminogenicNeeds: null, riskScores: expect.objectContaining({ totalCount: 0 }) },
    });
    expect(await scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total')).toBe(before);
  });
});
