/**
 * The management listener and request telemetry against the real gateway process and simulators:
 * /health with a component per dependency, /info, /metrics, and the one access line per request.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentIdOf } from '../../src/auth/trusted-documents.js';
import { loggedLine } from '../../local-stack/gateway.js';
import { postGraphQL } from '../../local-stack/https.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { asConsumer, freePort, scrape, writeTestPolicy } from './support.js';
import { UPSTREAMS as CONFIGURED_UPSTREAMS } from '../../src/config/index.js';

const people = wellKnownPeople();
const linked = people.people.find((p) => p.key === 'linked')!;
const UPSTREAMS = ['auth', ...CONFIGURED_UPSTREAMS];

/** Registered as dev-consumer's trusted documents: their operation names may be logged and used as labels. */
const OPS_PROBE = 'query OpsProbe($id: ID!) { person(hmppsId: $id) { firstName } }';
const ACCESS_PROBE = 'query AccessProbe($id: ID!) { person(hmppsId: $id) { firstName } }';
/** Not registered: logged and labelled only by its document hash. */
const opsMissing = `query OpsMissing { person(hmppsId: "${people.unknown.crn}") { firstName } }`;
const hashLabel = (text: string) => documentIdOf(text).slice(0, 'sha256:'.length + 12);

const stack = useGatewayStack({
  policy: (dir) => {
    mkdirSync(join(dir, 'documents', 'dev-consumer'), { recursive: true });
    writeFileSync(join(dir, 'documents', 'dev-consumer', 'OpsProbe.graphql'), OPS_PROBE);
    writeFileSync(join(dir, 'documents', 'dev-consumer', 'AccessProbe.graphql'), ACCESS_PROBE);
    return writeTestPolicy(dir);
  },
  gateways: [{ HEALTH_CHECK_INTERVAL_MS: '200', HEALTH_CHECK_TIMEOUT_MS: '300', GIT_COMMIT: '0123abc', APP_VERSION: '9.9.9-test' }],
});

interface HealthBody {
  status: string;
  components: Record<string, { status: string; details: Record<string, unknown> }>;
}

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function healthUntil(predicate: (h: HealthBody) => boolean, timeoutMs = 5000): Promise<HealthBody> {
  const until = Date.now() + timeoutMs;
  let last: HealthBody | null = null;
  while (Date.now() < until) {
    last = (await getJson(`${stack.gateway.managementUrl}/health`)).body as unknown as HealthBody;
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`health never matched: ${JSON.stringify(last)}`);
}

describe('/health', () => {
  it('shows every upstream and the token endpoint as a component with reachability, latency and circuit state', async () => {
    const health = await healthUntil((h) => Object.values(h.components).every((c) => c.status === 'UP'));
    expect(health.status).toBe('UP');
    expect(Object.keys(health.components).sort()).toEqual([...UPSTREAMS].sort());
    for (const c of Object.values(health.components)) {
      expect(c.details).toMatchObject({ latencyMs: expect.any(Number), checkedAt: expect.any(String), circuit: 'closed' });
    }
    expect(JSON.stringify(health)).not.toMatch(/127\.0\.0\.1|http:/);
  });

  it('an upstream outage shows as a DOWN component within a check interval; liveness and readiness stay UP; recovery shows', async () => {
    await stack.sims.setFault('alerts', { outage: true });
    try {
      const down = await healthUntil((h) => h.components.alerts?.status === 'DOWN', 2000);
      expect(down.status).toBe('DEGRADED');
      expect(down.components.alerts?.details.error).toBe('ECONNREFUSED');
      expect(down.components.prisonApi?.status).toBe('UP');
      expect((await fetch(`${stack.gateway.managementUrl}/health/liveness`)).status).toBe(200);
      expect((await fetch(`${stack.gateway.managementUrl}/health/readiness`)).status).toBe(200);
      expect(await scrape(stack.gateway.managementUrl, 'gateway_upstream_up', { upstream: 'alerts' })).toBe(0);
    } finally {
      await stack.sims.setFault('alerts', {});
    }
    const up = await healthUntil((h) => h.components.alerts?.status === 'UP', 2000);
    expect(up.status).toBe('UP');
  });

  it('an upstream that answers 5xx or does not answer at all is DOWN', async () => {
    await stack.sims.setFault('managePom', { errorRate: 1, errorStatuses: [503] });
    await stack.sims.setFault('deliusIntegration', { hang: true });
    try {
      const h = await healthUntil((x) => x.components.managePom?.status === 'DOWN' && x.components.deliusIntegration?.status === 'DOWN', 3000);
      expect(h.components.managePom?.details.httpStatus).toBe(503);
      expect(h.components.deliusIntegration?.details.error).toBe('ETIMEDOUT');
    } finally {
      await stack.sims.clearFaults();
    }
    await healthUntil((h) => h.status === 'UP', 3000);
  });

  it('a moved upstream (nothing listening where it is configured) is DOWN from the first check, and the gateway still serves', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const moved = await stack.startGateway({ PRISON_API_URL: nowhere, HEALTH_CHECK_INTERVAL_MS: '200' });
    try {
      const until = Date.now() + 3000;
      let body: HealthBody | null = null;
      while (Date.now() < until) {
        body = (await getJson(`${moved.managementUrl}/health`)).body as unknown as HealthBody;
        if (body.components.prisonApi?.status === 'DOWN') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(body?.components.prisonApi?.status).toBe('DOWN');
      expect(body?.status).toBe('DEGRADED');
      expect((await fetch(`${moved.managementUrl}/health/liveness`)).status).toBe(200);
      const result = await asConsumer(moved.consumerUrl, stack.certs, stack.policy)(`{ person(hmppsId: "${linked.crn}") { firstName } }`);
      expect(result.body.data?.person).toEqual({ firstName: linked.firstName });
      expect(await loggedLine(moved, (l) => l.includes('"dependency":"prisonApi"') && l.includes('DOWN'))).toBeDefined();
    } finally {
      await moved.stop();
    }
  });

  it('/health/ping answers UP', async () => {
    expect(await getJson(`${stack.gateway.managementUrl}/health/ping`)).toEqual({ status: 200, body: { status: 'UP' } });
  });
});

describe('/info', () => {
  it('reports version, commit, schema hash, policy hash and start time', async () => {
    const { status, body } = await getJson(`${stack.gateway.managementUrl}/info`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ version: '9.9.9-test', commit: '0123abc' });
    expect(body.schemaHash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.policyHash).toMatch(/^[0-9a-f]{16,64}$/);
    const started = Date.parse(String(body.startedAt));
    expect(started).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - started).toBeLessThan(10 * 60_000);
  });
});

describe('/metrics and the access log', () => {
  const gql = () => asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy);

  it('counts requests, latency, errors, upstream calls, circuits, batch sizes, refusals, certificate expiry and the process', async () => {
    const ok = await gql()(OPS_PROBE, { id: linked.crn });
    expect(ok.body.errors).toBeUndefined();
    await gql()(opsMissing);
    await postGraphQL(stack.gateway.consumerUrl, { query: '{ person(hmppsId: "X1") { firstName } }' }, { ca: stack.certs.ca });

    const m = (name: string, labels: Record<string, string> = {}) => scrape(stack.gateway.managementUrl, name, labels);
    expect(await m('gateway_requests_total', { consumer: 'dev-consumer', operation: 'OpsProbe', outcome: 'ok' })).toBe(1);
    // A document that is not one of the consumer's trusted documents is labelled by its hash, never by its (consumer-chosen) name.
    expect(await m('gateway_requests_total', { consumer: 'dev-consumer', operation: hashLabel(opsMissing), outcome: 'not_found' })).toBe(1);
    expect(await m('gateway_requests_total', { operation: 'OpsMissing' })).toBe(0);
    expect(await m('gateway_requests_total', { operation: hashLabel(opsMissing), outcome: 'error' })).toBe(0);
    expect(await m('gateway_request_duration_seconds_count', { operation: 'OpsProbe' })).toBe(1);
    expect(await m('gateway_graphql_errors_total', { code: 'NOT_FOUND' })).toBeGreaterThanOrEqual(1);
    expect(await m('gateway_upstream_requests_total', { upstream: 'probationSearch', route: 'POST /crns', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(await m('gateway_upstream_request_duration_seconds_count', { upstream: 'probationSearch' })).toBeGreaterThanOrEqual(1);
    expect(await m('gateway_dataloader_batch_size_count', { upstream: 'probationSearch', route: 'POST /crns' })).toBeGreaterThanOrEqual(1);
    for (const upstream of UPSTREAMS) expect(await m('gateway_circuit_state', { upstream })).toBe(0);
    expect(await m('gateway_auth_refusals_total', { reason: 'NO_CLIENT_CERTIFICATE' })).toBeGreaterThanOrEqual(1);
    const days = await m('gateway_client_certificate_expiry_days', { consumer: 'dev-consumer' });
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(30);
    expect(await m('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(await m('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('writes one access line per request: request id (taken and returned), consumer, operation name and hash, outcome, error codes, upstream calls, trace id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const requestId = `ops-${Date.now()}`;
    const result = await gql()(
      ACCESS_PROBE,
      { id: linked.crn },
      { 'x-request-id': requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect(result.headers['x-request-id']).toBe(requestId);
    const missingId = `ops-missing-${Date.now()}`;
    await gql()(`query AccessMissing { person(hmppsId: "${people.unknown.crn}") { firstName } }`, undefined, { 'x-request-id': missingId });
    await new Promise((r) => setTimeout(r, 100));

    const access = (id: string) =>
      stack.gateway.logs
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return null;
          }
        })
        .filter((l) => l?.event === 'access' && l.requestId === id);
    const lines = access(requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      consumer: 'dev-consumer',
      operationName: 'AccessProbe',
      operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 200,
      outcome: 'ok',
      errorCodes: [],
      traceId,
      upstreamCalls: expect.any(Number),
      ms: expect.any(Number),
    });
    expect(lines[0]!.upstreamCalls as number).toBeGreaterThanOrEqual(2);
    // Not a trusted document: its name stays out of the log; its hash identifies it.
    expect(access(missingId)[0]).toMatchObject({ outcome: 'not_found', errorCodes: ['NOT_FOUND'], operationName: null, operationHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const generated = await gql()('{ person(hmppsId: "X1") { firstName } }');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
