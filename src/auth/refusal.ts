import { errorBody, httpStatusOf, type ErrorCode } from '../errors/contract.js';

/**
 * Every way a request can be refused before GraphQL runs, with its code (the HTTP status is the
 * code's, src/errors/contract.ts). The table is documented in README.md (Security) and docs/adr/0005-consumer-security.md.
 */
export const REFUSALS = {
  NO_CLIENT_CERTIFICATE: { code: 'UNAUTHENTICATED', message: 'A client certificate issued to you by the service is required.' },
  CERTIFICATE_UNTRUSTED: { code: 'UNAUTHENTICATED', message: 'A client certificate issued to you by the service is required.' },
  CERTIFICATE_WITHOUT_CN: { code: 'UNAUTHENTICATED', message: 'The client certificate must carry exactly one common name (CN).' },
  CERTIFICATE_EXPIRED: { code: 'UNAUTHENTICATED', message: 'The client certificate has expired.' },
  CERTIFICATE_REVOKED: { code: 'UNAUTHENTICATED', message: 'The client certificate has been revoked.' },
  PROXY_HEADERS_NOT_TRUSTED: { code: 'UNAUTHENTICATED', message: 'Certificate identity headers are only accepted from the trusted proxy.' },
  PROXY_HEADERS_INVALID: { code: 'UNAUTHENTICATED', message: 'The proxy did not forward a readable client certificate identity.' },
  API_KEY_MISSING: { code: 'UNAUTHENTICATED', message: 'An API key (x-api-key header) is required.' },
  API_KEY_INVALID: { code: 'UNAUTHENTICATED', message: 'The API key is not valid for this client certificate.' },
  API_KEY_THROTTLED: { code: 'RATE_LIMITED', message: 'Too many requests with a wrong API key; retry later.' },
  UNKNOWN_CONSUMER: { code: 'FORBIDDEN', message: 'There is no access policy for this client certificate.' },
  CONSUMER_SUSPENDED: { code: 'FORBIDDEN', message: 'Access for this consumer is suspended.' },
  /** The development listener's fixed consumer (DEV_CONSUMER) is not in the policy in force. */
  DEV_CONSUMER_NOT_IN_POLICY: { code: 'FORBIDDEN', message: 'The development consumer (DEV_CONSUMER) is not in the policy in force.' },
  /** A request to the development listener that names a non-loopback Host or comes from a non-loopback Origin. */
  DEV_LISTENER_NOT_LOOPBACK: { code: 'FORBIDDEN', message: 'The development listener serves only pages and tools on this machine (loopback Host and Origin).' },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export type RefusalReason = keyof typeof REFUSALS;

/**
 * A refusal of `reason`. `consumer` is a verified identity (a CN from a certificate the consumer CA
 * issued, or one the trusted proxy forwarded), or null: the CN of a certificate that did not verify
 * is text anyone can choose, never a consumer name.
 */
export function refusal(reason: RefusalReason, consumer: string | null, detail: string | null): Refusal {
  const { code, message } = REFUSALS[reason];
  return { reason, status: httpStatusOf(code), code, message, consumer, detail };
}

export interface Refusal {
  reason: RefusalReason;
  status: number;
  code: ErrorCode;
  message: string;
  consumer: string | null;
  detail: string | null;
  retryAfterSeconds?: number;
}

/** The request's logger (it carries the request id). */
export interface RefusalLog {
  warn(fields: object, message: string): void;
}

/**
 * Auth's answer to a refused request: the log line (warn, never the API key or anything the
 * consumer sent beyond its certificate's CN) and the response (status, `Retry-After`, body).
 */
export function refusalResponse(refusal: Refusal, log: RefusalLog, remoteAddress: string) {
  const certificateProblem = refusal.reason.startsWith('CERTIFICATE') || refusal.reason === 'NO_CLIENT_CERTIFICATE';
  log.warn(
    { event: 'auth-refused', reason: refusal.reason, detail: refusal.detail, consumer: refusal.consumer ?? 'unverified', remoteAddress },
    certificateProblem ? 'client certificate refused' : 'request refused',
  );
  const retryAfter = refusal.retryAfterSeconds;
  return {
    status: refusal.status,
    headers: retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {},
    body: errorBody(refusal.code, refusal.message, retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}
