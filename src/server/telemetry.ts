import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestScope } from '../datasources/index.js';
import type { Metrics } from '../observability/metrics.js';
import { traceFrom, traceparentOf, type TraceContext } from '../observability/trace.js';

/**
 * What the gateway learns about one consumer request on its way through: identity comes from the
 * auth hooks, the operation from Apollo, the upstream call count from the upstream client. It ends
 * as one access log line and a set of metrics. Never the query text, its variables or the response.
 */
export interface RequestTelemetry {
  startedAt: number;
  trace: TraceContext;
  scope: RequestScope & { stats: { upstreamCalls: number }; signal: AbortSignal; deadline: number };
  operationName: string | null;
  operationHash: string | null;
  errorCodes: string[];
  /** ok, partial or error once Apollo answered. */
  graphqlOutcome: 'ok' | 'partial' | 'error' | null;
  /** Set by a hook that refused the request (rate limit, for instance). */
  refusal: string | null;
  /** The access line was written. */
  logged: boolean;
  abort(reason: string): void;
  finish(): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    telemetry?: RequestTelemetry;
  }
}

/** Apollo shallow-copies the context per operation; an enumerable symbol property survives the copy. */
const TELEMETRY = Symbol('request-telemetry');

/** Links a GraphQL context to its request, so the Apollo plugin can fill in the operation. */
export function bindTelemetry<T extends object>(context: T, request: FastifyRequest): T {
  if (request.telemetry) Object.defineProperty(context, TELEMETRY, { value: request.telemetry, enumerable: true });
  return context;
}

function telemetryOf(context: object): RequestTelemetry | undefined {
  return (context as { [TELEMETRY]?: RequestTelemetry })[TELEMETRY];
}

/**
 * The upstream scope of one request: its id, its trace, a deadline `deadlineMs` after it arrived, and
 * a signal that aborts pending upstream calls when the client disconnects or the deadline passes.
 */
export function scopeOf(request: FastifyRequest): RequestScope {
  return request.telemetry?.scope ?? { requestId: String(request.id) };
}

export interface TelemetryOptions {
  metrics: Metrics;
  deadlineMs: number;
}

/**
 * Per-request hooks on a consumer-facing listener: X-Request-Id back to the caller, trace context,
 * deadline and disconnect handling, and the one access line per request. (Auth refusals and
 * certificate expiry are counted through the authenticator's observer: see Operations.)
 */
export function observeRequests(app: FastifyInstance, { metrics, deadlineMs }: TelemetryOptions): void {
  /** Exactly once per request: on the response, or when the client went away before it. */
  const logAccess = (request: FastifyRequest, reply: FastifyReply, clientGone: boolean) => {
    const t = request.telemetry;
    if (t) {
      if (t.logged) return;
      t.logged = true;
      t.finish();
    }
    const consumer = request.consumerName ?? 'unknown';
    const outcome = clientGone ? 'aborted' : outcomeOf(request, reply);
    // 499: the client closed the connection before the answer (no status was sent).
    const status = clientGone ? 499 : reply.statusCode;
    const operation = metrics.operationLabel(consumer, t?.operationName);
    metrics.requests.inc({ consumer, operation, outcome });
    metrics.requestDuration.observe({ consumer, operation, outcome }, reply.elapsedTime / 1000);
    request.log.info(
      {
        event: 'access',
        requestId: String(request.id),
        traceId: t?.trace.traceId,
        consumer: request.consumerName ?? null,
        // The same bounded label as the metrics (name pattern, per-consumer cap): the raw value is
        // consumer-chosen text and is never logged as sent.
        operationName: t?.operationName ? operation : null,
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

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
    const startedAt = Date.now();
    const trace = traceFrom(request.headers.traceparent);
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
        signal: controller.signal,
        deadline,
        traceparent: traceparentOf(trace),
        stats: { upstreamCalls: 0 },
      },
      operationName: null,
      operationHash: null,
      errorCodes: [],
      graphqlOutcome: null,
      refusal: null,
      logged: false,
      abort: (reason) => controller.abort(new Error(reason)),
      finish: () => clearTimeout(timer),
    };
  });

  app.addHook('onResponse', async (request, reply) => logAccess(request, reply, false));
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

/**
 * Apollo plugin: the operation name and hash for the access line, the error codes sent, and
 * whether the answer was complete, partial or an error. FORBIDDEN errors count as auth refusals.
 */
export function telemetryPlugin<TContext extends object>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const t = telemetryOf(contextValue);
      if (t) t.operationName = request.operationName ?? null;
      return {
        async didResolveSource({ queryHash }) {
          if (t) t.operationHash = queryHash;
        },
        async didResolveOperation({ operationName }) {
          if (t) t.operationName = operationName ?? null;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) metrics.graphqlErrors.inc({ code });
          if (codes.includes('FORBIDDEN')) metrics.authRefusals.inc({ reason: 'FORBIDDEN_FIELD' });
          if (!t) return;
          t.errorCodes = [...new Set(codes)];
          const hasData = data !== null && data !== undefined && Object.values(data).some((v) => v !== null);
          t.graphqlOutcome = codes.length === 0 ? 'ok' : hasData ? 'partial' : 'error';
        },
      };
    },
  };
}
