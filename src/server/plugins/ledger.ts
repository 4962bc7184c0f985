import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, httpStatusOf } from '../../errors/contract.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { AccessPath } from '../../ledger/record.js';
import { onBehalfOf } from './declarations.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the disclosure ledger has this request's record (the Apollo audit plugin, the images route). */
    ledgerRecorded: boolean;
  }
}

/** How the request reached the gateway: the development listener, the trusted proxy, or mutual TLS directly. */
export function accessPathOf(request: FastifyRequest, developmentListener: boolean): AccessPath {
  if (developmentListener) return 'development-listener';
  return request.identifiedVia === 'proxy' ? 'trusted-proxy' : 'direct-mtls';
}

/** What every ledger record of an HTTP request says about who asked, how and why (the rest is the record's own). */
export function requestLedgerFields(request: FastifyRequest, developmentListener: boolean) {
  const consumer = request.consumer;
  return {
    at: new Date().toISOString(),
    requestId: String(request.id),
    consumer: consumer?.name ?? null,
    certificateSerial: consumer?.certificateSerial ?? null,
    accessPath: accessPathOf(request, developmentListener),
    onBehalfOf: onBehalfOf(request),
    purpose: consumer?.grant.purpose ?? null,
    requestPurpose: request.requestPurpose ?? null,
  };
}

export interface LedgerRefusalsOptions {
  ledger: Ledger;
  developmentListener: boolean;
}

/**
 * One ledger record for every request answered with an error before GraphQL ran, or without it (identity,
 * rate limit, the ledger gate, declarations, trusted documents, body limits, GET, unknown paths, Apollo's own
 * HTTP-level 400s); Apollo's audit plugin and the images route record the others and set `ledgerRecorded`.
 * The codes are the ones the refusing step put on the request's telemetry (`errorCodes`), or, where a step
 * did not, the ones its error body carried (request-telemetry reads them): never inferred from the status.
 * Registered right after request-telemetry, so that every later step's refusal is seen.
 */
const ledgerRefusals: FastifyPluginAsync<LedgerRefusalsOptions> = async (app, { ledger, developmentListener }) => {
  app.decorateRequest('ledgerRecorded', false);
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    if (request.ledgerRecorded || status < 400) return;
    const t = request.telemetry;
    const errorCodes = t?.errorCodes ?? [];
    ledger.record({
      kind: 'refusal',
      ...requestLedgerFields(request, developmentListener),
      operationName: null,
      documentHash: t?.document?.id ?? null,
      ...(t?.document ? { documentTrusted: t.document.trusted } : {}),
      // Refused: a caller's request not served (4xx), or the ledger gate's 503; anything else failed.
      outcome: status < 500 || errorCodes.includes('SERVICE_UNAVAILABLE') ? 'refused' : 'error',
      httpStatus: status,
      errorCodes,
      subjects: [],
      searches: [],
    });
  });
};

export const ledgerRefusalsPlugin = fp(ledgerRefusals, { name: 'ledger-refusals', dependencies: ['request-telemetry'] });

/** LEDGER_ON_ERROR=closed: while the ledger cannot record, requests are refused (503) before GraphQL runs. */
const ledgerGate: FastifyPluginAsync<{ ledger: Ledger }> = async (app, { ledger }) => {
  app.addHook('preHandler', async (request, reply) => {
    if (ledger.accepting()) return;
    if (request.telemetry) request.telemetry.errorCodes = ['SERVICE_UNAVAILABLE'];
    return reply
      .code(httpStatusOf('SERVICE_UNAVAILABLE'))
      .header('retry-after', '5')
      .send(errorBody('SERVICE_UNAVAILABLE', 'The service cannot record disclosures just now; retry shortly.', { retryAfterSeconds: 5 }));
  });
};

export const ledgerGatePlugin = fp(ledgerGate, { name: 'ledger-gate', dependencies: ['rate-limit'] });
