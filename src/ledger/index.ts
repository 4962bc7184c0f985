import type { LedgerConfig } from '../config/ledger.js';
import type { AuditSink } from '../observability/audit-sink.js';
import type { Logger } from '../observability/logger.js';
import { AuditSinkLedger, PostgresLedger, type Ledger, type LedgerObserver } from './ledger.js';

export type { Ledger, LedgerObserver } from './ledger.js';

/** PostgreSQL when LEDGER_DATABASE_URL is set; otherwise the audit sink (local development). */
export async function createLedger(config: LedgerConfig, sink: AuditSink, logger: Logger, observer: LedgerObserver): Promise<Ledger> {
  if (config.databaseUrl === null) return new AuditSinkLedger(sink, config.replica);
  const ledger = new PostgresLedger({ ...config, databaseUrl: config.databaseUrl }, logger, observer);
  await ledger.start();
  return ledger;
}
