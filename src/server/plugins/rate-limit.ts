import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, httpStatusOf } from '../../errors/contract.js';
import type { ConsumerRate, RateLimiter } from '../rate-limit.js';

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The consumer's budget from the policy in force, or the configured default. */
  rateFor(consumer: string): ConsumerRate;
}

/**
 * Refuses a consumer over its budget with HTTP 429, `Retry-After` and `RATE_LIMITED`, before GraphQL
 * runs. After identity: only identified consumers have a budget.
 */
const rateLimit: FastifyPluginAsync<RateLimitOptions> = async (app, { limiter, rateFor }) => {
  app.addHook('preHandler', async (request, reply) => {
    const consumer = request.consumer?.name;
    if (!consumer) return;
    const decision = await limiter.check(consumer, rateFor(consumer), request.telemetry?.scope);
    if (decision.allowed) return;
    if (request.telemetry) request.telemetry.refusal = 'rate_limited';
    const message =
      decision.reason === 'rate'
        ? `Rate limit exceeded; retry after ${decision.retryAfterSeconds} s.`
        : 'The rate limit could not be checked; retry shortly.';
    return reply
      .code(httpStatusOf('RATE_LIMITED'))
      .header('retry-after', String(decision.retryAfterSeconds))
      .send(errorBody('RATE_LIMITED', message, { retryAfterSeconds: decision.retryAfterSeconds }));
  });
};

export const rateLimitPlugin = fp(rateLimit, { name: 'rate-limit', dependencies: ['identity'] });
