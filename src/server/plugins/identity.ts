import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Consumer, Security } from '../../auth/index.js';
import type { AuthResult } from '../../auth/consumer.js';

export interface IdentityOptions {
  security: Security;
  /**
   * How this listener learns who is calling. The consumer listener: client certificate (or the
   * trusted proxy's headers) plus API key. The development listener: its fixed consumer.
   */
  identify(request: FastifyRequest): AuthResult;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set by the identity plugin before anything else reads the request. */
    consumer: Consumer | null;
    /** How the caller was identified: its own certificate, or the trusted proxy's headers (the ledger's access path). */
    identifiedVia: 'direct' | 'proxy' | null;
  }
}

/**
 * Identity: refused before GraphQL runs (certificate, proxy headers, revocation, expiry, API key,
 * suspension, policy entry). Auth decides and words the refusal; this plugin only answers it.
 */
const identity: FastifyPluginAsync<IdentityOptions> = async (app, { security, identify }) => {
  app.decorateRequest('consumer', null);
  app.decorateRequest('identifiedVia', null);
  app.addHook('onRequest', async (request, reply) => {
    const result = identify(request);
    if (result.ok) {
      request.consumer = result.consumer;
      request.identifiedVia = result.via;
      return;
    }
    const refusal = security.refuse(result.refusal, request.log, request.ip);
    if (request.telemetry) request.telemetry.errorCodes = refusal.body.errors.map((e) => e.extensions.code);
    return reply.code(refusal.status).headers(refusal.headers).send(refusal.body);
  });
};

export const identityPlugin = fp(identity, { name: 'identity', dependencies: ['request-telemetry'] });
