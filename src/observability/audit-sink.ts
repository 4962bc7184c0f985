import { pino, type Logger } from 'pino';
import { stdoutDestination } from './logger.js';

/** Where audit events go: apart from the application log (auth emits them, this writes them). */
export interface AuditSink {
  write(event: Record<string, unknown>): void;
  close(): void;
}

/** `stdout` | `stderr` | `file:<path>` | `off`: a pino logger of its own, apart from the application log. */
export function createAuditSink(sink: string): AuditSink {
  if (sink === 'off') return { write: () => undefined, close: () => undefined };
  // stdout shares the application log's destination, so that lines from the two loggers never
  // interleave mid-line; a file gets an asynchronous destination of its own (flushed on close and exit).
  const file = sink.startsWith('file:') ? pino.destination({ dest: sink.slice('file:'.length), sync: false, mkdir: true }) : null;
  const destination = file ?? (sink === 'stderr' ? process.stderr : stdoutDestination());
  const logger: Logger = pino(
    { base: { service: 'person-graph', log: 'audit' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    destination,
  );
  return {
    write: (event) => logger.info({ event: 'person-data-access', ...event }),
    close: () => file?.flushSync(),
  };
}
