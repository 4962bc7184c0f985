/** Command-line options of simulators/main.ts. */

import { readFileSync } from 'node:fs';
import { type FaultConfig, parseFaultOption, parseFaultsFile } from './faults.js';
import type { UpstreamName } from './http.js';
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

export class OptionsError extends Error {}

export const USAGE = `Usage: npx tsx simulators/main.ts [options]

  --host <addr>               listen address (default 127.0.0.1)
  --port-base <n>             auth=n, prisonApi=n+1, prisonerSearch=n+2, alerts=n+3, managePom=n+4,
                              probationSearch=n+5, deliusIntegration=n+6, personRecord=n+7, admin=n+9
                              arns=n+10, cvl=n+11, caseNotes=n+12
                              adjudications=n+18
                              arns=n+10, cvl=n+11
                              probationSearch=n+5, deliusIntegration=n+6, personRecord=n+7, admin=n+9,
                              personalRelationships=n+13, incentives=n+15, healthAndMedication=n+16, nonAssociations=n+17
                              prisonVisits=n+14
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
  --help                      show this help
`;

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
  const args = [...argv];
  while (args.length > 0) {
    let arg = args.shift() as string;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 2) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) return value;
      const v = args.shift();
      if (v === undefined || v.startsWith('--')) throw new OptionsError(`${arg} needs a value`);
      return v;
    };
    try {
      switch (arg) {
        case '--help':
        case '-h':
          o.help = true;
          break;
        case '--host':
          o.host = next();
          break;
        case '--port-base':
          o.portBase = intOption(arg, next(), 0, 65_526);
          break;
        case '--population':
          o.population = intOption(arg, next(), MIN_POPULATION, MAX_POPULATION);
          break;
        case '--seed':
          o.seed = next();
          if (o.seed === '') throw new OptionsError('--seed must not be empty');
          break;
        case '--latency-ms':
          o.latencyMs = intOption(arg, next(), 0, 600_000);
          break;
        case '--fault': {
          const { upstream, config } = parseFaultOption(next());
          o.faults.set(upstream, { ...o.faults.get(upstream), ...config });
          break;
        }
        case '--faults': {
          const file = next();
          let parsed: unknown;
          try {
            parsed = JSON.parse(readFileSync(file, 'utf8'));
          } catch (err) {
            throw new OptionsError(`--faults: cannot read JSON from ${file}: ${err instanceof Error ? err.message : String(err)}`);
          }
          for (const [k, v] of Object.entries(parseFaultsFile(parsed))) o.faults.set(k as UpstreamName, { ...o.faults.get(k as UpstreamName), ...v });
          break;
        }
        case '--client-id':
          o.clientId = next();
          break;
        case '--client-secret':
          o.clientSecret = next();
          break;
        case '--token-ttl-seconds':
          o.tokenTtlSeconds = intOption(arg, next(), 1, 31_536_000);
          break;
        default:
          throw new OptionsError(`unknown option ${arg}`);
      }
    } catch (err) {
      if (err instanceof OptionsError) throw err;
      throw new OptionsError(err instanceof Error ? err.message : String(err));
    }
  }
  if (o.clientId === '' || o.clientSecret === '') throw new OptionsError('--client-id and --client-secret must not be empty');
  return o;
}
