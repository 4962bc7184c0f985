/**
 * `npm run heartbeat` against the real gateway with a development client certificate and API key:
 * it succeeds, and fails (exit 1, one JSON line with a clear message) when the person has no
 * firstName, the certificate is wrong, or the service is down; a later attempt can still succeed.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEV_API_KEYS } from '../../local-stack/certs.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { freePort } from './support.js';
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

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

function heartbeat(env: Record<string, string>, onStderr: (text: string) => void = () => undefined): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'heartbeat.ts')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
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
    expect(run.summary).toMatchObject({ heartbeat: 'ok', hmppsId: linked.crn, attempts: 1, status: 200, requestId: expect.stringMatching(/^heartbeat-/) });
    // The value itself is person data: it is checked, never printed.
    expect(run.stdout + run.stderr).not.toContain(linked.firstName);
  });

  it('fails when the person has no firstName (here: nobody holds the id), saying so', async () => {
    const run = await heartbeat(devEnv({ HEARTBEAT_HMPPS_ID: known.unknown.crn }));
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ heartbeat: 'failed', attempts: 2, message: 'no value at data.person.firstName (errors: NOT_FOUND)' });
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
    const run = await heartbeat(devEnv({ HEARTBEAT_ATTEMPTS: '5', HEARTBEAT_INTERVAL_MS: '300' }), (stderr) => {
      // The upstream comes back while the heartbeat waits before its second attempt.
      if (!cleared && stderr.includes('attempt 1/5 failed')) {
        cleared = true;
        void stack.sims.setFault('probationSearch', {});
      }
    });
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ heartbeat: 'ok', attempts: 2 });
    expect(run.stderr).toContain('heartbeat attempt 1/5 failed: no value at data.person.firstName (errors: UPSTREAM_UNAVAILABLE)');
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
