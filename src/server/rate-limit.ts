import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config/index.js';
import { logContextOf, type LogContext } from '../observability/log-context.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/** A consumer's budget: `perSecond` requests in each second, plus `burst` extra per BURST_WINDOW_SECONDS. */
export interface ConsumerRate {
  perSecond: number;
  burst: number;
}

/** The window over which a consumer's burst allowance is counted. */
export const BURST_WINDOW_SECONDS = 10;
const KEY_PREFIX = 'person-graph:rate';
/** After a failed store command, requests get the fail-open/closed answer at once for this long, then one probes. */
const STORE_BACKOFF_MS = 1000;
/** Redis errors are logged at most this often (each one is counted). */
const ERROR_LOG_INTERVAL_MS = 10_000;

export type RateDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; reason: 'rate' | 'store_unavailable' };

type Limiter = { consume(key: string): Promise<RateLimiterRes> };

/**
 * Requests per second and burst per consumer (rate-limiter-flexible). In memory by default; in Redis
 * when REDIS_URL is set, so that every replica draws on one budget per consumer. When Redis cannot
 * be asked, the request is served (fail open) or refused (fail closed) as configured; either way the
 * failure is logged and counted. Commands never wait for a reconnect: no offline queue, a short
 * command timeout.
 */
export class RateLimiter {
  private readonly redis: Redis | null;
  private readonly limiters = new Map<string, Limiter>();
  /** Per kind of store error (message): when it was last logged, and how many were not logged since. */
  private readonly errorLog = new Map<string, { at: number; suppressed: number }>();
  /** After a store failure: not asked again before this time (performance.now()), then probed by one request. */
  private storeDownUntil = 0;
  private probing = false;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          connectTimeout: Math.max(500, config.redisTimeoutMs * 4),
          commandTimeout: config.redisTimeoutMs,
          retryStrategy: (times) => Math.min(100 * times, 2000),
        })
      : null;
    this.redis?.on('error', (e: Error) => this.logStoreError(e, 'redis connection error'));
    this.redis?.on('ready', () => logger.info({ event: 'redis', state: 'ready' }, 'rate-limit store connected'));
  }

  /** Connects to Redis when configured; waits at most `waitMs` (start-up goes on without it). */
  async start(waitMs = 2000): Promise<void> {
    if (!this.redis) return;
    const connecting = this.redis.connect().catch(() => undefined);
    await Promise.race([connecting, new Promise((r) => setTimeout(r, waitMs).unref())]);
    if (this.redis.status !== 'ready') {
      this.logger.warn({ event: 'redis', state: this.redis.status }, 'rate-limit store not reachable at start-up; will keep trying');
    }
  }

  /** `context`: the asking request's ids, for the (throttled) line about a store failure it meets. */
  async check(consumer: string, rate: ConsumerRate, context?: Partial<LogContext>): Promise<RateDecision> {
    // A store that just failed (a hung Redis answers nothing until the command timeout) is not asked
    // again for a while: every request would otherwise wait out the timeout. One request at a time
    // probes it once the back-off has passed.
    if (this.redis && (this.probing || performance.now() < this.storeDownUntil)) {
      return this.storeUnavailable(consumer, new Error('rate-limit store unavailable (backing off after a failure)'), context);
    }
    const probe = this.redis !== null && this.storeDownUntil > 0;
    if (probe) this.probing = true;
    try {
      await this.limiterFor(rate).consume(consumer);
      this.storeDownUntil = 0;
      return { allowed: true };
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        this.storeDownUntil = 0;
        this.metrics.rateLimitRefusals.inc({ consumer, reason: 'rate' });
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)), reason: 'rate' };
      }
      this.storeDownUntil = performance.now() + STORE_BACKOFF_MS;
      return this.storeUnavailable(consumer, e, context);
    } finally {
      if (probe) this.probing = false;
    }
  }

  /** The configured answer when the store cannot be asked: served (open) or refused (closed); logged and counted. */
  private storeUnavailable(consumer: string, e: unknown, context: Partial<LogContext> | undefined): RateDecision {
    const decision = this.config.onRedisError;
    this.metrics.rateLimiterErrors.inc({ decision });
    this.logStoreError(e, `rate-limit store unavailable; failing ${decision}`, context);
    if (decision === 'open') return { allowed: true };
    this.metrics.rateLimitRefusals.inc({ consumer, reason: 'store_unavailable' });
    return { allowed: false, retryAfterSeconds: 1, reason: 'store_unavailable' };
  }

  /** For /health: Redis reachability and latency (null with the in-memory store). */
  async ping(): Promise<{ up: boolean; latencyMs: number; error?: string } | null> {
    if (!this.redis) return null;
    const started = performance.now();
    try {
      await this.redis.ping();
      return { up: true, latencyMs: Math.round(performance.now() - started) };
    } catch (e) {
      return { up: false, latencyMs: Math.round(performance.now() - started), error: (e as Error).message };
    }
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
  }

  private limiterFor(rate: ConsumerRate): Limiter {
    const key = `${rate.perSecond}:${rate.burst}`;
    let limiter = this.limiters.get(key);
    if (limiter) return limiter;
    const make = (suffix: string, points: number, duration: number) =>
      this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: `${KEY_PREFIX}:${key}:${suffix}`,
            points,
            duration,
            rejectIfRedisNotReady: true,
          })
        : new RateLimiterMemory({ keyPrefix: `${KEY_PREFIX}:${key}:${suffix}`, points, duration });
    const steady = make('s', rate.perSecond, 1);
    limiter = rate.burst > 0 ? new BurstyRateLimiter(steady, make('b', rate.burst, BURST_WINDOW_SECONDS)) : steady;
    this.limiters.set(key, limiter);
    return limiter;
  }

  /**
   * At most one line per kind of store error every ERROR_LOG_INTERVAL_MS: a Redis outage must be
   * visible (connection lost, requests failing open or closed) without a line per request. Each kind
   * is throttled on its own, so the connection error does not hide what requests are getting.
   */
  private logStoreError(e: unknown, message: string, context?: Partial<LogContext>): void {
    const now = Date.now();
    const last = this.errorLog.get(message);
    if (last && now - last.at < ERROR_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    this.logger.error(
      { ...logContextOf(context), event: 'rate-limit-store', err: (e as Error)?.message ?? String(e), suppressedSinceLast: last?.suppressed ?? 0 },
      message,
    );
    this.errorLog.set(message, { at: now, suppressed: 0 });
  }
}
