import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HealthChecker } from './health.js';
import { listenerOptions } from './listener.js';

/** What the management listener reports; the gateway fills it in as start-up proceeds. */
export interface Health {
  /** True once start-up completed, false again while draining. */
  ready: boolean;
  draining?: boolean;
  startedAt: string;
  version: string;
  commit?: string;
  /** sha256 of the served schema (printed SDL) and of the policy file's bytes. */
  schemaHash?: string;
  policyHash?: string | (() => string);
  checker?: HealthChecker;
  metrics?: Metrics;
}

/**
 * The management listener: health for Kubernetes and operators, build information and Prometheus
 * metrics. No client certificate, never exposed to consumers. Liveness never depends on upstreams:
 * an upstream outage shows as a DOWN component of /health, nothing more.
 */
export function managementApp(health: Health, logger: Logger): FastifyInstance {
  const app = Fastify(listenerOptions(logger, 'management')) as unknown as FastifyInstance;
  app.get('/health/liveness', async () => ({ status: 'UP' }));
  app.get('/health/ping', async () => ({ status: 'UP' }));
  app.get('/health/readiness', async (_req, reply) =>
    health.ready ? { status: 'UP' } : reply.code(503).send({ status: 'DOWN', draining: health.draining === true }),
  );
  app.get('/health', async (_req, reply) => {
    const components = health.checker?.components() ?? {};
    const allUp = Object.values(components).every((c) => c.status === 'UP');
    // Not ready (starting or draining) is DOWN: this instance should get no traffic. A DOWN
    // dependency only degrades the answers (partial data with typed errors): the process is fine.
    const status = !health.ready ? 'DOWN' : allUp ? 'UP' : 'DEGRADED';
    return reply.code(health.ready ? 200 : 503).send({ status, ready: health.ready, draining: health.draining === true, components });
  });
  app.get('/info', async () => ({
    version: health.version,
    commit: health.commit ?? 'unknown',
    schemaHash: health.schemaHash ?? null,
    policyHash: (typeof health.policyHash === 'function' ? health.policyHash() : health.policyHash) ?? null,
    startedAt: health.startedAt,
  }));
  app.get('/metrics', async (_req, reply) => {
    if (!health.metrics) return reply.code(404).send({ error: 'metrics are not enabled' });
    const body = await health.metrics.registry.metrics();
    return reply.header('content-type', health.metrics.registry.contentType).send(body);
  });
  return app;
}
