/** Command-line options of simulators/main.ts. */

import { readFileSync } from 'node:fs';
import { type FaultConfig, parseFaultOption, parseFaultsFile } from './faults.js';
import { PORT_OFFSETS, type UpstreamName } from './http.js';
import { type CommandLine, UsageError, parseCommandLine } from '../../scripts/cli.js';
import { DEFAULT_SEED, MAX_POPULATION, MIN_POPULATION } from './population.js';

export interface Options {
  host: string;
  portBase: number;
  population: number;
  seed: string;
  latencyMs: number;
  faults: Map<UpstreamName, FaultConfig>;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  help: boolean;
}

/** A command line that cannot be run: exit 2 with the message and the usage (scripts/cli.ts's convention). */
export class OptionsError extends UsageError {}

/** `auth=n, prisonApi=n+1, ...` in port order, wrapped for the usage text. */
function portOffsets(): string {
  const parts = Object.entries(PORT_OFFSETS)
    .sort((a, b) => a[1] - b[1])
    .map(([name, offset]) => `${name}=n${offset === 0 ? '' : `+${offset}`}`);
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + part.length < 70) lines[last] = `${lines[last]!}, ${part}`;
    else lines.push(part);
  }
  return lines.map((l) => `                              ${l}`).join(',\n');
}

export const USAGE = `The upstream simulators: one HTTP listener per simulated upstream plus an admin listener; prints one JSON
line once every listener is up (logs on stderr). Also run as \`npx tsx simulators/main.ts\` (the tools image).

usage: npm run simulators -- [--host ADDR] [--port-base N] [--population N] [--seed S] [--latency-ms N] [--fault UPSTREAM:K=V] [--faults FILE]

  --host <addr>               listen address (default 127.0.0.1)
  --port-base <n>             the ports, from n:
${portOffsets()}
                              (default 9100; 0 = every listener on a random free port)
  --population <n>            people in the synthetic population (default 2000, ${MIN_POPULATION}..${MAX_POPULATION})
  --seed <s>                  seed of the synthetic population (default ${DEFAULT_SEED})
  --latency-ms <n>            response time of every upstream call from its arrival, the
                              simulator's own work included (default 0)
  --fault <upstream>:<k>=<v>[,<k>=<v>]   start-up fault (repeatable); lists use '|':
                              --fault prisonerSearch:errorRate=0.5,errorStatuses=500|503
  --faults <file.json>        start-up faults: {"<upstream>": {<fault config>}, ...}
  --client-id <id>            OAuth client id (default person-graph)
  --client-secret <secret>    OAuth client secret (default person-graph-dev-secret)
  --token-ttl-seconds <n>     access token lifetime (default 1200)
  --help                      show this help`;

const SPEC: CommandLine = {
  command: 'npm run simulators',
  usage: USAGE,
  options: {
    host: { type: 'string' },
    'port-base': { type: 'string' },
    population: { type: 'string' },
    seed: { type: 'string' },
    'latency-ms': { type: 'string' },
    fault: { type: 'string', multiple: true },
    faults: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'token-ttl-seconds': { type: 'string' },
  },
};

function intOption(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new OptionsError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

export function parseOptions(argv: readonly string[]): Options {
  const o: Options = {
    host: '127.0.0.1',
    portBase: 9100,
    population: 2000,
    seed: DEFAULT_SEED,
    latencyMs: 0,
    faults: new Map(),
    clientId: 'person-graph',
    clientSecret: 'person-graph-dev-secret',
    tokenTtlSeconds: 1200,
    help: false,
  };
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine([...argv], SPEC);
  } catch (err) {
    throw err instanceof UsageError && !(err instanceof OptionsError) ? new OptionsError(err.message) : err;
  }
  if (parsed === 'help') return { ...o, help: true };
  const v = parsed.values as Record<string, string | undefined>;
  try {
    if (v.host !== undefined) o.host = v.host;
    if (v['port-base'] !== undefined) o.portBase = intOption('--port-base', v['port-base'], 0, 65_526);
    if (v.population !== undefined) o.population = intOption('--population', v.population, MIN_POPULATION, MAX_POPULATION);
    if (v.seed !== undefined) {
      if (v.seed === '') throw new OptionsError('--seed must not be empty');
      o.seed = v.seed;
    }
    if (v['latency-ms'] !== undefined) o.latencyMs = intOption('--latency-ms', v['latency-ms'], 0, 600_000);
    // --faults (a file) first, then each --fault on top, as they merge per upstream.
    if (v.faults !== undefined) {
      const file = v.faults;
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new OptionsError(`--faults: cannot read JSON from ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
      for (const [k, f] of Object.entries(parseFaultsFile(json))) o.faults.set(k as UpstreamName, { ...o.faults.get(k as UpstreamName), ...f });
    }
    for (const raw of (parsed.values.fault as unknown as string[] | undefined) ?? []) {
      const { upstream, config } = parseFaultOption(raw);
      o.faults.set(upstream, { ...o.faults.get(upstream), ...config });
    }
    if (v['client-id'] !== undefined) o.clientId = v['client-id'];
    if (v['client-secret'] !== undefined) o.clientSecret = v['client-secret'];
    if (v['token-ttl-seconds'] !== undefined) o.tokenTtlSeconds = intOption('--token-ttl-seconds', v['token-ttl-seconds'], 1, 31_536_000);
  } catch (err) {
    if (err instanceof OptionsError) throw err;
    throw new OptionsError(err instanceof Error ? err.message : String(err));
  }
  if (o.clientId === '' || o.clientSecret === '') throw new OptionsError('--client-id and --client-secret must not be empty');
  return o;
}
