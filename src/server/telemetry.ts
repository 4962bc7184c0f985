import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyRequest } from 'fastify';
import type { RequestScope } from '../datasources/index.js';
import { answerOutcome, type AnswerOutcome, type Metrics } from '../observability/metrics.js';
import type { TraceContext } from '../observability/trace.js';

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
  /**
   * The document the request ran or asked for, and whether it is one of the consumer's trusted
   * documents (src/server/plugins/trusted-documents.ts). Only a trusted document's operation name is
   * logged or used as a metric label; any other appears as its hash.
   */
  document: { id: string; trusted: boolean } | null;
  errorCodes: string[];
  /** Once Apollo answered: see `answerOutcome`. */
  graphqlOutcome: AnswerOutcome | null;
  /** Set by a hook that refused the request (rate limit, for instance). */
  refusal: string | null;
  /** The access line was written. */
  logged: boolean;
  abort(reason: string): void;
  finish(): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the request-telemetry plugin, first on every consumer-facing listener. */
    telemetry: RequestTelemetry | null;
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

/**
 * Apollo plugin: the operation name and hash for the access line, the error codes sent, and
 * whether the answer was complete, partial or an error. FORBIDDEN errors count as auth refusals.
 */
export function useTelemetry<TContext extends object>(metrics: Metrics): ApolloServerPlugin<TContext> {
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
          t.graphqlOutcome = answerOutcome(codes, hasData);
        },
      };
    },
  };
}
