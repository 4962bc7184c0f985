/**
 * The heartbeat against the real gateway with a development client certificate and API key: it succeeds
 * on a whole answer, and fails (exit 1, exactly one JSON line with a clear message naming every error code)
 * when the answer carries any error (unless --allow-partial), when prison or probation was not reached for
 * its person (Prison API or Delius integration answering 404 everywhere, prisoner search refused or
 * redirected), when the certificate is wrong or the service is down; a later attempt can still succeed.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEV_API_KEYS } from '../../local-stack/certs.js';
import { REPO_ROOT, wellKnownPeople, type FaultConfig, type UpstreamName } from '../../local-stack/simulators.js';
import { freePort } from './support.js';
import { postGraphQL } from '../../local-stack/https.js';
import { useGatewayStack } from '../support/stack.js';

const known = wellKnownPeople();
const linked = known.people.find((p) => p.key === 'linked')!;

const stack = useGatewayStack();

interface Run {
  code: number | null;
  summary: Record<string, unknown>;
  stdout: string;
  stderr: string;
  ms: number;
}

const DEFAULT_QUERY =
  'query Heartbeat($hmppsId: ID!) { person(hmppsId: $hmppsId) { firstName prison { prisonId } sentenceKeyDates { releaseDate } responsibleOfficer { communityManager { forename } } } }';

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

function heartbeat(
  env: Record<string, string>,
  onStderr: (text: string) => void = () => undefined,
  args: string[] = [],
  command: string[] = [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'scripts', 'heartbeat.ts')],
): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = stdout.trim().split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      resolve({ code, summary: JSON.parse(lines[0]!) as Record<string, unknown>, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const devEnv = (extra: Record<string, string> = {}) => ({
  SERVICE_URL: stack.gateway.consumerUrl,
  API_KEY: stack.certs.client.devConsumer.apiKey ?? '',
  MTLS_CERT: b64(stack.certs.client.devConsumer.cert),
  MTLS_KEY: b64(stack.certs.client.devConsumer.key),
  MTLS_CA: b64(stack.certs.ca),
  HEARTBEAT_ATTEMPTS: '2',
  HEARTBEAT_INTERVAL_MS: '50',
  ...extra,
});

describe('npm run heartbeat', () => {
  it('succeeds with a development certificate and API key, asking for the linked well-known person by default', async () => {
    const run = await heartbeat(devEnv());
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({
      heartbeat: 'ok',
      hmppsId: linked.crn,
      attempts: 1,
      status: 200,
      requestId: expect.stringMatching(/^heartbeat-/),
      errorCodes: [],
      message: 'identity, prison, probation came back',
    });
    expect(run.stderr).toBe('');
    // The value itself is person data: it is checked, never printed.
    expect(run.stdout + run.stderr).not.toContain(linked.firstName);
  });

  it('prints exactly one line through `npm run -s heartbeat` (no npm banner)', async () => {
    const run = await heartbeat(devEnv(), undefined, [], ['npm', 'run', '-s', 'heartbeat']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toBe('');
  });

  it('fails when nobody holds the id, saying so', async () => {
    const run = await heartbeat(devEnv({ HEARTBEAT_HMPPS_ID: known.unknown.crn }));
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ heartbeat: 'failed', attempts: 2, errorCodes: ['NOT_FOUND'] });
    expect(run.summary.message).toBe(
      'answer carries errors: NOT_FOUND at person; identity side not reached: no value at data.person.firstName; ' +
        'prison side not reached: no value at data.person.prison.prisonId; ' +
        'probation side not reached: no value at data.person.responsibleOfficer.communityManager.forename',
    );
    expect(run.summary.failures).toHaveLength(2);
  });

  it('follows a configured query and path', async () => {
    const ok = await heartbeat(
      devEnv({ HEARTBEAT_QUERY: 'query Beat($hmppsId: ID!) { person(hmppsId: $hmppsId) { identifiers { crn } } }', HEARTBEAT_EXPECT_PATH: 'data.person.identifiers.crn' }),
    );
    expect(ok.code).toBe(0);
    const missing = await heartbeat(devEnv({ HEARTBEAT_EXPECT_PATH: 'data.person.lastName' }));
    expect(missing.code).toBe(1);
    expect(missing.summary.message).toBe('no value at data.person.lastName');
  });

  it('fails with a clear message when the certificate is wrong', async () => {
    const run = await heartbeat(devEnv({ MTLS_CERT: b64(stack.certs.foreignCa.cert), MTLS_KEY: b64(stack.certs.foreignCa.key) }));
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ heartbeat: 'failed', status: 401 });
    expect(String(run.summary.message)).toMatch(/^HTTP 401 UNAUTHENTICATED: /);
  });

  it('fails with a clear message when the API key is wrong', async () => {
    const run = await heartbeat(devEnv({ API_KEY: 'not-the-key-not-the-key-not-the-key-0000' }));
    expect(run.code).toBe(1);
    expect(String(run.summary.message)).toMatch(/^HTTP 401 UNAUTHENTICATED: .*API key/);
  });

  it('fails after every attempt, spaced as configured, when the service is down', async () => {
    const run = await heartbeat(devEnv({ SERVICE_URL: `https://localhost:${await freePort()}`, HEARTBEAT_ATTEMPTS: '3', HEARTBEAT_INTERVAL_MS: '200' }));
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ heartbeat: 'failed', attempts: 3, status: null });
    expect(String(run.summary.message)).toMatch(/^service unreachable: ECONNREFUSED/);
    expect(run.summary.durationMs as number).toBeGreaterThanOrEqual(400);
  });

  it('succeeds on a later attempt when the service recovers in time', async () => {
    await stack.sims.setFault('probationSearch', { outage: true });
    let cleared = false;
    const run = await heartbeat(devEnv({ HEARTBEAT_ATTEMPTS: '5', HEARTBEAT_INTERVAL_MS: '300', HEARTBEAT_VERBOSE: 'true' }), (stderr) => {
      // The upstream comes back while the heartbeat waits before its second attempt.
      if (!cleared && stderr.includes('attempt 1/5 failed')) {
        cleared = true;
        void stack.sims.setFault('probationSearch', {});
      }
    });
    expect(run.code).toBe(0);
    // The one line still names the error code the first attempt saw.
    expect(run.summary).toMatchObject({ heartbeat: 'ok', attempts: 2, errorCodes: ['UPSTREAM_UNAVAILABLE'] });
    expect(run.stderr).toContain('heartbeat attempt 1/5 failed: answer carries errors: UPSTREAM_UNAVAILABLE at person (probation)');
  });

  describe('a broken upstream fails it, with one clear line', () => {
    /** After a fault: until every circuit the fault opened has closed again (a query lets the probe through). */
    const settle = async () => {
      const tls = { ca: stack.certs.ca, cert: stack.certs.client.devConsumer.cert, key: stack.certs.client.devConsumer.key };
      const headers = { 'x-api-key': stack.certs.client.devConsumer.apiKey ?? '' };
      for (const until = Date.now() + 10_000; Date.now() < until; ) {
        const health = (await (await fetch(`${stack.gateway.managementUrl}/health`)).json()) as { components: Record<string, { details: { circuit?: string } }> };
        if (Object.values(health.components).every((c) => (c.details.circuit ?? 'closed') === 'closed')) return;
        await postGraphQL(stack.gateway.consumerUrl, { query: DEFAULT_QUERY, variables: { hmppsId: linked.crn } }, tls, headers);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const broken = async (upstream: UpstreamName, fault: FaultConfig, args: string[] = [], env: Record<string, string> = {}) => {
      await stack.sims.setFault(upstream, fault);
      try {
        return await heartbeat(devEnv(env), undefined, args);
      } finally {
        await stack.sims.clearFaults();
        await settle();
      }
    };

    it('the Prison API answers 404 on every path', async () => {
      const run = await broken('prisonApi', { respondWith: 'notFound' });
      expect(run.code).toBe(1);
      // A 404 where the person is known is the upstream breaking its contract (issue 12), not an outage.
      expect(run.summary).toMatchObject({ heartbeat: 'failed', errorCodes: ['UPSTREAM_INVALID_RESPONSE'] });
      expect(run.summary.message).toBe('answer carries errors: UPSTREAM_INVALID_RESPONSE at person.sentenceKeyDates (prison)');
      expect(run.stderr).toBe('');
    });

    it('the Delius integration API answers 404 on every path', async () => {
      const run = await broken('deliusIntegration', { respondWith: 'notFound' });
      expect(run.code).toBe(1);
      // The spec declares no 404 on the case routes and the CRN came from probation search: a contract fault (ADR 10, "404 per route").
      expect(run.summary).toMatchObject({ heartbeat: 'failed', errorCodes: ['UPSTREAM_INVALID_RESPONSE'] });
      expect(run.summary.message).toBe(
        'answer carries errors: UPSTREAM_INVALID_RESPONSE at person.responsibleOfficer.communityManager (probation); probation side not reached: no value at data.person.responsibleOfficer.communityManager.forename',
      );
    });

    it.each([
      ['refuses connections', { outage: true }, 'UPSTREAM_UNAVAILABLE'],
      ['redirects elsewhere', { respondWith: 'redirect' }, 'UPSTREAM_INVALID_RESPONSE'],
    ] as Array<[string, FaultConfig, string]>)('prisoner search %s', async (_name, fault, code) => {
      const run = await broken('prisonerSearch', fault);
      expect(run.code).toBe(1);
      expect(run.summary).toMatchObject({ heartbeat: 'failed', errorCodes: [code] });
      expect(String(run.summary.message)).toMatch(new RegExp(`^answer carries errors: ${code} at person\\.prison \\(prison\\), `));
      expect(String(run.summary.message)).toMatch(/; prison side not reached: no value at data\.person\.prison\.prisonId$/);
    });

    it('a partial answer fails it; with --allow-partial (or HEARTBEAT_ALLOW_PARTIAL) it passes, still naming the codes', async () => {
      const query =
        'query Beat($hmppsId: ID!) { person(hmppsId: $hmppsId) { firstName prison { prisonId } responsibleOfficer { communityManager { forename } } alerts(first: 1) { totalCount } } }';
      const partial = await broken('alerts', { outage: true }, [], { HEARTBEAT_QUERY: query });
      expect(partial.code).toBe(1);
      expect(partial.summary).toMatchObject({ message: 'answer carries errors: UPSTREAM_UNAVAILABLE at person.alerts (prison)', errorCodes: ['UPSTREAM_UNAVAILABLE'] });
      for (const [args, env] of [[['--allow-partial'], {}], [[], { HEARTBEAT_ALLOW_PARTIAL: 'true' }]] as Array<[string[], Record<string, string>]>) {
        const allowed = await broken('alerts', { outage: true }, args, { HEARTBEAT_QUERY: query, ...env });
        expect(allowed.code).toBe(0);
        expect(allowed.summary).toMatchObject({
          heartbeat: 'ok',
          errorCodes: ['UPSTREAM_UNAVAILABLE'],
          message: 'identity, prison, probation came back (partial answer allowed: UPSTREAM_UNAVAILABLE at person.alerts (prison))',
        });
      }
    });
  });

  it('refuses to run without SERVICE_URL', async () => {
    const run = await heartbeat({});
    expect(run.code).toBe(1);
    expect(run.summary).toEqual({ heartbeat: 'failed', message: 'configuration: SERVICE_URL is required' });
  });

  it('succeeds against `npm run dev` (simulators + stack.gateway) with a development certificate', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'pg-dev-stack.certs-'));
    const dev = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'dev.ts')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DEV_CERT_DIR: certDir,
        DEV_QUIET: 'true',
        SIMULATOR_PORT_BASE: '0',
        SIMULATOR_POPULATION: '500',
        CONSUMER_PORT: '0',
        MANAGEMENT_PORT: '0',
        DEV_LISTENER_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => dev.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('npm run dev did not print its GraphQL URL in time')), 30_000);
        createInterface({ input: dev.stdout }).on('line', (line) => {
          const m = /GraphQL \(mutual TLS\):\s+(https:\/\/localhost:\d+)\/graphql/.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`npm run dev exited with ${code}`)));
      });
      const read = (file: string) => b64(readFileSync(join(certDir, file), 'utf8'));
      const run = await heartbeat({
        SERVICE_URL: url,
        API_KEY: DEV_API_KEYS['dev-consumer'],
        MTLS_CERT: read('clients/dev-consumer.crt'),
        MTLS_KEY: read('clients/dev-consumer.key'),
        MTLS_CA: read('ca.crt'),
      });
      expect(run.code).toBe(0);
      expect(run.summary).toMatchObject({ heartbeat: 'ok', attempts: 1 });
    } finally {
      dev.kill('SIGTERM');
      const timer = setTimeout(() => dev.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(certDir, { recursive: true, force: true });
    }
  }, 60_000);
});
