import type { UpstreamName } from '../../config/index.js';

export interface RetryOptions {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** Backoff before retry n (0-based) is a random delay in [0, min(maxDelayMs, baseDelayMs * 2^n)]. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * POST routes that only read: batch look-ups and searches that take their criteria in a body
 * because a query string would be too long. Repeating one changes nothing upstream, so they are
 * retried like GETs. Every other POST (the upstream specs also hold creating and syncing routes)
 * is never retried: deny by default. Keys are `<upstream> <route template>`, as in CallOptions.
 */
export const READ_ONLY_POST_ROUTES: ReadonlySet<string> = new Set([
  // DPS prisoner search
  'prisonerSearch POST /prisoner-search/prisoner-numbers',
  'prisonerSearch POST /prisoner-search/booking-ids',
  'prisonerSearch POST /prisoner-search/match-prisoners',
  'prisonerSearch POST /prisoner-search/possible-matches',
  'prisonerSearch POST /prisoner-search/match',
  'prisonerSearch POST /attribute-search',
  'prisonerSearch POST /global-search',
  'prisonerSearch POST /keyword',
  'prisonerSearch POST /match-prisoners',
  'prisonerSearch POST /prisoner-detail',
  // DPS alerts
  'alerts POST /search/alerts/prison-numbers',
  // Delius probation search
  'probationSearch POST /crns',
  'probationSearch POST /nomsNumbers',
  'probationSearch POST /search',
  'probationSearch POST /search/people',
  'probationSearch POST /match',
  'probationSearch POST /phrase',
  // Delius integration
  'deliusIntegration POST /probation-cases/access',
  'deliusIntegration POST /search/probation-cases',
  // Nomis Prison API: the "POST version to allow for large numbers of offenders" batch reads
  'prisonApi POST /api/bookings/offenders',
  'prisonApi POST /api/bookings/offence-history',
  'prisonApi POST /api/bookings/mainOffence',
  'prisonApi POST /api/offender-sentences',
  'prisonApi POST /api/offender-sentences/bookings',
  'prisonApi POST /api/offender-sentences/home-detention-curfews/latest',
  'prisonApi POST /api/offender-assessments/category',
  'prisonApi POST /api/offender-assessments/csra/list',
  'prisonApi POST /api/movements/offenders',
  'prisonApi POST /api/movements/offenders/latest-arrival-date',
  'prisonApi POST /api/prisoners',
  'prisonApi POST /api/bookings/offenderNo/personal-care-needs',
  // DPS case notes: a search that takes its criteria in a body
  'caseNotes POST /search/case-notes/{personIdentifier}',
  // DPS incentives and non-associations (issue 18)
  'incentives POST /incentive-reviews/bookings',
  'nonAssociations POST /non-associations/involving',
]);

/** Whether a call may be repeated safely: GET/HEAD always, POST only for the read-only routes above. */
export function isIdempotent(upstream: UpstreamName, method: string, route: string, declared?: boolean): boolean {
  if (declared !== undefined) return declared;
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return true;
  return m === 'POST' && READ_ONLY_POST_ROUTES.has(`${upstream} ${route}`);
}

/** Upstream answers worth another attempt: the gateway or proxy in front of the upstream failed. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Connection-level failures worth another attempt (the request did not get an answer). */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ETIMEDOUT',
]);

/** Exponential backoff with full jitter (spreads the retries of many requests over time). */
export function backoffMs(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.round(random() * cap);
}
