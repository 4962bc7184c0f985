import { hostname } from 'node:os';
import { EnvReader, type Env } from './env.js';

/**
 * The disclosure ledger (src/ledger, docs/adr/0013-disclosure-ledger.md). Without
 * LEDGER_DATABASE_URL, records go to the audit sink (local development: `npm run dev` needs no
 * database). See README.md (Configuration).
 */
export interface LedgerConfig {
  /** PostgreSQL connection string; null = records go to the audit sink. */
  databaseUrl: string | null;
  /** When PostgreSQL cannot take records: spool them to a local file and catch up, or refuse requests. */
  onError: 'spool' | 'closed';
  spoolFile: string;
  /** Records waiting in memory before requests are refused (closed) or records go to the spool (spool). */
  queueMax: number;
  batchSize: number;
  flushIntervalMs: number;
  /** An anchor record after this many records, or this long, whichever comes first. */
  anchorEvery: number;
  anchorIntervalMs: number;
  /** This replica's name in chain ids (`<replica>/<start time>`). */
  replica: string;
  /**
   * Days records are kept: `npm run ledger -- prune` (scripts/ledger.ts) deletes every chain whose newest
   * record is older; the gateway itself never deletes. See docs/adr/0014.
   */
  retentionDays: number;
}

export function ledgerConfig(env: Env, problems: string[]): LedgerConfig {
  const read = new EnvReader(env, problems);
  const onError = read.str('LEDGER_ON_ERROR', 'spool');
  if (onError !== 'spool' && onError !== 'closed') problems.push(`LEDGER_ON_ERROR must be spool or closed (got "${onError}")`);
  const url = env.LEDGER_DATABASE_URL?.trim() || null;
  if (url !== null && !/^postgres(ql)?:\/\//.test(url)) problems.push('LEDGER_DATABASE_URL must be a postgres:// URL');
  return {
    databaseUrl: url,
    onError: onError === 'closed' ? 'closed' : 'spool',
    spoolFile: read.str('LEDGER_SPOOL_FILE', 'ledger-spool.jsonl'),
    queueMax: read.int('LEDGER_QUEUE_MAX', 10_000, 10, 1_000_000),
    batchSize: read.int('LEDGER_BATCH_SIZE', 200, 1, 10_000),
    flushIntervalMs: read.int('LEDGER_FLUSH_INTERVAL_MS', 200, 10, 60_000),
    anchorEvery: read.int('LEDGER_ANCHOR_EVERY', 1000, 1, 10_000_000),
    anchorIntervalMs: read.int('LEDGER_ANCHOR_INTERVAL_MS', 60_000, 100, 86_400_000),
    replica: read.str('LEDGER_REPLICA', env.HOSTNAME?.trim() || hostname()),
    retentionDays: read.int('LEDGER_RETENTION_DAYS', 2557, 1, 36_500),
  };
}
