import type { Logger } from '../observability/logger.js';
import type { Health } from './management.js';

export interface ShutdownPlan {
  health: Health;
  /** Readiness is false this long before the listeners stop accepting (endpoint removal in k8s). */
  drainDelayMs: number;
  logger: Logger;
  /** Each stops accepting connections and resolves once its in-flight requests have finished. */
  closeListeners: Array<() => Promise<unknown>>;
  /** Run in order after the listeners closed: Apollo, upstream agents, Redis, health checks, management. */
  release: Array<() => unknown>;
}

/**
 * Graceful shutdown (SIGTERM): readiness goes false first so that the load balancer stops sending
 * traffic, new requests are still served during `drainDelayMs`, then the listeners stop accepting
 * and in-flight requests finish (each bounded by the request deadline), then everything else is
 * released. The caller bounds the whole by SHUTDOWN_TIMEOUT_MS.
 */
export async function shutDown(plan: ShutdownPlan): Promise<void> {
  const started = Date.now();
  plan.health.ready = false;
  plan.health.draining = true;
  plan.logger.info({ event: 'draining', drainDelayMs: plan.drainDelayMs }, 'readiness is false; draining');
  if (plan.drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.drainDelayMs));
  await Promise.allSettled(plan.closeListeners.map((close) => close()));
  plan.logger.info({ event: 'listeners-closed', ms: Date.now() - started }, 'listeners closed; in-flight requests finished');
  for (const release of plan.release) {
    try {
      await release();
    } catch (e) {
      plan.logger.warn({ err: (e as Error).message }, 'error while releasing a resource at shutdown');
    }
  }
  plan.logger.info({ event: 'stopped', ms: Date.now() - started }, 'stopped');
}
