import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, INTERNAL_ERROR_MESSAGE, type ErrorCode } from '../../errors/contract.js';
import type { Logger } from '../../observability/logger.js';

export interface HttpErrorsOptions {
  logger: Logger;
  /** The listener's body limit (fastify's `bodyLimit`), named in the 413 answer. */
  maxRequestBytes: number;
}

/**
 * HTTP-level problems (body too large, unreadable JSON, unsupported media type, unknown path) in the
 * same shape as GraphQL errors, with a stable code: a caller's mistake is a 4xx, never a 500.
 */
const httpErrors: FastifyPluginAsync<HttpErrorsOptions> = async (app, { logger, maxRequestBytes }) => {
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      logger.error({ err: error, requestId: String(request.id), traceId: request.telemetry?.trace.traceId }, 'unhandled error on a consumer listener');
      return answer(request, reply, 500, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
    }
    const message =
      status === 413
        ? `The request body is larger than the limit of ${maxRequestBytes} bytes.`
        : status === 415
          ? 'Send GraphQL requests as application/json.'
          : error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError
            ? 'The request body is not valid JSON.'
            : 'The request could not be read.';
    return answer(request, reply, status, 'BAD_REQUEST', message);
  });
  app.setNotFoundHandler((request, reply) => answer(request, reply, 404, 'NOT_FOUND', 'Not found. GraphQL is served at /graphql.'));
};

/** The error answer, its code named on the request (the access line, the ledger's refusal record). */
function answer(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  if (request.telemetry) request.telemetry.errorCodes = [code];
  return reply.code(status).send(errorBody(code, message));
}

export const httpErrorsPlugin = fp(httpErrors, { name: 'http-errors' });
