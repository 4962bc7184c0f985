import { omittedFrom } from '../../domain/omitted.js';
import { invalidItem } from '../http/errors.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { treatmentCodes } from './mapping.js';
import { HEALTH_TREATMENT_DOMAIN, prisonApiRoutes } from './routes.js';

export interface PrisonApiReferenceDataOptions {
  /** How long fetched codes are used before they are asked for again (default one hour). */
  ttlMs?: number;
  now?: () => number;
}

const ONE_HOUR_MS = 3600_000;
const REFERENCE_CODES = 'GET /api/reference-domains/domains/{domain}/codes';

/**
 * Nomis reference codes the gateway needs to form its questions (the HEALTH_TREAT treatment codes
 * reasonable adjustments are asked for by). One per process: codes are fetched once and kept for an
 * hour; concurrent callers share one fetch (single flight). A failed fetch, an empty answer, or one
 * with a code that broke the contract (UPSTREAM_INVALID_RESPONSE), is not kept: the next caller asks again.
 *
 * `caller` gives the client the fetch runs on. It should carry a process scope, not one request's:
 * the fetch is shared, so one request's cancellation must not fail it for the others.
 */
export class PrisonApiReferenceData {
  private cached: { codes: readonly string[]; expiresAt: number } | null = null;
  private inFlight: Promise<readonly string[]> | null = null;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly caller: () => UpstreamCaller,
    options: PrisonApiReferenceDataOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? ONE_HOUR_MS;
    this.now = options.now ?? Date.now;
  }

  /** The HEALTH_TREAT codes, active or not. Rejects (with the upstream's error) when they cannot be had. */
  healthTreatmentCodes(): Promise<readonly string[]> {
    if (this.cached !== null && this.now() < this.cached.expiresAt) return Promise.resolve(this.cached.codes);
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<readonly string[]> {
    const dtos = await prisonApiRoutes(this.caller()).referenceCodes(HEALTH_TREATMENT_DOMAIN);
    // A code left out (it broke the contract) may be one adjustments are recorded under: asking without
    // it would give lists silently short, so the codes cannot be had (docs/adr/0021).
    // So may a blank code (it passes the decoder: a string).
    const codes = omittedFrom(dtos) > 0 ? null : treatmentCodes(dtos);
    if (codes === null) throw invalidItem('prisonApi', REFERENCE_CODES);
    if (codes.length > 0) this.cached = { codes, expiresAt: this.now() + this.ttlMs };
    return codes;
  }
}
