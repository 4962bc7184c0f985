import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import { requestTrace } from '../observability/trace.js';

const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * fastify's own request logging is off: `addAccessLog` writes the one line per request. Each request's
 * logger (`request.log`) names its `requestId` and `traceId` (src/observability/log-context.ts).
 */
export function listenerOptions(logger: Logger, listener: string) {
  return {
    loggerInstance: logger.child({ listener }),
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    childLoggerFactory: requestLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestIdFrom(req.headers['x-request-id']),
  };
}

/** A request's logger: fastify's (its `requestId`) with the request's `traceId`. */
const requestLogger = (
  parent: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: Parameters<FastifyBaseLogger['child']>[1],
  raw: { headers: Record<string, string | string[] | undefined> },
): FastifyBaseLogger => parent.child({ ...bindings, traceId: requestTrace(raw).traceId }, options);

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}

export async function listen(app: FastifyInstance, where: { host: string; port: number }, scheme: string): Promise<string> {
  await app.listen({ host: where.host, port: where.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port}`;
}

