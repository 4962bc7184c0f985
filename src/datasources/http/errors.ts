import type { UpstreamName } from '../../config/index.js';

/** Which half of a person an upstream feeds: consumers see this, never the upstream's name or host. */
export type DataArea = 'prison' | 'probation' | 'identity';

export const UPSTREAM_AREA: Record<UpstreamName | 'auth', DataArea> = {
  prisonApi: 'prison',
  prisonerSearch: 'prison',
  alerts: 'prison',
  managePom: 'prison',
  probationSearch: 'probation',
  deliusIntegration: 'probation',
  personRecord: 'identity',
  arns: 'probation',
  cvl: 'probation',
  caseNotes: 'prison',
  adjudications: 'prison',
  incentives: 'prison',
  healthAndMedication: 'prison',
  nonAssociations: 'prison',
  personalRelationships: 'prison',
  prisonVisits: 'prison',
  auth: 'identity',
};

/**
 * How an upstream call failed: `unavailable` and `timeout` are upstream faults (5xx, 429, refused,
 * reset, truncated, too slow); `bad-response` is a contract fault: the upstream answered, but not as
 * its contract says (see ContractReason). A consumer sees UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT and
 * UPSTREAM_INVALID_RESPONSE respectively.
 */
export type UpstreamFailure = 'unavailable' | 'timeout' | 'bad-response';

/**
 * Why an answer broke its upstream's contract: the `reason` label of
 * `gateway_upstream_contract_violations_total`.
 * - `redirect`: a 3xx that was not followed (elsewhere, or too many hops);
 * - `unexpected_status`: a 4xx the route does not declare (a 404 where 404 does not mean "no such
 *   person", 400, 403, 422, a 401 after a fresh token...), or another non-2xx status below 500;
 * - `not_json`: a 2xx body that is not JSON (HTML from a proxy, truncated JSON);
 * - `empty`: a 2xx with no body (or JSON `null`) where the route declares a body;
 * - `shape`: JSON of another shape or with fields of other types than the spec declares;
 * - `value`: a field of the right type outside its format or domain (an id that is not an id, a
 *   negative height, an end before its start);
 * - `too_large`: a body over the size cap (`UPSTREAM_MAX_RESPONSE_BYTES`), aborted while it streamed.
 */
export type ContractReason = 'redirect' | 'unexpected_status' | 'not_json' | 'empty' | 'shape' | 'value' | 'too_large';

/**
 * An upstream call that failed. The message is for logs (no bodies, no person data); what reaches a
 * consumer is only `failure` and `area` (mapped to a GraphQL error by the resolvers).
 */
/** The error of one key whose entry in a batch answer broke the contract (UPSTREAM_INVALID_RESPONSE). */
export function invalidItem(upstream: UpstreamName | 'auth', route: string): UpstreamError {
  return new UpstreamError(upstream, route, 'bad-response', 200, 'entry for this key broke the contract', 'value');
}

export class UpstreamError extends Error {
  constructor(
    readonly upstream: UpstreamName | 'auth',
    readonly route: string,
    readonly failure: UpstreamFailure,
    readonly status: number | null,
    detail: string,
    /** Set exactly when `failure` is `bad-response`. */
    readonly reason?: ContractReason,
    /** An upstream fault no retry can help (the token endpoint refusing the configured credentials). */
    private readonly permanent = false,
  ) {
    super(`${upstream} ${route}: ${failure}${status ? ` (HTTP ${status})` : ''}: ${detail}`);
    this.name = 'UpstreamError';
  }

  get area(): DataArea {
    return UPSTREAM_AREA[this.upstream];
  }

  /** A contract fault: the upstream answered, not as its contract says. */
  get contractFault(): boolean {
    return this.failure === 'bad-response';
  }

  /** Worth retrying later: outages and timeouts are, a malformed answer or refused credentials are not. */
  get retryable(): boolean {
    return this.failure !== 'bad-response' && !this.permanent;
  }
}
