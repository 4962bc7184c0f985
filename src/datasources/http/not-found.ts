import type { UpstreamName } from '../../config/index.js';

/**
 * Whether a 404 is the service's own "no such person / none" answer, as its spec declares it, or
 * something else standing where the service should be (docs/adr/0010, "A 404 is 'none' only with the
 * service's own body"). A server that does not have the route (a moved or misrouted upstream, a proxy,
 * a default backend) answers 404 too, but with its framework's default body (Spring Boot's
 * `{timestamp, status, error, path}`), an HTML page or nothing: that is a contract fault, not "none".
 *
 * The bodies the specs in ../shared/upstream-specs declare for a 404:
 * - every HMPPS service but manage-POM: `ErrorResponse` - `status` (integer, required) with
 *   `userMessage` / `developerMessage` (the message every HMPPS exception handler sets), optional
 *   `errorCode`, `moreInfo`. Accepted when `status` is 404 and at least one of the two messages is a
 *   string (Spring's default body has neither: its message is in `error`), unless the message is the
 *   one for a path the service does not serve (`noSuchRoute`);
 * - manage-POM (`dps-manage-pom.json`): `Status` - `{status: string, message: string}` and nothing else;
 * - the Prison API's image data route: a JSON string (`format: byte`); see `imageNotFound`.
 *
 * Reads the body text only; never logs it (it may carry person data).
 */
export function isNotFoundAnswer(upstream: UpstreamName, text: string): boolean {
  const body = parse(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const o = body as Record<string, unknown>;
  if (upstream === 'managePom') {
    return typeof o.status === 'string' && typeof o.message === 'string' && Object.keys(o).every((k) => k === 'status' || k === 'message');
  }
  return (
    o.status === 404 &&
    (typeof o.userMessage === 'string' || typeof o.developerMessage === 'string') &&
    !noSuchRoute(o.userMessage) &&
    !noSuchRoute(o.developerMessage) &&
    optional(o.errorCode, (v) => typeof v === 'string' || Number.isSafeInteger(v)) &&
    optional(o.moreInfo, (v) => typeof v === 'string')
  );
}

/**
 * An HMPPS service answers a path it does not serve with its own ErrorResponse too, from Spring's
 * NoResourceFoundException ("No static resource <path>."): another HMPPS service at this URL, or this
 * one without the route. That is not "no such person".
 */
function noSuchRoute(message: unknown): boolean {
  return typeof message === 'string' && message.includes('No static resource');
}

/** The Prison API's image routes declare a 404 body of a JSON string (`format: byte`), or its ErrorResponse. */
export function isImageNotFoundAnswer(text: string): boolean {
  return typeof parse(text) === 'string' || isNotFoundAnswer('prisonApi', text);
}

function optional(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

function parse(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
