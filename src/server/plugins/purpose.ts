import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from '../../errors/contract.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's declared purpose (`x-purpose`), one of the policy's `requestPurposes`; null when the policy asks for none. */
    requestPurpose: string | null;
  }
}

/**
 * A per-request purpose (issue 15, the disclosure ledger): when the consumer's policy lists `requestPurposes`,
 * every request must say which one it serves in `x-purpose`; missing or not listed -> 403 PURPOSE_NOT_ALLOWED
 * before GraphQL runs. The value (always one of the policy's, never free text) goes into the ledger record.
 */
const purposeGate: FastifyPluginAsync = async (app) => {
  app.decorateRequest('requestPurpose', null);
  app.addHook('preHandler', async (request, reply) => {
    const allowed = request.consumer?.grant.requestPurposes;
    if (!allowed) return;
    const sent = request.headers['x-purpose'];
    const value = typeof sent === 'string' ? sent.trim() : null;
    if (value !== null && allowed.includes(value)) {
      request.requestPurpose = value;
      return;
    }
    if (request.telemetry) request.telemetry.errorCodes = ['PURPOSE_NOT_ALLOWED'];
    return reply
      .code(403)
      .send(
        errorBody(
          'PURPOSE_NOT_ALLOWED',
          value === null ? 'Your policy requires an x-purpose header naming the purpose of this request.' : 'The x-purpose of this request is not one your policy allows.',
          { allowedPurposes: [...allowed] },
        ),
      );
  });
};

export const purposeGatePlugin = fp(purposeGate, { name: 'purpose-gate', dependencies: ['ledger-gate'] });
