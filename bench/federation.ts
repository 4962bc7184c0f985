/**
 * `npm run bench:federation [-- --seconds N] [--connections N] [--population N] [--latency-ms N] [--no-build]`
 *
 * S3 (`person(hmppsId) { firstName }`) straight to Person Graph (mutual TLS, as consumers call it) and
 * through Hive Gateway (plain HTTP on loopback, the consumer's identity forwarded as the ingress in
 * front of a router would; the router connects to Person Graph with its own certificate), plus S3 with
 * `nextHearing` from the court-hearings test subgraph (both subgraphs). The same stack as `npm run
 * bench` (built gateway, production mode and Node options, simulators with fixed latency). Phases run
 * direct, router, federated, direct again (the two direct runs bracket the drift of this shared
 * machine). Loopback only, bounded phases, every process stopped by PID. Writes
 * bench/results/<stamp>-federation.json and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchema } from '../scripts/schema-lib.js';
import { subgraphSdl } from '../src/server/federation.js';
import { HEARINGS_SDL_FILE, hearingsFor, startHearingsSubgraph, type HearingsSubgraph } from '../local-stack/federation/hearings-subgraph.js';
import { composeSupergraph, forwardedIdentity, startRouter, writeSupergraph, type RouterHandle } from '../local-stack/federation/router.js';
import { wellKnownPeople } from '../local-stack/simulators.js';
import { benchCommandLine, body, load, percentile, ROOT, S3, sample, startStack, type LoadSpec, type Stack } from './lib.js';

const USAGE = `S3 straight to Person Graph, through Hive Gateway, and federated with the hearings test subgraph, on the
bench's stack; writes bench/results/<stamp>-federation.json and prints a table.

usage: npm run bench:federation -- [--seconds N] [--connections N] [--population N] [--latency-ms N] [--no-build]

  --seconds N      seconds per phase (default 10)
  --connections N  closed-loop connections (default 16)
  --population N   people in the simulators (default 20000)
  --latency-ms N   the simulators' fixed upstream latency (default 10)
  --no-build       use dist/ as it is (no npm run build first)`;
const cli = benchCommandLine(process.argv.slice(2), { command: 'npm run bench:federation', usage: USAGE, numbers: ['seconds', 'connections', 'population', 'latency-ms'], flags: ['no-build'] });
const option = cli.number;
const SECONDS = option('seconds', 10);
const CONNECTIONS = option('connections', 16);
const POPULATION = option('population', 20_000);
const LATENCY_MS = option('latency-ms', 10);
const ROUTER_CN = 'federation-router';
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
  phase: string;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  gatewayCpuMsPerRequest: number | null;
  routerCpuMsPerRequest: number | null;
}

async function measure(phase: string, spec: LoadSpec, gatewayPid: number, routerPid: number | null): Promise<Row> {
  const g0 = sample(gatewayPid);
  const r0 = routerPid ? sample(routerPid) : null;
  const result = await load(spec);
  const g1 = sample(gatewayPid);
  const r1 = routerPid ? sample(routerPid) : null;
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const per = (a: number, b: number) => (result.total > 0 ? Math.round(((b - a) / result.total) * 100) / 100 : null);
  return {
    phase,
    requests: result.total,
    requestsPerSecond: Math.round(result.total / spec.seconds),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors + result.non2xx + result.graphqlErrors,
    gatewayCpuMsPerRequest: per(g0.cpuMs, g1.cpuMs),
    routerCpuMsPerRequest: r0 && r1 ? per(r0.cpuMs, r1.cpuMs) : null,
  };
}

const rows: Row[] = [];
let stack: Stack | null = null;
let hearings: HearingsSubgraph | null = null;
let router: RouterHandle | null = null;
try {
  if (!cli.flag('no-build')) {
    say('- building (npm run build) ...');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  stack = await startStack({ population: POPULATION, latencyMs: LATENCY_MS, say, extraClients: [ROUTER_CN], env: { TRUSTED_PROXY_CNS: ROUTER_CN } });
  const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
  hearings = await startHearingsSubgraph(hearingsFor([linked.crn!]));
  const supergraph = composeSupergraph([
    { name: 'person-graph', sdl: subgraphSdl(loadSchema(join(ROOT, 'schema'))), url: `${stack.gatewayUrl}/graphql` },
    { name: 'court-hearings', sdl: readFileSync(HEARINGS_SDL_FILE, 'utf8'), url: hearings.url },
  ]);
  say('- starting Hive Gateway ...');
  router = await startRouter({
    supergraphFile: writeSupergraph(join(stack.dir, 'supergraph.graphql'), supergraph),
    clientCertFile: stack.certs.clients[ROUTER_CN]!.cert,
    clientKeyFile: stack.certs.clients[ROUTER_CN]!.key,
    personGraphCaFile: stack.certs.ca.cert,
  });
  const consumer = 'bench-full';
  const identity = forwardedIdentity(stack.certs.clients[consumer]!.cert);
  const s3 = body(S3, { id: linked.prisonNumber });
  const federated = body('query S3F($id: ID!) { person(hmppsId: $id) { firstName nextHearing { court startsAt } } }', { id: linked.prisonNumber });
  const direct: LoadSpec = { url: stack.gatewayUrl, certs: stack.certs, consumer, body: s3, connections: CONNECTIONS, seconds: SECONDS };
  const viaRouter: LoadSpec = { ...direct, url: router.url, headers: identity };
  const gw = stack.gateway.child.pid!;

  say('- warm-up ...');
  await load({ ...direct, seconds: 2, connections: 4 });
  await load({ ...viaRouter, seconds: 3, connections: 4 });
  await load({ ...viaRouter, body: federated, seconds: 2, connections: 4 });
  say(`- S3 direct, ${CONNECTIONS} connections ...`);
  rows.push(await measure('S3 direct (mutual TLS)', direct, gw, null));
  say(`- S3 through Hive Gateway, ${CONNECTIONS} connections ...`);
  rows.push(await measure('S3 through Hive Gateway', viaRouter, gw, router.pid));
  say(`- S3 + nextHearing through Hive Gateway (both subgraphs), ${CONNECTIONS} connections ...`);
  rows.push(await measure('S3 + nextHearing (2 subgraphs)', { ...viaRouter, body: federated }, gw, router.pid));
  say(`- S3 direct again, ${CONNECTIONS} connections ...`);
  rows.push(await measure('S3 direct again', direct, gw, null));
} finally {
  await router?.stop();
  await hearings?.close();
  await stack?.close();
}

const header = ['phase'.padEnd(32), 'req/s'.padStart(7), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'gw CPU ms/req'.padStart(14), 'router CPU ms/req'.padStart(18), 'errors'.padStart(7)].join('');
const lines = [header, ...rows.map((r) => [r.phase.padEnd(32), String(r.requestsPerSecond).padStart(7), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.gatewayCpuMsPerRequest ?? '-').padStart(14), String(r.routerCpuMsPerRequest ?? '-').padStart(18), String(r.errors).padStart(7)].join(''))];
say(`\n${lines.join('\n')}`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `${stamp}-federation.json`);
writeFileSync(file, `${JSON.stringify({ settings: { seconds: SECONDS, connections: CONNECTIONS, population: POPULATION, latencyMs: LATENCY_MS, consumer: 'bench-full' }, rows }, null, 2)}\n`);
say(`\nwrote ${file}`);
