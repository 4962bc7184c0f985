/**
 * A consumer onboarding end to end, against the real gateway over mutual TLS:
 * - the consumer makes its own key and CSR with openssl; the service team signs the CSR with
 *   `npm run certs -- sign` (the private key never leaves the consumer); the certificate works for a query;
 * - `sign` refuses a CSR whose CN is not the consumer, and one whose signature does not verify;
 * - the consumer guide's first curl, run exactly as written in docs/consumers.md.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_API_KEYS } from '../../local-stack/certs.js';
import { postGraphQL } from '../../local-stack/https.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

const stack = useGatewayStack();
const work = mkdtempSync(join(tmpdir(), 'pg-onboarding-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

/** The consumer's side: its own key and a CSR, made with openssl in its own folder. */
function consumerCsr(folder: string, subject: string): { key: string; csr: string } {
  const dir = join(work, folder);
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'client.key'], { cwd: dir });
  execFileSync('openssl', ['req', '-new', '-key', 'client.key', '-out', 'client.csr', '-subj', subject], { cwd: dir });
  return { key: join(dir, 'client.key'), csr: join(dir, 'client.csr') };
}

/** The service team's side: `npm run certs -- sign ...` with the stack's consumer CA. */
function sign(...args: string[]) {
  const caKey = join(stack.certs.dir, 'ca.key');
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'certs.ts'), 'sign', '--ca-cert', stack.certs.caFile, '--ca-key', caKey, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run certs -- sign: a consumer CSR signed by the consumer CA', () => {
  it('signs the CSR of the named consumer; the certificate (with the consumer\'s own key) queries over mTLS', async () => {
    const { key, csr } = consumerCsr('police', '/O=Example Police Force/CN=police-dev');
    const out = join(work, 'signed');
    const run = sign('--csr', csr, '--consumer', 'police-dev', '--days', '30', '--out', out, '--role', 'person-name-only');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const certFile = join(out, 'police-dev.crt');
    const cert = new X509Certificate(readFileSync(certFile));
    expect(cert.subject).toContain('CN=police-dev');
    expect(cert.verify(new X509Certificate(stack.certs.ca).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(key)))).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth only
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
    // Serial, expiry and the policy entry to add.
    expect(run.stdout).toContain(`serial:  ${cert.serialNumber}`);
    expect(run.stdout).toContain(`expires: ${new Date(cert.validTo).toISOString()}`);
    expect(run.stdout).toMatch(/^consumers:\n {2}police-dev:\n {4}roles: \[person-name-only\]\n {4}apiKeys:$/m);
    expect(run.stdout).toContain(`certificateRevocationList: ["${cert.serialNumber}/police-dev"]`);
    expect(existsSync(join(out, 'police-dev.key'))).toBe(false); // no key is made or copied on the signing side

    const result = await postGraphQL(
      stack.gateway.consumerUrl,
      { query: 'query Who($id: ID!) { person(hmppsId: $id) { hmppsId firstName } }', variables: { id: linked.prisonNumber }, operationName: 'Who' },
      { ca: stack.certs.ca, cert: readFileSync(certFile, 'utf8'), key: readFileSync(key, 'utf8'), apiKey: DEV_API_KEYS['police-dev'] },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect((result.body.data?.person as { firstName: string }).firstName).toBe(linked.firstName);
  });

  it('refuses a CSR whose CN is not the consumer, and writes nothing', () => {
    const { csr } = consumerCsr('impostor', '/O=Someone/CN=dev-consumer');
    const out = join(work, 'refused');
    const run = sign('--csr', csr, '--consumer', 'police-dev', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the CSR\'s CN is "dev-consumer", not the consumer "police-dev"');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a CSR whose signature does not verify (altered after the consumer signed it)', () => {
    const { csr } = consumerCsr('tampered', '/O=Example/CN=police-dev');
    const der = execFileSync('openssl', ['req', '-in', csr, '-outform', 'DER']);
    der.writeUInt8(der.readUInt8(der.length - 5) ^ 0xff, der.length - 5); // inside the signature
    const bad = join(work, 'tampered', 'bad.csr');
    writeFileSync(bad, der);
    const pem = execFileSync('openssl', ['req', '-inform', 'DER', '-in', bad, '-outform', 'PEM'], { stdio: ['ignore', 'pipe', 'ignore'] });
    writeFileSync(bad, pem);
    const run = sign('--csr', bad, '--consumer', 'police-dev', '--out', join(work, 'tampered-out'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the CSR's signature does not verify");
    expect(existsSync(join(work, 'tampered-out'))).toBe(false);
  });
});

describe('docs/consumers.md: the first curl', () => {
  it('works exactly as written (with the files and variables the guide names)', () => {
    const guide = readFileSync(join(REPO_ROOT, 'docs', 'consumers.md'), 'utf8');
    const command = /```sh\n(curl [\s\S]*?)```/.exec(guide)?.[1];
    expect(command).toBeDefined();
    // The consumer's folder: its key and certificate, and the server's CA from the service team.
    const dir = mkdtempSync(join(work, 'consumer-'));
    writeFileSync(join(dir, 'client.key'), stack.certs.client.policeDev.key);
    writeFileSync(join(dir, 'client.crt'), stack.certs.client.policeDev.cert);
    copyFileSync(stack.certs.caFile, join(dir, 'person-graph-ca.crt'));
    const port = new URL(stack.gateway.consumerUrl).port;
    const run = spawnSync('bash', ['-c', command!], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', API_KEY: DEV_API_KEYS['police-dev'], PERSON_GRAPH_URL: `https://localhost:${port}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { data: { person: { hmppsId: string; firstName: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.person.firstName).toBe(linked.firstName);
    expect(guide).toContain(`"variables":{"id":"${linked.prisonNumber}"}`);
  });
});
