/** Admin routes listing, per-route counters and their reset, unknown paths and methods. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SimulatorHandle, startSimulators, wellKnownPeople } from '../../local-stack/simulators.js';
import { call } from './http-client.js';

let sims: SimulatorHandle;
let token: string;
const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

beforeAll(async () => {
  sims = await startSimulators({ population: 2000 });
  token = await sims.token();
}, 60_000);

afterAll(async () => {
  await sims?.stop();
});

const EXPECTED_ROUTES: Record<string, string[]> = {
  auth: ['POST /auth/oauth/token'],
  prisonApi: [
    'GET /api/adjustments/{bookingId}/sentence-and-booking',
    'GET /api/images/{imageId}/data',
    'POST /api/bookings/offence-history',
    'POST /api/movements/offenders',
    'GET /api/offenders/{offenderNo}',
    'GET /api/offenders/{offenderNo}/addresses',
    'GET /api/bookings/offenderNo/{offenderNo}/offenceHistory',
    'GET /api/offender-sentences',
    'POST /api/offender-sentences',
    'POST /api/offender-sentences/bookings',
    'GET /api/offender-sentences/booking/{bookingId}/sentences-and-offences',
    'GET /api/offenders/{offenderNo}/booking/latest/sentence-summary',
    'GET /api/offenders/{offenderNo}/sentences',
    'GET /api/images/offenders/{offenderNo}',
    'GET /api/bookings/offenderNo/{offenderNo}/visit/balances',
    'GET /api/offenders/{offenderNo}/offender-restrictions',
    'POST /api/bookings/offenders',
    'GET /api/agencies/{agencyId}',
    'GET /api/reference-domains/domains/{domain}/codes',
    'GET /api/bookings/{bookingId}/reasonable-adjustments',
  ],
  prisonerSearch: ['GET /prisoner/{id}', 'POST /prisoner-search/prisoner-numbers', 'POST /attribute-search', 'POST /global-search', 'POST /prisoner-detail'],
  alerts: ['GET /prisoners/{prisonNumber}/alerts', 'POST /search/alerts/prison-numbers'],
  managePom: ['GET /api/allocation/{nomsNumber}/primary_pom', 'GET /api/allocation/{nomsNumber}'],
  probationSearch: ['POST /crns', 'POST /nomsNumbers', 'POST /search/people', 'POST /search'],
  deliusIntegration: [
    'POST /search/probation-cases',
    'GET /case/{crn}/supervisions',
    'GET /case/{crn}/addresses',
    'GET /case/{crn}/access-limitations',
    'GET /case/{crn}/contacts',
    'GET /case/{crn}/contacts/{contactId}',
    'GET /identifier-converter/noms-to-crn/{nomsId}',
    'GET /exists-in-delius/crn/{crn}',
    'POST /probation-cases/access',
  ],
  personRecord: ['GET /person/probation/{crn}', 'GET /person/prison/{prisonNumber}'],
  arns: [
    'GET /risks/predictors/unsafe/all/{identifierType}/{identifierValue}',
    'GET /risks/rosh/{crn}',
    'GET /risks/risk-management-plan/{crn}',
    'GET /needs/{crn}',
  ],
  cvl: ['GET /public/licence-summaries/crn/{crn}', 'GET /public/licences/id/{licenceId}'],
  caseNotes: ['POST /search/case-notes/{personIdentifier}'],
  incentives: ['GET /incentive-reviews/prisoner/{prisonerNumber}', 'POST /incentive-reviews/bookings'],
  healthAndMedication: ['GET /prisoners/{prisonerNumber}'],
  nonAssociations: ['POST /non-associations/involving', 'GET /prisoner/{prisonerNumber}/non-associations'],
  personalRelationships: ['GET /prisoner/{prisonNumber}/contact', 'GET /prisoner/{prisonerNumber}/number-of-children'],
  prisonVisits: ['GET /visits/search/future/{prisonerId}', 'GET /visits/search'],
  adjudications: ['GET /reported-adjudications/prisoner/{prisonerNumber}'],
};

describe('admin', () => {
  it('GET /admin/routes lists every served route as METHOD + spec path template', async () => {
    const routes = await sims.routes();
    expect(Object.keys(routes).sort()).toEqual(Object.keys(EXPECTED_ROUTES).sort());
    for (const [upstream, list] of Object.entries(EXPECTED_ROUTES)) expect([upstream, [...(routes[upstream] ?? [])].sort()]).toEqual([upstream, [...list].sort()]);
  });

  it('GET /admin/health answers 200', async () => {
    const res = await call(`${sims.urls.admin}/admin/health`);
    expect(res.status).toBe(200);
  });

  it('counts every request that matched a route, by route template, and resets', async () => {
    await sims.resetCounters();
    expect(await sims.counters()).toEqual({});
    await call(`${sims.urls.prisonerSearch}/prisoner/${linked.prisonNumber!}`, { token });
    await call(`${sims.urls.prisonerSearch}/prisoner/Z9999ZZ`, { token }); // 404, still a matched route
    await call(`${sims.urls.prisonerSearch}/prisoner-search/prisoner-numbers`, { token, body: { prisonerNumbers: [linked.prisonNumber] } });
    await call(`${sims.urls.probationSearch}/crns`, { token, body: [linked.crn] });
    await call(`${sims.urls.probationSearch}/crns`, { token, body: [linked.crn] });
    const counters = await sims.counters();
    expect(counters.prisonerSearch).toEqual({ 'GET /prisoner/{id}': 2, 'POST /prisoner-search/prisoner-numbers': 1 });
    expect(counters.probationSearch).toEqual({ 'POST /crns': 2 });
    await sims.resetCounters();
    expect(await sims.counters()).toEqual({});
  });

  it('unknown paths answer 404 and unknown methods 405, without counting a route', async () => {
    await sims.resetCounters();
    const missing = await call(`${sims.urls.prisonerSearch}/no/such/path`, { token });
    expect(missing.status).toBe(404);
    expect(() => missing.json()).not.toThrow();
    const wrongMethod = await call(`${sims.urls.prisonerSearch}/prisoner/${linked.prisonNumber!}`, { token, method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET');
    expect((await call(`${sims.urls.auth}/auth/oauth/token`)).status).toBe(405);
    expect((await sims.counters()).prisonerSearch).toBeUndefined();
  });
});
