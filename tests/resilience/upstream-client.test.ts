/**
 * The upstream client's resilience against a real local HTTP server: retries, deadlines, aborts,
 * circuit breaker, in-flight bound, token failures and trace propagation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { UpstreamConfig } from '../../src/config/index.js';
import { UpstreamError, type ContractReason } from '../../src/datasources/http/errors.js';
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

function clientWith(overrides: Partial<UpstreamConfig> = {}, name: 'probationSearch' | 'alerts' | 'personRecord' | 'managePom' = 'probationSearch') {
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
      expect(e.failure).toBe(status === 500 ? 'unavailable' : 'bad-response');
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

  it('a declared answer (404 = no such person on a route that says so) never opens it', async () => {
    const { client } = clientWith({ breaker: { windowMs: 10_000, minCalls: 2, failureRate: 0.5, openMs: 1000 } });
    upstream.handle = (_req, res) => json(res, 404, { status: 404, userMessage: 'Not found', developerMessage: 'Not found' });
    for (let i = 0; i < 5; i++) {
      await client.call({ route: 'GET /missing', method: 'GET', path: '/missing', acceptStatuses: [404] }, scope());
    }
    expect(client.circuitState).toBe('closed');
    client.close();
  });

  it('contract faults (an undeclared 400 or 404, a redirect elsewhere) open it like outages do', async () => {
    const { client } = clientWith({ breaker: { windowMs: 10_000, minCalls: 4, failureRate: 0.5, openMs: 1000 } });
    const answers: Array<[number, Record<string, string>]> = [[400, {}], [404, {}], [301, { location: 'http://elsewhere.invalid/x' }], [422, {}]];
    upstream.handle = (_req, res) => {
      const [status, headers] = answers.shift() ?? [400, {}];
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end('{}');
    };
    for (let i = 0; i < 4; i++) await failureOf(client.call({ route: 'GET /bad', method: 'GET', path: '/bad' }, scope()));
    expect(client.circuitState).toBe('open');
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

  it.each([
    ['a 301 elsewhere', 301, { location: 'http://elsewhere.invalid/auth/oauth/token' }, '', 'redirect'],
    ['a 404 (moved token endpoint)', 404, {}, '{"timestamp":"2026-08-21T12:00:00.000+00:00","status":404,"error":"Not Found","path":"/auth/oauth/token"}', 'unexpected_status'],
    ['a 403', 403, {}, '{}', 'unexpected_status'],
    ['200 HTML', 200, { 'content-type': 'text/html' }, '<html><body>Sign in</body></html>', 'not_json'],
    ['200 JSON without access_token', 200, {}, '{"service":"something-else"}', 'shape'],
  ] as const)('token endpoint: %s is a contract fault on auth (counted), and the call fails UPSTREAM_INVALID_RESPONSE, not retryable', async (_name, status, headers, body, reason) => {
    auth.handle = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const { client, metrics, tokens } = clientWith();
    await expect(failureOf(tokens.token())).resolves.toMatchObject({ upstream: 'auth', failure: 'bad-response', reason, contractFault: true });
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(e).toMatchObject({ upstream: 'probationSearch', failure: 'bad-response', reason, retryable: false, area: 'probation' });
    expect(upstream.requests).toHaveLength(0);
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { upstream: 'auth', route: 'POST /auth/oauth/token', reason })).toBe(2);
    // Only the token endpoint broke its contract: none is counted on the data upstream.
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { upstream: 'probationSearch' })).toBe(0);
    client.close();
  });

  it.each([
    ['401 (wrong client secret)', 401, '{"error":"unauthorized","error_description":"Bad client credentials"}'],
    ['400 (invalid grant)', 400, '{"error":"invalid_grant"}'],
  ] as const)('token endpoint: %s is UPSTREAM_UNAVAILABLE with retryable false (a retry cannot help), not a contract fault', async (_name, status, body) => {
    auth.handle = (_req, res) => json(res, status, JSON.parse(body));
    const { client, metrics } = clientWith();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(e).toMatchObject({ upstream: 'probationSearch', failure: 'unavailable', retryable: false, contractFault: false });
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', {})).toBe(0);
    client.close();
  });

  it('token endpoint: a 503 stays retryable (an outage may pass)', async () => {
    auth.handle = (_req, res) => json(res, 503, { error: 'server_error' });
    const { client } = clientWith();
    const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
    expect(e).toMatchObject({ failure: 'unavailable', retryable: true });
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

describe('a 404 on a route that accepts it: "none" only with the service\'s own not-found body', () => {
  const springDefault = { timestamp: '2026-08-21T12:00:00.000+00:00', status: 404, error: 'Not Found', path: '/case/X123456' };
  const errorResponse = { status: 404, userMessage: 'CRN Not Found', developerMessage: 'CRN Not Found' };

  it.each([
    ['an ErrorResponse (status 404, userMessage)', 'probationSearch', JSON.stringify(errorResponse)],
    ['an ErrorResponse with only developerMessage and an errorCode', 'alerts', '{"status":404,"errorCode":"NOT_FOUND","developerMessage":"No alert"}'],
    ['manage-POM\'s Status body', 'managePom', '{"status":"error","message":"Not allocated"}'],
  ] as const)('%s is "none": null, no violation, a success for the breaker', async (_name, name, body) => {
    const { client, metrics } = clientWith({ breaker: { windowMs: 10_000, minCalls: 2, failureRate: 0.5, openMs: 1000 } }, name);
    upstream.handle = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(body);
    };
    for (let i = 0; i < 3; i++) {
      const r = await client.call({ route: 'GET /case/{crn}', method: 'GET', path: '/case/X123456', acceptStatuses: [404] }, scope());
      expect(r).toEqual({ status: 404, body: null });
    }
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', {})).toBe(0);
    expect(client.circuitState).toBe('closed');
    client.close();
  });

  it.each([
    ['Spring Boot\'s default error body (a server without the route)', 'probationSearch', 'application/json', JSON.stringify(springDefault)],
    ['a bare 404 (no body)', 'probationSearch', 'application/json', ''],
    ['an HTML 404 page', 'probationSearch', 'text/html', '<html><body><h1>404 Not Found</h1></body></html>'],
    ['an empty JSON object', 'probationSearch', 'application/json', '{}'],
    ['an ErrorResponse whose status is not 404', 'probationSearch', 'application/json', '{"status":500,"userMessage":"x"}'],
    [
      'an HMPPS service\'s ErrorResponse for a path it does not serve (another service at this URL)',
      'probationSearch',
      'application/json',
      '{"status":404,"userMessage":"No resource found failure: No static resource case/X123456.","developerMessage":"No static resource case/X123456."}',
    ],
    ['an ErrorResponse where manage-POM declares its Status body', 'managePom', 'application/json', JSON.stringify(errorResponse)],
    ['Spring Boot\'s default error body from manage-POM', 'managePom', 'application/json', JSON.stringify(springDefault)],
  ] as const)('%s is a contract fault (unexpected_status): not retried, counted, and it opens the breaker', async (_name, name, type, body) => {
    const { client, metrics } = clientWith({ breaker: { windowMs: 10_000, minCalls: 2, failureRate: 0.5, openMs: 1000 } }, name);
    upstream.handle = (_req, res) => {
      res.writeHead(404, { 'content-type': type });
      res.end(body);
    };
    const call = () => client.call({ route: 'GET /case/{crn}', method: 'GET', path: '/case/X123456', acceptStatuses: [404] }, scope());
    const e = await failureOf(call());
    expect(e).toMatchObject({ failure: 'bad-response', reason: 'unexpected_status', status: 404, retryable: false });
    expect(upstream.requests).toHaveLength(1);
    await failureOf(call());
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { upstream: name, route: 'GET /case/{crn}', reason: 'unexpected_status' })).toBe(2);
    expect(client.circuitState).toBe('open');
    client.close();
  });
});

describe('a redirect the route declares (a merged record) stays within the service', () => {
  it.each([
    ['to the surviving record on the same service', '/person/prison/A1234BC', null],
    ['to another origin (a moved service)', 'https://moved.example.invalid/person/prison/A1234BC', 'redirect'],
    ['without a Location', undefined, 'redirect'],
  ] as const)('%s', async (_name, location, reason) => {
    const { client, metrics } = clientWith({}, 'personRecord');
    upstream.handle = (_req, res) => {
      res.writeHead(301, location === undefined ? {} : { location });
      res.end();
    };
    const call = client.call({ route: 'GET /person/prison/{prisonNumber}', method: 'GET', path: '/person/prison/A0000AA', acceptStatuses: [404, 301], followRedirects: false }, scope());
    if (reason === null) expect(await call).toEqual({ status: 301, body: null });
    else expect(await failureOf(call)).toMatchObject({ failure: 'bad-response', reason, status: 301 });
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', {})).toBe(reason === null ? 0 : 1);
    client.close();
  });
});

describe('a streamed image: 404 is "no such image" only with the body the image route declares', () => {
  const open = (client: UpstreamClient) =>
    client.openStream({ route: 'GET /api/images/{imageId}/data', path: '/api/images/1/data', maxBytes: 1024, mediaTypes: ['image/jpeg'] }, scope());

  it.each([
    ['the spec\'s JSON string (format byte)', JSON.stringify(Buffer.from('Image with id 1 not found').toString('base64'))],
    ['an ErrorResponse', '{"status":404,"userMessage":"Resource not found"}'],
  ])('%s: null, no violation', async (_name, body) => {
    const { client, metrics } = clientWith();
    upstream.handle = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(body);
    };
    expect(await open(client)).toBeNull();
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', {})).toBe(0);
    client.close();
  });

  it('Spring Boot\'s default error body (nothing serves the route here) is a contract fault', async () => {
    const { client, metrics } = clientWith();
    upstream.handle = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"timestamp":"2026-08-21T12:00:00.000+00:00","status":404,"error":"Not Found","path":"/api/images/1/data"}');
    };
    expect(await failureOf(open(client))).toMatchObject({ failure: 'bad-response', reason: 'unexpected_status', status: 404 });
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { reason: 'unexpected_status' })).toBe(1);
    client.close();
  });
});

describe('a streamed image over its size cap', () => {
  const open = (client: UpstreamClient) =>
    client.openStream({ route: 'GET /api/images/{imageId}/data', path: '/api/images/1/data', maxBytes: 1024, mediaTypes: ['image/jpeg'] }, scope());

  it('a declared length over the cap is refused before a byte is read', async () => {
    const { client, metrics } = clientWith();
    upstream.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '4096' });
      res.end(Buffer.alloc(4096, 1));
    };
    expect(await failureOf(open(client))).toMatchObject({ failure: 'bad-response', reason: 'too_large' });
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { reason: 'too_large' })).toBe(1);
    client.close();
  });

  it('a 404 whose body is too long to be the route\'s own answer is a contract fault, read no further', async () => {
    const { client, metrics } = clientWith();
    upstream.handle = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify('x'.repeat(64 * 1024)));
    };
    expect(await failureOf(open(client))).toMatchObject({ failure: 'bad-response', reason: 'unexpected_status', status: 404 });
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { reason: 'unexpected_status' })).toBe(1);
    client.close();
  });

  it('a body of no declared length that grows past the cap is cut: the stream fails, no more than the cap is passed on', async () => {
    const { client, metrics } = clientWith();
    upstream.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' }); // chunked: no content-length
      let sent = 0;
      const more = () => {
        if (sent >= 8192 || res.destroyed) return res.end();
        sent += 512;
        res.write(Buffer.alloc(512, 2), () => setImmediate(more));
      };
      more();
    };
    const opened = await open(client);
    expect(opened).toMatchObject({ contentType: 'image/jpeg', contentLength: null });
    let passed = 0;
    const error = await new Promise<unknown>((resolve) => {
      opened!.body.on('data', (chunk: Buffer) => (passed += chunk.length));
      opened!.body.on('error', resolve);
      opened!.body.on('end', () => resolve(null));
    });
    expect(error).toMatchObject({ failure: 'bad-response', reason: 'too_large' });
    expect(passed).toBeLessThanOrEqual(1024);
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { reason: 'too_large' })).toBe(1);
    client.close();
  });
});

describe('contract faults: every answer classified', () => {
  async function violations(metrics: Metrics, labels: Record<string, string>): Promise<number> {
    return metricValue(metrics, 'gateway_upstream_contract_violations_total', labels);
  }

  it.each([
    ['a 301 elsewhere', 301, { location: 'http://elsewhere.invalid/moved' }, '', 'redirect'],
    ['a 302 elsewhere', 302, { location: 'http://elsewhere.invalid/moved' }, '', 'redirect'],
    ['a 400', 400, {}, '{"status":400}', 'unexpected_status'],
    ['a 403', 403, {}, '{}', 'unexpected_status'],
    ['a 404 on a route that does not declare it', 404, {}, '{}', 'unexpected_status'],
    ['a 422', 422, {}, '{}', 'unexpected_status'],
    ['200 HTML', 200, { 'content-type': 'text/html' }, '<html><body>Moved</body></html>', 'not_json'],
    ['200 truncated JSON', 200, {}, '[{"crn":"X1', 'not_json'],
    ['200 without a body', 200, {}, '', 'empty'],
    ['200 JSON null', 200, {}, 'null', 'empty'],
  ] as const)('%s is a contract fault: not retried, retryable false, counted by reason', async (_name, status, headers, body, reason) => {
    const { client, metrics } = clientWith();
    upstream.handle = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const e = await failureOf(client.call({ route: 'GET /case/{crn}', method: 'GET', path: '/case/X123456' }, scope()));
    expect(e).toMatchObject({ failure: 'bad-response', reason, retryable: false, contractFault: true });
    expect(upstream.requests).toHaveLength(1);
    expect(await violations(metrics, { upstream: 'probationSearch', route: 'GET /case/{crn}', reason })).toBe(1);
    client.close();
  });

  it('5xx, 429 and refused connections stay upstream faults (retryable), not contract violations', async () => {
    const { client, metrics } = clientWith({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    for (const status of [500, 503, 429]) {
      upstream.handle = (_req, res) => json(res, status, {});
      const e = await failureOf(client.call({ route: 'GET /x', method: 'GET', path: '/x' }, scope()));
      expect(e).toMatchObject({ failure: 'unavailable', contractFault: false });
    }
    expect(await violations(metrics, {})).toBe(0);
    client.close();
  });

  it('a decoder rejecting the whole answer makes a contract fault with its reason; one bad item is dropped and counted', async () => {
    const { client, metrics } = clientWith();
    const { array, items, object, crn, ContractViolation } = await import('../../src/datasources/http/contract.js');
    const decode = (body: unknown, report: (r: ContractReason, d: string) => void) =>
      items(array(body, '$'), '$', (item, path) => crn(object(item, path).crn, `${path}.crn`), report);
    upstream.handle = (_req, res) => json(res, 200, { content: [] });
    const whole = await failureOf(client.call({ route: 'POST /crns', method: 'POST', path: '/crns', json: [], decode }, scope()));
    expect(whole).toMatchObject({ failure: 'bad-response', reason: 'shape', retryable: false });
    upstream.handle = (_req, res) => json(res, 200, [{ crn: 'X123456' }, { crn: 'eiusmod in amet' }, { crn: 7 }, { crn: 'X654321' }]);
    const result = await client.call({ route: 'POST /crns', method: 'POST', path: '/crns', json: [], decode }, scope());
    expect(result.body).toEqual(['X123456', 'X654321']);
    expect(await violations(metrics, { route: 'POST /crns', reason: 'value' })).toBe(1);
    expect(await violations(metrics, { route: 'POST /crns', reason: 'shape' })).toBe(2);
    expect(ContractViolation).toBeDefined();
    client.close();
  });

  it('logs a contract violation with upstream, route and reason, at most once per interval per route and reason', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const metrics = new Metrics({ processMetrics: false });
    const tokens = new TokenProvider({ tokenUrl: auth.url, clientId: 'id', clientSecret: 'secret', timeoutMs: 2000, metrics }, silent);
    const client = new UpstreamClient('alerts', settings(), tokens, logger, metrics);
    upstream.handle = (_req, res) => json(res, 404, {});
    for (let i = 0; i < 5; i++) await failureOf(client.call({ route: 'GET /alerts/{id}', method: 'GET', path: '/alerts/1' }, scope()));
    const logged = lines.filter((l) => l.event === 'upstream_contract_violation');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ upstream: 'alerts', route: 'GET /alerts/{id}', reason: 'unexpected_status', requestId: 'test-request' });
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { upstream: 'alerts' })).toBe(5);
    client.close();
  });
});

describe('size cap', () => {
  it('refuses a body whose declared length is over the cap, and aborts a chunked body when it grows past it', async () => {
    const { client, metrics } = clientWith({ maxResponseBytes: 64 * 1024 });
    upstream.handle = (_req, res) => json(res, 200, { blob: 'x'.repeat(100 * 1024) });
    const declared = await failureOf(client.call({ route: 'GET /big', method: 'GET', path: '/big' }, scope()));
    expect(declared).toMatchObject({ failure: 'bad-response', reason: 'too_large', retryable: false });
    // An endless chunked body: the call ends at the cap, long before the timeout.
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    upstream.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write('"' + 'y'.repeat(8 * 1024) + '",');
        sent += 8 * 1024;
      }, 1);
    };
    const started = Date.now();
    const endless = await failureOf(client.call({ route: 'GET /endless', method: 'GET', path: '/endless' }, scope()));
    clearInterval(timer);
    expect(endless).toMatchObject({ failure: 'bad-response', reason: 'too_large' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(sent).toBeLessThan(1024 * 1024);
    expect(await metricValue(metrics, 'gateway_upstream_contract_violations_total', { reason: 'too_large' })).toBe(2);
    client.close();
  });

  it('an answer under the cap is read whole', async () => {
    const { client } = clientWith({ maxResponseBytes: 64 * 1024 });
    upstream.handle = (_req, res) => json(res, 200, { blob: 'x'.repeat(60 * 1024) });
    const result = await client.call<{ blob: string }>({ route: 'GET /big', method: 'GET', path: '/big' }, scope());
    expect(result.body?.blob).toHaveLength(60 * 1024);
    client.close();
  });
});
