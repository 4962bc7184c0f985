/**
 * A hung Redis (the process stopped, the connection open: every command waits for its timeout) must
 * not add the command timeout to every request: after one failure the limiter answers at once (fail
 * open or closed as configured) and probes the store again with one request at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Metrics } from '../../src/observability/metrics.js';
import { RateLimiter } from '../../src/server/rate-limit.js';
import { startRedis, type RedisHandle } from './support.js';

const TIMEOUT_MS = 250;
let redis: RedisHandle;

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);

afterAll(async () => {
  try {
    process.kill(redis.pid, 'SIGCONT');
  } catch {
    /* already gone */
  }
  await redis?.stop();
});

describe('rate limiting with a hung Redis', () => {
  it('costs one command timeout, not one per request, and recovers when Redis answers again', async () => {
    const metrics = new Metrics();
    const limiter = new RateLimiter(
      { perSecond: 1000, burst: 0, redisUrl: redis.url, onRedisError: 'open', redisTimeoutMs: TIMEOUT_MS },
      metrics,
      pino({ level: 'silent' }),
    );
    await limiter.start();
    try {
      const rate = { perSecond: 1000, burst: 0 };
      expect(await limiter.check('c', rate)).toEqual({ allowed: true });

      process.kill(redis.pid, 'SIGSTOP');
      const timings: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        expect(await limiter.check('c', rate)).toEqual({ allowed: true }); // fail open
        timings.push(performance.now() - started);
      }
      // The first request waits for the command timeout; the other nine are answered at once.
      expect(timings.filter((ms) => ms >= TIMEOUT_MS * 0.8).length).toBe(1);
      expect(timings.slice(1).every((ms) => ms < 50)).toBe(true);

      process.kill(redis.pid, 'SIGCONT');
      await new Promise((r) => setTimeout(r, 1100)); // past the back-off: the next request probes Redis
      const strict = { perSecond: 1, burst: 0 };
      expect(await limiter.check('d', strict)).toEqual({ allowed: true });
      expect(await limiter.check('d', strict)).toMatchObject({ allowed: false, reason: 'rate' }); // counted in Redis again
    } finally {
      await limiter.close();
    }
  }, 30_000);
});
