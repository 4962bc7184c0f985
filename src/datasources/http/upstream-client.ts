import { Pool, type Dispatcher } from 'undici';
import type { UpstreamConfig, UpstreamName } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { Metrics } from '../../observability/metrics.js';
import { childTraceparent } from '../../observability/trace.js';
import { CircuitBreaker, type BreakerPermit } from './breaker.js';
import { Bulkhead, BulkheadRefused } from './bulkhead.js';
import { UpstreamError, type UpstreamFailure } from './errors.js';
import { backoffMs, isIdempotent, RETRYABLE_CODES, RETRYABLE_STATUSES } from './retry.js';
import { sleepWithin, timeLeft } from './scope.js';
import type { TokenProvider } from './token-provider.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';

export interface CallOptions {
  /** The route template, e.g. `POST /crns`: used in logs, metrics and errors instead of the concrete path. */
  route: string;
  method: Method;
  path: string;
  searchParams?: Record<string, string | number | boolean>;
  json?: unknown;
  /** Statuses that are an answer, not a failure (404 = "no such person" on most routes). */
  acceptStatuses?: number[];
  /**
   * Whether the call may be repeated. Defaults to true for GET and for the read-only POST routes
   * in `READ_ONLY_POST_ROUTES`, false otherwise.
   */
  idempotent?: boolean;
}

export interface UpstreamResponse<T> {
  status: number;
  body: T | null;
}

/**
 * What one GraphQL request tells its upstream calls: its id (for logs and tracing) and, where set,
 * a signal that aborts its pending calls (client gone, deadline passed), the epoch-ms deadline no
 * call may outlive, the W3C traceparent of the gateway's span, and a counter of the upstream
 * attempts made for it (for the access log).
 */
export interface RequestScope {
  requestId: string;
  signal?: AbortSignal;
  deadline?: number;
  traceparent?: string;
  stats?: { upstreamCalls: number };
}

/** The calls a route module makes, bound to one request's scope. */
export interface UpstreamCaller {
  call<T>(options: CallOptions): Promise<UpstreamResponse<T>>;
  get<T>(route: string, path: string, searchParams?: CallOptions['searchParams'], acceptStatuses?: number[]): Promise<T | null>;
  post<T>(route: string, path: string, json: unknown, acceptStatuses?: number[]): Promise<T | null>;
}

/** Below this much time left before the deadline, no new attempt is started. */
const MIN_ATTEMPT_MS = 20;

/** Abort reasons of one call (preallocated: no exception object is built per aborted call). */
const CALL_TIMED_OUT = new Error('upstream call timed out');
const REQUEST_ABORTED = new Error('request aborted');

/** Redirects followed per call (e.g. the core person record answers a merged prison number with 301). */
const MAX_REDIRECTS = 2;

interface RawResponse {
  statusCode: number;
  body: string;
  /** The `location` header, when there was exactly one. */
  location?: string;
}

/**
 * One call's exchanges with the pool (one per redirect hop), as an undici dispatch handler of our
 * own: what `Pool.request` + `body.text()` do, without a body stream, an AsyncResource or an
 * AbortSignal per call. `cancel` aborts the exchange in progress like an aborted signal would make
 * `Pool.request` do: at once when it is on a connection, else as soon as it gets one; the exchange
 * then fails with the cancel reason. After a cancel, the call makes no further exchange.
 */
class Exchange implements Dispatcher.DispatchHandler {
  /** Why the call was cancelled (CALL_TIMED_OUT or REQUEST_ABORTED), null while it was not. */
  reason: Error | null = null;
  private controller: Dispatcher.DispatchController | null = null;
  private statusCode = 0;
  private location: string | undefined = undefined;
  private chunks: Buffer[] = [];
  private length = 0;
  private resolve: ((response: RawResponse) => void) | null = null;
  private reject: ((error: Error) => void) | null = null;

  /** Sends one request on the pool and reads the whole answer. */
  run(pool: Pool, options: Dispatcher.DispatchOptions): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      pool.dispatch(options, this);
    });
  }

  cancel(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Also called again when undici retries a request that got no answer on a failed connection.
    this.controller = controller;
    this.statusCode = 0;
    this.location = undefined;
    this.chunks = [];
    this.length = 0;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // informational (1xx): the answer follows
    this.statusCode = statusCode;
    const location = headers.location;
    this.location = typeof location === 'string' ? location : undefined;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  onResponseEnd(): void {
    const response: RawResponse = { statusCode: this.statusCode, body: decodeBody(this.chunks, this.length) };
    if (this.location !== undefined) response.location = this.location;
    const resolve = this.resolve;
    this.settled();
    resolve?.(response);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const reject = this.reject;
    this.settled();
    reject?.(error);
  }

  private settled(): void {
    this.controller = null;
    this.chunks = [];
    this.resolve = null;
    this.reject = null;
  }
}

/** The body as text, as undici's `body.text()` decodes it: UTF-8, a byte order mark skipped. */
function decodeBody(chunks: Buffer[], length: number): string {
  if (chunks.length === 0 || length === 0) return '';
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start, buffer.length);
}

function timeOut(exchange: Exchange): void {
  exchange.cancel(CALL_TIMED_OUT);
}

/**
 * The pending calls of each request signal: one abort listener per signal cancels them all, instead
 * of one listener added and removed per call (and no MaxListenersExceededWarning when a request has
 * more than ten calls in flight).
 */
const pendingBySignal = new WeakMap<AbortSignal, Set<Exchange>>();

function watchAbort(signal: AbortSignal, exchange: Exchange): void {
  let pending = pendingBySignal.get(signal);
  if (!pending) {
    const calls = new Set<Exchange>();
    pending = calls;
    pendingBySignal.set(signal, calls);
    signal.addEventListener(
      'abort',
      () => {
        for (const call of calls) call.cancel(REQUEST_ABORTED);
        calls.clear();
      },
      { once: true },
    );
  }
  pending.add(exchange);
}

function unwatchAbort(signal: AbortSignal, exchange: Exchange): void {
  pendingBySignal.get(signal)?.delete(exchange);
}

/** The label-bound metric children of one route. */
interface RouteMetrics {
  duration: { observe(value: number): void };
  calls: Map<string, { inc(value?: number): void }>;
}

/** One failed attempt: the error the caller sees, and whether another attempt may help. */
class AttemptFailed extends Error {
  constructor(
    readonly error: UpstreamError,
    readonly retryable: boolean,
  ) {
    super(error.message);
  }
}

/**
 * The one HTTP client every upstream call goes through (undici, not got: docs/adr/0006). Per upstream: a
 * keep-alive connection pool, base URL and timeout, a circuit breaker and a bound on calls in flight (with a bounded queue). Per call: a
 * bearer token from HMPPS Auth (one refresh-and-resend on 401), a timeout of the smaller of the
 * upstream's own timeout and the time left before the request's deadline, retries with exponential
 * backoff and jitter for idempotent calls on connection errors, 502/503/504 and timeouts (never past
 * the deadline), the request's abort signal and a child W3C traceparent.
 */
export class UpstreamClient {
  private readonly pool: Pool;
  /** Path prefix of the base URL (an upstream may live below the root of its host). */
  private readonly basePath: string;
  private readonly breaker: CircuitBreaker;
  private readonly bulkhead: Bulkhead;
  private readonly untrackLoad: () => void;
  /** Label-bound metric children per route (and status): no label object is built or checked per call. */
  private readonly routeMetrics = new Map<string, RouteMetrics>();

  constructor(
    readonly name: UpstreamName,
    private readonly config: UpstreamConfig,
    private readonly tokens: TokenProvider,
    private readonly logger: Logger,
    private readonly metrics: Metrics = new Metrics({ processMetrics: false }),
  ) {
    const base = new URL(config.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, '');
    // The bulkhead already bounds calls in flight; the pool keeps that many connections alive.
    this.pool = new Pool(base.origin, { connections: config.maxInFlight, pipelining: 1, keepAliveTimeout: 30_000 });
    metrics.initCircuit(name);
    this.breaker = new CircuitBreaker(config.breaker, (state) => {
      metrics.setCircuitState(name, state);
      logger.warn({ event: 'circuit', upstream: name, state }, `circuit for ${name} is ${state.replace('_', '-')}`);
    });
    const bulkhead = new Bulkhead(config.maxInFlight, config.maxQueue);
    this.bulkhead = bulkhead;
    // Read at each scrape: the calls themselves never touch the in-flight/queued gauges.
    this.untrackLoad = metrics.trackUpstreamLoad(name, () => ({ inFlight: bulkhead.active, queued: bulkhead.queued }));
  }

  /** `closed`, `open` or `half_open`. */
  get circuitState() {
    return this.breaker.state;
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  /** This client, bound to one request's scope. */
  scoped(scope: RequestScope): UpstreamCaller {
    return {
      call: (options) => this.call(options, scope),
      get: (route, path, searchParams, acceptStatuses = [404]) =>
        this.call<never>({ route, method: 'GET', path, searchParams, acceptStatuses }, scope).then((r) => r.body),
      post: (route, path, json, acceptStatuses = []) =>
        this.call<never>({ route, method: 'POST', path, json, acceptStatuses }, scope).then((r) => r.body),
    };
  }

  async call<T>(options: CallOptions, scope: RequestScope): Promise<UpstreamResponse<T>> {
    const retries = isIdempotent(this.name, options.method, options.route, options.idempotent) ? this.config.retry.maxRetries : 0;
    this.observeBatch(options);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<T>(options, scope, attempt);
      } catch (e) {
        if (!(e instanceof AttemptFailed)) throw e;
        if (!e.retryable || attempt >= retries) throw e.error;
        const delay = backoffMs(attempt, this.config.retry);
        if (timeLeft(scope) < delay + MIN_ATTEMPT_MS || scope.signal?.aborted) throw e.error;
        this.metrics.upstreamRetries.inc({ upstream: this.name, route: options.route });
        this.logger.debug(
          { requestId: scope.requestId, upstream: this.name, route: options.route, attempt: attempt + 1, delayMs: delay },
          'retrying upstream call',
        );
        if (!(await sleepWithin(delay, scope))) throw e.error;
      }
    }
  }

  close(): void {
    this.untrackLoad();
    void this.pool.destroy();
  }

  /** One attempt: refusals are thrown synchronously; with a free slot, no extra async hop before the exchange. */
  private attempt<T>(options: CallOptions, scope: RequestScope, attempt: number): Promise<UpstreamResponse<T>> {
    const { route } = options;
    this.refuseIfOver(scope, route);
    const permit = this.breaker.allow();
    if (!permit) {
      this.count(route, 'circuit_open');
      throw new AttemptFailed(new UpstreamError(this.name, route, 'unavailable', null, 'circuit open: failing fast'), false);
    }
    const release = this.bulkhead.tryAcquire();
    if (release) return this.exchange<T>(options, scope, permit, release, attempt);
    return this.queued<T>(options, scope, permit, attempt);
  }

  /** No slot free: wait for one in the bulkhead's queue (within the request's deadline and abort signal). */
  private async queued<T>(options: CallOptions, scope: RequestScope, permit: BreakerPermit, attempt: number): Promise<UpstreamResponse<T>> {
    const { route } = options;
    let release: () => void;
    try {
      release = await this.bulkhead.acquire(scope.signal, scope.deadline);
    } catch (e) {
      permit.neutral();
      const reason = e instanceof BulkheadRefused ? e.reason : 'aborted';
      this.count(route, reason === 'queue_full' ? 'queue_full' : reason === 'deadline' ? 'timeout' : 'aborted');
      const failure: UpstreamFailure = reason === 'deadline' ? 'timeout' : 'unavailable';
      throw new AttemptFailed(new UpstreamError(this.name, route, failure, null, `no slot (${reason})`), false);
    }
    return this.exchange<T>(options, scope, permit, release, attempt);
  }

  /** The exchange of one attempt (a 401 renews the token and resends once), holding a bulkhead slot until it ends. */
  private async exchange<T>(
    options: CallOptions,
    scope: RequestScope,
    permit: BreakerPermit,
    release: () => void,
    attempt: number,
  ): Promise<UpstreamResponse<T>> {
    try {
      const { route } = options;
      // A valid cached token is taken synchronously; only a refresh is awaited.
      let token = this.tokens.cachedToken();
      if (token === null) {
        try {
          token = await this.tokens.token(scope);
        } catch (e) {
          permit.neutral();
          throw this.tokenFailure(e, route);
        }
      }
      let response = await this.send(options, token, scope, permit, attempt);
      if (response.statusCode === 401) {
        try {
          token = await this.tokens.renewAfterRejection(token, scope);
        } catch (e) {
          permit.neutral();
          throw this.tokenFailure(e, route);
        }
        response = await this.send(options, token, scope, permit, attempt);
      }
      const status = response.statusCode;
      if (options.acceptStatuses?.includes(status)) {
        permit.success();
        return { status, body: null };
      }
      if (status < 200 || status > 299) {
        // A 4xx says something about the request, not about the upstream's health.
        if (status >= 500 || status === 429) permit.failure();
        else permit.neutral();
        throw new AttemptFailed(
          new UpstreamError(this.name, route, 'unavailable', status, 'unexpected status'),
          RETRYABLE_STATUSES.has(status),
        );
      }
      if (status === 204 || response.body.length === 0) {
        permit.success();
        return { status, body: null };
      }
      let body: T;
      try {
        body = JSON.parse(response.body) as T;
      } catch {
        permit.failure();
        throw new AttemptFailed(new UpstreamError(this.name, route, 'bad-response', status, 'body is not valid JSON'), false);
      }
      permit.success();
      return { status, body };
    } finally {
      release();
    }
  }

  /**
   * One HTTP exchange on the pool (following same-origin redirects), the whole body read as text,
   * within the call's budget: the smaller of the upstream's timeout and the time left before the
   * deadline. Aborted at once when the request is aborted.
   */
  private async send(options: CallOptions, token: string, scope: RequestScope, permit: BreakerPermit, attempt: number): Promise<RawResponse> {
    const { route } = options;
    this.refuseIfOver(scope, route, permit);
    const left = timeLeft(scope);
    const budget = Math.max(1, Math.floor(Math.min(this.config.timeoutMs, left)));
    const truncated = budget < this.config.timeoutMs;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-request-id': scope.requestId };
    if (scope.traceparent) headers.traceparent = childTraceparent(scope.traceparent);
    if (scope.stats) scope.stats.upstreamCalls++;
    const started = performance.now();
    // undici's own header/body timers are coarse above one second and per phase: one plain timer per
    // call gives the exact budget (AbortSignal.timeout/any cost several times more per call). The
    // exchange is dispatched with a handler of our own that aborts it directly: no AbortController,
    // no listener on the request's signal per call (one per signal, see watchAbort), no body stream.
    const exchange = new Exchange();
    const timer = setTimeout(timeOut, budget, exchange);
    const signal = scope.signal;
    if (signal) watchAbort(signal, exchange);
    try {
      const body = options.json === undefined ? undefined : JSON.stringify(options.json);
      if (body !== undefined) headers['content-type'] = 'application/json';
      headers.accept = 'application/json';
      let path = this.basePath + options.path + queryString(options.searchParams);
      let response: RawResponse;
      for (let hop = 0; ; hop++) {
        response = await exchange.run(this.pool, { path, method: options.method, headers, body });
        const location = response.location;
        if (response.statusCode >= 301 && response.statusCode <= 308 && typeof location === 'string' && hop < MAX_REDIRECTS) {
          const target = new URL(location, `${this.config.baseUrl}/`);
          // Only within the same upstream: a redirect elsewhere is not followed (and is answered as is).
          if (target.origin === new URL(this.config.baseUrl).origin) {
            path = target.pathname + target.search;
            continue;
          }
          response = { statusCode: response.statusCode, body: '', location };
        }
        break;
      }
      const ms = elapsed(started);
      this.count(route, String(response.statusCode), ms);
      if (this.logger.isLevelEnabled('debug')) {
        this.logger.debug(
          { requestId: scope.requestId, upstream: this.name, route, status: response.statusCode, ms, attempt },
          'upstream call',
        );
      }
      return response;
    } catch (e) {
      const ms = elapsed(started);
      if (signal?.aborted) {
        permit.neutral();
        const pastDeadline = timeLeft(scope) <= 0;
        this.count(route, pastDeadline ? 'timeout' : 'aborted', ms);
        this.logger.debug({ requestId: scope.requestId, upstream: this.name, route, ms, attempt }, 'upstream call aborted');
        throw new AttemptFailed(
          new UpstreamError(this.name, route, pastDeadline ? 'timeout' : 'unavailable', null, 'aborted'),
          false,
        );
      }
      const timedOut = exchange.reason === CALL_TIMED_OUT;
      const code = timedOut ? 'ETIMEDOUT' : errorCode(e);
      // A call cut short by the request's deadline says little about the upstream; a full timeout does.
      if (timedOut && truncated) permit.neutral();
      else permit.failure();
      this.count(route, timedOut ? 'timeout' : 'connection_error', ms);
      this.logger.warn({ requestId: scope.requestId, upstream: this.name, route, code, ms, attempt }, 'upstream call failed');
      throw new AttemptFailed(
        new UpstreamError(this.name, route, timedOut ? 'timeout' : 'unavailable', null, code),
        RETRYABLE_CODES.has(code),
      );
    } finally {
      clearTimeout(timer);
      if (signal) unwatchAbort(signal, exchange);
    }
  }

  /** Before any attempt: a request that was aborted or is past its deadline makes no more calls. */
  private refuseIfOver(scope: RequestScope, route: string, permit?: BreakerPermit): void {
    const past = timeLeft(scope) < MIN_ATTEMPT_MS;
    if (!scope.signal?.aborted && !past) return;
    permit?.neutral();
    this.count(route, past ? 'timeout' : 'aborted');
    throw new AttemptFailed(new UpstreamError(this.name, route, past ? 'timeout' : 'unavailable', null, 'no time left'), false);
  }

  /** The token endpoint's failure, reported on the data area of the call that needed the token. */
  private tokenFailure(e: unknown, route: string): AttemptFailed {
    const failure: UpstreamFailure = e instanceof UpstreamError && e.failure === 'timeout' ? 'timeout' : 'unavailable';
    this.count(route, 'token_unavailable');
    return new AttemptFailed(
      new UpstreamError(this.name, route, failure, null, `no token: ${e instanceof Error ? e.message : String(e)}`),
      false,
    );
  }

  private count(route: string, status: string, ms?: number): void {
    let children = this.routeMetrics.get(route);
    if (!children) {
      children = { duration: this.metrics.upstreamDuration.labels({ upstream: this.name, route }), calls: new Map() };
      this.routeMetrics.set(route, children);
    }
    let calls = children.calls.get(status);
    if (!calls) {
      calls = this.metrics.upstreamCalls.labels({ upstream: this.name, route, status });
      children.calls.set(status, calls);
    }
    calls.inc();
    if (ms !== undefined) children.duration.observe(ms / 1000);
  }

  /** Keys sent to a batch route: an array body, or the one array in an object body. */
  private observeBatch(options: CallOptions): void {
    if (options.method !== 'POST' || options.json === undefined || options.json === null) return;
    const body = options.json;
    let size: number | undefined;
    if (Array.isArray(body)) size = body.length;
    else if (typeof body === 'object') {
      const arrays = Object.values(body as Record<string, unknown>).filter(Array.isArray);
      if (arrays.length === 1) size = (arrays[0] as unknown[]).length;
    }
    if (size !== undefined) this.metrics.batchSize.observe({ upstream: this.name, route: options.route }, size);
  }
}

function queryString(params: CallOptions['searchParams']): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) search.append(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The system error code of a failed exchange (undici wraps connection errors: the code is on the cause). */
function errorCode(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string } };
  if (err.cause?.code && err.cause.code.startsWith('E')) return err.cause.code;
  if (err.code === 'UND_ERR_SOCKET' || err.code === 'UND_ERR_CLOSED') return 'ECONNRESET';
  if (err.code === 'UND_ERR_CONNECT_TIMEOUT' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') {
    return 'ETIMEDOUT';
  }
  return err.code ?? 'ERROR';
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
