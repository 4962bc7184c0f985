import type pg from 'pg';
import { sql as m0001 } from './migrations/0001_ledger.js';

/** Every migration, in order (kept as modules so that the build carries them). Never edit one that shipped: add the next. */
export const MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [{ id: '0001_ledger', sql: m0001 }];

/**
 * Applies MIGRATIONS (src/ledger/migrations) in order, each once, each in a transaction,
 * under an advisory lock (replicas starting together apply them once).
 */
export async function migrate(client: pg.ClientBase): Promise<string[]> {
  const applied: string[] = [];
  await client.query('SELECT pg_advisory_lock(815015)');
  try {
    await client.query('CREATE TABLE IF NOT EXISTS ledger_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ id: string }>('SELECT id FROM ledger_migrations')).rows.map((r) => r.id));
    for (const { id: file, sql } of MIGRATIONS) {
      if (done.has(file)) continue;
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO ledger_migrations (id) VALUES ($1)', [file]);
        await client.query('COMMIT');
        applied.push(file);
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(815015)');
  }
  return applied;
}
