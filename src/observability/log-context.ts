/**
 * What every log line written while serving one request carries, whoever writes it: the request id (from
 * or returned in `X-Request-Id`) and the trace id, so that the request id a consumer reports finds every
 * line about it.
 *
 * Passed explicitly, not through AsyncLocalStorage: on Node 20 an AsyncLocalStorage turns on promise
 * hooks for every promise of the process, which cost S3 (`person { firstName }`) about 6% of its CPU
 * (profile: 3.3% in the hooks, and garbage collection 8.6% of busy time against 5.7% without them;
 * bench/results/README.md, issue 19). So the request's ids travel with
 * what already travels with the request: the fastify request's logger (`listenerOptions`), the upstream
 * calls' scope (`RequestScope`), the breaker's permits, the GraphQL context; a line written for a
 * request adds `logContextOf(that)`.
 */
export interface LogContext {
  requestId: string;
  traceId?: string;
}

/** The request fields of a log line about `of` (a scope, a context): its requestId and traceId; none outside a request. */
export function logContextOf(of: Partial<LogContext> | null | undefined): Partial<LogContext> {
  if (!of?.requestId) return {};
  return of.traceId === undefined ? { requestId: of.requestId } : { requestId: of.requestId, traceId: of.traceId };
}
