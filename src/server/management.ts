import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import { listenerOptions } from './listener.js';

export interface Health {
  ready: boolean;
  startedAt: string;
  version: string;
}

/**
 * The management listener: health for Kubernetes and operators. No client certificate, never
 * exposed to consumers. Liveness never depends on upstreams.
 */
export function managementApp(health: Health, logger: Logger): FastifyInstance {
  const app = Fastify(listenerOptions(logger, 'management')) as unknown as FastifyInstance;
  app.get('/health/liveness', async () => ({ status: 'UP' }));
  app.get('/health/ping', async () => ({ status: 'UP' }));
  app.get('/health/readiness', async (_req, reply) =>
    health.ready ? { status: 'UP' } : reply.code(503).send({ status: 'DOWN' }),
  );
  app.get('/info', async () => ({ version: health.version, startedAt: health.startedAt }));
  return app;
}
