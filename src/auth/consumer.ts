import type { TLSSocket } from 'node:tls';
import type { ConsumerGrant, Policy } from './policy.js';

/** Who is calling: the CN of a verified client certificate, and what the policy grants it (if anything). */
export interface Consumer {
  name: string;
  grant: ConsumerGrant | undefined;
}

export interface AuthContext {
  consumer: Consumer;
}

export type CertificateCheck =
  | { ok: true; commonName: string }
  | { ok: false; reason: string; presentedCommonName: string | null };

/**
 * Identity from mutual TLS. The listener asks for a certificate but does not abort the handshake
 * itself, so that a refusal can be logged with its reason and answered as a clear 401; the CN of a
 * certificate that did not verify is never trusted.
 */
export function checkClientCertificate(socket: TLSSocket): CertificateCheck {
  const cert = socket.getPeerCertificate();
  const presented = cert && Object.keys(cert).length > 0 ? firstValue(cert.subject?.CN) : null;
  if (!socket.authorized) {
    const reason = presented === null ? 'NO_CLIENT_CERTIFICATE' : String(socket.authorizationError ?? 'UNVERIFIED');
    return { ok: false, reason, presentedCommonName: presented };
  }
  if (!presented) return { ok: false, reason: 'CERTIFICATE_WITHOUT_CN', presentedCommonName: null };
  return { ok: true, commonName: presented };
}

/** A subject attribute is an array when it repeats; a consumer name must be one unambiguous CN. */
function firstValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value.length === 1 ? (value[0] ?? null) : null;
  return value ?? null;
}

export function consumerFor(name: string, policy: Policy): Consumer {
  return { name, grant: policy.consumer(name) };
}
