import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from '../../errors/contract.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { AccessPath } from '../../ledger/record.js';
import { onBehalfOf } from './declarations.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the disclosure ledger has this request's record (made in the Apollo audit plugin). */
    ledgerRecorded: boolean;
    /** How the identity plugin identified the caller (for the ledger's access path). */
    identifiedVia: 'direct' | 'proxy' | null;
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

/** Statuses of requests refused before GraphQL ran: identity (401, 403), rate limit (429), GET (405), ledger closed (503). */
const REFUSED: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 405: 'BAD_REQUEST', 429: 'RATE_LIMITED', 503: 'SERVICE_UNAVAILABLE' };
/** Refusals that name their own code: trusted documents (src/server/plugins/trusted-documents.ts) and the request's declarations (declarations.ts). */
const NAMED_REFUSALS = new Set(['DOCUMENT_NOT_TRUSTED', 'PERSISTED_QUERY_NOT_FOUND', 'PURPOSE_NOT_ALLOWED', 'ON_BEHALF_OF_REQUIRED']);

/** A ledger record for every request refused before GraphQL ran (Apollo's audit plugin records the others). */
export function recordRefusals(app: FastifyInstance, ledger: Ledger, developmentListener: boolean): void {
  if (!app.hasRequestDecorator('ledgerRecorded')) {
    app.decorateRequest('ledgerRecorded', false);
    app.decorateRequest('identifiedVia', null);
  }
  app.addHook('onResponse', async (request, reply) => {
    const t = request.telemetry;
    const code = t?.errorCodes.find((c) => NAMED_REFUSALS.has(c)) ?? REFUSED[reply.statusCode];
    if (request.ledgerRecorded || code === undefined) return;
    ledger.record({
      kind: 'refusal',
      ...requestLedgerFields(request, developmentListener),
      operationName: null,
      documentHash: t?.document?.id ?? null,
      ...(t?.document ? { documentTrusted: t.document.trusted } : {}),
      outcome: 'refused',
      httpStatus: reply.statusCode,
      errorCodes: [code],
      subjects: [],
      searches: [],
    });
  });
}

/** LEDGER_ON_ERROR=closed: while the ledger cannot record, requests are refused (503) before GraphQL runs. */
const ledgerGate: FastifyPluginAsync<{ ledger: Ledger }> = async (app, { ledger }) => {
  app.addHook('preHandler', async (request, reply) => {
    if (ledger.accepting()) return;
    return reply
      .code(503)
      .header('retry-after', '5')
      .send(errorBody('SERVICE_UNAVAILABLE', 'The service cannot record disclosures just now; retry shortly.', { retryAfterSeconds: 5 }));
  });
};

export const ledgerGatePlugin = fp(ledgerGate, { name: 'ledger-gate', dependencies: ['rate-limit'] });
