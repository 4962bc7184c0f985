/**
 * What our upstream client costs per call over raw undici.
 *
 * A small keep-alive `node:http` server on 127.0.0.1 (in a child process, so that its CPU time is not
 * counted here) answers every GET with the same ~1.2 KB JSON body and `POST /auth/oauth/token` with
 * a bearer token. In this process, phases alternate between
 *   (a) raw undici: `Pool.request` + `body.text()` + `JSON.parse`, with the same headers, and
 *   (b) `UpstreamClient.call` with a real `TokenProvider` (token fetched once from the server, then
 *       cached), a shared `Metrics`, a pino logger at `info` (as in production: debug lines off) and a
 *       realistic `RequestScope` (abort signal, deadline, traceparent, stats).
 * Calls are made as simulated GraphQL requests of a full person profile: 13 calls in three rounds of
 * 2, 1 and 10 parallel calls, sharing one scope; `--requests` of them in flight (so up to 10 x
 * requests calls in flight). Each phase makes at least `--calls` calls after `--warmup` calls, and
 * reports CPU time of this process per call (process.cpuUsage: user + system). The median over
 * `--rounds` is printed for both, with the ratio b / a and the difference (our overhead per call).
 *
 * Run: npx tsx bench/upstream-client.ts [--calls 20000] [--warmup 5000] [--requests 2] [--rounds 5] [--only a|b]
 * Profile: node --cpu-prof --cpu-prof-dir bench/results/profiles --import tsx bench/upstream-client.ts --only b
 * Loopback only; bounded (each phase stops after --calls calls, the whole run after --max-seconds);
 * the server process is stopped by its PID at the end. Under tsx (esbuild keepNames) every closure
 * costs a little more than in the tsc build the gateway runs: (b) is slightly pessimistic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { Pool } from 'undici';
import type { UpstreamConfig } from '../src/config/index.js';
import { TokenProvider } from '../src/datasources/http/token-provider.js';
import { UpstreamClient, type RequestScope } from '../src/datasources/http/upstream-client.js';
import { Metrics } from '../src/observability/metrics.js';
import { traceFrom, traceparentOf } from '../src/observability/trace.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const CALLS = Number(arg('calls', '20000'));
const WARMUP = Number(arg('warmup', '5000'));
const REQUESTS = Number(arg('requests', '2'));
const ROUNDS = Number(arg('rounds', '5'));
const ONLY = arg('only', 'both');
const MAX_SECONDS = Number(arg('max-seconds', '300'));
/** The upstream rounds of a full person profile by CRN (13 calls): 2, then 1, then 10 in parallel. */
const WAVES = [2, 1, 10];
const out = (line: string) => process.stdout.write(`${line}\n`);

/** The server, as plain CommonJS for `node -e`: prints its port, then answers until killed. */
const SERVER = `
const http = require('node:http');
const person = { prisonerNumber: 'A1234BC', bookingId: '1234567', firstName: 'SYNTHETIC', middleNames: 'BENCH', lastName: 'EXAMPLE',
  dateOfBirth: '1980-01-01', gender: 'Male', status: 'ACTIVE IN', prisonId: 'MDI', prisonName: 'Moorland (HMP & YOI)',
  cellLocation: 'A-1-002', pncNumber: '00/000000Z', croNumber: '000000/00Z', legalStatus: 'SENTENCED',
  aliases: [{ firstName: 'SYNTH', lastName: 'EXAMPLE', dateOfBirth: '1980-01-02' }, { firstName: 'SYNTHETIC', lastName: 'SAMPLE', dateOfBirth: '1980-01-01' }],
  alerts: Array.from({ length: 6 }, (_, i) => ({ alertType: 'X', alertCode: 'XA' + i, active: true, expired: false, dateCreated: '2020-0' + (i + 1) + '-01' })),
  addresses: [{ town: 'Sheffield', postcode: 'S1 2AB', from: '2019-01-01', noFixedAbode: false, status: 'Main' }] };
const body = Buffer.from(JSON.stringify(person));
const token = Buffer.from(JSON.stringify({ access_token: 'bench-token', expires_in: 3600, token_type: 'bearer' }));
const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  const answer = req.method === 'POST' && req.url === '/auth/oauth/token' ? token : body;
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + ' ' + body.length + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

async function startServer(): Promise<{ child: ChildProcess; url: string; bodyBytes: number }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 10 s')), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  const [port, bytes] = first.split(' ').map(Number);
  return { child, url: `http://127.0.0.1:${port}`, bodyBytes: bytes! };
}

/**
 * CPU µs per call of at least `calls` calls, made as simulated requests (`requests` of them in
 * flight): each request makes its calls in WAVES (the rounds of a full profile, the calls of a wave
 * in parallel). The requests (their scopes) are made before the clock starts: their cost is the
 * gateway's, not the client's.
 */
async function measure(
  calls: number,
  requests: number,
  request: () => (i: number) => Promise<unknown>,
): Promise<{ cpuUs: number; wallUs: number }> {
  const perRequest = WAVES.reduce((a, b) => a + b, 0);
  const prepared = Array.from({ length: Math.ceil(calls / perRequest) + requests }, request);
  let next = 0;
  let made = 0;
  const worker = async () => {
    while (made < calls) {
      const one = prepared[next++]!;
      for (const wave of WAVES) await Promise.all(Array.from({ length: wave }, () => one(made++)));
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: requests }, worker));
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / made, wallUs: (wall * 1000) / made };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    process.stderr.write(`bench did not finish within ${MAX_SECONDS} s\n`);
    process.exit(2);
  }, MAX_SECONDS * 1000);
  hardStop.unref();

  const server = await startServer();
  try {
    const metrics = new Metrics({ processMetrics: false });
    // As in production: JSON lines at info (debug off), to an asynchronous destination (/dev/null here).
    const logger = pino({ level: 'info', base: { service: 'person-graph' } }, pino.destination({ dest: '/dev/null', sync: false })).child({
      component: 'upstream',
    });
    const config: UpstreamConfig = {
      baseUrl: server.url,
      timeoutMs: 2000,
      retry: { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 1000 },
      breaker: { windowMs: 10_000, minCalls: 10, failureRate: 0.5, openMs: 5000 },
      maxInFlight: 64,
      maxQueue: 256,
    };
    const tokens = new TokenProvider(
      { tokenUrl: server.url, clientId: 'bench', clientSecret: 'secret', timeoutMs: 2000, breaker: config.breaker, metrics },
      logger.child({ component: 'token' }),
    );
    const client = new UpstreamClient('prisonerSearch', config, tokens, logger, metrics);
    const pool = new Pool(server.url, { connections: config.maxInFlight, pipelining: 1, keepAliveTimeout: 30_000 });

    const raw = async (i: number) => {
      const response = await pool.request({
        path: `/prisoner/A${i % 1000}BC`,
        method: 'GET',
        headers: { authorization: 'Bearer bench-token', 'x-request-id': 'bench-request', accept: 'application/json' },
      });
      return JSON.parse(await response.body.text()) as unknown;
    };

    // One scope per simulated GraphQL request, shared by its calls, like a full profile.
    const newScope = (): RequestScope => {
      const controller = new AbortController();
      return {
        requestId: `bench-${Math.random().toString(36).slice(2)}`,
        signal: controller.signal,
        deadline: Date.now() + 10_000,
        traceparent: traceparentOf(traceFrom(undefined)),
        stats: { upstreamCalls: 0 },
      };
    };
    const ours = (scope: RequestScope) => async (i: number) => {
      const r = await client.call<unknown>({ route: 'GET /prisoner/{id}', method: 'GET', path: `/prisoner/A${i % 1000}BC`, acceptStatuses: [404] }, scope);
      if (r.status !== 200 || r.body === null) throw new Error(`unexpected answer ${r.status}`);
      return r.body;
    };

    const variants = [
      { key: 'a', name: 'raw undici Pool.request + text + JSON.parse', scope: () => raw },
      { key: 'b', name: 'UpstreamClient.call', scope: () => ours(newScope()) },
    ].filter((v) => ONLY === 'both' || ONLY === v.key);

    out(`node ${process.version}, body ${server.bodyBytes} bytes, ${CALLS} calls x ${ROUNDS} rounds as requests of ${WAVES.join('+')} calls, ${REQUESTS} requests in flight, warm-up ${WARMUP}`);
    for (const v of variants) await measure(WARMUP, REQUESTS, v.scope);
    const results = new Map<string, { cpu: number[]; wall: number[] }>(variants.map((v) => [v.key, { cpu: [], wall: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of variants) {
        const r = await measure(CALLS, REQUESTS, v.scope);
        results.get(v.key)!.cpu.push(r.cpuUs);
        results.get(v.key)!.wall.push(r.wallUs);
      }
    }
    for (const v of variants) {
      const r = results.get(v.key)!;
      out(
        `(${v.key}) ${v.name.padEnd(44)} cpu ${median(r.cpu).toFixed(1).padStart(6)} µs/call (rounds: ${r.cpu.map((x) => x.toFixed(1)).join(', ')}), wall ${median(r.wall).toFixed(1)} µs/call`,
      );
    }
    const a = results.get('a');
    const b = results.get('b');
    if (a && b) {
      const ma = median(a.cpu);
      const mb = median(b.cpu);
      // Per round, (a) and (b) ran one after the other: on a busy machine their ratio is steadier than either.
      const paired = median(a.cpu.map((x, i) => b.cpu[i]! / x));
      out(`ratio b/a ${(mb / ma).toFixed(2)} (median of per-round ratios ${paired.toFixed(2)}), our overhead ${(mb - ma).toFixed(1)} µs/call`);
    }
    client.close();
    await pool.close();
  } finally {
    server.child.stdin?.end();
    if (server.child.exitCode === null && server.child.pid) process.kill(server.child.pid);
    clearTimeout(hardStop);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
