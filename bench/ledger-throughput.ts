/**
 * The disclosure ledger's write throughput into a real PostgreSQL (started here like the tests do):
 * N records of a typical size (two subjects, 15 coordinates each) through PostgresLedger's queue
 * and batched inserts; prints records per second, then verifies the chain; writes
 * bench/results/<stamp>-ledger-throughput.json.
 *
 *   npm run bench:ledger-throughput [-- records]   (default 20000)
 */
import pg from 'pg';
import { PostgresLedger } from '../src/ledger/ledger.js';
import { ChainVerifier, type DisclosureBody } from '../src/ledger/record.js';
import { SELECT_ROWS, rowOf } from '../src/ledger/store.js';
import { startPostgres } from '../local-stack/postgres.js';
import { pino } from 'pino';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCommandLine } from './lib.js';

const USAGE = `The disclosure ledger's write throughput into a real PostgreSQL (started here): records through the writer's
queue and batched inserts, then the chain verified; writes bench/results/<stamp>-ledger-throughput.json.

usage: npm run bench:ledger-throughput -- [RECORDS]

  RECORDS  how many records (default 20000)`;
const cli = benchCommandLine(process.argv.slice(2), { command: 'npm run bench:ledger-throughput', usage: USAGE, maxPositionals: 1 });
const records = cli.positionals[0];
if (records !== undefined && !/^[1-9]\d*$/.test(records)) cli.fail(`RECORDS must be a whole number above 0 (got "${records}")`);
const N = Number(records ?? 20_000);
const db = await startPostgres();
try {
  const ledger = new PostgresLedger(
    {
      databaseUrl: db.url,
      onError: 'spool',
      spoolFile: join(tmpdir(), `ledger-bench-${process.pid}.jsonl`),
      queueMax: N + 10,
      batchSize: 500,
      flushIntervalMs: 20,
      anchorEvery: 1000,
      anchorIntervalMs: 60_000,
      replica: 'bench',
      retentionDays: 1,
    },
    pino({ level: 'silent' }),
  );
  await ledger.start();
  const coords = Array.from({ length: 15 }, (_, i) => `Person.field${i}`);
  const body = (i: number): DisclosureBody => ({
    kind: 'disclosure',
    at: new Date().toISOString(),
    requestId: `req-${i}`,
    consumer: 'police-dev',
    certificateSerial: '0A1B2C',
    accessPath: 'direct-mtls',
    onBehalfOf: null,
    purpose: 'bench',
    operationName: null,
    documentHash: `sha256:${'0'.repeat(64)}`,
    outcome: 'ok',
    httpStatus: 200,
    errorCodes: [],
    subjects: [
      { hmppsId: `X${String(i).padStart(6, '0')}`, disclosed: coords, redacted: [] },
      { hmppsId: `A${String(i % 9999).padStart(4, '0')}BC`, disclosed: coords, redacted: [] },
    ],
    searches: [],
  });
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) ledger.record(body(i));
  const enqueued = Number(process.hrtime.bigint() - started) / 1e6;
  while (ledger.backlog() > 0) await ledger.flush();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  await ledger.close();
  console.log(`records: ${N}; enqueue (chain + hash) ${(enqueued / N * 1000).toFixed(1)} us/record; written in ${ms.toFixed(0)} ms = ${Math.round(N / (ms / 1000))} records/s; gateway-side CPU ${((cpu.user + cpu.system) / N).toFixed(0)} us/record`);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const rows = (await client.query(`${SELECT_ROWS} ORDER BY seq`)).rows.map(rowOf);
  const v = new ChainVerifier(rows[0]!.chain);
  const broken = rows.map((r) => v.check(r)).find((p) => p !== null);
  console.log(`rows: ${rows.length} (incl. anchors); verify: ${broken ? JSON.stringify(broken) : 'OK'}`);
  await client.end();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', `${stamp}-ledger-throughput.json`);
  const result = {
    settings: { records: N, batchSize: 500, flushIntervalMs: 20, subjectsPerRecord: 2, coordinatesPerSubject: 15 },
    loadAverage: loadavg(),
    enqueueUsPerRecord: Math.round((enqueued / N) * 1000 * 10) / 10,
    writtenMs: Math.round(ms),
    recordsPerSecond: Math.round(N / (ms / 1000)),
    gatewaySideCpuUsPerRecord: Math.round((cpu.user + cpu.system) / N),
    rows: rows.length,
    verify: broken ? broken : 'OK',
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${file}`);
} finally {
  db.destroy();
}
