/**
 * `npm run bench:ledger [-- --seconds N] [--connections N] [--population N] [--latency-ms N] [--no-build]`
 *
 * The disclosure ledger's cost on the request path (issue 15): S1 (full profile by CRN) and S3
 * (`person { firstName }`) against two built gateways on the same simulators, one with the ledger off
 * (records to the audit file, as `npm run dev`) and one writing to a real PostgreSQL (started here like the
 * ledger tests do: initdb/pg_ctl on a free loopback port). Gateway CPU per request includes the ledger
 * writer's own work (hash chain, batched inserts), which runs in the gateway process off the request path.
 * Each phase sends a fixed arrival rate (`--s1-rate`, `--s3-rate`: the same load on both gateways, since
 * CPU per request depends on load on this machine) and alternates off, on, off, on, so the two pairs bracket
 * the drift of a shared machine; the ratio is on/off of the summed CPU. PostgreSQL's own CPU (server and
 * backends, from /proc) is reported beside it. Then the ledger's sustained write rate: the records the
 * PostgreSQL gateway wrote during its phases, and `bench/ledger-throughput.ts`'s figure for the writer
 * alone. Loopback only, bounded phases, every process stopped by PID. Writes
 * bench/results/<stamp>-ledger.json and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import pg from 'pg';
import { wellKnownPeople } from '../local-stack/simulators.js';
import { startPostgres, type PostgresHandle } from '../local-stack/postgres.js';
import { benchCommandLine, body, load, percentile, ROOT, S1, S3, sample, startProcess, startStack, stop, type LoadSpec, type Proc, type Stack } from './lib.js';

const USAGE = `The disclosure ledger's cost on the request path: S1 and S3 at fixed rates against a gateway with the ledger off
and one writing to a real PostgreSQL (started here); writes bench/results/<stamp>-ledger.json and prints a table.

usage: npm run bench:ledger -- [--seconds N] [--connections N] [--population N] [--latency-ms N] [--s1-rate N] [--s3-rate N] [--no-build]

  --seconds N      seconds per phase (default 10)
  --connections N  most connections a constant-rate phase opens (default 16)
  --population N   people in the simulators (default 20000)
  --latency-ms N   the simulators' fixed upstream latency (default 10)
  --s1-rate N      S1's arrival rate to each gateway, req/s (default 15)
  --s3-rate N      S3's arrival rate to each gateway, req/s (default 40)
  --no-build       use dist/ as it is (no npm run build first)`;
const cli = benchCommandLine(process.argv.slice(2), {
  command: 'npm run bench:ledger',
  usage: USAGE,
  numbers: ['seconds', 'connections', 's1-rate', 's3-rate', 'population', 'latency-ms'],
  flags: ['no-build'],
});
const option = cli.number;
const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 16);
/** Fixed arrival rates (open loop), the same for both gateways: CPU per request is compared at equal load. */
const S1_RATE = option('s1-rate', 15);
const S3_RATE = option('s3-rate', 40);
const POPULATION = option('population', 20_000);
const LATENCY_MS = option('latency-ms', 10);
const say = (line: string) => process.stdout.write(`${line}\n`);

/** CPU ms of the PostgreSQL server listening on `port`: the postmaster, its live backends, and the backends it reaped. */
function postgresCpuMs(port: number): number {
  const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fieldsOf = (text: string) => text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const postmaster = pids.find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.some((a) => a.endsWith('postgres')) && args.includes(String(port));
    } catch {
      return false;
    }
  });
  if (!postmaster) throw new Error(`no PostgreSQL server on port ${port}`);
  let ticks = 0;
  const own = fieldsOf(stat(postmaster));
  ticks += Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of pids) {
    try {
      const f = fieldsOf(stat(pid));
      if (f[1] === postmaster) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // exited meanwhile: counted in the postmaster's reaped children
    }
  }
  return (ticks * 1000) / 100;
}

interface Row {
  scenario: string;
  ledger: 'off' | 'postgres';
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  gatewayCpuMs: number;
  gatewayCpuMsPerRequest: number;
  /** Ledger rows (records and anchors) written during the phase (PostgreSQL gateway only). */
  ledgerRows: number | null;
  /** PostgreSQL's CPU ms per request (the server is idle while the ledger-off gateway is measured). */
  postgresCpuMsPerRequest: number;
}

async function ledgerRows(client: pg.Client): Promise<number> {
  return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM ledger_records')).rows[0]!.n);
}

async function measure(scenario: string, ledger: Row['ledger'], spec: LoadSpec, pid: number, client: pg.Client | null, pgPort: number): Promise<Row> {
  const before = client ? await ledgerRows(client) : 0;
  const p0 = postgresCpuMs(pgPort);
  const g0 = sample(pid);
  const result = await load(spec);
  // The writer flushes every LEDGER_FLUSH_INTERVAL_MS: let the last batch land inside the phase's CPU.
  await new Promise((r) => setTimeout(r, 500));
  const g1 = sample(pid);
  const p1 = postgresCpuMs(pgPort);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const cpu = g1.cpuMs - g0.cpuMs;
  return {
    scenario,
    ledger,
    requests: result.total,
    requestsPerSecond: Math.round(result.total / spec.seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors + result.non2xx + result.graphqlErrors,
    gatewayCpuMs: Math.round(cpu),
    gatewayCpuMsPerRequest: result.total > 0 ? Math.round((cpu / result.total) * 100) / 100 : 0,
    ledgerRows: client ? (await ledgerRows(client)) - before : null,
    postgresCpuMsPerRequest: result.total > 0 ? Math.round(((p1 - p0) / result.total) * 100) / 100 : 0,
  };
}

const rows: Row[] = [];
const load0 = loadavg();
let stack: Stack | null = null;
let db: PostgresHandle | null = null;
let withLedger: Proc | null = null;
let client: pg.Client | null = null;
try {
  if (!cli.flag('no-build')) {
    say('- building (npm run build) ...');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  stack = await startStack({ population: POPULATION, latencyMs: LATENCY_MS, say });
  say('- starting PostgreSQL and a second gateway writing the ledger to it ...');
  db = await startPostgres();
  withLedger = await startProcess(
    ['--enable-source-maps', 'dist/src/main.js'],
    { ...stack.env, LEDGER_DATABASE_URL: db.url, LEDGER_ON_ERROR: 'spool', LEDGER_SPOOL_FILE: join(stack.dir, 'ledger-spool.jsonl'), LEDGER_REPLICA: 'bench' },
    (l) => l.event === 'ready',
  );
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const ledgerUrl = String(withLedger.ready.consumerUrl).replace('127.0.0.1', 'localhost');
  const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
  const scenarios = [
    ['S1 full profile by CRN', body(S1, { id: linked.crn }), S1_RATE],
    ['S3 person { firstName }', body(S3, { id: linked.prisonNumber }), S3_RATE],
  ] as const;
  const pgPort = Number(new URL(db.url).port);
  const off = stack.gateway.child.pid!;
  const on = withLedger.child.pid!;
  const spec = (url: string, b: string, rate?: number, seconds = SECONDS, connections = CONNECTIONS): LoadSpec => ({ url, certs: stack!.certs, consumer: 'bench-full', body: b, connections, seconds, ...(rate ? { overallRate: rate } : {}) });
  say('- warm-up ...');
  for (const [, b] of scenarios) {
    await load(spec(stack.gatewayUrl, b, undefined, 3, 4));
    await load(spec(ledgerUrl, b, undefined, 3, 4));
  }
  for (const [name, b, rate] of scenarios) {
    for (let round = 1; round <= 2; round++) {
      say(`- ${name}, ledger off (${round}/2), ${rate} req/s ...`);
      rows.push(await measure(name, 'off', spec(stack.gatewayUrl, b, rate), off, null, pgPort));
      say(`- ${name}, ledger on PostgreSQL (${round}/2), ${rate} req/s ...`);
      rows.push(await measure(name, 'postgres', spec(ledgerUrl, b, rate), on, client, pgPort));
    }
  }
} finally {
  await client?.end().catch(() => undefined);
  await stop(withLedger);
  db?.destroy();
  await stack?.close();
}
const load1 = loadavg();

const sum = (list: Row[], key: 'requests' | 'gatewayCpuMs' | 'ledgerRows') => list.reduce((n, r) => n + (r[key] ?? 0), 0);
const ratios = [...new Set(rows.map((r) => r.scenario))].map((scenario) => {
  const offRows = rows.filter((r) => r.scenario === scenario && r.ledger === 'off');
  const onRows = rows.filter((r) => r.scenario === scenario && r.ledger === 'postgres');
  const perRequest = (list: Row[]) => sum(list, 'gatewayCpuMs') / sum(list, 'requests');
  return {
    scenario,
    cpuMsPerRequestOff: Math.round(perRequest(offRows) * 100) / 100,
    cpuMsPerRequestOn: Math.round(perRequest(onRows) * 100) / 100,
    cpuRatio: Math.round((perRequest(onRows) / perRequest(offRows)) * 1000) / 1000,
    postgresCpuMsPerRequestOn: Math.round((onRows.reduce((n, r) => n + r.postgresCpuMsPerRequest * r.requests, 0) / sum(onRows, 'requests')) * 100) / 100,
    postgresCpuMsPerRequestOff: Math.round((offRows.reduce((n, r) => n + r.postgresCpuMsPerRequest * r.requests, 0) / sum(offRows, 'requests')) * 100) / 100,
    ledgerRowsPerSecond: Math.round(sum(onRows, 'ledgerRows') / (onRows.length * SECONDS)),
  };
});

const header = ['scenario'.padEnd(26), 'ledger'.padEnd(10), 'req/s'.padStart(7), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'CPU ms/req'.padStart(11), 'PG CPU/req'.padStart(11), 'ledger rows'.padStart(12), 'errors'.padStart(7)].join('');
const lines = [
  header,
  ...rows.map((r) => [r.scenario.padEnd(26), r.ledger.padEnd(10), String(r.requestsPerSecond).padStart(7), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.gatewayCpuMsPerRequest).padStart(11), String(r.postgresCpuMsPerRequest).padStart(11), String(r.ledgerRows ?? '-').padStart(12), String(r.errors).padStart(7)].join('')),
  '',
  ...ratios.map((r) => `${r.scenario}: CPU ms/request ${r.cpuMsPerRequestOff} off, ${r.cpuMsPerRequestOn} on PostgreSQL = x${r.cpuRatio}; PostgreSQL's own CPU ${r.postgresCpuMsPerRequestOn} ms/request in the ledger-on phases (${r.postgresCpuMsPerRequestOff} in the off phases: its background work); ledger rows written ${r.ledgerRowsPerSecond}/s sustained`),
];
say(`\n${lines.join('\n')}`);
say(`load average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${load1.map((l) => l.toFixed(1)).join(' ')} at the end`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `${stamp}-ledger.json`);
writeFileSync(
  file,
  `${JSON.stringify({ settings: { seconds: SECONDS, connections: CONNECTIONS, s1Rate: S1_RATE, s3Rate: S3_RATE, population: POPULATION, latencyMs: LATENCY_MS, consumer: 'bench-full' }, loadAverage: { start: load0, end: load1 }, rows, ratios }, null, 2)}\n`,
);
say(`\nwrote ${file}`);
