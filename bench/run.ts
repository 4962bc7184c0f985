/**
 * `npm run bench [-- --quick] [--seconds N] [--latency-ms N] [--population N] [--rate N] [--no-build]`
 *
 * The reproducible benchmark (see bench/README.md). Starts the upstream simulators (population
 * 100,000, fixed upstream latency), the built gateway in production mode with mutual TLS and a
 * real policy, and a bare Apollo Server with constant resolvers for the ceiling; drives them with
 * autocannon presenting client certificates; loopback only; every phase bounded in time; every
 * process stopped by PID. Writes bench/results/<stamp>.json and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { wellKnownPeople, type SimulatorHandle } from '../local-stack/simulators.js';
import { body, idleCostRatio, load, percentile, ROOT, S1, S2, S3, sample, startProcess, startStack, stop, type LoadSpec, type Proc, type Stack } from './lib.js';

const argv = process.argv.slice(2);
if (argv.includes('--side-channels')) {
  // Its own measurement (bench/side-channels.ts): filtered vs unknown response times.
  await (await import('./side-channels.js')).main();
  process.exit(0);
}
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};

const QUICK = flag('quick');
const SECONDS = option('seconds', QUICK ? 4 : 20);
const LATENCY_MS = option('latency-ms', 10);
const POPULATION = option('population', 100_000);
const S1_RATE = option('rate', 200);
const CONNECTIONS = option('connections', 32);
/** Below saturation: the gateway's own latency over the floor when CPU is not the bottleneck. */
const S1_LIGHT_RATE = option('light-rate', 40);
const SOAK_SECONDS = option('soak', 0);
/** The most connections a constant-arrival phase opens (bench/arrival.ts): enough that none waits for one. */
const OPEN_LOOP_CONNECTIONS = 32;
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Measured {
  scenario: string;
  mode: string;
  requests: number;
  /** Requests answered per load spec of the phase, in order (phases with several consumers at once). */
  requestsPerSpec: number[];
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  upstreamRequestsPerOperation: number | null;
  cpuMsPerRequest: number | null;
  /** The simulators' CPU per request: what the upstreams cost on the same cores. */
  simulatorCpuMsPerRequest: number | null;
  peakRssMb: number | null;
  floorMs: number | null;
}

async function measure(
  scenario: string,
  mode: string,
  gatewayPid: number | null,
  sims: SimulatorHandle | null,
  floorMs: number | null,
  specs: LoadSpec[],
): Promise<Measured> {
  if (sims) await sims.resetCounters();
  const before = gatewayPid ? sample(gatewayPid) : null;
  const simsBefore = sims ? sample(sims.pid) : null;
  let peakRss = before?.rssMb ?? 0;
  const sampler = gatewayPid
    ? setInterval(() => {
        try {
          peakRss = Math.max(peakRss, sample(gatewayPid).rssMb);
        } catch {
          /* reported by the sample after the run */
        }
      }, 200)
    : null;
  const results = await Promise.all(specs.map(load));
  if (sampler) clearInterval(sampler);
  const after = gatewayPid ? sample(gatewayPid) : null;
  const simsAfter = sims ? sample(sims.pid) : null;
  const requests = results.reduce((n, r) => n + r.total, 0);
  const latencies = results[0]!.latencies.sort((a, b) => a - b);
  let upstream: number | null = null;
  if (sims) {
    const counters = await sims.counters();
    upstream = Object.entries(counters)
      .filter(([u]) => !u.startsWith('_') && u !== 'auth')
      .reduce((n, [, routes]) => n + Object.values(routes).reduce((a, b) => a + b, 0), 0);
  }
  return {
    scenario,
    mode,
    requests,
    requestsPerSpec: results.map((r) => r.total),
    requestsPerSecond: Math.round(results.reduce((n, r) => n + r.averagePerSecond, 0)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    graphqlErrors: results.reduce((n, r) => n + r.graphqlErrors, 0),
    upstreamRequestsPerOperation: upstream !== null && requests > 0 ? Math.round((upstream / requests) * 10) / 10 : null,
    cpuMsPerRequest: before && after && requests > 0 ? Math.round(((after.cpuMs - before.cpuMs) / requests) * 100) / 100 : null,
    simulatorCpuMsPerRequest: simsBefore && simsAfter && requests > 0 ? Math.round(((simsAfter.cpuMs - simsBefore.cpuMs) / requests) * 100) / 100 : null,
    peakRssMb: gatewayPid ? Math.round(peakRss) : null,
    floorMs,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  say(`Person Graph benchmark${QUICK ? ' (quick)' : ''}: population ${POPULATION}, upstream latency ${LATENCY_MS} ms, ${SECONDS} s per phase`);
  if (!flag('no-build')) {
    say('- building (npm run build) ...');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  say('- machine: CPU cost of spaced vs back-to-back work ...');
  const idleCost = await idleCostRatio();
  say(`  the same job costs ${idleCost.ratio}x the CPU one at a time (${idleCost.spacedMs} vs ${idleCost.backToBackMs} ms)`);
  let stack: Stack | null = null;
  let bare: Proc | null = null;
  const rows: Measured[] = [];
  let soak: Soak | null = null;
  try {
    stack = await startStack({ population: POPULATION, latencyMs: LATENCY_MS, say });
    const { sims, certs, gatewayUrl, env } = stack;
    say('- starting bare Apollo Server (constant resolvers, same TLS) ...');
    bare = await startProcess(['--import', 'tsx', 'bench/bare-apollo.ts'], { ...env, BENCH_PORT: '0' }, (l) => l.event === 'ready');
    const bareUrl = String(bare.ready.url).replace('127.0.0.1', 'localhost');

    const people = wellKnownPeople();
    const linked = people.people.find((p) => p.key === 'linked')!;
    const base = { certs, seconds: SECONDS };
    const s1Body = body(S1, { id: linked.crn });
    const s3Body = body(S3, { id: linked.prisonNumber });
    const s2Body = body(S2, { c: { lastName: await commonLastName(sims) } });

    // Warm-up: token, reference data, JIT.
    await load({ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: 4, seconds: 2 });
    await load({ ...base, url: bareUrl, consumer: 'bench-full', body: s3Body, connections: 4, seconds: 1 });
    const gw = stack.gateway.child.pid!;

    // Floors: upstream round trips on the critical path x latency (bench/README.md explains each).
    const floors = { S1: 3 * LATENCY_MS, S2: 3 * LATENCY_MS, S3: 1 * LATENCY_MS };
    say('- S1 full profile, one request at a time (unloaded) ...');
    rows.push(await measure('S1 full profile', '1 conn (unloaded)', gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: 1, seconds: Math.min(SECONDS, 5) }]));
    say(`- S1 full profile at ${S1_LIGHT_RATE} req/s (below saturation) ...`);
    rows.push(await measure('S1 full profile', `${S1_LIGHT_RATE} req/s`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: S1_LIGHT_RATE }]));
    say(`- S1 full profile at ${S1_RATE} req/s ...`);
    rows.push(await measure('S1 full profile', `${S1_RATE} req/s`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: S1_RATE }]));
    say('- S1 full profile, max throughput ...');
    rows.push(await measure('S1 full profile', `max (${CONNECTIONS} conn)`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: CONNECTIONS }]));
    say('- S2 search, 50 people with alerts and offences ...');
    rows.push(await measure('S2 search 50', `max (8 conn)`, gw, sims, floors.S2, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s2Body, connections: 8 }]));
    say('- S3 person { firstName }, one request at a time (unloaded) ...');
    rows.push(await measure('S3 firstName', '1 conn (unloaded)', gw, sims, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: 1, seconds: Math.min(SECONDS, 5) }]));
    say('- S3 person { firstName }, real policy ...');
    rows.push(await measure('S3 firstName', `max (${CONNECTIONS} conn), real policy`, gw, sims, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: CONNECTIONS }]));
    // Real policy and allow-all at the same time, half the connections each: both see the same machine,
    // so their throughput ratio is the authorisation overhead (sequential phases differ by +-15% here).
    say('- S3 person { firstName }, real policy and allow-all at once ...');
    const half = Math.max(1, Math.round(CONNECTIONS / 2));
    rows.push(
      await measure('S3 firstName', `real + allow-all at once (${half} + ${half} conn)`, gw, sims, floors.S3, [
        { ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: half },
        { ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: half },
      ]),
    );
    say('- S3 against bare Apollo (ceiling) ...');
    rows.push(await measure('S3 bare Apollo', `max (${CONNECTIONS} conn)`, bare.child.pid!, null, null, [{ ...base, url: bareUrl, consumer: 'bench-full', body: s3Body, connections: CONNECTIONS }]));
    say('- S4 mix of consumers ...');
    const mixConnections = Math.max(2, Math.round(CONNECTIONS / 4));
    rows.push(
      await measure('S4 consumer mix', `4 consumers x ${mixConnections} conn`, gw, sims, null, [
        { ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: mixConnections },
        { ...base, url: gatewayUrl, consumer: 'bench-prison', body: body(`query P($id: ID!) { person(hmppsId: $id) { firstName prison { prisonId cellLocation } alerts { totalCount } } }`, { id: linked.prisonNumber }), connections: mixConnections },
        { ...base, url: gatewayUrl, consumer: 'bench-police', body: body(`query P($id: ID!) { person(hmppsId: $id) { firstName dateOfBirth addresses { town } offences { description } } }`, { id: linked.crn }), connections: mixConnections },
        { ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: mixConnections },
      ]),
    );
    if (SOAK_SECONDS > 0) {
      say(`- soak: S4 mix for ${SOAK_SECONDS} s, RSS sampled ...`);
      soak = await runSoak(gw, SOAK_SECONDS, [
        { ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: 60, seconds: SOAK_SECONDS },
        { ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: 200, seconds: SOAK_SECONDS },
      ]);
    }
  } finally {
    await stop(bare);
    await stack?.close();
  }
  report(rows, soak, idleCost, Date.now() - started);
}

interface Soak {
  seconds: number;
  requests: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  /** RSS after the first minute (warm) and at the end, MB. */
  rssWarmMb: number;
  rssEndMb: number;
  rssGrowthPercent: number;
}

/** A long steady load; RSS compared between the end of the first minute and the end. */
async function runSoak(pid: number, seconds: number, specs: LoadSpec[]): Promise<Soak> {
  const samples: Array<{ t: number; rss: number }> = [];
  const started = Date.now();
  const timer = setInterval(() => {
    try {
      samples.push({ t: Date.now() - started, rss: sample(pid).rssMb });
    } catch {
      /* the gateway is gone: the load reports errors */
    }
  }, 1000);
  const results = await Promise.all(specs.map(load));
  clearInterval(timer);
  const warmAt = Math.min(60_000, (seconds * 1000) / 5);
  const warm = samples.find((x) => x.t >= warmAt)?.rss ?? samples[0]?.rss ?? 0;
  const end = samples.at(-1)?.rss ?? 0;
  return {
    seconds,
    requests: results.reduce((n, r) => n + r.total, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    graphqlErrors: results.reduce((n, r) => n + r.graphqlErrors, 0),
    rssWarmMb: Math.round(warm),
    rssEndMb: Math.round(end),
    rssGrowthPercent: warm > 0 ? round(((end - warm) / warm) * 100) : 0,
  };
}

/**
 * A last name with at least 50 prisoners (S2 must return 50 people) and no more than the search
 * takes from either side (500): names come from the population itself.
 */
async function commonLastName(sims: SimulatorHandle): Promise<string> {
  const token = await sims.token();
  const post = async (url: string, body: unknown) =>
    (await (await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
      totalElements?: number;
      content?: Array<{ lastName?: string }>;
    };
  const prisonCount = (lastName: string) =>
    post(`${sims.urls.prisonerSearch}/attribute-search?page=0&size=1`, {
      joinType: 'AND',
      queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'lastName', condition: 'IS', searchTerm: lastName }] }],
      pagination: { page: 0, size: 1 },
    }).then((r) => r.totalElements ?? 0);
  const probationCount = (surname: string) => post(`${sims.urls.probationSearch}/search/people?page=0&size=1`, { surname }).then((r) => r.totalElements ?? 0);
  const sample = await post(`${sims.urls.prisonerSearch}/attribute-search?page=0&size=40`, {
    joinType: 'AND',
    queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'status', condition: 'IS', searchTerm: 'ACTIVE IN' }] }],
    pagination: { page: 0, size: 40 },
  });
  for (const name of new Set((sample.content ?? []).map((p) => p.lastName).filter((n): n is string => !!n && /^[A-Za-z]+$/.test(n)))) {
    const [prison, probation] = await Promise.all([prisonCount(name), probationCount(name)]);
    if (prison >= 50 && prison <= 500 && probation <= 500) return name;
  }
  throw new Error('no last name with 50-500 prisoners in this population: use --population between 20000 and 100000');
}

function report(rows: Measured[], soak: Soak | null, idleCost: Awaited<ReturnType<typeof idleCostRatio>>, elapsedMs: number): void {
  const header = ['scenario', 'mode', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'floor ms', 'upstream/op', 'CPU ms/req', 'sims CPU', 'peak RSS MB', 'errors'];
  const lines = rows.map((r) => [
    r.scenario, r.mode, String(r.requestsPerSecond), String(r.p50), String(r.p95), String(r.p99), r.floorMs === null ? '-' : String(r.floorMs),
    r.upstreamRequestsPerOperation === null ? '-' : String(r.upstreamRequestsPerOperation), r.cpuMsPerRequest === null ? '-' : String(r.cpuMsPerRequest),
    r.simulatorCpuMsPerRequest === null ? '-' : String(r.simulatorCpuMsPerRequest),
    r.peakRssMb === null ? '-' : String(r.peakRssMb), `${r.errors}/${r.non2xx}/${r.graphqlErrors}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  say('');
  say(fmt(header));
  for (const l of lines) say(fmt(l));
  say('(errors = transport errors+timeouts / non-2xx / responses with GraphQL errors)');

  const get = (scenario: string, mode: string) => rows.find((r) => r.scenario === scenario && r.mode.startsWith(mode));
  const s1 = get('S1 full profile', `${S1_RATE} `);
  const s1Light = get('S1 full profile', `${S1_LIGHT_RATE} `);
  const s1Unloaded = get('S1 full profile', '1 conn');
  const s3Unloaded = get('S3 firstName', '1 conn');
  const real = get('S3 firstName', `max (${CONNECTIONS} conn), real`);
  const both = get('S3 firstName', 'real + allow-all at once');
  const ceiling = get('S3 bare Apollo', 'max');
  const over = (r: Measured | undefined, p: 'p50' | 'p99') => (r && r.floorMs !== null ? round(r[p] - r.floorMs) : null);
  const targets = {
    s1P50OverFloorMs: over(s1, 'p50'),
    s1P99OverFloorMs: over(s1, 'p99'),
    s1LightP50OverFloorMs: over(s1Light, 'p50'),
    s1LightP99OverFloorMs: over(s1Light, 'p99'),
    s1UnloadedP50OverFloorMs: over(s1Unloaded, 'p50'),
    s3UnloadedP50OverFloorMs: over(s3Unloaded, 'p50'),
    authorisationThroughputRatio: both && both.requestsPerSpec[1]! > 0 ? round(both.requestsPerSpec[0]! / both.requestsPerSpec[1]!) : null,
    s3OverBareApollo: real && ceiling ? round(real.requestsPerSecond / ceiling.requestsPerSecond) : null,
    peakRssMb: Math.max(...rows.filter((r) => r.scenario !== 'S3 bare Apollo').map((r) => r.peakRssMb ?? 0)),
  };
  say('');
  say(`S1 at ${S1_RATE} req/s: p50 = floor + ${targets.s1P50OverFloorMs} ms (target <= 3), p99 = floor + ${targets.s1P99OverFloorMs} ms (target <= 15)`);
  say(`S1 at ${S1_LIGHT_RATE} req/s (below saturation): p50 = floor + ${targets.s1LightP50OverFloorMs} ms, p99 = floor + ${targets.s1LightP99OverFloorMs} ms`);
  say(`unloaded (one request at a time): S1 p50 = floor + ${targets.s1UnloadedP50OverFloorMs} ms, S3 p50 = floor + ${targets.s3UnloadedP50OverFloorMs} ms`);
  say(`authorisation: real policy / allow-all throughput, side by side = ${targets.authorisationThroughputRatio} (target >= 0.90)`);
  say(`S3 / bare Apollo ceiling = ${targets.s3OverBareApollo} (target >= 0.5)`);
  say(`peak gateway RSS = ${targets.peakRssMb} MB (target <= 250)`);
  if (soak) {
    say(`soak ${soak.seconds} s: ${soak.requests} requests, errors ${soak.errors}/${soak.non2xx}/${soak.graphqlErrors}, RSS ${soak.rssWarmMb} -> ${soak.rssEndMb} MB (${soak.rssGrowthPercent}%, target < 5%)`);
  }

  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), idleCost };
  const out = {
    date: new Date().toISOString(),
    quick: QUICK,
    settings: { seconds: SECONDS, latencyMs: LATENCY_MS, population: POPULATION, s1Rate: S1_RATE, connections: CONNECTIONS },
    machine,
    note: 'load generator (autocannon), gateway and simulators share the same cores; loopback only',
    rows,
    targets,
    soak,
    elapsedMs,
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${out.date.replace(/[:.]/g, '-')}${QUICK ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  say(`\nresult: ${file} (${Math.round(elapsedMs / 1000)} s)`);
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
