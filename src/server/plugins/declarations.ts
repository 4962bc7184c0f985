import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, httpStatusOf, type ErrorCode, type ErrorExtensions } from '../../errors/contract.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's declared purpose (`x-purpose`), one of the policy's `requestPurposes`; null when the policy asks for none. */
    requestPurpose: string | null;
  }
}

/**
 * What a request declares about itself, for the disclosure ledger (issue 15), as the consumer's policy asks:
 *
 * - a per-request purpose: when the policy entry lists `requestPurposes`, every request must name one in
 *   `x-purpose`; missing or not listed -> 403 PURPOSE_NOT_ALLOWED. The value recorded is always one of the
 *   policy's, never free text;
 * - the user it is made for: `onBehalfOf: require` refuses a request without `x-on-behalf-of` (403
 *   ON_BEHALF_OF_REQUIRED) - the only access decision the header takes part in, and only when the policy says
 *   so; `record` (the default) records it when sent; `ignore` never records it (see `onBehalfOf` below).
 *
 * Both are refused before GraphQL runs; the ledger records the refusal (src/server/plugins/ledger.ts).
 */
const declarations: FastifyPluginAsync = async (app) => {
  app.decorateRequest('requestPurpose', null);
  app.addHook('preHandler', async (request, reply) => {
    const grant = request.consumer?.grant;
    if (!grant) return;
    const refuse = (code: ErrorCode, message: string, extensions: ErrorExtensions = {}) => {
      if (request.telemetry) request.telemetry.errorCodes = [code];
      return reply.code(httpStatusOf(code)).send(errorBody(code, message, extensions));
    };
    if (grant.onBehalfOf === 'require' && onBehalfOf(request) === null) {
      return refuse('ON_BEHALF_OF_REQUIRED', 'Your policy requires an x-on-behalf-of header naming the user this request is made for.');
    }
    const allowed = grant.requestPurposes;
    if (!allowed) return;
    const sent = request.headers['x-purpose'];
    const value = typeof sent === 'string' ? sent.trim() : null;
    if (value !== null && allowed.includes(value)) {
      request.requestPurpose = value;
      return;
    }
    return refuse(
      'PURPOSE_NOT_ALLOWED',
      value === null ? 'Your policy requires an x-purpose header naming the purpose of this request.' : 'The x-purpose of this request is not one your policy allows.',
      { allowedPurposes: [...allowed] },
    );
  });
};

/**
 * `x-on-behalf-of` as the consumer sent it (one value, at most 200 characters), for the ledger; null when not
 * sent or when the consumer's policy says `onBehalfOf: ignore`. Never used for an access decision beyond
 * `onBehalfOf: require` (present or not).
 */
export function onBehalfOf(request: FastifyRequest): string | null {
  if (request.consumer?.grant.onBehalfOf === 'ignore') return null;
  const v = request.headers['x-on-behalf-of'];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : null;
}

export const declarationsPlugin = fp(declarations, { name: 'request-declarations', dependencies: ['ledger-gate'] });
