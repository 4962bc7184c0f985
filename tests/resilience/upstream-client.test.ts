/**
 * The upstream client's resilience against a real local HTTP server: retries, deadlines, aborts,
 * circuit breaker, in-flight bound, token failures and trace propagation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { UpstreamConfig } from '../../src/config/index.js';
import { UpstreamError } from '../../src/datasources/http/errors.js';
import { TokenProvider } from '../../src/datasources/http/token-provider.js';
import { UpstreamClient, type RequestScope } from '../../src/datasources/http/upstream-client.js';
import { Metrics } from '../../src/observability/metrics.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface FakeUpstream {
  url: string;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; closedEarly: boolean }>;
  handle: Handler;
  close(): Promise<void>;
}

async function fakeUpstream(): Promise<FakeUpstream> {
  const fake: FakeUpstream = {
    url: '',
    requests: [],
    handle: (_req, res) => json(res, 200, {}),
    close: async () => undefined,
  };
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, closedEarly: false };
    fake.requests.push(entry);
    res.on('close', () => {
      if (!res.writableFinished) entry.closedEarly = true;
    });
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => fake.handle(req, res, body));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return fake;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const silent = pino({ level: 'silent' });
/** Scheduling slack on a busy machine: the deadline assertions are "within deadline + margin". */
const MARGIN_MS = 250;
let upstream: FakeUpstream;
let auth: FakeUpstream;
let tokenCount = 0;

function tokenHandler(): Handler {
  return (_req, res) => {
    tokenCount++;
    json(res, 200, { access_token: `token-${tokenCount}`, expires_in: 1200, token_type: 'bearer' });
  };
}

function settings(overrides: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return {
    baseUrl: upstream.url,
    timeoutMs: 2000,
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
    breaker: { windowMs: 10_000, minCalls: 1000, failureRate: 0.5, openMs: 200 },
    maxInFlight: 16,
    maxQueue: 16,
    ...overrides,
  };
}

function clientWith(overrides: Partial<UpstreamConfig> = {}, name: 'probationSearch' | 'alerts' | 'personRecord' = 'probationSearch') {
  const metrics = new Metrics({ processMetrics: false });
  const tokens = new TokenProvider({ tokenUrl: auth.url, clientId: 'id', clientSecret: 'secret', timeoutMs: 2000, metrics }, silent);
  return { client: new UpstreamClient(name, settings(overrides), tokens, silent, metrics), metrics, tokens };
}

const scope = (over: Partial<RequestScope> = {}): RequestScope => ({ requestId: 'test-request', ...over });

async function failureOf(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UpstreamError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

async function metricValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  const values = (await metric!.get()).values;
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((a, v) => a + v.value, 0);
}

beforeAll(async () => {
  upstream = await fakeUpstream();
  auth = await fakeUpstream();
  auth.handle = tokenHandler();
});

afterEach(() => {
  upstream.requests.length = 0;
  upstream.handle = (_req, res) => json(res, 200, {});
  auth.handle = tokenHandler();
});

afterAll(async () => {
  await upstream.close();
  await auth.close();
});

describe('retries', () => {
  it('retries an idempotent GET after 503 and 502 and returns the answer that finally came', async () => {
    const { client, metrics } = clientWith();
    const statuses = [503, 502, 200];
    upstream.handle = (_req, res) => json(res, statuses.shift() ?? 500, { ok: true });
    const result = await client.call({ route: 'GET /person/{id}', method: 'GET', path: '/person/1' }, scope());
    expect(result).toEqual({ status: 200, body: { ok: true } });
    expect(upstream.requests).toHaveLength(3);
    expect(await metricValue(metrics, 'gateway_upstream_retries_total', { upstream: 'probationSearch' })).toBe(2);
    client.close();
  });

  it('retries a read-only batch POST but never a POST that writes', async () => {
    const { client } = clientWith({}, 'alerts');
    upstream.handle = (_req, res) => json(res, 503, {});
    const batch = await failureOf(
      client.call({ route: 'POST /search/alerts/prison-numbers', method: 'POST', path: '/search/alerts/prison-numbers', json: ['A1234BC'] }, scope()),
    );
    expect(batch).toMatchObject({ failure: 'unavailable', status: 503, area: 'prison' });
    expect(upstream.requests).toHaveLength(3);
    upstream.requests.length = 0;
    await failureOf(
      client.call({ route: 'POST /prisoners/{prisonNumber}/alerts', method: 'POST', path: '/prisoners/A1234BC/alerts', json: {} }, scope()),
    );
    expect(upstream.requests).toHaveLength(1);
    client.close();
  });

  it('does not retry answers that another attempt would not change (500, 400, malformed JSON)', async () => {
    const { client } = clientWith();
    for (const [status, body] of [
      [500, '{}'],
      [400, '{}'],
      [200, '{"trunc'],
    ] as const) {
      upstream.requests.length = 0;
      upstream.handle = (_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
      const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
      expect(e.failure).toBe(status === 200 ? 'bad-response' : 'unavailable');
      expect(upstream.requests).toHaveLength(1);
    }
    client.close();
  });

  it('retries connection failures and reports the upstream unavailable after the last attempt', async () => {
    const closed = await fakeUpstream();
    await closed.close();
    const { client, metrics } = clientWith({ baseUrl: closed.url });
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(e).toMatchObject({ failure: 'unavailable', retryable: true });
    expect(await metricValue(metrics, 'gateway_upstream_requests_total', { status: 'connection_error' })).toBe(3);
    client.close();
  });

  it('never retries past the deadline: the call ends within it however many retries are allowed', async () => {
    const { client } = clientWith({ retry: { maxRetries: 10, baseDelayMs: 20, maxDelayMs: 40 } });
    upstream.handle = (_req, res) => setTimeout(() => json(res, 503, {}), 60);
    const started = Date.now();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() + 300 })));
    const took = Date.now() - started;
    expect(took).toBeLessThan(300 + MARGIN_MS);
    expect(['unavailable', 'timeout']).toContain(e.failure);
    expect(upstream.requests.length).toBeGreaterThanOrEqual(2);
    expect(upstream.requests.length).toBeLessThan(11);
    client.close();
  });
});

describe('deadline and abort', () => {
  it('gives each call the smaller of its own timeout and the time left: a hanging upstream costs only the deadline', async () => {
    const { client } = clientWith({ timeoutMs: 10_000, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    upstream.handle = () => undefined; // never answers
    const started = Date.now();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() + 250 })));
    expect(Date.now() - started).toBeLessThan(250 + MARGIN_MS);
    expect(e).toMatchObject({ failure: 'timeout', retryable: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(upstream.requests[0]?.closedEarly).toBe(true);
    client.close();
  });

  it('a hanging upstream times out at its own timeout and is retried while the deadline allows', async () => {
    const { client } = clientWith({ timeoutMs: 100, retry: { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 5 } });
    upstream.handle = () => undefined;
    const started = Date.now();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() + 350 })));
    expect(e.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(350 + MARGIN_MS);
    expect(upstream.requests.length).toBeGreaterThanOrEqual(2);
    client.close();
  });

  it('aborting the request (client gone) aborts its pending upstream call at once', async () => {
    const { client } = clientWith();
    upstream.handle = () => undefined;
    const controller = new AbortController();
    const call = failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ signal: controller.signal })));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    controller.abort();
    const e = await call;
    // Long before the upstream's own 2 s timeout could have ended it.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e.failure).toBe('unavailable');
    await new Promise((r) => setTimeout(r, 50));
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.closedEarly).toBe(true);
    client.close();
  });

  it('a request already past its deadline makes no upstream call', async () => {
    const { client } = clientWith();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() - 1 })));
    expect(e.failure).toBe('timeout');
    expect(upstream.requests).toHaveLength(0);
    client.close();
  });
});

describe('circuit breaker', () => {
  it('opens on sustained failure, fails fast without calling, probes after the open time and closes on success', async () => {
    const { client, metrics } = clientWith({
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { windowMs: 10_000, minCalls: 4, failureRate: 0.5, openMs: 300 },
    });
    upstream.handle = (_req, res) => json(res, 500, {});
    for (let i = 0; i < 4; i++) await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(client.circuitState).toBe('open');
    expect(await metricValue(metrics, 'gateway_circuit_state', { upstream: 'probationSearch' })).toBe(2);

    upstream.requests.length = 0;
    const fast = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(fast).toMatchObject({ failure: 'unavailable', retryable: true });
    expect(upstream.requests).toHaveLength(0);
    expect(await metricValue(metrics, 'gateway_upstream_requests_total', { status: 'circuit_open' })).toBe(1);

    await new Promise((r) => setTimeout(r, 320));
    upstream.handle = (_req, res) => json(res, 200, { back: true });
    // Half-open: one probe goes through; concurrent callers are still refused until it answers.
    const [probe, other] = await Promise.allSettled([
      client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()),
      client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()),
    ]);
    expect(probe.status).toBe('fulfilled');
    expect(other.status).toBe('rejected');
    expect(upstream.requests).toHaveLength(1);
    expect(client.circuitState).toBe('closed');
    expect(await metricValue(metrics, 'gateway_circuit_state', { upstream: 'probationSearch' })).toBe(0);
    await client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope());
    client.close();
  });

  it('a failed probe opens the circuit again', async () => {
    const { client } = clientWith({
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      breaker: { windowMs: 10_000, minCalls: 2, failureRate: 0.5, openMs: 100 },
    });
    upstream.handle = (_req, res) => json(res, 503, {});
    for (let i = 0; i < 2; i++) await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(client.circuitState).toBe('open');
    await new Promise((r) => setTimeout(r, 120));
    await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(client.circuitState).toBe('open');
    client.close();
  });

  it('answers that say nothing about the upstream (404 accepted, 400) never open it', async () => {
    const { client } = clientWith({ breaker: { windowMs: 10_000, minCalls: 2, failureRate: 0.5, openMs: 1000 } });
    upstream.handle = (req, res) => json(res, req.url === '/missing' ? 404 : 400, {});
    for (let i = 0; i < 5; i++) {
      await client.call({ route: 'GET /missing', method: 'GET', path: '/missing', acceptStatuses: [404] }, scope());
      await failureOf(client.call({ route: 'GET /bad', method: 'GET', path: '/bad' }, scope()));
    }
    expect(client.circuitState).toBe('closed');
    client.close();
  });
});

describe('in-flight bound', () => {
  it('admits maxInFlight calls, queues up to maxQueue and refuses the rest at once', async () => {
    const { client, metrics } = clientWith({ maxInFlight: 2, maxQueue: 1 });
    const pending: Array<() => void> = [];
    upstream.handle = (_req, res) => pending.push(() => json(res, 200, { ok: 1 }));
    const calls = Array.from({ length: 4 }, () => client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()).then(() => 'ok', (e: UpstreamError) => e.message));
    await new Promise((r) => setTimeout(r, 100));
    expect(upstream.requests).toHaveLength(2);
    expect(await metricValue(metrics, 'gateway_upstream_in_flight', { upstream: 'probationSearch' })).toBe(2);
    expect(await metricValue(metrics, 'gateway_upstream_queued', { upstream: 'probationSearch' })).toBe(1);
    while (upstream.requests.length < 3 || pending.length > 0) {
      pending.shift()?.();
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r.includes('queue_full'))).toHaveLength(1);
    expect(upstream.requests).toHaveLength(3);
    client.close();
  });

  it('a queued call leaves the queue when its deadline passes', async () => {
    const { client } = clientWith({ maxInFlight: 1, maxQueue: 5, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    upstream.handle = () => undefined;
    const first = failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() + 400 })));
    const started = Date.now();
    const queued = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() + 150 })));
    expect(queued.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(150 + MARGIN_MS);
    expect(upstream.requests).toHaveLength(1);
    await first;
    client.close();
  });
});

describe('token endpoint and headers', () => {
  it('token endpoint failures become UPSTREAM errors on the calling upstream, without calling it', async () => {
    auth.handle = (_req, res) => json(res, 503, { error: 'server_error' });
    const { client } = clientWith({}, 'personRecord');
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(e).toMatchObject({ upstream: 'personRecord', failure: 'unavailable', area: 'identity' });
    expect(upstream.requests).toHaveLength(0);
    client.close();
  });

  it('a hanging token endpoint costs a request no more than its deadline', async () => {
    auth.handle = () => undefined;
    const { client } = clientWith();
    const started = Date.now();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ deadline: Date.now() + 200 })));
    expect(Date.now() - started).toBeLessThan(200 + MARGIN_MS);
    expect(e).toMatchObject({ failure: 'timeout', area: 'probation' });
    client.close();
  });

  it('renews the token once on 401 and resends', async () => {
    const { client } = clientWith();
    let seen = 0;
    upstream.handle = (_req, res) => json(res, ++seen === 1 ? 401 : 200, { ok: true });
    const result = await client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope());
    expect(result.body).toEqual({ ok: true });
    const tokensUsed = upstream.requests.map((r) => r.headers.authorization);
    expect(tokensUsed).toHaveLength(2);
    expect(tokensUsed[0]).not.toEqual(tokensUsed[1]);
    client.close();
  });

  it('forwards the request id and a child W3C traceparent of the same trace', async () => {
    const { client } = clientWith();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope({ traceparent, requestId: 'req-42' }));
    const headers = upstream.requests[0]!.headers;
    expect(headers['x-request-id']).toBe('req-42');
    expect(headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(headers.traceparent).not.toBe(traceparent);
    client.close();
  });
});
