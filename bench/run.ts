/**
 * `npm run bench [-- --quick] [--seconds N] [--latency-ms N] [--population N] [--rate N] [--no-build] [--baseline DIR] [--only S2] [--repeat N] [--s3-rate N]`
 *
 * The reproducible benchmark (see bench/README.md). Starts the upstream simulators (population
 * 100,000, fixed upstream latency), the built gateway in production mode with mutual TLS and a
 * real policy, and a bare Apollo Server with constant resolvers for the ceiling; drives them with
 * autocannon presenting client certificates; loopback only; every phase bounded in time; every
 * process stopped by PID. Writes bench/results/<stamp>.json and prints a table.
 *
 * `--baseline DIR`: another checkout of the gateway, already built (`DIR/dist`), e.g. an earlier
 * commit (`git worktree add /tmp/base <commit>`, node_modules hard-linked, `npm run build`): its
 * gateway runs beside this one on the same simulators, and the S1, S2 and S3 phases are measured
 * against both in the same run (rows marked with the baseline's commit), so before and after are
 * ratios on the same machine at the same time.
 *
 * `--only S2` (or S1, S3; several with commas): only that scenario's rounds and phases (and the
 * baseline's beside them), skipping the rest, e.g. to measure one scenario's change in a few minutes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { callRounds, UPSTREAM_NAMES, wellKnownPeople, type SimulatorHandle } from '../local-stack/simulators.js';
import { benchCommandLine, body, commonLastName, idleCostRatio, load, percentile, ROOT, S1, S1A, S2, S3, sample, startProcess, startStack, stop, type ConsumerName, type LoadSpec, type Proc, type Stack } from './lib.js';

const USAGE = `The reproducible benchmark (bench/README.md): simulators, the built gateway (production mode, mutual TLS) and a
bare Apollo Server, driven with autocannon on loopback; writes bench/results/<stamp>.json and prints a table.

usage: npm run bench -- [--quick] [--seconds N] [--latency-ms N] [--population N] [--rate N] [--no-build] [--baseline DIR] [--only S2] [--repeat N] [--s3-rate N]
       npm run bench -- --side-channels [--rounds N] [--latency-ms N] [--warmup N]

  --quick             short phases (--seconds defaults to 4 instead of 20)
  --seconds N         seconds per phase (default 20, 4 with --quick)
  --latency-ms N      the simulators' fixed upstream latency (default 10)
  --population N      people in the simulators (default 100000)
  --rate N            S1's constant arrival rate, req/s (default 200)
  --light-rate N      S1 below saturation, req/s (default 40)
  --connections N     closed-loop connections (default 32)
  --s2-connections N  S2's closed-loop connections (default 8)
  --repeat N          the S3 pair against this gateway and the baseline N times, order flipped each time (default 1)
  --s3-rate N         as many S3 pairs again at a constant N req/s to each gateway (default 0: none)
  --soak N            after the phases, the S4 mix for N seconds with RSS sampled (default 0: none; not with --only)
  --no-build          use dist/ as it is (no npm run build first)
  --baseline DIR      another checkout, already built (DIR/dist), measured beside this one
  --only S2           only that scenario (S1, S2, S3 or S4; several with commas)
  --side-channels     the side-channel measurement instead (npm run bench:side-channels)`;

const argv = process.argv.slice(2);
if (argv.includes('--side-channels')) {
  // Its own measurement (bench/side-channels.ts): filtered vs unknown response times, its own options.
  await (await import('./side-channels.js')).main(argv.filter((a) => a !== '--side-channels'), 'npm run bench -- --side-channels');
  process.exit(0);
}
const cli = benchCommandLine(argv, {
  command: 'npm run bench',
  usage: USAGE,
  numbers: ['seconds', 'latency-ms', 'population', 'rate', 'connections', 's2-connections', 'repeat', 's3-rate', 'light-rate', 'soak'],
  flags: ['quick', 'no-build'],
  strings: ['baseline', 'only'],
});
const flag = cli.flag;
const option = cli.number;

const QUICK = flag('quick');
const SECONDS = option('seconds', QUICK ? 4 : 20);
const LATENCY_MS = option('latency-ms', 10);
const POPULATION = option('population', 100_000);
const S1_RATE = option('rate', 200);
const CONNECTIONS = option('connections', 32);
/** S2's closed-loop connections: fewer on a shared machine, where 8 searches at once push upstream calls past their timeout. */
const S2_CONNECTIONS = option('s2-connections', 8);
/** `--repeat N`: the S3 pair against this gateway and the baseline N times, the order flipped each time. */
const REPEAT = option('repeat', 1);
/** `--s3-rate N`: as many S3 pairs again at a constant N req/s to each gateway. */
const S3_RATE = option('s3-rate', 0);
/** Below saturation: the gateway's own latency over the floor when CPU is not the bottleneck. */
const S1_LIGHT_RATE = option('light-rate', 40);
const SOAK_SECONDS = option('soak', 0);
const BASELINE = (() => {
  const dir = cli.string('baseline');
  if (dir === undefined) return null;
  if (!existsSync(join(dir, 'dist', 'src', 'main.js'))) throw new Error('--baseline needs a built checkout (DIR/dist/src/main.js)');
  return { dir, commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim() };
})();
/** The scenarios to run (`--only S2`, `--only S1,S3`); null: all of them. */
const ONLY = (() => {
  const only = cli.string('only');
  if (only === undefined) return null;
  const names = only.split(',').map((n) => n.trim().toUpperCase());
  if (names.length === 0 || names.some((n) => !['S1', 'S2', 'S3', 'S4'].includes(n))) cli.fail('--only takes S1, S2, S3 or S4 (several with commas)');
  return new Set(names);
})();
/** Whether a scenario (`S1`, `S1A`, `S2`, ...) is run: S1A and the S1 by prison number rounds go with S1. */
const runs = (scenario: string) => ONLY === null || ONLY.has(scenario.slice(0, 2));
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
  /** Upstream calls per operation by `upstream route` (simulator counters). */
  perRoute: Record<string, number> | null;
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
  let perRoute: Record<string, number> | null = null;
  if (sims) {
    const counters = await sims.counters();
    const upstreams = Object.entries(counters).filter(([u]) => !u.startsWith('_') && u !== 'auth');
    upstream = upstreams.reduce((n, [, routes]) => n + Object.values(routes).reduce((a, b) => a + b, 0), 0);
    perRoute = Object.fromEntries(upstreams.flatMap(([u, routes]) => Object.entries(routes).map(([r, n]) => [`${u} ${r}`, requests > 0 ? Math.round((n / requests) * 1000) / 1000 : 0])));
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
    perRoute,
  };
}

/** Latency every upstream answers with while rounds are counted: well above the gateway's dispatch time on a loaded machine. */
const ROUNDS_LATENCY_MS = 150;

/**
 * Rounds of upstream calls of one request (the simulators' call log, `callRounds`): the physical
 * floor in round trips. Counted with every upstream answering ROUNDS_LATENCY_MS after arrival (a
 * latency fault on each, cleared afterwards), so that a loaded machine's scheduling delays are not
 * mistaken for rounds.
 */
async function roundsOf(sims: SimulatorHandle, spec: LoadSpec): Promise<number> {
  const upstreams = UPSTREAM_NAMES.filter((u) => u !== 'auth');
  await Promise.all(upstreams.map((u) => sims.setFault(u, { latencyMs: ROUNDS_LATENCY_MS })));
  try {
    // The fewest of three: a loaded machine can start one round's calls so far apart that one looks
    // like it waited for another, never the other way round.
    let fewest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      await sims.resetCounters();
      // Constant arrival at 1 request per second for 1 second: exactly one request.
      await load({ ...spec, connections: 1, seconds: 1, overallRate: 1 });
      fewest = Math.min(fewest, callRounds((await sims.calls()).filter((c) => c.upstream !== 'auth')).depth);
    }
    return fewest;
  } finally {
    await sims.clearFaults();
  }
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
  let baseline: Proc | null = null;
  const rows: Measured[] = [];
  const rounds: Record<string, { gateway: number; baseline: number | null }> = {};
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
    const s1ByNumberBody = body(S1, { id: linked.prisonNumber });
    // Every area (S1A: the full profile and the areas added after it); rounds only, by a consumer granted all.
    const s1aBody = body(S1A, { id: linked.crn });
    const s1aByNumberBody = body(S1A, { id: linked.prisonNumber });
    const s3Body = body(S3, { id: linked.prisonNumber });
    const s2Body = body(S2, { c: { lastName: await commonLastName(sims) } });

    let baselineUrl: string | null = null;
    if (BASELINE) {
      say(`- starting the baseline gateway (${BASELINE.commit}, ${BASELINE.dir}/dist) on the same simulators ...`);
      baseline = await startProcess(['--enable-source-maps', 'dist/src/main.js'], { ...env, AUDIT_SINK: `file:${join(stack.dir, 'audit-baseline.jsonl')}` }, (l) => l.event === 'ready', BASELINE.dir);
      baselineUrl = String(baseline.ready.consumerUrl).replace('127.0.0.1', 'localhost');
    }

    // Warm-up: token, reference data, JIT.
    for (const url of [gatewayUrl, ...(baselineUrl ? [baselineUrl] : [])]) {
      await load({ ...base, url, consumer: 'bench-full', body: s1Body, connections: 4, seconds: 2 });
      await load({ ...base, url, consumer: 'bench-full', body: s2Body, connections: 2, seconds: 2 });
    }
    await load({ ...base, url: bareUrl, consumer: 'bench-full', body: s3Body, connections: 4, seconds: 1 });
    const gw = stack.gateway.child.pid!;

    // Floors: the physical floor of each scenario, the rounds of upstream calls this gateway needs
    // one after another (measured from the simulators' call log), x latency. The baseline's rounds
    // are measured too; its rows are held to the same (physical) floor.
    say('- rounds of upstream calls per scenario ...');
    const spec = (url: string, b: string, consumer: ConsumerName) => ({ ...base, url, consumer, body: b, connections: 1 });
    const scenarios: Array<[string, string, ConsumerName]> = [
      ['S1', s1Body, 'bench-full'],
      ['S1 by prison number', s1ByNumberBody, 'bench-full'],
      ['S1A every area', s1aBody, 'bench-allow-all'],
      ['S1A every area by prison number', s1aByNumberBody, 'bench-allow-all'],
      ['S2', s2Body, 'bench-full'],
      ['S3', s3Body, 'bench-full'],
    ];
    for (const [name, b, consumer] of scenarios) {
      if (!runs(name)) continue;
      rounds[name] = { gateway: await roundsOf(sims, spec(gatewayUrl, b, consumer)), baseline: baselineUrl ? await roundsOf(sims, spec(baselineUrl, b, consumer)) : null };
      say(`  ${name}: ${rounds[name]!.gateway} rounds${baselineUrl ? ` (baseline ${BASELINE!.commit}: ${rounds[name]!.baseline})` : ''}`);
    }
    const floorOf = (name: string) => (rounds[name]?.gateway ?? 0) * LATENCY_MS;
    const floors = { S1: floorOf('S1'), S1n: floorOf('S1 by prison number'), S2: floorOf('S2'), S3: floorOf('S3') };
    const tag = BASELINE ? ` @${BASELINE.commit}` : '';
    /** The same phase against the baseline gateway, right after this gateway's (same machine state). */
    const both = async (scenario: string, mode: string, floor: number, specs: LoadSpec[], baselineFirst = false) => {
      const ours = async () => rows.push(await measure(scenario, mode, gw, sims, floor, specs));
      if (!baselineFirst) await ours();
      if (baseline && baselineUrl) {
        say(`  ... and against the baseline (${BASELINE!.commit})`);
        rows.push(await measure(`${scenario}${tag}`, mode, baseline.child.pid!, sims, floor, specs.map((s) => ({ ...s, url: baselineUrl! }))));
      }
      if (baselineFirst) await ours();
    };
    if (runs('S1')) {
      say('- S1 full profile by CRN, one request at a time (unloaded) ...');
      await both('S1 full profile', '1 conn (unloaded)', floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: 1, seconds: Math.min(SECONDS, 5) }]);
      say('- S1 full profile by prison number, one request at a time (unloaded) ...');
      await both('S1 by prison number', '1 conn (unloaded)', floors.S1n, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1ByNumberBody, connections: 1, seconds: Math.min(SECONDS, 5) }]);
      say(`- S1 full profile at ${S1_LIGHT_RATE} req/s (below saturation) ...`);
      rows.push(await measure('S1 full profile', `${S1_LIGHT_RATE} req/s`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: S1_LIGHT_RATE }]));
      say(`- S1 full profile at ${S1_RATE} req/s ...`);
      await both('S1 full profile', `${S1_RATE} req/s`, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: S1_RATE }]);
      say('- S1 full profile, max throughput ...');
      rows.push(await measure('S1 full profile', `max (${CONNECTIONS} conn)`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: CONNECTIONS }]));
    }
    if (runs('S2')) {
      say('- S2 search, 50 people with alerts and offences ...');
      await both('S2 search 50', `max (${S2_CONNECTIONS} conn)`, floors.S2, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s2Body, connections: S2_CONNECTIONS }]);
    }
    if (runs('S3')) {
      say('- S3 person { firstName }, one request at a time (unloaded) ...');
      rows.push(await measure('S3 firstName', '1 conn (unloaded)', gw, sims, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: 1, seconds: Math.min(SECONDS, 5) }]));
      say('- S3 person { firstName }, real policy ...');
      await both('S3 firstName', `max (${CONNECTIONS} conn), real policy`, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: CONNECTIONS }]);
      // --repeat: more pairs, the order flipped each time (on a shared machine the phase that runs first often
      // pays for what ran before it); --s3-rate: as many at a constant rate to each (the same work at the same
      // spacing: closed-loop CPU per request falls as throughput rises, which favours the faster gateway).
      for (let i = 2; i <= REPEAT; i++) {
        say(`- S3 person { firstName }, real policy, pair ${i} of ${REPEAT}${i % 2 === 0 && baseline ? ' (baseline first)' : ''} ...`);
        await both('S3 firstName', `max (${CONNECTIONS} conn), real policy #${i}`, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: CONNECTIONS }], i % 2 === 0);
      }
      for (let i = 1; S3_RATE > 0 && i <= REPEAT; i++) {
        say(`- S3 person { firstName }, real policy, ${S3_RATE} req/s, pair ${i} of ${REPEAT}${i % 2 === 0 && baseline ? ' (baseline first)' : ''} ...`);
        await both('S3 firstName', `${S3_RATE} req/s, real policy #${i}`, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: S3_RATE }], i % 2 === 0);
      }
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
    }
    if (runs('S4')) {
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
    }
    if (SOAK_SECONDS > 0 && ONLY === null) {
      say(`- soak: S4 mix for ${SOAK_SECONDS} s, RSS sampled ...`);
      soak = await runSoak(gw, SOAK_SECONDS, [
        { ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: 60, seconds: SOAK_SECONDS },
        { ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: OPEN_LOOP_CONNECTIONS, overallRate: 200, seconds: SOAK_SECONDS },
      ]);
    }
  } finally {
    await stop(bare);
    await stop(baseline);
    await stack?.close();
  }
  report(rows, rounds, soak, idleCost, Date.now() - started);
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


function report(
  rows: Measured[],
  rounds: Record<string, { gateway: number; baseline: number | null }>,
  soak: Soak | null,
  idleCost: Awaited<ReturnType<typeof idleCostRatio>>,
  elapsedMs: number,
): void {
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
  const s1ByNumberUnloaded = get('S1 by prison number', '1 conn');
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
    s1ByPrisonNumberUnloadedP50OverFloorMs: over(s1ByNumberUnloaded, 'p50'),
    s3UnloadedP50OverFloorMs: over(s3Unloaded, 'p50'),
    authorisationThroughputRatio: both && both.requestsPerSpec[1]! > 0 ? round(both.requestsPerSpec[0]! / both.requestsPerSpec[1]!) : null,
    s3OverBareApollo: real && ceiling ? round(real.requestsPerSecond / ceiling.requestsPerSecond) : null,
    peakRssMb: Math.max(...rows.filter((r) => r.scenario !== 'S3 bare Apollo').map((r) => r.peakRssMb ?? 0)),
  };
  say('');
  say(`rounds of upstream calls (floor = rounds x ${LATENCY_MS} ms): ${Object.entries(rounds).map(([n, r]) => `${n} ${r.gateway}${r.baseline !== null ? ` (baseline ${r.baseline})` : ''}`).join(', ')}`);
  say(`S1 at ${S1_RATE} req/s: p50 = floor + ${targets.s1P50OverFloorMs} ms, p99 = floor + ${targets.s1P99OverFloorMs} ms (target at 150 req/s: p99 <= floor + 30)`);
  say(`unloaded S1 by prison number: p50 = floor + ${targets.s1ByPrisonNumberUnloadedP50OverFloorMs} ms (target <= 5)`);
  say(`S1 at ${S1_LIGHT_RATE} req/s (below saturation): p50 = floor + ${targets.s1LightP50OverFloorMs} ms, p99 = floor + ${targets.s1LightP99OverFloorMs} ms`);
  say(`unloaded (one request at a time): S1 p50 = floor + ${targets.s1UnloadedP50OverFloorMs} ms, S3 p50 = floor + ${targets.s3UnloadedP50OverFloorMs} ms`);
  say(`authorisation: real policy / allow-all throughput, side by side = ${targets.authorisationThroughputRatio} (target >= 0.90)`);
  say(`S3 / bare Apollo ceiling = ${targets.s3OverBareApollo} (target >= 0.5)`);
  say(`peak gateway RSS = ${targets.peakRssMb} MB (target <= 250)`);
  if (soak) {
    say(`soak ${soak.seconds} s: ${soak.requests} requests, errors ${soak.errors}/${soak.non2xx}/${soak.graphqlErrors}, RSS ${soak.rssWarmMb} -> ${soak.rssEndMb} MB (${soak.rssGrowthPercent}%, target < 5%)`);
  }

  // Before and after in the same run: each phase measured against both gateways, one right after the other.
  const versus = BASELINE
    ? rows
        .filter((r) => r.scenario.endsWith(`@${BASELINE.commit}`))
        .map((old) => {
          const now = rows.find((r) => r.mode === old.mode && `${r.scenario} @${BASELINE.commit}` === old.scenario)!;
          const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b) : null);
          return {
            phase: `${now.scenario}, ${now.mode}`,
            p50: [now.p50, old.p50], p99: [now.p99, old.p99], reqPerSecond: [now.requestsPerSecond, old.requestsPerSecond],
            cpuMsPerRequest: [now.cpuMsPerRequest, old.cpuMsPerRequest], upstreamPerOperation: [now.upstreamRequestsPerOperation, old.upstreamRequestsPerOperation],
            cpuRatio: ratio(now.cpuMsPerRequest, old.cpuMsPerRequest), p50Ratio: ratio(now.p50, old.p50),
          };
        })
    : [];
  if (versus.length > 0) {
    say('');
    say(`before (${BASELINE!.commit}) and after, same run, same simulators (after / before):`);
    for (const v of versus) {
      say(`  ${v.phase.padEnd(52)} p50 ${v.p50[0]} vs ${v.p50[1]} ms (${v.p50Ratio}), p99 ${v.p99[0]} vs ${v.p99[1]} ms, CPU ${v.cpuMsPerRequest[0]} vs ${v.cpuMsPerRequest[1]} ms/req (${v.cpuRatio}), upstream/op ${v.upstreamPerOperation[0]} vs ${v.upstreamPerOperation[1]}, ${v.reqPerSecond[0]} vs ${v.reqPerSecond[1]} req/s`);
    }
  }
  // S2: upstream calls per person listed, by route (50 people per operation).
  for (const r of rows.filter((x) => x.scenario.startsWith('S2') && x.perRoute)) {
    say('');
    say(`${r.scenario}: upstream calls per person listed (50 per operation), by route`);
    for (const [route, n] of Object.entries(r.perRoute!).sort(([a], [b]) => a.localeCompare(b))) say(`  ${route.padEnd(80)} ${Math.round((n / 50) * 1000) / 1000}`);
  }

  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), idleCost };
  const out = {
    date: new Date().toISOString(),
    quick: QUICK,
    settings: { seconds: SECONDS, latencyMs: LATENCY_MS, population: POPULATION, s1Rate: S1_RATE, connections: CONNECTIONS, s2Connections: S2_CONNECTIONS, only: ONLY ? [...ONLY] : null },
    machine,
    note: 'load generator (autocannon), gateway and simulators share the same cores; loopback only',
    rows,
    rounds,
    targets,
    versus,
    baseline: BASELINE,
    soak,
    elapsedMs,
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${out.date.replace(/[:.]/g, '-')}${QUICK ? '-quick' : ''}${ONLY ? `-only-${[...ONLY].join('-')}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  say(`\nresult: ${file} (${Math.round(elapsedMs / 1000)} s)`);
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
