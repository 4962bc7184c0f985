import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs (pino). Person data never goes into a log line: request bodies and GraphQL variables are
 * not logged at all, and the paths below are redacted as a second line of defence.
 */
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
    },
    destination ?? process.stdout,
  );
}
