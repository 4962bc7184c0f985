import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { MaxIntrospectionDepthRule, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { maxOfTypeDepthRule } from '../auth/introspection-depth.js';
import { developmentExamples } from './dev-examples.js';
import { auditPlugin, type LedgerRequestFacts } from '../auth/audit.js';
import { operationGate, type QueryLimits } from '../auth/gate.js';
import type { SecurityContext } from '../auth/shield.js';
import { formattedError, INTERNAL_ERROR_MESSAGE, isPublicCode } from '../errors/contract.js';
import type { AuditSink } from '../observability/audit-sink.js';
import type { Ledger } from '../ledger/ledger.js';
import { logContextOf, type LogContext } from '../observability/log-context.js';
import type { Logger } from '../observability/logger.js';
import type { ResolverContext } from '../resolvers/context.js';

export type GatewayContext = ResolverContext & SecurityContext & { requestId: string; traceId?: string; ledger?: LedgerRequestFacts };

export interface ApolloSecurity {
  limits: QueryLimits;
  /** Lexical tokens a document may have (graphql-js parser limit). */
  maxTokens: number;
  audit: AuditSink;
  /** The disclosure ledger (src/ledger). */
  ledger?: Ledger | null;
}

/**
 * The request each error was met in (set by `errorRequests`, which Apollo tells of a request's errors
 * before it formats them): formatError has no request context of its own.
 */
const errorRequest = new WeakMap<object, Partial<LogContext>>();

/** Notes the request of every error of a request, for formatError's log line (its requestId and traceId). */
function errorRequests(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors(rc) {
          const context = logContextOf(rc.contextValue);
          for (const error of rc.errors) errorRequest.set(error, context);
        },
      };
    },
  };
}

/**
 * Errors leave the gateway with a stable code and nothing else from inside: an error without a
 * public code becomes a generic INTERNAL_SERVER_ERROR (logged with its detail, never sent).
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    // The parser's token limit is a query limit like the others, not a syntax error. (graphql-js 16
    // spells it "more that N tokens".)
    const tokens = code === 'GRAPHQL_PARSE_FAILED' ? /Document contains more tha[nt] (\d+) tokens/.exec(formatted.message) : null;
    if (tokens) {
      return formattedError('QUERY_TOO_COMPLEX', `The query is too long: the limit is ${tokens[1]} tokens.`, { limit: 'tokens', maximum: Number(tokens[1]) });
    }
    if (isPublicCode(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const request = typeof error === 'object' && error !== null ? errorRequest.get(error) : undefined;
    logger.error({ ...request, err: error, path: formatted.path }, 'internal error in GraphQL execution');
    const { message, extensions } = formattedError('INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
    return { message, path: formatted.path, locations: formatted.locations, extensions };
  };
}

/**
 * Errors beside data (a list answered in part, src/resolvers/partial.ts, ADR 21): graphql-js has no
 * way for a resolver to return a value and an error for the same field, so resolvers collect them in
 * the context and they are added here. An error whose data was nulled afterwards (by another error
 * above it) is not added: that path carries its own error. First of the plugins, so that every
 * plugin after it (audit, telemetry: the error codes and the `partial` outcome) sees the errors.
 */
export function partialErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const pending = contextValue.partialErrors;
          if (pending.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const delivered = pending.filter((e) => e.path !== undefined && valueAt(result.data, e.path) !== null);
          if (delivered.length > 0) result.errors = [...(result.errors ?? []), ...delivered.map((e) => e.toJSON())];
        },
      };
    },
  };
}

/** The value at a response path (`undefined` when the path is not in the data, `null` when nulled). */
function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || value === undefined || typeof value !== 'object') return value === null ? null : undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value ?? null;
}

/** Apollo Sandbox opens with the consumer guide's examples (one document, one operation each) and their variables. */
function sandboxExamples(): { document?: string; variables?: Record<string, unknown> } {
  const { operations, variables } = developmentExamples();
  return operations.length > 0 ? { document: operations.map((o) => o.document).join('\n\n'), variables } : {};
}

export function createApollo(
  schema: GraphQLSchema,
  logger: Logger,
  options: { sandbox: boolean; security: ApolloSecurity; plugins?: ApolloServerPlugin<GatewayContext>[] },
): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    // Introspection is decided per consumer by the operation gate (policy flag; always on the
    // development listener), not for the whole server.
    introspection: true,
    // Apollo's own SIGTERM/SIGINT handler stops the server and re-raises the signal, which would kill
    // the process in the middle of the gateway's drain (src/server/shutdown.ts owns shutdown).
    stopOnTerminationSignals: false,
    // Automatic persisted queries would let a client register documents; nothing needs them.
    persistedQueries: false,
    parseOptions: { maxTokens: options.security.maxTokens },
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    formatError: formatErrorFor(logger),
    // Introspection nesting: graphql-js's rule for fields/interfaces/possibleTypes, ours for ofType.
    validationRules: [MaxIntrospectionDepthRule, maxOfTypeDepthRule()],
    plugins: [
      partialErrorsPlugin(),
      errorRequests(),
      // No HTTP caching of person data, so no cache hints: the plugin would only cost a hook per field.
      ApolloServerPluginCacheControlDisabled(),
      // The schema is a federation subgraph, for which Apollo would add its inline-trace plugin: every
      // caller sending `apollo-federation-include-trace: ftv1` would get per-field timings and error
      // locations in `extensions.ftv1`. Nothing needs them (ADR 11); off.
      ApolloServerPluginInlineTraceDisabled(),
      options.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, ...sandboxExamples() })
        : ApolloServerPluginLandingPageDisabled(),
      operationGate(options.security.limits),
      auditPlugin(options.security.audit, options.security.ledger ?? null),
      ...(options.plugins ?? []),
    ],
  });
}
