import { Transform, type Readable } from 'node:stream';
import { Pool } from 'undici';
import type { UpstreamConfig, UpstreamName } from '../../config/index.js';
import { logContextOf, type LogContext } from '../../observability/log-context.js';
import type { Logger } from '../../observability/logger.js';
import { Metrics } from '../../observability/metrics.js';
import { childTraceparent } from '../../observability/trace.js';
import { CircuitBreaker, type BreakerPermit } from './breaker.js';
import { Bulkhead, BulkheadRefused } from './bulkhead.js';
import { ContractViolation } from './contract.js';
import { UpstreamError, type ContractReason, type UpstreamFailure } from './errors.js';
import { unwatchAbort, watchAbort } from './abort-watch.js';
import { CALL_TIMED_OUT, Exchange, RESPONSE_TOO_LARGE, timeOut, type RawResponse } from './exchange.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../config/index.js';
import { isImageNotFoundAnswer, isNotFoundAnswer } from './not-found.js';
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
  /**
   * Statuses that are an answer, not a failure: only where the route's contract says so (404 = "no
   * such person"). Any other status below 500 (3xx, 4xx but 429) is a contract fault.
   */
  acceptStatuses?: number[];
  /**
   * Checks a 2xx body against the route's contract and returns it typed (see contract.ts). Throws
   * ContractViolation when the answer as a whole is unusable; drops (and reports through `report`)
   * single items that are not. Without it the body is only required to be JSON.
   */
  decode?: (body: unknown, report: ViolationReporter) => unknown;
  /** A 2xx without a body is an answer (default: a contract fault, `empty`). */
  allowEmpty?: boolean;
  /**
   * Whether the call may be repeated. Defaults to true for GET and for the read-only POST routes
   * in `READ_ONLY_POST_ROUTES`, false otherwise.
   */
  idempotent?: boolean;
  /** Follow same-origin redirects (default true); false: a 3xx is the answer (accept it to use it). */
  followRedirects?: boolean;
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
  /** The request's trace id: with requestId, on every log line about its calls. */
  traceId?: string;
  signal?: AbortSignal;
  deadline?: number;
  traceparent?: string;
  stats?: { upstreamCalls: number };
}

/** The calls a route module makes, bound to one request's scope. */
/** Reports a contract violation that spoiled one item of an answer (the rest of the answer stands). */
export type ViolationReporter = (reason: ContractReason, detail: string) => void;

export interface UpstreamCaller {
  call<T>(options: CallOptions): Promise<UpstreamResponse<T>>;
  get<T>(
    route: string,
    path: string,
    searchParams?: CallOptions['searchParams'],
    acceptStatuses?: number[],
    decode?: CallOptions['decode'],
  ): Promise<T | null>;
  post<T>(route: string, path: string, json: unknown, acceptStatuses?: number[], decode?: CallOptions['decode']): Promise<T | null>;
  /** Counts and logs a violation found after the call (e.g. a value out of its domain while mapping). */
  violation(route: string, reason: ContractReason, detail: string): void;
}

/** The detail of a 404 without the service's own not-found body (see not-found.ts). */
const NOT_THE_SERVICES_404 = 'HTTP 404 without the service\'s not-found body (moved or misrouted?)';

/** How much of a streamed 404's body is read to classify it. */
const NOT_FOUND_BODY_BYTES = 16 * 1024;

/** Contract violations logged per upstream route and reason: at most one line per this interval. */
const VIOLATION_LOG_INTERVAL_MS = 10_000;

/** Below this much time left before the deadline, no new attempt is started. */
const MIN_ATTEMPT_MS = 20;

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
  /** When a violation was last logged, per `route reason`, and how many went unlogged since. */
  private readonly violationLog = new Map<string, { at: number; suppressed: number }>();
  private readonly maxResponseBytes: number;
  private readonly origin: string;

  constructor(
    readonly name: UpstreamName,
    private readonly config: UpstreamConfig,
    private readonly tokens: TokenProvider,
    private readonly logger: Logger,
    private readonly metrics: Metrics = new Metrics({ processMetrics: false }),
  ) {
    this.maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const base = new URL(config.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    // The bulkhead already bounds calls in flight; the pool keeps that many connections alive.
    this.pool = new Pool(base.origin, { connections: config.maxInFlight, pipelining: 1, keepAliveTimeout: 30_000 });
    metrics.initCircuit(name);
    this.breaker = new CircuitBreaker(config.breaker, (state, context) => {
      metrics.setCircuitState(name, state);
      logger.warn({ event: 'circuit', upstream: name, state, ...logContextOf(context) }, `circuit for ${name} is ${state.replace('_', '-')}`);
    });
    const bulkhead = new Bulkhead(config.maxInFlight, config.maxQueue);
    this.bulkhead = bulkhead;
    // Read at each scrape: the calls themselves never touch the in-flight/queued gauges.
    this.untrackLoad = metrics.trackUpstreamLoad(name, () => ({ inFlight: bulkhead.active, queued: bulkhead.queued }));
  }

  /** Whether a redirect's target is on this upstream's own origin. */
  private withinService(location: string | undefined): boolean {
    if (location === undefined) return false;
    try {
      return new URL(location, `${this.config.baseUrl}/`).origin === this.origin;
    } catch {
      return false;
    }
  }

  /** `closed`, `open` or `half_open`. */
  get circuitState() {
    return this.breaker.state;
  }

  /** This client, bound to one request's scope. */
  scoped(scope: RequestScope): UpstreamCaller {
    return {
      call: (options) => this.call(options, scope),
      get: (route, path, searchParams, acceptStatuses = [404], decode) =>
        this.call<never>({ route, method: 'GET', path, searchParams, acceptStatuses, ...(decode ? { decode } : {}) }, scope).then((r) => r.body),
      post: (route, path, json, acceptStatuses = [], decode) =>
        this.call<never>({ route, method: 'POST', path, json, acceptStatuses, ...(decode ? { decode } : {}) }, scope).then((r) => r.body),
      violation: (route, reason, detail) => this.violation(route, reason, detail, scope),
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
          { ...logContextOf(scope), upstream: this.name, route: options.route, attempt: attempt + 1, delayMs: delay },
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

  /**
   * Opens a binary answer (an image) as a stream, within the same breaker, bulkhead, token and
   * deadline as every other call, never retried: `null` when the upstream does not hold it (404).
   * The answer must be of one of `mediaTypes`; a declared length over `maxBytes` is refused before
   * a byte is read, and a body that grows past it is cut (the stream fails with the contract fault).
   * The bulkhead slot is held until the stream ends or is destroyed.
   */
  async openStream(
    options: { route: string; path: string; maxBytes: number; mediaTypes: readonly string[] },
    scope: RequestScope,
  ): Promise<{ contentType: string; contentLength: number | null; body: Readable } | null> {
    const { route, maxBytes } = options;
    this.refuseIfOver(scope, route);
    const permit = this.breaker.allow(scope);
    if (!permit) {
      this.count(route, 'circuit_open');
      throw new UpstreamError(this.name, route, 'unavailable', null, 'circuit open: failing fast');
    }
    let release: () => void;
    try {
      release = this.bulkhead.tryAcquire() ?? (await this.bulkhead.acquire(scope.signal, scope.deadline));
    } catch {
      permit.neutral();
      this.count(route, 'queue_full');
      throw new UpstreamError(this.name, route, 'unavailable', null, 'no slot');
    }
    const fault = (reason: ContractReason, status: number | null, detail: string) => {
      permit.failure();
      this.violation(route, reason, detail, scope);
      return new UpstreamError(this.name, route, 'bad-response', status, detail, reason);
    };
    const started = performance.now();
    let handedOver = false;
    try {
      let token = this.tokens.cachedToken() ?? (await this.tokens.token(scope));
      const budget = Math.max(1, Math.floor(Math.min(this.config.timeoutMs, timeLeft(scope))));
      const send = (bearer: string) => {
        if (scope.stats) scope.stats.upstreamCalls++;
        const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, 'x-request-id': scope.requestId, accept: options.mediaTypes.join(', ') };
        if (scope.traceparent) headers.traceparent = childTraceparent(scope.traceparent);
        const signals = [AbortSignal.timeout(budget), ...(scope.signal ? [scope.signal] : [])];
        return this.pool.request({ path: this.basePath + options.path, method: 'GET', headers, signal: AbortSignal.any(signals), headersTimeout: budget, bodyTimeout: budget });
      };
      let response = await send(token);
      if (response.statusCode === 401) {
        await response.body.dump();
        token = await this.tokens.renewAfterRejection(token, scope);
        response = await send(token);
      }
      const status = response.statusCode;
      this.count(route, String(status), elapsed(started));
      if (status === 404) {
        // Read (capped) only to tell the service's own "no such image" from a server without the route.
        const text = await smallText(response.body, NOT_FOUND_BODY_BYTES);
        if (!isImageNotFoundAnswer(text)) throw fault('unexpected_status', status, NOT_THE_SERVICES_404);
        permit.success();
        return null;
      }
      if (status >= 500 || status === 429) {
        await response.body.dump();
        permit.failure();
        throw new UpstreamError(this.name, route, 'unavailable', status, 'unexpected status');
      }
      if (status < 200 || status > 299) {
        await response.body.dump();
        throw fault(status >= 300 && status < 400 ? 'redirect' : 'unexpected_status', status, `HTTP ${status}`);
      }
      const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!options.mediaTypes.includes(contentType)) {
        await response.body.dump();
        throw fault('shape', status, `content-type ${contentType || '(none)'} is not ${options.mediaTypes.join(' or ')}`);
      }
      const declared = Number(response.headers['content-length']);
      const contentLength = Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
      if (contentLength !== null && contentLength > maxBytes) {
        discard(response.body);
        this.count(route, 'too_large');
        throw fault('too_large', status, `body over ${maxBytes} bytes`);
      }
      let seen = 0;
      let finished = false;
      const finish = (outcome: 'success' | 'failure' | 'neutral') => {
        if (finished) return;
        finished = true;
        permit[outcome]();
        release();
      };
      const capped = new Transform({
        transform: (chunk: Buffer, _encoding, done) => {
          seen += chunk.length;
          if (seen <= maxBytes) return done(null, chunk);
          this.violation(route, 'too_large', `body over ${maxBytes} bytes`, scope);
          finish('failure');
          done(new UpstreamError(this.name, route, 'bad-response', status, `body over ${maxBytes} bytes`, 'too_large'));
        },
      });
      capped.on('end', () => finish('success'));
      // Destroyed before its end (the consumer went away, or the upstream broke off): says nothing about the upstream.
      capped.on('close', () => finish('neutral'));
      response.body.on('error', (e) => capped.destroy(e));
      response.body.pipe(capped);
      handedOver = true;
      return { contentType, contentLength, body: capped };
    } catch (e) {
      if (e instanceof UpstreamError) throw e;
      const timedOut = timeLeft(scope) <= 0 || (e instanceof Error && e.name === 'TimeoutError');
      permit.failure();
      this.count(route, timedOut ? 'timeout' : 'connection_error', elapsed(started));
      throw new UpstreamError(this.name, route, timedOut ? 'timeout' : 'unavailable', null, errorCode(e));
    } finally {
      if (!handedOver) release();
    }
  }

  /** One attempt: refusals are thrown synchronously; with a free slot, no extra async hop before the exchange. */
  private attempt<T>(options: CallOptions, scope: RequestScope, attempt: number): Promise<UpstreamResponse<T>> {
    const { route } = options;
    this.refuseIfOver(scope, route);
    const permit = this.breaker.allow(scope);
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
        // A 404 is "none" only with the service's own not-found body: a bare, HTML or framework-default
        // 404 is a server that does not have the route (a moved upstream), never "no such person".
        if (status === 404 && !isNotFoundAnswer(this.name, response.body)) {
          throw this.contractFault(permit, route, 'unexpected_status', status, NOT_THE_SERVICES_404, scope);
        }
        // A declared redirect (a merged record's surviving one) stays within the service; one elsewhere is a move.
        if (status >= 300 && status < 400 && !this.withinService(response.location)) {
          throw this.contractFault(permit, route, 'redirect', status, `HTTP ${status} elsewhere`, scope);
        }
        permit.success();
        return { status, body: null };
      }
      if (status >= 500 || status === 429) {
        // An upstream fault: worth a retry when the status says so.
        permit.failure();
        throw new AttemptFailed(
          new UpstreamError(this.name, route, 'unavailable', status, 'unexpected status'),
          RETRYABLE_STATUSES.has(status),
        );
      }
      // Below: the upstream answered, and either as its contract says or not (a contract fault, never retried).
      if (status < 200 || status > 299) {
        const reason: ContractReason = status >= 300 && status < 400 ? 'redirect' : 'unexpected_status';
        throw this.contractFault(permit, route, reason, status, `HTTP ${status}`, scope);
      }
      if (status === 204 || response.body.length === 0) {
        if (!options.allowEmpty) throw this.contractFault(permit, route, 'empty', status, 'no body', scope);
        permit.success();
        return { status, body: null };
      }
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        throw this.contractFault(permit, route, 'not_json', status, 'body is not valid JSON', scope);
      }
      if (body === null && !options.allowEmpty) throw this.contractFault(permit, route, 'empty', status, 'JSON null', scope);
      if (options.decode && body !== null) {
        try {
          body = options.decode(body, (reason, detail) => this.violation(route, reason, detail, scope));
        } catch (e) {
          if (!(e instanceof ContractViolation)) throw e;
          throw this.contractFault(permit, route, e.reason, status, e.message, scope);
        }
      }
      permit.success();
      return { status, body: body as T };
    } finally {
      release();
    }
  }

  /**
   * One HTTP exchange on the pool (following same-origin redirects), the whole body read as text,
   * within the call's budget: the smaller of the upstream's timeout and the time left before the
   * deadline. Aborted at once when the request is aborted.
   *
   * undici's own header/body timers are coarse above one second and per phase: one plain timer per
   * call gives the exact budget (AbortSignal.timeout/any cost several times more per call). The
   * exchange is dispatched with a handler of our own that aborts it directly: no AbortController,
   * no listener on the request's signal per call (one per signal, see watchAbort), no body stream.
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
    const exchange = new Exchange(this.maxResponseBytes);
    const timer = setTimeout(timeOut, budget, exchange);
    const signal = scope.signal;
    if (signal) watchAbort(signal, exchange);
    try {
      const body = options.json === undefined ? undefined : JSON.stringify(options.json);
      if (body !== undefined) headers['content-type'] = 'application/json';
      headers.accept = 'application/json';
      const path = this.basePath + options.path + queryString(options.searchParams);
      const response = await exchange.follow(this.pool, this.config.baseUrl, options.method, path, headers, body, options.followRedirects === false ? 0 : undefined);
      const ms = elapsed(started);
      this.count(route, String(response.statusCode), ms);
      if (this.logger.isLevelEnabled('debug')) {
        this.logger.debug(
          { ...logContextOf(scope), upstream: this.name, route, status: response.statusCode, ms, attempt },
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
        this.logger.debug({ ...logContextOf(scope), upstream: this.name, route, ms, attempt }, 'upstream call aborted');
        throw new AttemptFailed(
          new UpstreamError(this.name, route, pastDeadline ? 'timeout' : 'unavailable', null, 'aborted'),
          false,
        );
      }
      if (exchange.reason === RESPONSE_TOO_LARGE) {
        this.count(route, 'too_large', ms);
        throw this.contractFault(permit, route, 'too_large', null, `body over ${this.maxResponseBytes} bytes`, scope);
      }
      const timedOut = exchange.reason === CALL_TIMED_OUT;
      const code = timedOut ? 'ETIMEDOUT' : errorCode(e);
      // A call cut short by the request's deadline says little about the upstream; a full timeout does.
      if (timedOut && truncated) permit.neutral();
      else permit.failure();
      this.count(route, timedOut ? 'timeout' : 'connection_error', ms);
      this.logger.warn({ ...logContextOf(scope), upstream: this.name, route, code, ms, attempt }, 'upstream call failed');
      throw new AttemptFailed(
        new UpstreamError(this.name, route, timedOut ? 'timeout' : 'unavailable', null, code),
        RETRYABLE_CODES.has(code),
      );
    } finally {
      clearTimeout(timer);
      if (signal) unwatchAbort(signal, exchange);
    }
  }

  /**
   * A contract fault: the upstream answered, but not as its contract says. It counts against the
   * upstream's health (breaker), is counted and logged (rate-limited), and is never retried.
   */
  private contractFault(
    permit: BreakerPermit,
    route: string,
    reason: ContractReason,
    status: number | null,
    detail: string,
    scope: RequestScope,
  ): AttemptFailed {
    permit.failure();
    this.violation(route, reason, detail, scope);
    return new AttemptFailed(new UpstreamError(this.name, route, 'bad-response', status, detail, reason), false);
  }

  /**
   * Counts a contract violation and logs it: at most one line per route and reason every
   * VIOLATION_LOG_INTERVAL_MS, with the number left unlogged since. Details never carry bodies or values.
   */
  violation(route: string, reason: ContractReason, detail: string, context?: Partial<LogContext>): void {
    this.metrics.upstreamContractViolations.inc({ upstream: this.name, route, reason });
    const key = `${route} ${reason}`;
    const now = Date.now();
    const last = this.violationLog.get(key);
    if (last && now - last.at < VIOLATION_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    this.violationLog.set(key, { at: now, suppressed: 0 });
    this.logger.warn(
      { event: 'upstream_contract_violation', ...logContextOf(context), upstream: this.name, route, reason, detail, suppressed: last?.suppressed ?? 0 },
      `${this.name} ${route} broke its contract: ${reason}`,
    );
  }

  /** Before any attempt: a request that was aborted or is past its deadline makes no more calls. */
  private refuseIfOver(scope: RequestScope, route: string, permit?: BreakerPermit): void {
    const past = timeLeft(scope) < MIN_ATTEMPT_MS;
    if (!scope.signal?.aborted && !past) return;
    permit?.neutral();
    this.count(route, past ? 'timeout' : 'aborted');
    throw new AttemptFailed(new UpstreamError(this.name, route, past ? 'timeout' : 'unavailable', null, 'no time left'), false);
  }

  /**
   * The token endpoint's failure, reported on the data area of the call that needed the token. A
   * token endpoint that broke its contract (3xx, 404, not JSON, no token in the answer: counted on
   * `upstream="auth"` by the token provider) makes the call a contract fault too (UPSTREAM_INVALID_RESPONSE);
   * a refusal of the credentials (400, 401) is UPSTREAM_UNAVAILABLE with `retryable: false`: no retry helps
   * until the configuration is fixed. Timeouts and outages stay retryable.
   */
  private tokenFailure(e: unknown, route: string): AttemptFailed {
    const detail = `no token: ${e instanceof Error ? e.message : String(e)}`;
    this.count(route, 'token_unavailable');
    if (e instanceof UpstreamError && e.contractFault) {
      return new AttemptFailed(new UpstreamError(this.name, route, 'bad-response', null, detail, e.reason), false);
    }
    const failure: UpstreamFailure = e instanceof UpstreamError && e.failure === 'timeout' ? 'timeout' : 'unavailable';
    const permanent = e instanceof UpstreamError && !e.retryable;
    return new AttemptFailed(new UpstreamError(this.name, route, failure, null, detail, undefined, permanent), false);
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

/** Up to `max` bytes of a stream as text; the rest is dropped (the stream is destroyed). */
async function smallText(body: Readable, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > max) {
      discard(body);
      return '';
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Stops reading an answer's body. undici's body stream, destroyed before its end without a reason,
 * emits an abort error: with no listener that is an uncaught exception, which would end the process.
 */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
