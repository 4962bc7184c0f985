/**
 * `npm run bench:profile [-- --scenario S1|S2|S3] [--seconds N] [--connections N] [--population N] [--out DIR] [--no-build]`
 *
 * Profiles the built gateway under load: starts the simulators and the gateway with `--cpu-prof`,
 * drives one scenario with autocannon for a bounded time, stops the gateway by PID (the profile is
 * written on exit) and prints where the CPU went: self time by package and the hottest functions.
 * The `.cpuprofile` file is kept (open it in Chrome DevTools or speedscope). Loopback only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { wellKnownPeople } from '../local-stack/simulators.js';
import { benchCommandLine, body, commonLastName, load, ROOT, S1, S2, S3, sample, startStack, stop, type LoadSpec } from './lib.js';

const USAGE = `Profiles the built gateway under one scenario (--cpu-prof) and prints where the CPU went; keeps the .cpuprofile.

usage: npm run bench:profile -- [--scenario S1|S2|S3] [--seconds N] [--connections N] [--population N] [--latency-ms N] [--out DIR] [--no-build]

  --scenario S1|S2|S3  the scenario driven (default S3)
  --seconds N          seconds of load (default 10)
  --connections N      closed-loop connections (default 32, 8 for S2)
  --population N       people in the simulators (default 20000)
  --latency-ms N       the simulators' fixed upstream latency (default 10)
  --out DIR            where the profile is written (default bench/results/profiles)
  --no-build           use dist/ as it is (no npm run build first)`;
const cli = benchCommandLine(process.argv.slice(2), {
  command: 'npm run bench:profile',
  usage: USAGE,
  numbers: ['seconds', 'connections', 'population', 'latency-ms'],
  flags: ['no-build'],
  strings: ['scenario', 'out'],
});
const SCENARIO = (cli.string('scenario') ?? 'S3').toUpperCase();
if (!['S1', 'S2', 'S3'].includes(SCENARIO)) cli.fail('--scenario must be S1, S2 or S3');
const SECONDS = cli.number('seconds', 10, 1);
const CONNECTIONS = cli.number('connections', SCENARIO === 'S2' ? 8 : 32, 1);
const POPULATION = cli.number('population', 20_000, 1);
const LATENCY_MS = cli.number('latency-ms', 10);
const OUT = cli.string('out') ?? join(ROOT, 'bench', 'results', 'profiles');
const say = (line: string) => process.stdout.write(`${line}\n`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code lives: an npm package, a file of ours, Node itself, or V8 (GC, idle...). */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const file = url.replace(/^file:\/\//, '');
  return relative(ROOT, file).replace(/^dist\//, '').split('/').slice(0, 2).join('/');
}

function summarise(profile: CpuProfile, top: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const where = owner(url, functionName);
    packages.set(where, (packages.get(where) ?? 0) + t);
    const name = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + t);
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)}%`;
  say(`\nbusy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s profiled; shares are of busy time`);
  say('\nself time by package / file:');
  for (const [name, t] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top)) say(`  ${pct(t)}  ${name}`);
  say('\nhottest functions (self time):');
  for (const [name, t] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) say(`  ${pct(t)}  ${name}`);
}

async function main(): Promise<void> {
  if (!cli.flag('no-build')) {
    say('- building (npm run build) ...');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  mkdirSync(OUT, { recursive: true });
  const before = new Set(readdirSync(OUT));
  const stack = await startStack({ population: POPULATION, latencyMs: LATENCY_MS, gatewayNodeArgs: ['--cpu-prof', '--cpu-prof-dir', OUT], say });
  let profileFile: string | undefined;
  try {
    const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
    const bodies: Record<string, string> = {
      S1: body(S1, { id: linked.crn }),
      S2: body(S2, { c: { lastName: await commonLastName(stack.sims) } }),
      S3: body(S3, { id: linked.prisonNumber }),
    };
    const spec: LoadSpec = { url: stack.gatewayUrl, certs: stack.certs, consumer: 'bench-full', body: bodies[SCENARIO]!, connections: CONNECTIONS, seconds: SECONDS };
    say('- warm-up (2 s) ...');
    await load({ ...spec, connections: 4, seconds: 2 });
    const gw = stack.gateway.child.pid!;
    const sims = stack.sims.pid;
    const [g0, s0] = [sample(gw), sample(sims)];
    say(`- ${SCENARIO} with ${CONNECTIONS} connections for ${SECONDS} s ...`);
    const result = await load(spec);
    const [g1, s1] = [sample(gw), sample(sims)];
    const n = Math.max(1, result.total);
    say(`  ${result.total} requests (${Math.round(result.total / SECONDS)}/s), errors ${result.errors}/${result.non2xx}/${result.graphqlErrors}`);
    say(`  CPU ms per request: gateway ${((g1.cpuMs - g0.cpuMs) / n).toFixed(2)}, simulators ${((s1.cpuMs - s0.cpuMs) / n).toFixed(2)}; gateway RSS ${Math.round(g1.rssMb)} MB`);
    await stop(stack.gateway);
    profileFile = readdirSync(OUT).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
  } finally {
    await stack.close();
  }
  if (!profileFile) throw new Error(`the gateway wrote no profile to ${OUT}`);
  say(`\nprofile: ${join(OUT, profileFile)}`);
  summarise(JSON.parse(readFileSync(join(OUT, profileFile), 'utf8')) as CpuProfile, 25);
}

main().catch((e: unknown) => {
  process.stderr.write(`profile failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
