/** The HMPPS Auth simulator and bearer-token enforcement on every upstream. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SimulatorHandle, type UpstreamName, startSimulators, wellKnownPeople } from '../../local-stack/simulators.js';
import { basicAuth, call } from './http-client.js';

let sims: SimulatorHandle;
let shortLived: SimulatorHandle;
const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

/** One cheap, always-200 GET per upstream that holds person data. */
const probes: Record<Exclude<UpstreamName, 'auth'>, (s: SimulatorHandle) => string> = {
  prisonApi: (s) => `${s.urls.prisonApi}/api/offenders/${linked.prisonNumber!}`,
  prisonerSearch: (s) => `${s.urls.prisonerSearch}/prisoner/${linked.prisonNumber!}`,
  alerts: (s) => `${s.urls.alerts}/prisoners/${linked.prisonNumber!}/alerts`,
  managePom: (s) => `${s.urls.managePom}/api/allocation/${linked.prisonNumber!}/primary_pom`,
  probationSearch: (s) => `${s.urls.probationSearch}/search`,
  deliusIntegration: (s) => `${s.urls.deliusIntegration}/case/${linked.crn!}/supervisions`,
  personRecord: (s) => `${s.urls.personRecord}/person/probation/${linked.crn!}`,
  arns: (s) => `${s.urls.arns}/risks/predictors/unsafe/all/CRN/${linked.crn!}`,
  cvl: (s) => `${s.urls.cvl}/public/licence-summaries/crn/${linked.crn!}`,
  caseNotes: (s) => `${s.urls.caseNotes}/search/case-notes/${linked.prisonNumber!}`,
  adjudications: (s) => `${s.urls.adjudications}/reported-adjudications/prisoner/${linked.prisonNumber!}`,
  incentives: (s) => `${s.urls.incentives}/incentive-reviews/prisoner/${linked.prisonNumber!}`,
  healthAndMedication: (s) => `${s.urls.healthAndMedication}/prisoners/${linked.prisonNumber!}`,
  nonAssociations: (s) => `${s.urls.nonAssociations}/prisoner/${linked.prisonNumber!}/non-associations`,
  personalRelationships: (s) => `${s.urls.personalRelationships}/prisoner/${linked.prisonNumber!}/contact`,
  prisonVisits: (s) => `${s.urls.prisonVisits}/visits/search/future/${linked.prisonNumber!}`,
};

async function tokenFrom(s: SimulatorHandle, auth: string, body = 'grant_type=client_credentials') {
  return call(`${s.urls.auth}/auth/oauth/token`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' }, rawBody: body });
}

beforeAll(async () => {
  [sims, shortLived] = await Promise.all([
    startSimulators({ population: 2000 }),
    startSimulators({ population: 2000, args: ['--token-ttl-seconds', '1', '--client-id', 'other-client', '--client-secret', 's3cret'] }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([sims?.stop(), shortLived?.stop()]);
});

describe('token endpoint', () => {
  it('issues a bearer token for valid client credentials', async () => {
    const res = await tokenFrom(sims, basicAuth(sims.clientId, sims.clientSecret));
    expect(res.status).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 1200 });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.scope).toBe('string');
  });

  it('accepts grant_type as a query parameter, as the REST facade sends it', async () => {
    const res = await call(`${sims.urls.auth}/auth/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { Authorization: basicAuth(sims.clientId, sims.clientSecret) }, rawBody: '' });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong secret, an unknown client and missing credentials with 401', async () => {
    expect((await tokenFrom(sims, basicAuth(sims.clientId, 'wrong'))).status).toBe(401);
    expect((await tokenFrom(sims, basicAuth('nobody', sims.clientSecret))).status).toBe(401);
    const none = await call(`${sims.urls.auth}/auth/oauth/token`, { method: 'POST', rawBody: 'grant_type=client_credentials', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('refuses other grant types', async () => {
    const res = await tokenFrom(sims, basicAuth(sims.clientId, sims.clientSecret), 'grant_type=password');
    expect(res.status).toBe(400);
  });

  it('uses --client-id/--client-secret and --token-ttl-seconds', async () => {
    expect(shortLived.clientId).toBe('other-client');
    const res = await tokenFrom(shortLived, basicAuth('other-client', 's3cret'));
    expect(res.json()).toMatchObject({ expires_in: 1 });
    expect((await tokenFrom(shortLived, basicAuth(sims.clientId, sims.clientSecret))).status).toBe(401);
  });
});

describe('bearer tokens on the upstreams', () => {
  it('every upstream answers 401 with a JSON body without a token or with a forged one', async () => {
    for (const [name, url] of Object.entries(probes)) {
      const posts: Record<string, unknown> = { probationSearch: { crn: linked.crn }, caseNotes: { page: 1, size: 1 } };
      const method = name in posts ? 'POST' : 'GET';
      const body = posts[name];
      const none = await call(url(sims), { method, body });
      expect([name, none.status]).toEqual([name, 401]);
      expect(() => none.json()).not.toThrow();
      const forged = await call(url(sims), { method, body, token: 'forged-token' });
      expect([name, forged.status]).toEqual([name, 401]);
      const ok = await call(url(sims), { method, body, token: await sims.token() });
      expect([name, ok.status]).toEqual([name, 200]);
    }
  });

  it('counts refused requests separately from route counters', async () => {
    await sims.resetCounters();
    await call(probes.prisonerSearch(sims));
    await call(probes.alerts(sims), { token: 'forged' });
    const counters = await sims.counters();
    expect(counters._unauthorized).toEqual({ prisonerSearch: 1, alerts: 1 });
    expect(counters.prisonerSearch).toBeUndefined();
  });

  it('POST /admin/tokens/expire invalidates every token issued so far; new tokens work', async () => {
    const [a, b] = [await sims.token(), await sims.token()];
    const url = probes.personRecord(sims);
    expect((await call(url, { token: a })).status).toBe(200);
    await sims.expireTokens();
    expect((await call(url, { token: a })).status).toBe(401);
    expect((await call(url, { token: b })).status).toBe(401);
    expect((await call(url, { token: await sims.token() })).status).toBe(200);
  });

  it('a token stops working once its time to live has passed', async () => {
    const token = await shortLived.token();
    const url = probes.prisonerSearch(shortLived);
    expect((await call(url, { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(url, { token })).status).toBe(401);
  });

  it('the auth upstream itself takes faults (token failures)', async () => {
    await sims.setFault('auth', { errorRate: 1, errorStatuses: [503] });
    try {
      const res = await tokenFrom(sims, basicAuth(sims.clientId, sims.clientSecret));
      expect(res.status).toBe(503);
      await expect(sims.token()).rejects.toThrow(/503/);
    } finally {
      await sims.clearFaults();
    }
    expect((await tokenFrom(sims, basicAuth(sims.clientId, sims.clientSecret))).status).toBe(200);
  });
});
