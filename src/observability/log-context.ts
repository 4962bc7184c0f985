import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving one request carries, whoever writes it. */
export interface LogContext {
  requestId: string;
  traceId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` (and everything it starts: hooks, the GraphQL execution, DataLoader batches, upstream
 * calls) with `context` as the current request's log context; the logger adds it to every line
 * (createLogger's mixin), so an error logged deep inside a request names its request id and trace id
 * without each caller passing them along.
 */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The log context of the request being served, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
