/**
 * Runs one node:http listener per upstream plus an admin listener. Each request goes:
 * route match -> injected faults (hang, errors) -> bearer token check -> handler -> optional
 * malformed-JSON corruption -> serialisation -> wait for the deadline -> send. The deadline is
 * arrival + base latency (+ any fault latency): the simulator's own work is part of the latency,
 * as a real upstream's processing is part of its response time. Every matched request is counted
 * per route.
 */

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type FaultConfig, type Impostor, driftBody, faultApplies } from './faults.js';
import {
  DEFAULT_PING_PATH,
  HttpError,
  type MatchResult,
  type RouteContext,
  Router,
  type SimResponse,
  type UpstreamDefinition,
  type UpstreamName,
  routeKey,
} from './http.js';
import { TokenStore, bearerToken } from './tokens.js';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class Counters {
  private readonly data = new Map<string, Map<string, number>>();

  inc(group: string, key: string): void {
    let g = this.data.get(group);
    if (g === undefined) {
      g = new Map();
      this.data.set(group, g);
    }
    g.set(key, (g.get(key) ?? 0) + 1);
  }

  snapshot(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [g, m] of this.data) out[g] = Object.fromEntries(m);
    return out;
  }

  reset(): void {
    this.data.clear();
  }
}

/** One answered upstream call: when it arrived and when its answer was sent (ms since the epoch). */
export interface CallRecord {
  upstream: string;
  route: string;
  start: number;
  end: number;
}

/**
 * The most recent answered calls with their arrival and answer times, for measuring how many
 * sequential rounds of calls a gateway request makes (tests/e2e/rounds.test.ts). Bounded: the oldest
 * calls are dropped past `limit`, so a benchmark's hours of calls cost nothing to keep.
 */
export class CallLog {
  private calls: CallRecord[] = [];

  constructor(private readonly limit = 2000) {}

  add(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > this.limit * 2) this.calls = this.calls.slice(-this.limit);
  }

  snapshot(): CallRecord[] {
    return this.calls.slice(-this.limit);
  }

  reset(): void {
    this.calls = [];
  }
}

export interface SharedState {
  tokens: TokenStore;
  counters: Counters;
  /** Arrival and answer times of the latest calls; reset with the counters. */
  calls: CallLog;
  faults: Map<UpstreamName, FaultConfig>;
  baseLatencyMs: number;
  log(message: string): void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves in the check phase, after the callbacks of every I/O event already polled. */
function afterPendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves at `deadline` (a performance.now() time) or just after, never before: timers tick in
 * whole milliseconds, so a timer that fires a fraction early is followed by a 1 ms one.
 */
async function sleepUntil(deadline: number): Promise<void> {
  for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) await sleep(Math.ceil(left));
}

export class UpstreamServer {
  readonly name: UpstreamName;
  private readonly definition: UpstreamDefinition;
  private readonly router: Router;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private listening = false;

  constructor(
    definition: UpstreamDefinition,
    private readonly host: string,
    private readonly state: SharedState,
  ) {
    this.name = definition.name;
    this.definition = definition;
    this.router = new Router(definition.routes);
    this.server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.state.log(`${this.name}: unexpected error ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) this.send(res, { status: 500, body: this.definition.errorBody(500, 'Internal simulator error') });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  get isListening(): boolean {
    return this.listening;
  }

  routeKeys(): string[] {
    return this.definition.routes.map(routeKey);
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.server.off('listening', onListening);
        reject(err);
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.boundPort = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen({ port, host: this.host, exclusive: true });
    });
  }

  /** Stop accepting and drop every open connection (hanging requests included). */
  close(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }

  /** Outage on: connection refused. Off: listen again on the same port. */
  async setOutage(outage: boolean): Promise<void> {
    if (outage && this.listening) await this.close();
    else if (!outage && !this.listening) await this.listen(this.boundPort);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The configured latency is the response time from arrival: the work below happens inside it.
    const arrival = performance.now();
    const rawBody = await readBody(req);
    // Let the event loop take in every request that has arrived before working on this one, so
    // that their arrival times are not pushed back by this request's work.
    if (this.state.baseLatencyMs > 0 || this.state.faults.size > 0) await afterPendingIo();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const match: MatchResult = this.router.match(method, url.pathname);
    const pingPath = this.definition.pingPath ?? DEFAULT_PING_PATH;
    const ping = method === 'GET' && url.pathname === pingPath;
    // The ping is not a route of the upstream's API (not counted, not in /admin/routes), but faults can target it.
    const key = match.kind === 'found' ? routeKey(match.route) : ping ? `GET ${pingPath}` : null;

    const fault = this.state.faults.get(this.name);
    const active = fault !== undefined && faultApplies(fault, key);

    if (active && fault.hang === true) {
      if (key !== null) this.state.counters.inc(this.name, key);
      return; // accept and never answer; the socket is destroyed on close/outage
    }

    let latency = this.state.baseLatencyMs;
    if (active) latency += (fault.latencyMs ?? 0) + (fault.latencyJitterMs ? Math.random() * fault.latencyJitterMs : 0);

    let answer: Prepared;
    if (active && fault.respondWith !== undefined) {
      if (key !== null && !ping) this.state.counters.inc(this.name, key);
      answer = impostor(fault.respondWith, url.pathname);
    } else if (active && fault.errorRate !== undefined && fault.errorRate > 0 && Math.random() < fault.errorRate) {
      if (key !== null) this.state.counters.inc(this.name, key);
      const statuses = fault.errorStatuses ?? [500];
      const status = statuses[Math.floor(Math.random() * statuses.length)] ?? 500;
      answer = prepare({ status, body: this.definition.errorBody(status, 'Injected fault') });
    } else {
      let response: SimResponse;
      try {
        response = ping ? { status: 200, body: { status: 'UP' } } : this.respond(req, method, url, match, rawBody);
      } catch (err) {
        this.state.log(`${this.name}: unexpected error ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        response = { status: 500, body: this.definition.errorBody(500, 'Internal simulator error') };
      }
      if (active && !ping && (fault.bodyBytes !== undefined || fault.endlessBody === true) && response.status < 300) {
        if (latency > 0) await sleepUntil(arrival + latency);
        streamBody(res, fault.endlessBody === true ? Number.POSITIVE_INFINITY : (fault.bodyBytes ?? 0));
        return;
      }
      if (active && !ping && fault.drift !== undefined && response.status >= 200 && response.status < 300 && response.body !== undefined) {
        response = { ...response, body: driftBody(response.body, fault.drift, fault.driftDepth) };
      }
      if (active && fault.malformedJson === true) {
        const text = JSON.stringify(response.body ?? {});
        answer = { status: 200, headers: { 'Content-Type': 'application/json' }, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
      } else {
        answer = prepare(response);
      }
    }

    if (latency > 0) await sleepUntil(arrival + latency);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.text);
    if (key !== null && !ping) {
      this.state.calls.add({ upstream: this.name, route: key, start: performance.timeOrigin + arrival, end: performance.timeOrigin + performance.now() });
    }
  }

  /** Bearer token check, then the route's handler (or 404/405). */
  private respond(req: http.IncomingMessage, method: string, url: URL, match: MatchResult, rawBody: string): SimResponse {
    if (this.definition.requiresToken) {
      const token = bearerToken(req.headers.authorization);
      if (token === null || !this.state.tokens.isValid(token)) {
        this.state.counters.inc('_unauthorized', this.name);
        return {
          status: 401,
          body: this.definition.errorBody(401, token === null ? 'Authentication is required' : 'Invalid or expired token'),
          headers: { 'WWW-Authenticate': 'Bearer' },
        };
      }
    }

    if (match.kind === 'not-found') {
      // What an HMPPS service's handler answers for a path it does not serve (Spring's NoResourceFoundException).
      return { status: 404, body: this.definition.errorBody(404, `No resource found failure: No static resource ${url.pathname.replace(/^\//, '')}.`) };
    }
    if (match.kind === 'method-not-allowed') {
      return {
        status: 405,
        body: this.definition.errorBody(405, `Method ${method} is not supported here`),
        headers: { Allow: [...new Set(match.allowed)].join(', ') },
      };
    }
    this.state.counters.inc(this.name, routeKey(match.route));
    const ctx: RouteContext = {
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      json: () => {
        try {
          return JSON.parse(rawBody) as unknown;
        } catch {
          throw new HttpError(400, 'Request body is not valid JSON');
        }
      },
    };
    try {
      return match.route.handler(ctx);
    } catch (err) {
      if (err instanceof HttpError) return { status: err.status, body: this.definition.errorBody(err.status, err.message) };
      throw err;
    }
  }

  private send(res: http.ServerResponse, response: SimResponse): void {
    const answer = prepare(response);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.text);
  }
}

/** What answers when something else stands where the upstream should be (fault `respondWith`). */
function impostor(kind: Impostor, path: string): Prepared {
  switch (kind) {
    case 'notFound':
      // A server that has never heard of this path: Spring Boot's default error body, not the upstream's own.
      return prepare({ status: 404, body: { timestamp: '2026-08-21T12:00:00.000+00:00', status: 404, error: 'Not Found', path } });
    case 'redirect':
      return prepare({ status: 301, headers: { Location: `https://moved.example.invalid${path}` }, body: { moved: true } });
    case 'html': {
      const text = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>';
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }, text };
    }
    case 'otherJson':
      return prepare({ status: 200, body: { service: 'something-else', version: 3, items: { count: 0 } } });
  }
}

/**
 * A huge (or endless) 2xx JSON body, streamed in 64 KiB chunks as fast as the client reads it (with
 * back-pressure: the simulator holds one chunk at a time), until `bytes` or the client goes away.
 */
function streamBody(res: http.ServerResponse, bytes: number): void {
  const chunk = Buffer.from(`"${'x'.repeat(64 * 1024 - 4)}",`);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write('[');
  let sent = 1;
  const pump = (): void => {
    while (!res.destroyed) {
      if (sent + chunk.length + 3 > bytes) {
        res.end('"x"]');
        return;
      }
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  res.on('close', () => res.removeListener('drain', pump));
  pump();
}

/** A response ready to write: body serialised, headers final. */
interface Prepared {
  status: number;
  headers: Record<string, string>;
  text: string | Buffer | undefined;
}

function prepare(response: SimResponse): Prepared {
  const headers: Record<string, string> = { ...response.headers };
  if (response.bytes !== undefined) {
    headers['Content-Length'] = String(response.bytes.length);
    return { status: response.status, headers, text: response.bytes };
  }
  if (response.body === undefined) return { status: response.status, headers, text: undefined };
  const text = JSON.stringify(response.body);
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  return { status: response.status, headers, text };
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
