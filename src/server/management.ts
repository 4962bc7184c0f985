import Fastify, { type FastifyInstance } from 'fastify';
import { httpStatusOf } from '../errors/contract.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HealthChecker } from './health.js';
import { listenerOptions } from './listener.js';

/** Build information for /info. */
export interface BuildInfo {
  version: string;
  commit: string;
  startedAt: string;
}

/**
 * What the management listener reports, built once (src/server/operations.ts) from the parts that own
 * each fact: build information, the schema and policy hashes, the health checker, the metrics.
 * Only the lifecycle flags change: ready once start-up completed, false again while draining.
 */
export class Health {
  ready = false;
  draining = false;

  constructor(
    readonly build: BuildInfo,
    private readonly sources: {
      /** sha256 of the served schema (printed SDL); null until start-up built it. */
      schemaHash: () => string | null;
      /** sha256 of the policy in force (it may be reloaded); null until start-up loaded it. */
      policyHash: () => string | null;
      checker: HealthChecker;
      metrics: Metrics;
    },
  ) {}

  get schemaHash(): string | null {
    return this.sources.schemaHash();
  }

  get policyHash(): string | null {
    return this.sources.policyHash();
  }

  get checker(): HealthChecker {
    return this.sources.checker;
  }

  get metrics(): Metrics {
    return this.sources.metrics;
  }
}

/**
 * The management listener: health for Kubernetes and operators, build information and Prometheus
 * metrics. No client certificate, never exposed to consumers. Liveness never depends on upstreams:
 * an upstream outage shows as a DOWN component of /health, nothing more.
 */
export function managementApp(health: Health, logger: Logger): FastifyInstance {
  /** Not ready (starting or draining): the contract's "cannot serve now". */
  const DOWN = httpStatusOf('SERVICE_UNAVAILABLE');
  const app = Fastify(listenerOptions(logger, 'management')) as unknown as FastifyInstance;
  app.get('/health/liveness', async () => ({ status: 'UP' }));
  app.get('/health/ping', async () => ({ status: 'UP' }));
  app.get('/health/readiness', async (_req, reply) =>
    health.ready ? { status: 'UP' } : reply.code(DOWN).send({ status: 'DOWN', draining: health.draining }),
  );
  // `?refresh=true` runs a round of checks now (each bounded by HEALTH_CHECK_TIMEOUT_MS) and answers
  // its result; without it, the last background round's result at once.
  app.get<{ Querystring: { refresh?: string } }>('/health', async (req, reply) => {
    if (req.query.refresh === 'true') await health.checker.refresh();
    const components = health.checker.components();
    const allUp = Object.values(components).every((c) => c.status === 'UP');
    // Not ready (starting or draining) is DOWN: this instance should get no traffic. A DOWN
    // dependency only degrades the answers (partial data with typed errors): the process is fine.
    const status = !health.ready ? 'DOWN' : allUp ? 'UP' : 'DEGRADED';
    return reply.code(health.ready ? 200 : DOWN).send({ status, ready: health.ready, draining: health.draining, components });
  });
  app.get('/info', async () => ({
    version: health.build.version,
    commit: health.build.commit,
    schemaHash: health.schemaHash,
    policyHash: health.policyHash,
    startedAt: health.build.startedAt,
  }));
  app.get('/metrics', async (_req, reply) => {
    const body = await health.metrics.registry.metrics();
    return reply.header('content-type', health.metrics.registry.contentType).send(body);
  });
  return app;
}
