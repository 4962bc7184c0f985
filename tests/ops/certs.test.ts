/**
 * The certificates command (scripts/certs.ts): issue a client certificate for a named consumer from a
 * CA, and check a folder for certificates expiring within N days (non-zero exit when any does).
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCertificates, createCa, issueClientCertificate, type KeyPair } from '../../scripts/certs.js';
import { REPO_ROOT } from '../../local-stack/simulators.js';

let dir: string;
let ca: KeyPair;

function certs(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'certs.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-certs-'));
  ca = createCa(join(dir, 'ca'), 'ca', 'Test Consumer CA');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run certs -- issue', () => {
  it('issues a client certificate for a named consumer, signed by the CA, valid for the days asked', () => {
    const run = certs('issue', 'acme-police', '--ca-cert', ca.cert, '--ca-key', ca.key, '--out', join(dir, 'issued'), '--days', '90');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim()) as { issued: string; cert: string; key: string; expiresAt: string };
    expect(summary.issued).toBe('acme-police');
    const cert = new X509Certificate(readFileSync(summary.cert));
    expect(cert.subject).toContain('CN=acme-police');
    expect(cert.verify(new X509Certificate(readFileSync(ca.cert)).publicKey)).toBe(true);
    expect(cert.keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
    expect(readFileSync(summary.key, 'utf8')).toContain('PRIVATE KEY');
  });

  it('refuses a consumer name that cannot be a certificate CN and policy key, and a missing CA', () => {
    expect(certs('issue', 'acme police', '--ca-cert', ca.cert, '--ca-key', ca.key).code).toBe(1);
    const missing = certs('issue', 'acme', '--ca-cert', join(dir, 'nope.crt'), '--ca-key', ca.key);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    expect(certs('issue').code).toBe(2);
  });
});

describe('npm run certs -- check', () => {
  it('reports the certificates expiring within N days and exits non-zero; exits 0 when none do', () => {
    const folder = join(dir, 'fleet');
    issueClientCertificate({ consumer: 'soon', ca, outDir: folder, days: 5 });
    issueClientCertificate({ consumer: 'later', ca, outDir: folder, days: 200 });
    writeFileSync(join(folder, 'notes.pem'), 'not a certificate');

    const within30 = certs('check', folder, '--within-days', '30');
    expect(within30.code).toBe(1);
    const summary = JSON.parse(within30.stdout.trim().split('\n').at(-1)!) as { checked: number; expiring: Array<{ commonName: string; daysLeft: number }> };
    expect(summary.checked).toBe(2);
    expect(summary.expiring).toEqual([{ commonName: 'soon', daysLeft: 4, expiresAt: expect.any(String), file: join(folder, 'soon.crt') }]);
    expect(within30.stdout).toMatch(/EXPIRING\s+4 days .* soon /);
    expect(within30.stderr).toContain('1 certificate(s) expire within 30 days');

    expect(certs('check', folder, '--within-days', '3').code).toBe(0);
    expect(certs('check', join(dir, 'no-such-folder')).code).toBe(1);
  });

  it('counts an expired certificate as expiring', () => {
    const statuses = checkCertificates(join(dir, 'fleet'), 30, new Date(Date.now() + 10 * 86_400_000));
    expect(statuses.find((s) => s.commonName === 'soon')).toMatchObject({ expiringSoon: true, daysLeft: expect.any(Number) });
    expect(statuses.find((s) => s.commonName === 'soon')!.daysLeft).toBeLessThan(0);
  });

  it('without arguments still makes the development certificates', () => {
    const run = certs(join(dir, 'dev'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('clients dev-consumer, police-dev');
  });
});
