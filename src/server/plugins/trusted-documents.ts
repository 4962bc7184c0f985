import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { DOCUMENT_ID_PATTERN, documentIdOf, type TrustedDocuments } from '../../auth/trusted-documents.js';
import { errorBody, httpStatusOf, type ErrorCode } from '../../errors/contract.js';
import { logContextOf } from '../../observability/log-context.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';

export interface TrustedDocumentsOptions {
  documents: TrustedDocuments;
  metrics: Metrics;
  logger: Logger;
  /** As the GraphQL route: over GET only when operations over GET are allowed (else the route answers 405). */
  allowGetOperations: boolean;
}

/** Distinct (consumer, document) pairs logged as unknown per process, so a busy client cannot flood the log. */
const MAX_LOGGED_UNKNOWN = 10_000;

/**
 * Trusted documents (docs/adr/0020-trusted-documents.md), between the ledger gate and Apollo, before the
 * document is parsed:
 *
 * - a request may name its document instead of sending it: `documentId: "sha256:<hex>"` (GraphQL over HTTP,
 *   persisted documents) or Apollo's `extensions.persistedQuery.sha256Hash`, in a POST body or, where the
 *   route serves operations over GET, in the query string. The id is looked up among the consumer's own
 *   documents and the text handed to Apollo; an unknown id is PERSISTED_QUERY_NOT_FOUND (404);
 * - a request that sends the text has it hashed (no parsing) to the same id;
 * - the consumer's mode decides about a document it has not registered: `off` serves it, `log-unknown` (the
 *   default) serves it, logs its hash (never its text) and counts it, `enforce` refuses it with
 *   DOCUMENT_NOT_TRUSTED (403): an unparseable text is refused the same way, nothing parses it.
 *
 * The request's telemetry learns the id and whether it is trusted: only a trusted document's operation
 * name reaches logs and metrics (src/server/plugins/request-telemetry.ts).
 */
const trustedDocuments: FastifyPluginAsync<TrustedDocumentsOptions> = async (app, { documents, metrics, logger, allowGetOperations }) => {
  const loggedUnknown = new Set<string>();
  const log = logger.child({ component: 'trusted-documents' });

  app.addHook('preHandler', async (request, reply) => {
    const consumer = request.consumer;
    if (!consumer || request.routeOptions.url !== '/graphql') return;
    const get = request.method === 'GET';
    if ((!get && request.method !== 'POST') || (get && !allowGetOperations)) return;
    const params = get ? request.query : request.body;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return; // Apollo answers BAD_REQUEST
    const fields = params as Record<string, unknown>;
    const t = request.telemetry;
    const refuse = (code: ErrorCode, message: string): FastifyReply => {
      if (t) t.errorCodes = [code];
      return reply.code(httpStatusOf(code)).send(errorBody(code, message));
    };

    const named = namedDocument(fields, get);
    if (named === 'malformed') return refuse('BAD_REQUEST', 'documentId must be "sha256:" followed by the 64 lower-case hex digits of the document text.');
    const text = typeof fields.query === 'string' ? fields.query : null;
    let id: string;
    if (named) {
      if (text !== null && documentIdOf(text) !== named) return refuse('BAD_REQUEST', 'The query text does not match its document id.');
      const known = documents.find(consumer.name, named);
      if (text === null && !known) {
        if (t) t.document = { id: named, trusted: false };
        return refuse('PERSISTED_QUERY_NOT_FOUND', 'No registered document of yours has this id: send the query text, or register the document.');
      }
      // Apollo is given the text; the id forms are ours (Apollo's own persisted queries are off).
      forgetDocumentId(fields, get);
      if (text === null) fields.query = known!.text;
      // Apollo's fastify integration reads a GET operation from the URL's query string, not from request.query.
      if (get) request.raw.url = `${request.url.split('?')[0]}?${queryString(fields)}`;
      id = named;
    } else if (text !== null) {
      id = documentIdOf(text);
    } else {
      return; // no operation: Apollo answers BAD_REQUEST
    }

    const trusted = documents.find(consumer.name, id) !== undefined;
    if (t) t.document = { id, trusted };
    if (trusted) return;
    const mode = consumer.grant.trustedDocuments;
    if (mode === 'off') return;
    if (mode === 'enforce') {
      metrics.untrustedDocuments.inc({ consumer: consumer.name, action: 'refused' });
      return refuse('DOCUMENT_NOT_TRUSTED', 'Your policy allows only your registered documents, and this is not one of them.');
    }
    metrics.untrustedDocuments.inc({ consumer: consumer.name, action: 'served' });
    const key = `${consumer.name} ${id}`;
    if (!loggedUnknown.has(key) && loggedUnknown.size < MAX_LOGGED_UNKNOWN) {
      loggedUnknown.add(key);
      log.info({ ...logContextOf(request.telemetry?.scope), event: 'untrusted-document', consumer: consumer.name, documentId: id, mode }, 'a document that is not one of the consumer\'s trusted documents was served (logged once per document)');
    }
  });
};

/** The document id a request names (`documentId`, or Apollo's persisted-query hash), null, or 'malformed'. */
function namedDocument(fields: Record<string, unknown>, get: boolean): string | null | 'malformed' {
  if (fields.documentId !== undefined) {
    return typeof fields.documentId === 'string' && DOCUMENT_ID_PATTERN.test(fields.documentId) ? fields.documentId : 'malformed';
  }
  const hash = persistedQueryOf(extensionsOf(fields, get))?.sha256Hash;
  if (hash === undefined) return null;
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? `sha256:${hash}` : 'malformed';
}

/** `extensions` as an object: a POST body carries one, a GET query string carries its JSON text. */
function extensionsOf(fields: Record<string, unknown>, get: boolean): Record<string, unknown> | null {
  let value = fields.extensions;
  if (get && typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null; // Apollo answers the unreadable extensions
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function persistedQueryOf(extensions: Record<string, unknown> | null): Record<string, unknown> | null {
  const pq = extensions?.persistedQuery;
  return typeof pq === 'object' && pq !== null ? (pq as Record<string, unknown>) : null;
}

function queryString(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(key, v);
  }
  return params.toString();
}

function forgetDocumentId(fields: Record<string, unknown>, get: boolean): void {
  delete fields.documentId;
  const extensions = extensionsOf(fields, get);
  if (!extensions || !('persistedQuery' in extensions)) return;
  delete extensions.persistedQuery;
  fields.extensions = get ? JSON.stringify(extensions) : extensions;
}

export const trustedDocumentsPlugin = fp(trustedDocuments, { name: 'trusted-documents', dependencies: ['request-declarations'] });
