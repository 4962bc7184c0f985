/**
 * `npm run dev`: development certificates, the upstream simulators and the gateway, as local
 * processes. Prints the URLs and a curl command that queries a well-known person over mutual TLS.
 * Ctrl-C stops everything. Usage: `npm run dev -- --help`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { upstreamUrlEnv } from '../src/config/index.js';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ensureDevCertificates } from './certs.js';
import { commandLine } from './cli.js';

const USAGE = `The development environment as local processes: development certificates (made once), the upstream
simulators and the gateway. Prints the URLs and a curl command that queries a well-known person over
mutual TLS. Ctrl-C stops everything.

usage: npm run dev

environment (all optional):
  DEV_CERT_DIR            certificates folder (default .dev/certs)
  SIMULATOR_PORT_BASE     first simulator port (default 9100)
  SIMULATOR_POPULATION    simulated people (default 2000)
  DEV_QUIET=true          do not echo the processes' log lines once ready
  and any gateway setting of the README's Configuration table (e.g. CONSUMER_PORT, LOG_LEVEL)

options:
  -h, --help    this text; nothing is started or created`;

commandLine(process.argv.slice(2), { command: 'npm run dev', usage: USAGE, options: {} });

const env = process.env;
const certDir = env.DEV_CERT_DIR ?? '.dev/certs';
const consumers = ['dev-consumer', 'police-dev'];
const simulatorPortBase = env.SIMULATOR_PORT_BASE ?? '9100';
const population = env.SIMULATOR_POPULATION ?? '2000';

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
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
} catch (e) {
  process.stderr.write(`npm run dev failed: ${(e as Error).message}\n`);
  stopAll(1);
}
