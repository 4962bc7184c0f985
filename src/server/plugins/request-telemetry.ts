import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorCodesOf } from '../../errors/contract.js';
import type { Metrics } from '../../observability/metrics.js';
import { requestTrace, traceparentOf } from '../../observability/trace.js';

export interface RequestTelemetryOptions {
  metrics: Metrics;
  deadlineMs: number;
}

/**
 * Per-request hooks on a consumer-facing listener: X-Request-Id back to the caller, trace context,
 * deadline and disconnect handling, and the one access line per request. (Auth refusals and
 * certificate expiry are counted through the authenticator's observer: see Operations.)
 */
const requestTelemetry: FastifyPluginAsync<RequestTelemetryOptions> = async (app, { metrics, deadlineMs }) => {
  app.decorateRequest('telemetry', null);
  const logAccess = accessLog(metrics);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
    const startedAt = Date.now();
    // The same trace as the request's logger names (made from the same raw request).
    const trace = requestTrace(request.raw);
    const controller = new AbortController();
    const deadline = startedAt + deadlineMs;
    const timer = setTimeout(() => controller.abort(new Error('deadline passed')), deadlineMs);
    timer.unref();
    reply.raw.once('close', () => {
      clearTimeout(timer);
      if (reply.raw.writableFinished) return;
      // The client disconnected first: abort its pending upstream calls; fastify will not report a
      // response that was never sent, so the access line is written here.
      controller.abort(new Error('client disconnected'));
      logAccess(request, reply, true);
    });
    request.telemetry = {
      startedAt,
      trace,
      scope: {
        requestId: String(request.id),
        traceId: trace.traceId,
        signal: controller.signal,
        deadline,
        traceparent: traceparentOf(trace),
        stats: { upstreamCalls: 0 },
      },
      operationName: null,
      operationHash: null,
      document: null,
      errorCodes: [],
      graphqlOutcome: null,
      refusal: null,
      logged: false,
      abort: (reason) => controller.abort(new Error(reason)),
      finish: () => clearTimeout(timer),
    };
  });

  // The codes of an error answer from a step that did not name them on the request (Apollo's HTTP-level
  // 400s, for one), read from the body it sent, for the access line and the ledger's refusal record.
  app.addHook('onSend', async (request, reply, payload) => {
    const t = request.telemetry;
    if (t && reply.statusCode >= 400 && t.errorCodes.length === 0 && typeof payload === 'string') t.errorCodes = errorCodesOf(payload);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => logAccess(request, reply, false));
};

export const requestTelemetryPlugin = fp(requestTelemetry, { name: 'request-telemetry' });

/**
 * The one access line and the request metrics, exactly once per request: on the response, or when
 * the client went away before it.
 */
function accessLog(metrics: Metrics) {
  return (request: FastifyRequest, reply: FastifyReply, clientGone: boolean): void => {
    const t = request.telemetry;
    if (t) {
      if (t.logged) return;
      t.logged = true;
      t.finish();
    }
    const consumer = request.consumer?.name ?? 'unknown';
    const outcome = clientGone ? 'aborted' : outcomeOf(request, reply);
    // 499: the client closed the connection before the answer (no status was sent).
    const status = clientGone ? 499 : reply.statusCode;
    // A trusted document's operation name is ours (registered, reviewed); any other is consumer-chosen text
    // and appears only as its document hash.
    const trusted = t?.document?.trusted === true;
    const documentId = t?.document?.id ?? (t?.operationHash ? `sha256:${t.operationHash}` : null);
    const operation = trusted ? metrics.operationLabel(consumer, t?.operationName) : metrics.documentLabel(consumer, documentId);
    metrics.observeRequest(consumer, operation, outcome, reply.elapsedTime / 1000);
    // requestId and traceId: the request's logger names them (src/server/listener.ts).
    request.log.info(
      {
        event: 'access',
        consumer: request.consumer?.name ?? null,
        // The same bounded label as the metrics (name pattern, per-consumer cap): the raw value is
        // consumer-chosen text and is never logged as sent.
        operationName: trusted && t?.operationName ? operation : null,
        operationHash: t?.operationHash ?? null,
        method: request.method,
        url: request.url.split('?')[0],
        status,
        outcome,
        errorCodes: t?.errorCodes ?? [],
        upstreamCalls: t?.scope.stats.upstreamCalls ?? 0,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  };
}

function outcomeOf(request: FastifyRequest, reply: FastifyReply): string {
  const t = request.telemetry;
  if (t?.refusal) return t.refusal;
  if (reply.statusCode === 401) return 'unauthenticated';
  if (reply.statusCode === 403) return 'forbidden';
  if (reply.statusCode === 429) return 'rate_limited';
  if (reply.statusCode === 503) return 'unavailable';
  if (t?.graphqlOutcome) return t.graphqlOutcome;
  return reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'bad_request' : 'ok';
}

