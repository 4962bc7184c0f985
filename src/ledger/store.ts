import pg from 'pg';
import type { ChainedRecord, LedgerBody } from './record.js';
import { subjectsOf } from './record.js';

/** Writes and reads ledger rows in PostgreSQL (table: src/ledger/migrations). */

const COLUMNS = 9;

/** Inserts records; a record already there (same chain and seq, e.g. replayed from the spool) is left as it is. */
export async function insertRecords(db: pg.Pool | pg.ClientBase, records: readonly ChainedRecord[]): Promise<void> {
  if (records.length === 0) return;
  const values: unknown[] = [];
  const rows: string[] = [];
  records.forEach((r, i) => {
    const b = i * COLUMNS;
    rows.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9})`);
    const consumer = r.body.kind === 'anchor' ? null : r.body.consumer;
    values.push(r.chain, r.seq, r.body.at, r.body.kind, consumer, subjectsOf(r.body), JSON.stringify(r.body), r.prevHash, r.hash);
  });
  await db.query(
    `INSERT INTO ledger_records (chain, seq, at, kind, consumer, subjects, body, prev_hash, hash) VALUES ${rows.join(',')} ON CONFLICT (chain, seq) DO NOTHING`,
    values,
  );
}

export interface StoredRow {
  chain: string;
  seq: number;
  at: Date;
  kind: string;
  consumer: string | null;
  subjects: string[];
  body: LedgerBody;
  prevHash: string;
  hash: string;
}

export function rowOf(r: Record<string, unknown>): StoredRow {
  return {
    chain: r.chain as string,
    seq: Number(r.seq),
    at: r.at as Date,
    kind: r.kind as string,
    consumer: (r.consumer as string | null) ?? null,
    subjects: r.subjects as string[],
    body: r.body as LedgerBody,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}

export const SELECT_ROWS = 'SELECT chain, seq, at, kind, consumer, subjects, body, prev_hash, hash FROM ledger_records';
