/**
 * What the health checks accept as UP, against a local HTTP server answering what real services (or
 * impostors) answer: the Spring Boot actuator's own media type is JSON; `{"status":"DOWN"}` is an honest
 * DOWN (not a contract violation); a redirect is not followed; a token answer needs an access_token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchToken, pingUpstream } from '../../src/server/health.js';

let server: Server;
let url = '';
let answer: (res: ServerResponse, path: string) => void = (res) => res.end();

beforeAll(async () => {
  server = createServer((req, res) => answer(res, req.url ?? ''));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
};

describe('pingUpstream', () => {
  it.each([
    ['Spring Boot actuator v3 JSON', send(200, 'application/vnd.spring-boot.actuator.v3+json', '{"status":"UP"}'), { up: true }],
    ['plain JSON', send(200, 'application/json; charset=utf-8', '{"status":"UP"}'), { up: true }],
    ['an honest DOWN', send(503, 'application/json', '{"status":"DOWN"}'), { up: false, httpStatus: 503, reason: 'HTTP 503', violation: null }],
    ['status OUT_OF_SERVICE with 200', send(200, 'application/json', '{"status":"OUT_OF_SERVICE"}'), { up: false, reason: 'status OUT_OF_SERVICE', violation: null }],
    ['a redirect (not followed)', send(302, 'text/html', '', { location: `/elsewhere` }), { up: false, httpStatus: 302, violation: { route: 'GET /health/ping', reason: 'redirect' } }],
    ['401 (a gateway in front asking for credentials)', send(401, 'application/json', '{}'), { up: false, reason: 'HTTP 401: refused', violation: null }],
    ['JSON array', send(200, 'application/json', '[]'), { up: false, violation: { route: 'GET /health/ping', reason: 'shape' } }],
    ['truncated JSON', send(200, 'application/json', '{"status":'), { up: false, reason: 'body is not valid JSON', violation: { route: 'GET /health/ping', reason: 'not_json' } }],
  ])('%s', async (_name, respond, expected) => {
    answer = respond;
    const result = await pingUpstream(url, 1000);
    const { violation, ...rest } = expected as { violation?: unknown };
    expect(result).toMatchObject(rest);
    // null: an answer that is DOWN but honest is no contract violation.
    if (violation === null) expect(result.violation).toBeUndefined();
    else if (violation !== undefined) expect(result.violation).toEqual(violation);
    expect(result.latencyMs).toEqual(expect.any(Number));
  });

  it('asks <base URL>/health/ping, with a path prefix kept', async () => {
    let asked = '';
    answer = (res, path) => {
      asked = path;
      send(200, 'application/json', '{"status":"UP"}')(res);
    };
    expect((await pingUpstream(`${url}/prefix/`, 1000)).up).toBe(true);
    expect(asked).toBe('/prefix/health/ping');
  });

  it('a server that never answers is DOWN at the timeout', async () => {
    answer = () => undefined;
    const started = Date.now();
    expect(await pingUpstream(url, 200)).toMatchObject({ up: false, error: 'ETIMEDOUT', reason: 'connection failed: ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('fetchToken', () => {
  const auth = () => ({ tokenUrl: url, clientId: 'id', clientSecret: 'secret' });

  it('UP with 200 JSON carrying an access_token, asked at /auth/oauth/token with Basic credentials', async () => {
    let authorization = '';
    answer = (res) => send(200, 'application/json', '{"access_token":"t","expires_in":1200}')(res);
    server.once('request', (req) => (authorization = String(req.headers.authorization)));
    expect(await fetchToken(auth(), 1000)).toMatchObject({ up: true, httpStatus: 200 });
    expect(authorization).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
  });

  it.each([
    ['401 (wrong secret)', send(401, 'application/json', '{"error":"unauthorized"}'), { reason: 'HTTP 401: token request refused (wrong CLIENT_ID or CLIENT_SECRET?)', violation: null }],
    ['200 without access_token', send(200, 'application/json', '{"token":"t"}'), { reason: 'unexpected JSON (no access_token)', violation: { route: 'POST /auth/oauth/token', reason: 'shape' } }],
    ['404', send(404, 'text/html', 'nope'), { httpStatus: 404, violation: { route: 'POST /auth/oauth/token', reason: 'unexpected_status' } }],
  ])('%s is DOWN', async (_name, respond, expected) => {
    answer = respond;
    const result = await fetchToken(auth(), 1000);
    const { violation, ...rest } = expected as { violation?: unknown };
    expect(result).toMatchObject({ up: false, ...rest });
    if (violation === null) expect(result.violation).toBeUndefined();
    else expect(result.violation).toEqual(violation);
  });
});
