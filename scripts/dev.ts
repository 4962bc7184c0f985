/**
 * `npm run dev`: development certificates, the upstream simulators and the gateway, as local
 * processes. Prints the URLs and a curl command that queries a well-known person over mutual TLS.
 * `npm run dev:federation` (`--federation`) also starts the court-hearings test subgraph and Hive Gateway
 * composing it with Person Graph (docs/federation.md), and prints a curl through the router.
 * Ctrl-C stops everything. Usage: `npm run dev -- --help`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { upstreamUrlEnv } from '../src/config/index.js';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ensureDevCertificates } from './certs.js';
import { commandLine } from './cli.js';

const USAGE = `The development environment as local processes: development certificates (made once), the upstream
simulators and the gateway. Prints the URLs and a curl command that queries a well-known person over
mutual TLS. Ctrl-C stops everything.

usage: npm run dev [-- --federation]

environment (all optional):
  DEV_CERT_DIR            certificates folder (default .dev/certs)
  SIMULATOR_PORT_BASE     first simulator port (default 9100)
  SIMULATOR_POPULATION    simulated people (default 2000)
  DEV_QUIET=true          do not echo the processes' log lines once ready
  and any gateway setting of the README's Configuration table (e.g. CONSUMER_PORT, LOG_LEVEL)

options:
  --federation  also the court-hearings test subgraph and Hive Gateway composing it with Person Graph
                (docs/federation.md); a curl through the router is printed (npm run dev:federation)
  -h, --help    this text; nothing is started or created`;

const { values: cli } = commandLine(process.argv.slice(2), { command: 'npm run dev', usage: USAGE, options: { federation: { type: 'boolean' } } });

const env = process.env;
const certDir = env.DEV_CERT_DIR ?? '.dev/certs';
const federation = cli.federation === true;
const ROUTER_CN = 'federation-router';
const consumers = ['dev-consumer', 'police-dev', ...(federation ? [ROUTER_CN] : [])];
const simulatorPortBase = env.SIMULATOR_PORT_BASE ?? '9100';
const population = env.SIMULATOR_POPULATION ?? '2000';

const children: ChildProcess[] = [];
/** What is not a child started here (the router, the in-process hearings subgraph): stopped first. */
const stoppers: Array<() => Promise<void>> = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  void Promise.allSettled(stoppers.map((stop) => stop()));
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Starts a child process and resolves with the first stdout JSON line for which `isReady` holds. */
function start(name: string, args: string[], childEnv: NodeJS.ProcessEnv, isReady: (line: Record<string, unknown>) => boolean) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let ready = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        /* not a JSON line */
      }
      if (!ready && parsed && isReady(parsed)) {
        ready = true;
        resolve(parsed);
      }
      if (ready && env.DEV_QUIET !== 'true') process.stdout.write(`[${name}] ${line}\n`);
      else if (!ready && parsed?.level === 'fatal') process.stderr.write(`[${name}] ${String(parsed.msg)}\n`);
    });
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`${name} exited with code ${code} before it was ready`));
      else if (!stopping) {
        process.stderr.write(`${name} stopped (exit code ${code}); stopping the rest\n`);
        stopAll(1);
      }
    });
  });
}

try {
  process.stdout.write('Person Graph development environment\n');
  process.stdout.write(`- certificates in ${certDir} (development CA, server, consumers: ${consumers.join(', ')})\n`);
  const certs = ensureDevCertificates(certDir, consumers);

  process.stdout.write(`- starting upstream simulators (population ${population}) ...\n`);
  const sims = (await start('simulators', ['simulators/main.ts', '--port-base', simulatorPortBase, '--population', population], env, (l) => l.ready === true)) as {
    urls: Record<string, string>;
    startupMs: number;
  };
  process.stdout.write(`  ready in ${sims.startupMs} ms; admin API ${sims.urls.admin}\n`);

  process.stdout.write('- starting the gateway ...\n');
  const gatewayEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: 'development',
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    TLS_KEY_FILE: certs.server.key,
    TLS_CERT_FILE: certs.server.cert,
    CONSUMER_CA_FILE: certs.ca.cert,
    CONSUMER_HOST: env.CONSUMER_HOST ?? '127.0.0.1',
    MANAGEMENT_HOST: env.MANAGEMENT_HOST ?? '127.0.0.1',
    POLICY_FILE: env.POLICY_FILE ?? 'policy/development.yaml',
    ...(federation ? { TRUSTED_PROXY_CNS: ROUTER_CN } : {}),
    HMPPS_AUTH_URL: sims.urls.auth,
    CLIENT_ID: 'person-graph',
    CLIENT_SECRET: 'person-graph-dev-secret',
    ...upstreamUrlEnv(sims.urls),
  };
  const gateway = (await start('gateway', ['src/main.ts'], gatewayEnv, (l) => l.event === 'ready')) as {
    consumerUrl: string;
    managementUrl: string;
    devUrl: string | null;
  };

  const wellKnown = JSON.parse(readFileSync('simulators/well-known-people.json', 'utf8')) as {
    people: Array<{ key: string; crn: string | null; prisonNumber: string | null }>;
  };
  const person = wellKnown.people.find((p) => p.key === 'linked') ?? wellKnown.people[0];
  const id = person?.crn ?? person?.prisonNumber ?? 'X000000';
  const port = new URL(gateway.consumerUrl).port;
  const client = certs.clients['dev-consumer']!;
  const body = JSON.stringify({ query: `{ person(hmppsId: "${id}") { hmppsId firstName lastName identifiers { crn prisonNumber } } }` });
  process.stdout.write(
    [
      '',
      'Ready.',
      `  GraphQL (mutual TLS):   https://localhost:${port}/graphql`,
      `  Apollo Sandbox (dev):   ${gateway.devUrl ?? '(disabled)'}/graphql   (fixed consumer: dev-consumer)`,
      `  Management:             ${gateway.managementUrl}/health/readiness`,
      `  Simulator admin:        ${sims.urls.admin}/admin/counters`,
      '',
      'Query a well-known person over mutual TLS:',
      `  curl --cacert ${certs.ca.cert} --cert ${client.cert} --key ${client.key} \\`,
      `    -H 'content-type: application/json' -H 'x-api-key: dev-consumer-development-api-key-not-a-secret' \\`,
      `    https://localhost:${port}/graphql \\`,
      `    -d '${body}'`,
      '',
      'Well-known people: simulators/well-known-people.json. Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  if (federation) await startFederation(gateway.consumerUrl, certs, wellKnown.people);
} catch (e) {
  process.stderr.write(`npm run dev failed: ${(e as Error).message}\n`);
  stopAll(1);
}

/**
 * The court-hearings test subgraph (in this process) and Hive Gateway (its own process) composing it
 * with Person Graph; the router connects with its own certificate (CN federation-router, a trusted proxy).
 */
async function startFederation(
  consumerUrl: string,
  certs: ReturnType<typeof ensureDevCertificates>,
  people: Array<{ crn: string | null; prisonNumber: string | null }>,
): Promise<void> {
  const { HEARINGS_COURT, HEARINGS_SDL_FILE, hearingsFor, startHearingsSubgraph } = await import('../local-stack/federation/hearings-subgraph.js');
  const { composeSupergraph, forwardedIdentity, startRouter, writeSupergraph } = await import('../local-stack/federation/router.js');
  const { loadSchema } = await import('./schema-lib.js');
  const { subgraphSdl } = await import('../src/server/federation.js');
  process.stdout.write('- starting the court-hearings subgraph and Hive Gateway (federation) ...\n');
  const ids = people.map((p) => p.crn ?? p.prisonNumber).filter((id): id is string => id !== null);
  const hearings = await startHearingsSubgraph(hearingsFor(ids));
  stoppers.push(() => hearings.close());
  const supergraph = composeSupergraph([
    { name: 'person-graph', sdl: subgraphSdl(loadSchema('schema')), url: `https://localhost:${new URL(consumerUrl).port}/graphql` },
    { name: 'court-hearings', sdl: readFileSync(HEARINGS_SDL_FILE, 'utf8'), url: hearings.url },
  ]);
  const router = await startRouter({
    supergraphFile: writeSupergraph(join(certDir, 'supergraph.graphql'), supergraph),
    clientCertFile: certs.clients[ROUTER_CN]!.cert,
    clientKeyFile: certs.clients[ROUTER_CN]!.key,
    personGraphCaFile: certs.ca.cert,
    port: Number(env.ROUTER_PORT ?? 4100),
  });
  stoppers.push(() => router.stop());
  const identity = forwardedIdentity(certs.clients['dev-consumer']!.cert);
  const query = JSON.stringify({ query: `{ hearingsListed(court: "${HEARINGS_COURT}") { id startsAt defendant { hmppsId firstName lastName } } }` });
  process.stdout.write(
    [
      '',
      `Federation: Hive Gateway (pid ${router.pid}) at ${router.url}/graphql, court-hearings subgraph at ${hearings.url}`,
      'Through the router, as dev-consumer (the headers an mTLS-terminating ingress would set):',
      `  curl ${router.url}/graphql -H 'content-type: application/json' \\`,
      ...Object.entries(identity).map(([k, v]) => `    -H '${k}: ${v}' \\`),
      `    -H 'x-api-key: dev-consumer-development-api-key-not-a-secret' \\`,
      `    -d '${query}'`,
      '',
    ].join('\n'),
  );
}
