import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { auditPlugin, type AuditSink } from '../auth/audit.js';
import { operationGate, type QueryLimits } from '../auth/gate.js';
import type { SecurityContext } from '../auth/shield.js';
import type { Logger } from '../observability/logger.js';
import type { ResolverContext } from '../resolvers/context.js';

export type GatewayContext = ResolverContext & SecurityContext & { requestId: string };

export interface ApolloSecurity {
  limits: QueryLimits;
  /** Lexical tokens a document may have (graphql-js parser limit). */
  maxTokens: number;
  audit: AuditSink;
}

/** Codes a consumer may see; anything else is a bug and is reported as INTERNAL_SERVER_ERROR. */
const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

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
      return {
        message: `The query is too long: the limit is ${tokens[1]} tokens.`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: Number(tokens[1]) },
      };
    }
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error, path: formatted.path }, 'internal error in GraphQL execution');
    return {
      message: 'Internal error. It has been logged; please report the request id.',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
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
    plugins: [
      // No HTTP caching of person data, so no cache hints: the plugin would only cost a hook per field.
      ApolloServerPluginCacheControlDisabled(),
      options.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      operationGate(options.security.limits),
      auditPlugin(options.security.audit),
      ...(options.plugins ?? []),
    ],
  });
}

/**
 * HTTP-level problems (body too large, unreadable JSON, unsupported media type, unknown route) in
 * the same shape as GraphQL errors, with a stable code: a caller's mistake is a 4xx, never a 500.
 */
export function httpErrorHandler(logger: Logger, maxRequestBytes: number) {
  return (error: { statusCode?: number; code?: string; message: string }, _request: unknown, reply: HttpReply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      logger.error({ err: error }, 'unhandled error on a consumer listener');
      return reply.code(500).send({ errors: [{ message: 'Internal error. It has been logged; please report the request id.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
    const message =
      status === 413
        ? `The request body is larger than the limit of ${maxRequestBytes} bytes.`
        : status === 415
          ? 'Send GraphQL requests as application/json.'
          : error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError
            ? 'The request body is not valid JSON.'
            : 'The request could not be read.';
    return reply.code(status).send({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  };
}

export function notFoundHandler(_request: unknown, reply: HttpReply) {
  return reply.code(404).send({ errors: [{ message: 'Not found. GraphQL is served at /graphql.', extensions: { code: 'NOT_FOUND' } }] });
}

interface HttpReply {
  code(status: number): HttpReply;
  send(body: unknown): HttpReply;
}
