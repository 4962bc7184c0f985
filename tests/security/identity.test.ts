/**
 * Identity end to end: the real gateway process over HTTPS with real certificates (openssl), in
 * trusted-proxy mode as well as direct mutual TLS. Every refusal has its documented status and code,
 * is logged with its reason and counted, and no refused request reaches an upstream. Also: the
 * near-expiry warning and metric, and reloading the policy on SIGHUP (atomically; a bad file keeps
 * the old policy).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { client, createSecurityCertificates, sampleApiKey, type Identity, type SecurityCertificates } from '../../local-stack/consumer-identities.js';
import { upstreamCalls } from './support/harness.js';

const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
const QUERY = `{ person(hmppsId: "${linked.crn}") { firstName } }`;
const SAMPLE = readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8');

function policyWith(extra: string): string {
  return `${SAMPLE}\n${extra}\n`;
}

/** The sample policy with two revoked certificates; the SIGHUP tests rewrite it. */
function writeRevokingPolicy(dir: string, certs: SecurityCertificates): { file: string } {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, policyWith(`certificateRevocationList:\n  - "${certs.revoked.policeForce.serial}"\n  - "${certs.revoked.prisonOperator.serial}/prison-operator"`));
  return { file };
}

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: writeRevokingPolicy,
  // No background health checks while calls are counted (the token component's check fetches a real token).
  env: { POLICY_WATCH: 'false', TRUSTED_PROXY_CNS: 'api-gateway', API_KEY_MAX_FAILURES: '3', CERT_EXPIRY_WARNING_DAYS: '30', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});

const call = (identity: Partial<Identity> | undefined, headers: Record<string, string> = {}) =>
  client(stack.gateway.consumerUrl, { ca: stack.certs.ca, identity: identity as Identity | undefined, fresh: true }).gql(QUERY, undefined, undefined, headers);

const forwarded = (cn: string, serial: string, expiry: string) => ({
  'subject-distinguished-name': `C=GB,ST=London,L=London,O=Home Office,CN=${cn}`,
  'cert-serial-number': serial,
  'cert-expiry-date': expiry,
});
const decimal = (hex: string) => BigInt(`0x${hex}`).toString(10);
const FAR = 'Jan  1 00:00:00 2099 GMT';

/** Polls (no fixed sleeps) until `ok`, or gives the last value after `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T>, ok: (t: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Log lines arrive a moment after the response they describe. */
async function logged(from: number, match: (line: string) => boolean): Promise<boolean> {
  return eventually(async () => stack.gateway.logs.slice(from).some(match), (found) => found);
}

async function metrics(): Promise<string> {
  return (await fetch(`${stack.gateway.managementUrl}/metrics`)).text();
}

describe('direct mutual TLS', () => {
  it('a consumer with its certificate and API key gets data', async () => {
    const r = await call(stack.certs.consumers['police-force']);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { person: { firstName: linked.firstName } } });
  });

  type Case = [string, () => Partial<Identity> | undefined, Record<string, string>, number, string, string];
  const named = (c: Case): [string, Case] => [`${c[0]} -> ${c[3]} ${c[4]} (${c[5]})`, c];
  const cases: Case[] = [
    ['no client certificate', () => undefined, {}, 401, 'UNAUTHENTICATED', 'NO_CLIENT_CERTIFICATE'],
    ['a certificate from another CA (known CN, right key)', () => stack.certs.foreignCa, {}, 401, 'UNAUTHENTICATED', 'CERTIFICATE_UNTRUSTED'],
    ['an expired certificate', () => stack.certs.expired, {}, 401, 'UNAUTHENTICATED', 'CERTIFICATE_EXPIRED'],
    ['a certificate whose serial is revoked for everyone', () => stack.certs.revoked.policeForce, {}, 401, 'UNAUTHENTICATED', 'CERTIFICATE_REVOKED'],
    ['a certificate whose serial is revoked for its consumer', () => stack.certs.revoked.prisonOperator, {}, 401, 'UNAUTHENTICATED', 'CERTIFICATE_REVOKED'],
    ['a suspended consumer (right key)', () => stack.certs.consumers['suspended-supplier'], {}, 403, 'FORBIDDEN', 'CONSUMER_SUSPENDED'],
    ['a certificate the policy does not know', () => stack.certs.consumers['unknown-consumer'], {}, 403, 'FORBIDDEN', 'UNKNOWN_CONSUMER'],
    ['no API key', () => ({ ...stack.certs.consumers['police-force'], apiKey: undefined }), {}, 401, 'UNAUTHENTICATED', 'API_KEY_MISSING'],
    ['a wrong API key', () => ({ ...stack.certs.consumers['police-force'], apiKey: 'x'.repeat(40) }), {}, 401, 'UNAUTHENTICATED', 'API_KEY_INVALID'],
    ['another consumer’s API key', () => ({ ...stack.certs.consumers['police-force'], apiKey: sampleApiKey('prison-operator') }), {}, 401, 'UNAUTHENTICATED', 'API_KEY_INVALID'],
    ['proxy identity headers on a consumer’s own connection', () => stack.certs.consumers['prison-operator'], forwarded('police-force', '1', FAR), 401, 'UNAUTHENTICATED', 'PROXY_HEADERS_NOT_TRUSTED'],
  ];

  it.each(cases.map(named))('%s: logged with its reason, counted, no upstream call', async (_title, [, identity, headers, status, code, reason]) => {
    await stack.sims.resetCounters();
    const before = stack.gateway.logs.length;
    const r = await call(identity(), headers);
    expect({ status: r.status, code: r.body.errors?.[0]?.extensions?.code, data: r.body.data }).toEqual({ status, code, data: undefined });
    expect(r.raw).not.toContain(linked.firstName);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
    expect(await logged(before, (l) => l.includes('"event":"auth-refused"') && l.includes(`"reason":"${reason}"`))).toBe(true);
    expect(await metrics()).toMatch(new RegExp(`gateway_auth_refusals_total\\{reason="${reason}"\\} [1-9]`));
  });

  it('a certificate that did not verify: its CN is not logged as the consumer (the refusal line says unverified)', async () => {
    const before = stack.gateway.logs.length;
    const r = await call(stack.certs.foreignCa);
    expect(r.status).toBe(401);
    expect(await logged(before, (l) => l.includes('"reason":"CERTIFICATE_UNTRUSTED"'))).toBe(true);
    const line = stack.gateway.logs.slice(before).find((l) => l.includes('"reason":"CERTIFICATE_UNTRUSTED"'))!;
    expect(JSON.parse(line)).toMatchObject({ event: 'auth-refused', consumer: 'unverified' });
    expect(line).not.toContain('dev-consumer');
  });

  it('repeated wrong keys are throttled: 429 RATE_LIMITED with Retry-After, even for the right key', async () => {
    const explorer = stack.certs.consumers['schema-explorer']!;
    for (let i = 0; i < 3; i++) expect((await call({ ...explorer, apiKey: `wrong-${i}`.padEnd(40, '-') })).status).toBe(401);
    const r = await call(explorer);
    expect(r.status).toBe(429);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(await logged(0, (l) => l.includes('repeated wrong API keys') && l.includes('schema-explorer'))).toBe(true);
    expect(await metrics()).toMatch(/gateway_auth_refusals_total\{reason="API_KEY_THROTTLED"\} [1-9]/);
  });

  it('a certificate close to expiry works, is logged once and exported as days to expiry for its consumer', async () => {
    const before = stack.gateway.logs.length;
    expect((await call(stack.certs.expiringSoon)).status).toBe(200);
    expect((await call(stack.certs.expiringSoon)).status).toBe(200);
    await logged(before, (l) => l.includes('client certificate expires soon'));
    const warnings = stack.gateway.logs.slice(before).filter((l) => l.includes('client certificate expires soon'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ consumer: 'probation-partner', daysToExpiry: 5 });
    expect(await metrics()).toMatch(/gateway_client_certificate_expiry_days\{consumer="probation-partner",serial="[0-9A-F]+"\} 5\b/);
    expect(await metrics()).toMatch(/gateway_client_certificate_expiry_days\{consumer="police-force",serial="[0-9A-F]+"\} (29|30)\b/);
  });
});

describe('trusted proxy', () => {
  const viaProxy = (headers: Record<string, string>, apiKey = sampleApiKey('police-force')) => call({ ...stack.certs.proxy, apiKey }, headers);

  it('the proxy’s forwarded identity is honoured: the consumer named by the subject DN gets its data', async () => {
    const before = stack.gateway.logs.length;
    const r = await viaProxy(forwarded('police-force', decimal(stack.certs.consumers['police-force']!.serial), FAR));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { person: { firstName: linked.firstName } } });
    expect(await logged(before, (l) => l.includes('"event":"access"') && l.includes('"consumer":"police-force"'))).toBe(true);
  });

  const proxyCases: Array<[string, Record<string, string>, string, number, string]> = [
    ['without identity headers', {}, sampleApiKey('police-force'), 401, 'PROXY_HEADERS_INVALID'],
    ['with a DN that has no CN', { ...forwarded('x', '1', FAR), 'subject-distinguished-name': 'O=Home Office' }, sampleApiKey('police-force'), 401, 'PROXY_HEADERS_INVALID'],
    ['with an unreadable expiry date', forwarded('police-force', '1', 'soon'), sampleApiKey('police-force'), 401, 'PROXY_HEADERS_INVALID'],
    ['forwarding an expired certificate', forwarded('police-force', '1', 'Jan  1 00:00:00 2020 GMT'), sampleApiKey('police-force'), 401, 'CERTIFICATE_EXPIRED'],
    ['forwarding a revoked serial (decimal, as gateways send it)', forwarded('police-force', '0', FAR), sampleApiKey('police-force'), 401, 'CERTIFICATE_REVOKED'],
    ['forwarding a consumer with the wrong API key', forwarded('police-force', '1', FAR), sampleApiKey('prison-operator'), 401, 'API_KEY_INVALID'],
    ['forwarding a suspended consumer', forwarded('suspended-supplier', '1', FAR), sampleApiKey('suspended-supplier'), 403, 'CONSUMER_SUSPENDED'],
  ];
  it.each(proxyCases.map((c) => [`${c[0]} -> ${c[3]} (${c[4]})`, c] as const))('%s', async (_title, [, headers, apiKey, status, reason]) => {
    const h = { ...headers };
    if (reason === 'CERTIFICATE_REVOKED') h['cert-serial-number'] = decimal(stack.certs.revoked.policeForce.serial);
    await stack.sims.resetCounters();
    const before = stack.gateway.logs.length;
    const r = await viaProxy(h, apiKey);
    expect(r.status).toBe(status);
    expect(r.body.data).toBeUndefined();
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
    expect(await logged(before, (l) => l.includes(`"reason":"${reason}"`))).toBe(true);
  });
});

describe('policy reload (SIGHUP)', () => {
  async function infoHash(): Promise<string> {
    return ((await (await fetch(`${stack.gateway.managementUrl}/info`)).json()) as { policyHash: string }).policyHash;
  }
  it('applies a new policy at once, without a restart; a bad file keeps the old one and says why', async () => {
    const police = stack.certs.consumers['police-force']!;
    const firstHash = await infoHash();
    expect((await call(police)).status).toBe(200);

    writeFileSync(stack.policy.file, SAMPLE.replace(/( {2}police-force:\n {4}roles: \[[^\]]+\]\n)/, '$1    suspended: true\n'));
    process.kill(stack.gateway.pid, 'SIGHUP');
    const suspended = await eventually(() => call(police), (r) => r.status === 403);
    expect(suspended.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const secondHash = await infoHash();
    expect(secondHash).not.toBe(firstHash);
    expect(await logged(0, (l) => l.includes('"event":"policy-reload"') && l.includes('"outcome":"applied"'))).toBe(true);

    const before = stack.gateway.logs.length;
    writeFileSync(stack.policy.file, SAMPLE.replace('      - Person.hmppsId\n', '      - Person.shoeSize\n'));
    process.kill(stack.gateway.pid, 'SIGHUP');
    const rejected = await eventually(async () => stack.gateway.logs.slice(before).find((l) => l.includes('"outcome":"rejected"')), (l) => l !== undefined);
    expect(rejected).toContain('Person.shoeSize');
    expect(await infoHash()).toBe(secondHash);
    expect((await call(police)).status).toBe(403); // still the suspended version

    writeFileSync(stack.policy.file, SAMPLE);
    process.kill(stack.gateway.pid, 'SIGHUP');
    expect((await eventually(() => call(police), (r) => r.status === 200)).status).toBe(200);
    // The revocation list went with the file: the once-revoked certificate is accepted again.
    expect((await call(stack.certs.revoked.policeForce)).status).toBe(200);
  });
});
