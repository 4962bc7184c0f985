import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs (pino). Person data never goes into a log line: request bodies and GraphQL variables are
 * not logged at all, and the paths below are redacted as a second line of defence.
 */
let stdout: ReturnType<typeof pino.destination> | null = null;

/**
 * Standard output as one asynchronous destination shared by every logger of the process (the
 * application log and the audit log), so lines never interleave and no request waits on a
 * synchronous write to a pipe. pino flushes it when the process exits.
 */
export function stdoutDestination(): ReturnType<typeof pino.destination> {
  stdout ??= pino.destination({ dest: 1, sync: false });
  return stdout;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'person-graph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'variables', 'body', '*.variables', '*.body'],
        censor: '[redacted]',
      },
      formatters: { level: (label) => ({ level: label }) },
      // A line about a request names its requestId and traceId itself (src/observability/log-context.ts).
    },
    destination ?? stdoutDestination(),
  );
}
