/** Identity pieces in process: API key hashes, certificate facts, and the order of the checks. */
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { ApiKeyThrottle, generateApiKey, hashApiKey, matchApiKey, parseStoredKey } from '../../src/auth/api-keys.js';
import { commonNameOf, daysUntil, normaliseSerial, parseCertificateDate } from '../../src/auth/certificates.js';
import { Authenticator, type PeerCertificate } from '../../src/auth/consumer.js';
import type { RefusalReason } from '../../src/auth/refusal.js';
import { buildPolicy } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';

describe('API keys', () => {
  it('are stored as salted SHA-256 and matched only by the right key', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^pgk_[A-Za-z0-9_-]{43}$/);
    const stored = hashApiKey(key);
    expect(stored).toMatch(/^sha256:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(key);
    expect(hashApiKey(key)).not.toBe(stored); // fresh salt each time
    const parsed = [parseStoredKey(stored, 'a')!, parseStoredKey(hashApiKey(generateApiKey()), 'b')!];
    expect(matchApiKey(key, parsed)).toBe('a');
    expect(matchApiKey(`${key}x`, parsed)).toBeNull();
    expect(matchApiKey(key.slice(0, -1), parsed)).toBeNull();
    expect(matchApiKey('', parsed)).toBeNull();
  });

  it('refuses short keys and malformed stored hashes', () => {
    expect(() => hashApiKey('short')).toThrow(/at least 32/);
    expect(parseStoredKey('sha256:abc:def', 'x')).toBeNull();
    expect(parseStoredKey('md5:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x')).toBeNull();
  });

  it('throttle: locks a consumer out after repeated failures, then lets it try again', () => {
    let now = 0;
    const throttle = new ApiKeyThrottle({ maxFailures: 3, windowMs: 1000, lockoutMs: 5000 }, () => now);
    expect(throttle.fail('c')).toBe(false);
    expect(throttle.fail('c')).toBe(false);
    expect(throttle.lockedFor('c')).toBe(0);
    expect(throttle.fail('c')).toBe(true);
    expect(throttle.lockedFor('c')).toBe(5000);
    expect(throttle.lockedFor('other')).toBe(0);
    now = 5001;
    expect(throttle.lockedFor('c')).toBe(0);
    // Failures spread beyond the window do not add up.
    throttle.fail('d');
    now += 2000;
    throttle.fail('d');
    now += 2000;
    expect(throttle.fail('d')).toBe(false);
  });
});

describe('certificate facts', () => {
  it('reads the CN of a distinguished name in either order, with escapes; refuses none or several', () => {
    expect(commonNameOf('C=GB,ST=London,L=London,O=Home Office,CN=police-force')).toBe('police-force');
    expect(commonNameOf('CN=police-force,OU=consumers,O=Person Graph')).toBe('police-force');
    expect(commonNameOf('/O=Person Graph/OU=consumers/CN=police-force')).toBe('police-force');
    expect(commonNameOf('O=Acme\\, Ltd,CN=acme')).toBe('acme');
    expect(commonNameOf('O=Acme,OU=x')).toBeNull();
    expect(commonNameOf('CN=a,CN=b')).toBeNull();
    expect(commonNameOf('CN=')).toBeNull();
  });

  it('normalises serial numbers: decimal from a proxy, hex with or without colons', () => {
    expect(normaliseSerial('660226')).toBe('A1302');
    expect(normaliseSerial('0A:13:02')).toBe('A1302');
    expect(normaliseSerial('a1302')).toBe('A1302');
    expect(normaliseSerial('0a1302', 'hex')).toBe('A1302');
    expect(normaliseSerial('xyz')).toBeNull();
    expect(normaliseSerial('')).toBeNull();
  });

  it('parses OpenSSL and ISO expiry dates; counts whole days', () => {
    expect(parseCertificateDate('Jan  1 00:00:00 2027 GMT')?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(parseCertificateDate('Dec 31 23:59:59 2026 GMT')?.toISOString()).toBe('2026-12-31T23:59:59.000Z');
    expect(parseCertificateDate('2027-01-01T00:00:00Z')?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(parseCertificateDate('next tuesday')).toBeNull();
    expect(daysUntil(new Date('2027-01-11T00:00:00Z'), new Date('2027-01-01T12:00:00Z'))).toBe(9);
  });
});

describe('the order of the checks', () => {
  const schema = buildSchema();
  const key = 'k'.repeat(40);
  const policy = buildPolicy(
    't',
    {
      roles: { r: { grants: ['Query.person'] } },
      consumers: {
        good: { roles: ['r'], apiKeys: [hashApiKey(key)] },
        paused: { roles: ['r'], apiKeys: [hashApiKey(key)], suspended: true },
      },
      certificateRevocationList: ['BAD1', 'BAD2/good', 'BAD3/someone-else'],
    },
    schema,
  );
  const now = new Date('2027-01-01T00:00:00Z');
  const seen: unknown[][] = [];
  const auth = () =>
    new Authenticator({
      trustedProxyCommonNames: ['api-gateway'],
      expiryWarningDays: 30,
      throttle: new ApiKeyThrottle({ maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000 }),
      observer: { refused: (r, c) => seen.push([r, c]), certificateExpiry: (c, serial, d) => seen.push([c, serial, d]) },
      logger: pino({ level: 'silent' }),
      now: () => now,
    });
  const peer = (cn: string, serial = 'ABC', expires = '2027-06-01T00:00:00Z'): PeerCertificate => ({ ok: true, commonName: cn, serial, expiresAt: new Date(expires) });
  const reason = (r: ReturnType<Authenticator['authenticate']>): RefusalReason | 'OK' => (r.ok ? 'OK' : r.refusal.reason);

  it.each<[string, PeerCertificate, Record<string, string>, RefusalReason | 'OK']>([
    ['a good certificate and key', peer('good'), { 'x-api-key': key }, 'OK'],
    ['no certificate', { ok: false, reason: 'NO_CLIENT_CERTIFICATE', detail: null }, { 'x-api-key': key }, 'NO_CLIENT_CERTIFICATE'],
    ['a serial revoked for everyone', peer('good', 'BAD1'), { 'x-api-key': key }, 'CERTIFICATE_REVOKED'],
    ['a serial revoked for this consumer', peer('good', 'BAD2'), { 'x-api-key': key }, 'CERTIFICATE_REVOKED'],
    ['a serial revoked for another consumer only', peer('good', 'BAD3'), { 'x-api-key': key }, 'OK'],
    ['an expired certificate (belt and braces behind TLS)', peer('good', 'ABC', '2026-12-31T23:59:59Z'), { 'x-api-key': key }, 'CERTIFICATE_EXPIRED'],
    ['a consumer the policy does not know', peer('stranger'), { 'x-api-key': key }, 'UNKNOWN_CONSUMER'],
    ['no API key', peer('good'), {}, 'API_KEY_MISSING'],
    ['a wrong API key', peer('good'), { 'x-api-key': 'j'.repeat(40) }, 'API_KEY_INVALID'],
    ['a suspended consumer with the right key', peer('paused'), { 'x-api-key': key }, 'CONSUMER_SUSPENDED'],
    ['proxy headers on a direct connection', peer('good'), { 'x-api-key': key, 'subject-distinguished-name': 'CN=paused' }, 'PROXY_HEADERS_NOT_TRUSTED'],
    ['the proxy without identity headers', peer('api-gateway'), { 'x-api-key': key }, 'PROXY_HEADERS_INVALID'],
    ['the proxy with a DN without CN', peer('api-gateway'), { 'x-api-key': key, 'subject-distinguished-name': 'O=x', 'cert-serial-number': '1', 'cert-expiry-date': 'Jan  1 00:00:00 2028 GMT' }, 'PROXY_HEADERS_INVALID'],
    ['the proxy forwarding a good consumer', peer('api-gateway'), { 'x-api-key': key, 'subject-distinguished-name': 'C=GB,O=Home Office,CN=good', 'cert-serial-number': '1234', 'cert-expiry-date': 'Jan  1 00:00:00 2028 GMT' }, 'OK'],
    ['the proxy forwarding a revoked serial (decimal)', peer('api-gateway'), { 'x-api-key': key, 'subject-distinguished-name': 'CN=good', 'cert-serial-number': String(0xbad1), 'cert-expiry-date': 'Jan  1 00:00:00 2028 GMT' }, 'CERTIFICATE_REVOKED'],
    ['the proxy forwarding an expired certificate', peer('api-gateway'), { 'x-api-key': key, 'subject-distinguished-name': 'CN=good', 'cert-serial-number': '1', 'cert-expiry-date': 'Jan  1 00:00:00 2026 GMT' }, 'CERTIFICATE_EXPIRED'],
    ['a revoked proxy certificate', peer('api-gateway', 'BAD1'), { 'x-api-key': key, 'subject-distinguished-name': 'CN=good', 'cert-serial-number': '1', 'cert-expiry-date': 'Jan  1 00:00:00 2028 GMT' }, 'CERTIFICATE_REVOKED'],
  ])('%s', (_name, p, headers, expected) => {
    expect(reason(auth().authenticate(p, headers, policy))).toBe(expected);
  });

  it('throttles repeated wrong keys, even when the right key comes next, and reports Retry-After', () => {
    const a = auth();
    for (let i = 0; i < 3; i++) expect(reason(a.authenticate(peer('good'), { 'x-api-key': 'wrong-key' }, policy))).toBe('API_KEY_INVALID');
    const locked = a.authenticate(peer('good'), { 'x-api-key': key }, policy);
    expect(locked.ok).toBe(false);
    if (!locked.ok) {
      expect(locked.refusal).toMatchObject({ reason: 'API_KEY_THROTTLED', status: 429, code: 'RATE_LIMITED' });
      expect(locked.refusal.retryAfterSeconds).toBe(60);
    }
  });

  it('reports days to expiry per verified certificate (consumer and serial) and counts refusals by reason', () => {
    seen.length = 0;
    const a = auth();
    a.authenticate(peer('good', 'ABC', '2027-01-11T00:00:00Z'), { 'x-api-key': key }, policy);
    a.authenticate(peer('good'), {}, policy);
    expect(seen).toEqual([['good', 'ABC', 10], ['good', 'ABC', 151], ['API_KEY_MISSING', 'good']]);
  });

  it('a proxy-forwarded certificate does not overwrite the expiry of another certificate with the same CN', () => {
    seen.length = 0;
    const a = auth();
    a.authenticate(peer('good', 'ABC', '2027-01-11T00:00:00Z'), { 'x-api-key': key }, policy);
    a.authenticate(peer('api-gateway'), { 'x-api-key': key, 'subject-distinguished-name': 'CN=good', 'cert-serial-number': '1234', 'cert-expiry-date': 'Jan  1 00:00:00 2028 GMT' }, policy);
    expect(seen).toEqual([['good', 'ABC', 10], ['good', '4D2', 365]]); // serials as upper-case hex, however forwarded
  });

  it('the CN of a certificate that did not verify is never reported as the consumer', () => {
    seen.length = 0;
    const r = auth().authenticate({ ok: false, reason: 'CERTIFICATE_UNTRUSTED', detail: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, { 'x-api-key': key }, policy);
    expect(r.ok ? null : r.refusal.consumer).toBeNull();
    expect(seen).toEqual([['CERTIFICATE_UNTRUSTED', null]]);
  });
});
