import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';

const BODY_LIMIT_BYTES = 64 * 1024;

/** fastify's own request logging is off: `addAccessLog` writes the one line per request. */
export function listenerOptions(logger: Logger, listener: string) {
  return {
    loggerInstance: logger.child({ listener }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestIdFrom(req.headers['x-request-id']),
  };
}

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

