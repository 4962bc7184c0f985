import { request } from 'undici';
import { logContextOf, type LogContext } from '../../observability/log-context.js';
import type { Logger } from '../../observability/logger.js';
import { Metrics } from '../../observability/metrics.js';
import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import { UpstreamError, type ContractReason } from './errors.js';
import { within, type Bounds } from './scope.js';

interface CachedToken {
  value: string;
  /** epoch ms after which the token is not used any more */
  refreshAt: number;
}

/** Refresh this long before the token's own expiry, so no request goes out with a token about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;
const ROUTE = 'POST /auth/oauth/token';

export interface TokenProviderOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** A breaker for the token endpoint; without one, every refresh goes to the endpoint. */
  breaker?: BreakerOptions;
  metrics?: Metrics;
}

/**
 * OAuth2 client-credentials token from HMPPS Auth, shared by every upstream call. Cached until shortly
 * before it expires; concurrent callers share one refresh (single flight). The refresh has its own
 * timeout and is never cancelled by one request, but each caller waits for it only within its own
 * deadline and abort signal; a failing token endpoint opens its own circuit, so that callers fail
 * fast instead of queueing on it.
 */
export class TokenProvider {
  private cached: CachedToken | null = null;
  private inFlight: Promise<string> | null = null;
  private readonly breaker: CircuitBreaker | null;
  private readonly metrics: Metrics;

  constructor(
    private readonly options: TokenProviderOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.metrics = options.metrics ?? new Metrics({ processMetrics: false });
    this.metrics.initCircuit('auth');
    this.breaker = options.breaker
      ? new CircuitBreaker(options.breaker, (state, context) => {
          this.metrics.setCircuitState('auth', state);
          logger.warn({ event: 'circuit', upstream: 'auth', state, ...logContextOf(context) }, `circuit for auth is ${state.replace('_', '-')}`);
        })
      : null;
  }

  get circuitState() {
    return this.breaker?.state ?? 'closed';
  }

  /** `bounds`: the asking request's deadline and signal; its ids name the lines of a refresh it starts. */
  async token(bounds: Bounds & Partial<LogContext> = {}): Promise<string> {
    return this.cachedToken() ?? this.refresh(bounds);
  }

  /** The cached token while it is still valid, else null (no refresh): the synchronous fast path of `token`. */
  cachedToken(): string | null {
    return this.cached && this.now() < this.cached.refreshAt ? this.cached.value : null;
  }

  /**
   * Called after an upstream answered 401 to `rejected`. Only the first caller holding that token
   * triggers a refresh; later ones get the token already fetched.
   */
  async renewAfterRejection(rejected: string, bounds: Bounds & Partial<LogContext> = {}): Promise<string> {
    if (this.cached?.value === rejected) this.cached = null;
    return this.token(bounds);
  }

  private refresh(bounds: Bounds & Partial<LogContext>): Promise<string> {
    if (!this.inFlight) {
      const context = logContextOf(bounds);
      const permit = this.breaker?.allow(context);
      if (permit === null) {
        this.metrics.upstreamCalls.inc({ upstream: 'auth', route: ROUTE, status: 'circuit_open' });
        return Promise.reject(new UpstreamError('auth', ROUTE, 'unavailable', null, 'circuit open: failing fast'));
      }
      this.inFlight = this.fetchToken(context).then(
        (token) => {
          permit?.success();
          return token;
        },
        (e: unknown) => {
          if (e instanceof UpstreamError && e.failure !== 'bad-response' && e.status !== null && e.status < 500) permit?.neutral();
          else permit?.failure();
          throw e;
        },
      );
      this.inFlight
        .finally(() => {
          this.inFlight = null;
        })
        .catch(() => undefined);
    }
    return within(this.inFlight, bounds, (reason) =>
      new UpstreamError('auth', ROUTE, reason === 'deadline' ? 'timeout' : 'unavailable', null, `gave up waiting (${reason})`),
    );
  }

  private async fetchToken(context: Partial<LogContext>): Promise<string> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    const started = performance.now();
    let response: { statusCode: number; body: string };
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const answer = await request(`${this.options.tokenUrl}/auth/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        signal: timeout,
      });
      response = { statusCode: answer.statusCode, body: await answer.body.text() };
    } catch (e) {
      const err = e as { code?: string; cause?: { code?: string } };
      const code = timeout.aborted ? 'ETIMEDOUT' : (err.cause?.code ?? err.code ?? 'error');
      this.count(code === 'ETIMEDOUT' ? 'timeout' : 'connection_error', started);
      this.logger.warn({ ...context, upstream: 'auth', route: ROUTE, code }, 'token request failed');
      throw new UpstreamError('auth', ROUTE, code === 'ETIMEDOUT' ? 'timeout' : 'unavailable', null, code);
    }
    this.count(String(response.statusCode), started);
    const status = response.statusCode;
    if (status !== 200) {
      this.logger.warn({ ...context, upstream: 'auth', route: ROUTE, status }, 'token request refused');
      // An outage (5xx, 429) may pass; refused credentials (400 invalid_grant/request, 401 invalid_client)
      // will not until the configuration changes; anything else is not the token endpoint answering.
      if (status >= 500 || status === 429) throw new UpstreamError('auth', ROUTE, 'unavailable', status, 'token request refused');
      if (status === 400 || status === 401) {
        throw new UpstreamError('auth', ROUTE, 'unavailable', status, 'token request refused (wrong CLIENT_ID or CLIENT_SECRET?)', undefined, true);
      }
      throw this.contractFault(status >= 300 && status < 400 ? 'redirect' : 'unexpected_status', status, `HTTP ${status}`, context);
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.body) as typeof body;
    } catch {
      throw this.contractFault(response.body.length === 0 ? 'empty' : 'not_json', status, 'token response is not JSON', context);
    }
    if (typeof body !== 'object' || body === null || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw this.contractFault('shape', status, 'token response lacks access_token/expires_in', context);
    }
    const lifetimeMs = body.expires_in * 1000;
    const refreshAt = this.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2);
    this.cached = { value: body.access_token, refreshAt };
    this.logger.debug({ ...context, expiresInSeconds: body.expires_in }, 'upstream token refreshed');
    return body.access_token;
  }

  /**
   * The token endpoint answered, but not as an OAuth2 token endpoint does (moved, misrouted, another
   * service): counted as `gateway_upstream_contract_violations_total{upstream="auth"}`, a failure for
   * its breaker, and a bad response (UPSTREAM_INVALID_RESPONSE) for the calls that needed the token.
   * Refreshes are single-flight and behind the breaker, so the log line needs no rate limit of its own.
   */
  private contractFault(reason: ContractReason, status: number, detail: string, context: Partial<LogContext>): UpstreamError {
    this.metrics.upstreamContractViolations.inc({ upstream: 'auth', route: ROUTE, reason });
    this.logger.warn(
      { event: 'upstream_contract_violation', ...context, upstream: 'auth', route: ROUTE, reason, detail },
      `auth ${ROUTE} broke its contract: ${reason}`,
    );
    return new UpstreamError('auth', ROUTE, 'bad-response', status, detail, reason);
  }

  private count(status: string, started: number): void {
    this.metrics.upstreamCalls.inc({ upstream: 'auth', route: ROUTE, status });
    this.metrics.upstreamDuration.observe({ upstream: 'auth', route: ROUTE }, (performance.now() - started) / 1000);
  }
}
