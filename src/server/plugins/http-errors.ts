import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, httpStatusesOf, httpStatusOf, INTERNAL_ERROR_MESSAGE, type ErrorCode } from '../../errors/contract.js';
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
    if (!(error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      logger.error({ err: error, requestId: String(request.id), traceId: request.telemetry?.trace.traceId }, 'unhandled error on a consumer listener');
      return answer(request, reply, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
    }
    // A caller's mistake: BAD_REQUEST with fastify's status when the contract gives BAD_REQUEST that status
    // (413 too large, 415 wrong media type), otherwise its own 400.
    const status = httpStatusesOf('BAD_REQUEST').includes(error.statusCode) ? error.statusCode : httpStatusOf('BAD_REQUEST');
    const message =
      status === 413
        ? `The request body is larger than the limit of ${maxRequestBytes} bytes.`
        : status === 415
          ? 'Send GraphQL requests as application/json.'
          : error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError
            ? 'The request body is not valid JSON.'
            : 'The request could not be read.';
    return answer(request, reply, 'BAD_REQUEST', message, status);
  });
  app.setNotFoundHandler((request, reply) => answer(request, reply, 'NOT_FOUND', 'Not found. GraphQL is served at /graphql.'));
};

/**
 * The error answer, its code named on the request (the access line, the ledger's refusal record); the status
 * is the contract's for the code, or `variant` where the contract gives the code that one too.
 */
function answer(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, message: string, variant?: number): FastifyReply {
  if (request.telemetry) request.telemetry.errorCodes = [code];
  return reply.code(httpStatusOf(code, variant)).send(errorBody(code, message));
}

export const httpErrorsPlugin = fp(httpErrors, { name: 'http-errors' });
