/**
 * The disclosure ledger's questions and its retention (issue 15, docs/adr/0013 and 0014), on the scripts' one
 * command-line convention (scripts/cli.ts). Usage: `npm run ledger -- --help`. The database is
 * LEDGER_DATABASE_URL (or --database). Output is text, or one JSON object a line with --json.
 */
import pg from 'pg';
import { ChainVerifier, subjectsOf, type DisclosureBody } from '../src/ledger/record.js';
import { SELECT_ROWS, rowOf, type StoredRow } from '../src/ledger/store.js';
import { ledgerConfig } from '../src/config/ledger.js';
import { commandLine, usageFailure, type CommandLine } from './cli.js';

const USAGE = `The disclosure ledger: who was told what about a person, what a consumer was told, whether the chains
are intact, and deleting what is past its retention.

usage:
  npm run ledger -- subject <hmppsId> [--from <time>] [--to <time>]   every record that disclosed anything about this person
                                                                      (by hmppsId, or a linked or merged number)
  npm run ledger -- consumer <name> --from <time> --to <time>         every record of what this consumer was told
  npm run ledger -- verify                                            check every chain (links, hashes, numbering)
  npm run ledger -- prune [--dry-run]                                 delete every chain whose newest record is older than
                                                                      LEDGER_RETENTION_DAYS (default 2557); whole chains only

options:
  --from, --to <time>   ISO 8601 times (UTC when no offset is given)
  --database <url>      PostgreSQL URL (default: LEDGER_DATABASE_URL)
  --json                one JSON object a line
  --dry-run             prune: count what would be deleted, delete nothing
  -h, --help            this text (touches nothing)

exit codes: 0 done, 1 verify found a broken link or the database failed, 2 usage error`;

const spec: CommandLine = {
  command: 'npm run ledger',
  usage: USAGE,
  options: { from: { type: 'string' }, to: { type: 'string' }, database: { type: 'string' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  maxPositionals: 2,
};

async function main(): Promise<number> {
  const { values, positionals } = commandLine(process.argv.slice(2), spec);
  const [command, target] = positionals;
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const time = (name: 'from' | 'to', required: boolean): Date | null => {
    const v = str(name);
    if (v === undefined) {
      if (required) throw new UsageError(`--${name} is required`);
      return null;
    }
    const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !v.includes('T') ? v : `${v}Z`);
    if (Number.isNaN(d.getTime())) throw new UsageError(`--${name}: not a time: ${v}`);
    return d;
  };
  let query: (db: pg.Client) => Promise<number>;
  if (command === undefined) throw new UsageError('subject, consumer, verify or prune?');
  if (values['dry-run'] !== undefined && command !== 'prune') throw new UsageError('--dry-run is for prune');
  if (command === 'verify' || command === 'prune') {
    if (target !== undefined) throw new UsageError(`unexpected argument: ${target}`);
    query = command === 'verify' ? verify : (db) => prune(db, retentionDays(), values['dry-run'] === true);
  } else if (command === 'subject' || command === 'consumer') {
    if (!target) throw new UsageError(`${command} needs a ${command === 'subject' ? 'hmppsId' : 'consumer name'}`);
    const from = time('from', command === 'consumer');
    const to = time('to', command === 'consumer');
    query = (db) => list(db, command, target, from, to, values.json === true);
  } else throw new UsageError(`unknown command ${command}`);

  // Scripts read their environment directly (src/ never does: src/config).
  const url = str('database') ?? process.env.LEDGER_DATABASE_URL;
  if (!url) throw new UsageError('no database: set LEDGER_DATABASE_URL or pass --database');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await query(db);
  } finally {
    await db.end();
  }
}

class UsageError extends Error {}

/** LEDGER_RETENTION_DAYS, read and bounded as the gateway reads it (src/config/ledger.ts). */
function retentionDays(): number {
  const problems: string[] = [];
  const { retentionDays: days } = ledgerConfig(process.env, problems);
  const problem = problems.find((p) => p.includes('LEDGER_RETENTION_DAYS'));
  if (problem) throw new UsageError(problem);
  return days;
}

/**
 * Retention (docs/adr/0014): whole chains only, once their newest record is older than the retention, so
 * that every chain kept still verifies from its first record. A running replica's chain always has a
 * recent record (an anchor at least every LEDGER_ANCHOR_INTERVAL_MS), so it is never pruned. One
 * transaction; the summary says what was (or, with --dry-run, would be) deleted and the oldest record kept.
 */
async function prune(db: pg.Client, days: number, dryRun: boolean): Promise<number> {
  const cutoff = new Date(Date.now() - days * 86_400_000);
  await db.query('BEGIN');
  try {
    const expired = (
      await db.query<{ chain: string; records: string }>(
        'SELECT chain, count(*) AS records FROM ledger_records GROUP BY chain HAVING max(at) < $1 ORDER BY chain',
        [cutoff],
      )
    ).rows;
    const chains = expired.map((r) => r.chain);
    const records = expired.reduce((n, r) => n + Number(r.records), 0);
    if (!dryRun && chains.length > 0) await db.query('DELETE FROM ledger_records WHERE chain = ANY($1::text[])', [chains]);
    const oldest = (await db.query<{ at: Date | null }>('SELECT min(at) AS at FROM ledger_records WHERE NOT (chain = ANY($1::text[]))', [chains])).rows[0]?.at ?? null;
    await db.query(dryRun ? 'ROLLBACK' : 'COMMIT');
    const what = `${chains.length} chain(s), ${records} record(s) whose newest record is before ${cutoff.toISOString()} (retention ${days} days)`;
    console.log(dryRun ? `dry run: would prune ${what}` : `pruned ${what}`);
    for (const r of expired) console.log(`  ${r.chain}: ${r.records} record(s)`);
    console.log(`oldest record kept: ${oldest ? oldest.toISOString() : '(none)'}`);
    return 0;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function verify(db: pg.Client): Promise<number> {
  const chains = (await db.query<{ chain: string }>('SELECT DISTINCT chain FROM ledger_records ORDER BY chain')).rows.map((r) => r.chain);
  let total = 0;
  for (const chain of chains) {
    const verifier = new ChainVerifier(chain);
    let after = 0;
    for (;;) {
      const rows = (await db.query(`${SELECT_ROWS} WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT 5000`, [chain, after])).rows.map(rowOf);
      if (rows.length === 0) break;
      for (const row of rows) {
        const problem = verifier.check(row) ?? columnsProblem(row);
        if (problem) {
          console.log(`BROKEN chain ${chain} at record ${row.seq}: ${typeof problem === 'string' ? problem : problem.problem}`);
          return 1;
        }
        after = row.seq;
      }
    }
    total += verifier.checked;
  }
  console.log(`OK: ${chains.length} chain(s), ${total} record(s) verified`);
  return 0;
}

/** The indexed columns must say what the hashed body says (a query by subject or consumer reads them). */
function columnsProblem(row: StoredRow): string | null {
  const b = row.body;
  if (row.kind !== b.kind || row.at.getTime() !== new Date(b.at).getTime()) return 'its columns do not match its body (altered)';
  if (b.kind !== 'anchor' && row.consumer !== b.consumer) return 'its consumer column does not match its body (altered)';
  if ([...row.subjects].sort().join(',') !== subjectsOf(b).sort().join(',')) return 'its subjects column does not match its body (altered)';
  return null;
}

async function list(db: pg.Client, by: 'subject' | 'consumer', target: string, from: Date | null, to: Date | null, json: boolean): Promise<number> {
  const where = [by === 'subject' ? 'subjects @> ARRAY[$1]::text[]' : 'consumer = $1'];
  const params: unknown[] = [target];
  if (from) where.push(`at >= $${params.push(from)}`);
  if (to) where.push(`at < $${params.push(to)}`);
  const rows = (await db.query(`${SELECT_ROWS} WHERE ${where.join(' AND ')} ORDER BY at, chain, seq`, params)).rows.map(rowOf);
  for (const row of rows) {
    const b = row.body as DisclosureBody;
    const subjects = by === 'subject' ? b.subjects.filter((s) => s.hmppsId === target || (s.alsoKnownAs ?? []).includes(target)) : b.subjects;
    const searches = by === 'subject' ? b.searches.filter((s) => s.confirmed.includes(target) || (s.confirmedAlsoKnownAs ?? []).includes(target)) : b.searches;
    if (json) {
      console.log(JSON.stringify({ ...b, subjects, searches, chain: row.chain, seq: row.seq }));
      continue;
    }
    console.log(
      `${b.at} ${b.kind} ${b.outcome} consumer=${b.consumer ?? 'unverified'} serial=${b.certificateSerial ?? '-'} via=${b.accessPath}` +
        ` onBehalfOf=${b.onBehalfOf ?? '-'} purpose=${JSON.stringify(b.purpose)}${b.requestPurpose ? ` requestPurpose=${JSON.stringify(b.requestPurpose)}` : ""} operation=${b.operationName ?? '-'} document=${b.documentHash ?? '-'}` +
        (b.errorCodes.length > 0 ? ` errors=${b.errorCodes.join(',')}` : ''),
    );
    for (const s of subjects) {
      const aka = s.alsoKnownAs?.length ? `; also known as ${s.alsoKnownAs.join(' ')}` : '';
      console.log(`  ${s.hmppsId}: disclosed ${s.disclosed.join(' ') || '(nothing)'}${s.redacted.length > 0 ? `; redacted ${s.redacted.join(' ')}` : ''}${aka}`);
    }
    for (const s of searches) console.log(`  search ${s.field} criteria=${JSON.stringify(s.criteria)} confirmed ${s.confirmed.length}: ${s.confirmed.join(' ')}`);
  }
  if (!json) console.log(`${rows.length} record(s)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) usageFailure(spec, err.message);
    console.error(`ledger: ${(err as Error).message}`);
    process.exit(1);
  },
);
