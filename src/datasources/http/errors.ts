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
  auth: 'identity',
};

export type UpstreamFailure = 'unavailable' | 'timeout' | 'bad-response';

/**
 * An upstream call that failed. The message is for logs (no bodies, no person data); what reaches a
 * consumer is only `failure` and `area` (mapped to a GraphQL error by the resolvers).
 */
export class UpstreamError extends Error {
  constructor(
    readonly upstream: UpstreamName | 'auth',
    readonly route: string,
    readonly failure: UpstreamFailure,
    readonly status: number | null,
    detail: string,
  ) {
    super(`${upstream} ${route}: ${failure}${status ? ` (HTTP ${status})` : ''}: ${detail}`);
    this.name = 'UpstreamError';
  }

  get area(): DataArea {
    return UPSTREAM_AREA[this.upstream];
  }

  /** Worth retrying later: outages and timeouts are, a malformed answer is not. */
  get retryable(): boolean {
    return this.failure !== 'bad-response';
  }
}
