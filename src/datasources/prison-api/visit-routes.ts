import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeOffenderRestrictions, decodeVisitBalances } from './visit-decode.js';

/**
 * Prison API routes for visits (issue 18 area 2): the visit orders balance and the prisoner's visit
 * restrictions. Kept beside routes.ts, not in it, like prison-life-routes.ts.
 */

/** `VisitBalances` (nomis-prison-api.json). */
export interface VisitBalancesDto {
  remainingVo: number;
  remainingPvo: number;
  latestIepAdjustDate?: string | null;
  latestPrivIepAdjustDate?: string | null;
}

/** `OffenderRestriction`. */
export interface OffenderRestrictionDto {
  restrictionId: number;
  restrictionType: string;
  restrictionTypeDescription: string;
  comment?: string | null;
  startDate: string;
  expiryDate?: string | null;
  active: boolean;
}

export const VISIT_BALANCES = 'GET /api/bookings/offenderNo/{offenderNo}/visit/balances';
export const OFFENDER_RESTRICTIONS = 'GET /api/offenders/{offenderNo}/offender-restrictions';

export function prisonVisitRoutes(client: UpstreamCaller) {
  return {
    /** `null` when the prisoner holds no balance or is not known (404). */
    visitBalances(prisonNumber: string): Promise<VisitBalancesDto | null> {
      return client.get(VISIT_BALANCES, `/api/bookings/offenderNo/${encodeURIComponent(prisonNumber)}/visit/balances`, undefined, [404], decodeVisitBalances);
    },
    /** Every visit restriction of the prisoner, expired ones too (the gateway filters); `[]` when not known (404). */
    async restrictions(prisonNumber: string): Promise<OffenderRestrictionDto[]> {
      return (
        (await client.get<OffenderRestrictionDto[]>(
          OFFENDER_RESTRICTIONS,
          `/api/offenders/${encodeURIComponent(prisonNumber)}/offender-restrictions`,
          { activeRestrictionsOnly: false },
          [404],
          decodeOffenderRestrictions,
        )) ?? []
      );
    },
  };
}

export type PrisonVisitRoutes = ReturnType<typeof prisonVisitRoutes>;
