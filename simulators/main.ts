/**
 * The upstream world: one HTTP listener per simulated upstream plus an admin listener.
 * Prints exactly one JSON line to stdout once every listener is up; logs go to stderr.
 */

import { performance } from 'node:perf_hooks';
import { createAdminServer, listenAdmin } from './lib/admin.js';
import { PORT_OFFSETS, UPSTREAM_NAMES, type UpstreamDefinition, type UpstreamName } from './lib/http.js';
import { type Options, OptionsError, USAGE, parseOptions } from './lib/options.js';
import { usageFailure } from '../scripts/cli.js';
import { Population } from './lib/population.js';
import { CallLog, Counters, type SharedState, UpstreamServer } from './lib/server.js';
import { TokenStore } from './lib/tokens.js';
import { wellKnownFile } from './lib/well-known.js';
import { createAdjudications } from './upstreams/adjudications.js';
import { createAlerts } from './upstreams/alerts.js';
import { createArns } from './upstreams/arns.js';
import { createAuth } from './upstreams/auth.js';
import { createCvl } from './upstreams/cvl.js';
import { createDeliusIntegration } from './upstreams/delius-integration.js';
import { createManagePom } from './upstreams/manage-pom.js';
import { createPersonRecord } from './upstreams/person-record.js';
import { createPrisonApi } from './upstreams/prison-api.js';
import { createPrisonerSearch } from './upstreams/prisoner-search.js';
import { createProbationSearch } from './upstreams/probation-search.js';
import { createCaseNotes } from './upstreams/case-notes.js';
import { createIncentives } from './upstreams/incentives.js';
import { createHealthAndMedication } from './upstreams/health-and-medication.js';
import { createNonAssociations } from './upstreams/non-associations.js';
import { createPersonalRelationships } from './upstreams/personal-relationships.js';
import { createPrisonVisits } from './upstreams/prison-visits.js';

function log(message: string): void {
  process.stderr.write(`[simulators] ${message}\n`);
}

function fail(message: string): never {
  process.stderr.write(`simulators: error: ${message}\n`);
  process.exit(1);
}

async function start(options: Options): Promise<void> {
  const population = new Population({ size: options.population, seed: options.seed });
  const tokens = new TokenStore(options.tokenTtlSeconds);
  const state: SharedState = { tokens, counters: new Counters(), calls: new CallLog(), faults: new Map(options.faults), baseLatencyMs: options.latencyMs, log };

  const definitions: Record<UpstreamName, UpstreamDefinition> = {
    auth: createAuth({ clientId: options.clientId, clientSecret: options.clientSecret, tokens }),
    prisonApi: createPrisonApi(population),
    prisonerSearch: createPrisonerSearch(population),
    alerts: createAlerts(population),
    managePom: createManagePom(population),
    probationSearch: createProbationSearch(population),
    deliusIntegration: createDeliusIntegration(population),
    personRecord: createPersonRecord(population),
    arns: createArns(population),
    cvl: createCvl(population),
    caseNotes: createCaseNotes(population),
    adjudications: createAdjudications(population),
    incentives: createIncentives(population),
    healthAndMedication: createHealthAndMedication(population),
    nonAssociations: createNonAssociations(population),
    personalRelationships: createPersonalRelationships(population),
    prisonVisits: createPrisonVisits(population),
  };

  const servers = new Map<UpstreamName, UpstreamServer>();
  for (const name of UPSTREAM_NAMES) servers.set(name, new UpstreamServer(definitions[name], options.host, state));
  const portFor = (name: UpstreamName | 'admin'): number => (options.portBase === 0 ? 0 : options.portBase + PORT_OFFSETS[name]);

  const admin = createAdminServer({ state, servers, wellKnown: wellKnownFile(population), population: population.size });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    admin.closeAllConnections();
    await Promise.all([...servers.values()].map((s) => s.close()));
    await new Promise<void>((resolve) => admin.close(() => resolve()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await Promise.all([...servers.values()].map((s) => s.listen(portFor(s.name))));
    const adminPort = await listenAdmin(admin, options.host, portFor('admin'));
    // Start-up outages: the port is bound first so that "outage: false" reopens the same port.
    for (const [name, fault] of state.faults) if (fault.outage === true) await servers.get(name)?.setOutage(true);
    const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
    const urls: Record<string, string> = {};
    for (const [name, s] of servers) urls[name] = `http://${hostForUrl}:${s.port}`;
    urls.admin = `http://${hostForUrl}:${adminPort}`;
    const startupMs = Math.round(performance.now());
    process.stdout.write(`${JSON.stringify({ ready: true, population: population.size, startupMs, urls })}\n`);
    log(`ready: ${population.size} people, ${population.prisoners.length} with a prison number, ${population.probationCases.length} with a CRN, in ${startupMs} ms`);
  } catch (err) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    admin.close();
    fail(`cannot listen: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// The project's command-line convention (scripts/cli.ts): --help exits 0, a bad option exits 2 with the usage.
let options: Options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  if (err instanceof OptionsError) usageFailure({ command: 'npm run simulators', usage: USAGE }, err.message);
  throw err;
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
start(options).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
