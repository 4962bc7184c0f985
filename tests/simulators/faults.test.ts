/** Every fault kind, observed by a real HTTP client; start-up faults from options and a file. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimulatorHandle, startSimulators, UPSTREAM_NAMES, wellKnownPeople } from '../../local-stack/simulators.js';
import { call, errorCode } from './http-client.js';

let sims: SimulatorHandle;
let token: string;
let dir: string;
const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
const alertsUrl = (): string => `${sims.urls.alerts}/prisoners/${linked.prisonNumber!}/alerts`;
const crnsUrl = (): string => `${sims.urls.probationSearch}/crns`;
const nomsUrl = (): string => `${sims.urls.probationSearch}/nomsNumbers`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-faults-'));
  const file = join(dir, 'faults.json');
  writeFileSync(file, JSON.stringify({ personRecord: { latencyMs: 150 } }));
  sims = await startSimulators({
    population: 2000,
    args: ['--fault', 'managePom:errorRate=1,errorStatuses=502|504', '--faults', file],
  });
  token = await sims.token();
}, 60_000);

afterAll(async () => {
  await sims?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function admin(method: string, path: string, body?: unknown) {
  return call(`${sims.urls.admin}${path}`, { method, body });
}

describe('start-up faults', () => {
  it('--fault and --faults are in force from the first request and listed by GET /admin/faults', async () => {
    const faults = (await admin('GET', '/admin/faults')).json<Record<string, unknown>>();
    expect(faults).toEqual({ managePom: { errorRate: 1, errorStatuses: [502, 504] }, personRecord: { latencyMs: 150 } });
    const pom = await call(`${sims.urls.managePom}/api/allocation/${linked.prisonNumber!}/primary_pom`, { token });
    expect([502, 504]).toContain(pom.status);
    const cpr = await call(`${sims.urls.personRecord}/person/probation/${linked.crn!}`, { token });
    expect(cpr.status).toBe(200);
    expect(cpr.ms).toBeGreaterThanOrEqual(150);
  });

  it('DELETE /admin/faults/{upstream} clears one upstream only', async () => {
    expect((await admin('DELETE', '/admin/faults/managePom')).status).toBe(200);
    expect((await call(`${sims.urls.managePom}/api/allocation/${linked.prisonNumber!}/primary_pom`, { token })).status).toBe(200);
    expect((await admin('GET', '/admin/faults')).json()).toEqual({ personRecord: { latencyMs: 150 } });
    await sims.clearFaults();
    expect((await admin('GET', '/admin/faults')).json()).toEqual({});
  });
});

describe('runtime faults', () => {
  afterAll(async () => {
    await sims.clearFaults();
  });

  // Without a latency fault a call is fast: the fastest of three, so that one call slowed by a loaded machine is no failure.
  const fastestOfThree = async () => {
    let fastest = Infinity;
    for (let i = 0; i < 3; i++) fastest = Math.min(fastest, (await call(alertsUrl(), { token })).ms);
    return fastest;
  };

  it('latency: responses are delayed by about latencyMs, plus 0..latencyJitterMs, never less', async () => {
    expect(await fastestOfThree()).toBeLessThan(150);
    await sims.setFault('alerts', { latencyMs: 250 });
    const slow = await call(alertsUrl(), { token });
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(250);
    expect(slow.ms).toBeLessThan(2000);
    await sims.setFault('alerts', { latencyMs: 50, latencyJitterMs: 200 });
    const jittery = await Promise.all(Array.from({ length: 6 }, () => call(alertsUrl(), { token })));
    for (const r of jittery) {
      expect(r.ms).toBeGreaterThanOrEqual(50);
      expect(r.ms).toBeLessThan(2000);
    }
    await sims.setFault('alerts', {});
    expect(await fastestOfThree()).toBeLessThan(150);
  });

  it('errors: errorRate 1 always fails with one of errorStatuses, as JSON', async () => {
    await sims.setFault('prisonerSearch', { errorRate: 1, errorStatuses: [503] });
    const res = await call(`${sims.urls.prisonerSearch}/prisoner/${linked.prisonNumber!}`, { token });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ status: 503 });
    await sims.setFault('prisonerSearch', { errorRate: 1 });
    expect((await call(`${sims.urls.prisonerSearch}/prisoner/${linked.prisonNumber!}`, { token })).status).toBe(500);
  });

  it('errors: errorRate 0.5 fails some requests and not others', async () => {
    await sims.setFault('deliusIntegration', { errorRate: 0.5, errorStatuses: [500, 502] });
    const statuses = await Promise.all(Array.from({ length: 40 }, () => call(`${sims.urls.deliusIntegration}/exists-in-delius/crn/${linked.crn!}`, { token }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 500 || s === 502).length).toBeGreaterThan(0);
    expect(statuses.every((s) => [200, 500, 502].includes(s))).toBe(true);
  });

  it('routes: a fault limited to some routes leaves the others alone', async () => {
    await sims.setFault('probationSearch', { errorRate: 1, errorStatuses: [500], routes: ['POST /crns'] });
    expect((await call(crnsUrl(), { token, body: [linked.crn] })).status).toBe(500);
    expect((await call(nomsUrl(), { token, body: [linked.prisonNumber] })).status).toBe(200);
  });

  it('hang: the request is accepted and never answered, so the client times out', async () => {
    await sims.setFault('personRecord', { hang: true });
    const err = await call(`${sims.urls.personRecord}/person/probation/${linked.crn!}`, { token, timeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorCode(err)).toBe('CLIENT_TIMEOUT');
    await sims.setFault('personRecord', {});
    expect((await call(`${sims.urls.personRecord}/person/probation/${linked.crn!}`, { token })).status).toBe(200);
  });

  it('malformedJson: 200 with application/json whose body does not parse', async () => {
    await sims.setFault('probationSearch', { malformedJson: true });
    const res = await call(crnsUrl(), { token, body: [linked.crn] });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(() => JSON.parse(res.text)).toThrow();
    await sims.setFault('probationSearch', {});
    const fixed = await call(crnsUrl(), { token, body: [linked.crn] });
    expect(fixed.json<unknown[]>()).toHaveLength(1);
  });

  it('outage: connection refused, then back on the same port', async () => {
    const url = `${sims.urls.prisonApi}/api/offenders/${linked.prisonNumber!}`;
    await sims.setFault('prisonApi', { outage: true });
    const err = await call(url, { token }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorCode(err)).toBe('ECONNREFUSED');
    // other upstreams are unaffected
    expect((await call(alertsUrl(), { token })).status).toBe(200);
    await sims.setFault('prisonApi', { outage: false });
    const back = await call(url, { token });
    expect(back.status).toBe(200);
    expect(back.json()).toMatchObject({ offenderNo: linked.prisonNumber });
  });

  it('DELETE /admin/faults also ends an outage', async () => {
    await sims.setFault('alerts', { outage: true });
    expect(errorCode(await call(alertsUrl(), { token }).catch((e: unknown) => e))).toBe('ECONNREFUSED');
    await sims.clearFaults();
    expect((await call(alertsUrl(), { token })).status).toBe(200);
  });

  it('every upstream serves GET /health/ping (auth: /auth/health/ping) without a token: 200 {"status":"UP"}, not counted', async () => {
    await sims.resetCounters();
    for (const name of UPSTREAM_NAMES) {
      const path = name === 'auth' ? '/auth/health/ping' : '/health/ping';
      const res = await call(`${sims.urls[name]}${path}`);
      expect([name, res.status, res.headers['content-type'], res.json()]).toEqual([name, 200, 'application/json', { status: 'UP' }]);
    }
    expect(await sims.counters()).toEqual({});
  });

  it('faults reach the ping too: errors, outage and only the ping when routes names it', async () => {
    await sims.setFault('alerts', { errorRate: 1, errorStatuses: [503] });
    expect((await call(`${sims.urls.alerts}/health/ping`)).status).toBe(503);
    await sims.setFault('alerts', { errorRate: 1, errorStatuses: [401], routes: ['GET /health/ping'] });
    expect((await call(`${sims.urls.alerts}/health/ping`)).status).toBe(401);
    expect((await call(alertsUrl(), { token })).status).toBe(200);
    await sims.setFault('alerts', { outage: true });
    expect(errorCode(await call(`${sims.urls.alerts}/health/ping`).catch((e: unknown) => e))).toBe('ECONNREFUSED');
    await sims.setFault('alerts', {});
  });

  it('respondWith: something else answers on every path (routes, unknown paths, the ping), token or not', async () => {
    const paths = [`/api/allocation/${linked.prisonNumber!}/primary_pom`, '/no/such/path', '/health/ping'];
    const seen = async () => Promise.all(paths.map((p) => call(`${sims.urls.managePom}${p}`, { token })));
    await sims.setFault('managePom', { respondWith: 'notFound' });
    for (const r of await seen()) {
      expect(r.status).toBe(404);
      expect(r.json()).toMatchObject({ status: 404, error: 'Not Found' });
    }
    await sims.setFault('managePom', { respondWith: 'redirect' });
    for (const r of await seen()) {
      expect(r.status).toBe(301);
      expect(new URL(String(r.headers.location)).origin).toBe('https://moved.example.invalid');
    }
    await sims.setFault('managePom', { respondWith: 'html' });
    for (const r of await seen()) {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.text).toMatch(/^<!DOCTYPE html>/);
    }
    await sims.setFault('managePom', { respondWith: 'otherJson' });
    for (const r of await seen()) {
      expect(r.status).toBe(200);
      expect(r.json()).toEqual({ service: 'something-else', version: 3, items: { count: 0 } });
    }
    // The token endpoint too: no token comes back.
    await sims.setFault('auth', { respondWith: 'html' });
    const token401 = await call(`${sims.urls.auth}/auth/oauth/token`, { rawBody: 'grant_type=client_credentials' });
    expect(token401.headers['content-type']).toContain('text/html');
    await sims.clearFaults();
    expect((await call(`${sims.urls.managePom}/health/ping`)).json()).toEqual({ status: 'UP' });
  });

  it('refuses invalid fault configs and unknown upstreams', async () => {
    expect((await admin('PUT', '/admin/faults/alerts', { respondWith: 'teapot' })).status).toBe(400);
    expect((await admin('PUT', '/admin/faults/alerts', { errorRate: 2 })).status).toBe(400);
    expect((await admin('PUT', '/admin/faults/alerts', { latency: 100 })).status).toBe(400);
    expect((await admin('PUT', '/admin/faults/alerts', { routes: ['crns'] })).status).toBe(400);
    expect((await admin('PUT', '/admin/faults/nowhere', {})).status).toBe(404);
  });
});
