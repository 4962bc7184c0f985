import type { TLSSocket } from 'node:tls';
import { logContextOf, type LogContext } from '../observability/log-context.js';
import type { Logger } from '../observability/logger.js';
import { matchApiKey, type ApiKeyThrottle } from './api-keys.js';
import { commonNameOf, daysUntil, normaliseSerial, parseCertificateDate } from './certificates.js';
import type { ConsumerGrant, Policy } from './policy.js';
import { refusal, type Refusal, type RefusalReason } from './refusal.js';

/** Who is calling, and what the policy in force when the request arrived grants it. */
export interface Consumer {
  name: string;
  grant: ConsumerGrant;
  /** The policy version the grant comes from (a request keeps one version to its end). */
  policy: Policy;
  /** The serial of the certificate that identified it (null on the development listener), for the disclosure ledger. */
  certificateSerial?: string | null;
}

export interface AuthContext {
  consumer: Consumer;
}

/** What the TLS handshake established about a connection (computed once per socket). */
export type PeerCertificate =
  | { ok: true; commonName: string; serial: string | null; expiresAt: Date | null }
  | { ok: false; reason: RefusalReason; detail: string | null };

export type AuthResult = { ok: true; consumer: Consumer; via: 'direct' | 'proxy' } | { ok: false; refusal: Refusal };

/** Hooks for metrics (issue 5's registry): refusals by reason, certificate days-to-expiry by consumer. */
export interface AuthObserver {
  refused(reason: RefusalReason, consumer: string | null): void;
  /** Days to expiry of a verified certificate, identified by consumer and serial (two certificates may share a CN). */
  certificateExpiry(consumer: string, serial: string, days: number): void;
  /** A policy reload was applied or rejected (the old policy stays). */
  policyReloaded?(outcome: 'applied' | 'rejected'): void;
}

export const PROXY_HEADERS = ['subject-distinguished-name', 'cert-serial-number', 'cert-expiry-date'] as const;

/**
 * The handshake result for a socket. The listener asks for a certificate without aborting the
 * handshake itself (so that a refusal is logged with its reason and answered as a clear 401); the
 * CN of a certificate that did not verify is neither trusted nor logged (anyone can choose it).
 */
export function checkClientCertificate(socket: TLSSocket): PeerCertificate {
  const cert = socket.getPeerCertificate();
  const present = cert && Object.keys(cert).length > 0;
  const presented = present ? firstValue(cert.subject?.CN) : null;
  if (!socket.authorized) {
    const detail = String(socket.authorizationError ?? 'UNVERIFIED');
    if (!present) return { ok: false, reason: 'NO_CLIENT_CERTIFICATE', detail };
    return { ok: false, reason: detail === 'CERT_HAS_EXPIRED' ? 'CERTIFICATE_EXPIRED' : 'CERTIFICATE_UNTRUSTED', detail };
  }
  if (!presented) return { ok: false, reason: 'CERTIFICATE_WITHOUT_CN', detail: null };
  return {
    ok: true,
    commonName: presented,
    serial: cert.serialNumber ? normaliseSerial(cert.serialNumber, 'hex') : null,
    expiresAt: cert.valid_to ? parseCertificateDate(cert.valid_to) : null,
  };
}

/** A subject attribute is an array when it repeats; a consumer name must be one unambiguous CN. */
function firstValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value.length === 1 ? (value[0] ?? null) : null;
  return value ?? null;
}

export interface AuthenticatorOptions {
  /** CNs of the trusted proxy's own client certificates; empty = no proxy mode. */
  trustedProxyCommonNames: readonly string[];
  /** Certificates expiring within this many days are logged (once a day per consumer). */
  expiryWarningDays: number;
  throttle: ApiKeyThrottle;
  observer?: AuthObserver;
  logger: Logger;
  now?: () => Date;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Identity, then the consumer's standing, then its API key, in that order:
 * certificate (direct, or forwarded by the trusted proxy) -> revoked? -> expired? -> known to the
 * policy? -> throttled after wrong keys? -> API key -> suspended?
 */
export class Authenticator {
  private readonly warnedOn = new Map<string, string>();
  private readonly now: () => Date;

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** `context`: the request's ids, for the lines written about it (certificate expiry, throttling). */
  authenticate(peer: PeerCertificate, headers: Headers, policy: Policy, context?: Partial<LogContext>): AuthResult {
    // The CN of a certificate that did not verify is not an identity: refused as nobody in particular.
    if (!peer.ok) return this.refuse(peer.reason, null, peer.detail);
    const forwarded = PROXY_HEADERS.some((h) => headers[h] !== undefined);
    const viaProxy = this.options.trustedProxyCommonNames.includes(peer.commonName);

    let name: string;
    let serial: string | null;
    let expiresAt: Date | null;
    if (viaProxy) {
      if (peer.serial !== null && policy.isRevoked(peer.serial, peer.commonName)) {
        return this.refuse('CERTIFICATE_REVOKED', null, `proxy ${peer.commonName} serial ${peer.serial}`);
      }
      const identity = this.forwardedIdentity(headers);
      if (!identity) return this.refuse('PROXY_HEADERS_INVALID', null, `proxy ${peer.commonName}`);
      ({ name, serial, expiresAt } = identity);
    } else {
      if (forwarded) return this.refuse('PROXY_HEADERS_NOT_TRUSTED', peer.commonName, null);
      ({ commonName: name, serial, expiresAt } = peer);
    }

    if (serial !== null && policy.isRevoked(serial, name)) return this.refuse('CERTIFICATE_REVOKED', name, `serial ${serial}`);
    const now = this.now();
    if (expiresAt !== null) {
      if (expiresAt.getTime() <= now.getTime()) return this.refuse('CERTIFICATE_EXPIRED', name, expiresAt.toISOString());
      this.noteExpiry(name, serial, expiresAt, now, context);
    }

    const grant = policy.consumer(name);
    if (!grant) return this.refuse('UNKNOWN_CONSUMER', name, null);

    const throttled = this.throttled(name);
    if (throttled) return throttled;
    const presented = single(headers['x-api-key']);
    if (!presented) return this.refuse('API_KEY_MISSING', name, null);
    const keyId = presented.length <= 512 ? matchApiKey(presented, grant.apiKeys) : null;
    if (keyId === null) {
      const lockedOut = this.options.throttle.fail(name);
      if (lockedOut) {
        this.options.logger.warn({ ...logContextOf(context), event: 'auth', consumer: name, reason: 'API_KEY_THROTTLED' }, 'repeated wrong API keys; consumer throttled');
      }
      return this.refuse('API_KEY_INVALID', name, null);
    }
    this.options.throttle.succeed(name);

    if (grant.suspended) return this.refuse('CONSUMER_SUSPENDED', name, null);
    return { ok: true, consumer: { name, grant, policy, certificateSerial: serial }, via: viaProxy ? 'proxy' : 'direct' };
  }

  /**
   * The development listener's fixed consumer (no certificate, loopback only). Its standing applies
   * as on the consumer listener (in the policy, not suspended, not throttled); and the request must
   * name a loopback Host and come from a loopback Origin, so that a page elsewhere cannot use it
   * through the developer's browser (DNS rebinding, cross-site requests).
   */
  authenticateDevelopment(name: string, headers: Headers, policy: Policy): AuthResult {
    if (!isLoopbackHost(single(headers.host)) || (headers.origin !== undefined && !isLoopbackOrigin(single(headers.origin)))) {
      return this.refuse('DEV_LISTENER_NOT_LOOPBACK', null, null);
    }
    const grant = policy.consumer(name);
    if (!grant) return this.refuse('DEV_CONSUMER_NOT_IN_POLICY', name, null);
    const throttled = this.throttled(name);
    if (throttled) return throttled;
    if (grant.suspended) return this.refuse('CONSUMER_SUSPENDED', name, null);
    return { ok: true, consumer: { name, grant, policy }, via: 'direct' };
  }

  /** Refused while locked out after repeated wrong API keys, with the seconds left. */
  private throttled(name: string): AuthResult | null {
    const lockedMs = this.options.throttle.lockedFor(name);
    if (lockedMs <= 0) return null;
    const result = this.refuse('API_KEY_THROTTLED', name, null);
    if (!result.ok) result.refusal.retryAfterSeconds = Math.ceil(lockedMs / 1000);
    return result;
  }

  private forwardedIdentity(headers: Headers): { name: string; serial: string; expiresAt: Date } | null {
    const dn = single(headers['subject-distinguished-name']);
    const serialText = single(headers['cert-serial-number']);
    const expiryText = single(headers['cert-expiry-date']);
    if (!dn || !serialText || !expiryText) return null;
    const name = commonNameOf(dn);
    const serial = normaliseSerial(serialText);
    const expiresAt = parseCertificateDate(expiryText);
    if (!name || !serial || !expiresAt) return null;
    return { name, serial, expiresAt };
  }

  private noteExpiry(consumer: string, serial: string | null, expiresAt: Date, now: Date, context: Partial<LogContext> | undefined): void {
    const days = daysUntil(expiresAt, now);
    this.options.observer?.certificateExpiry(consumer, serial ?? 'unknown', days);
    if (days > this.options.expiryWarningDays) return;
    const today = now.toISOString().slice(0, 10);
    if (this.warnedOn.get(consumer) === today) return;
    this.warnedOn.set(consumer, today);
    this.options.logger.warn(
      { ...logContextOf(context), event: 'certificate-expiry', consumer, daysToExpiry: days, expiresAt: expiresAt.toISOString() },
      'client certificate expires soon',
    );
  }

  private refuse(reason: RefusalReason, consumer: string | null, detail: string | null): AuthResult {
    this.options.observer?.refused(reason, consumer);
    return { ok: false, refusal: refusal(reason, consumer, detail) };
  }
}

function single(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return null;
  const v = value?.trim();
  return v ? v : null;
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `Host` as a browser sends it to a loopback listener: `localhost`, `127.0.0.1` or `[::1]`, with a port. */
function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d{1,5})?$/.exec(host.toLowerCase());
  return !!m && (LOOPBACK_HOSTNAMES.has(m[1]!) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(m[1]!));
}

function isLoopbackOrigin(origin: string | null): boolean {
  if (!origin) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}
