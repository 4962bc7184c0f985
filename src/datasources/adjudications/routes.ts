import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeAdjudications } from './decode.js';

/** DPS Manage Adjudications (dps-manage-adjudications.json): the DTO fields the gateway reads. */

export interface HearingOutcomeDto {
  code: string;
  codeDescription?: string | null;
  plea?: string | null;
  pleaDescription?: string | null;
  details?: string | null;
}

export interface HearingDto {
  dateTimeOfHearing: string;
  oicHearingType: string;
  oicHearingTypeDescription?: string | null;
  agencyId: string;
  locationName?: string | null;
  outcome?: HearingOutcomeDto | null;
}

export interface OutcomeDto {
  code: string;
  details?: string | null;
}

export interface OutcomeHistoryDto {
  hearing?: HearingDto | null;
  outcome?: { outcome: OutcomeDto; referralOutcome?: OutcomeDto | null } | null;
}

export interface PunishmentDto {
  type: string;
  typeDescription?: string | null;
  privilegeType?: string | null;
  privilegeTypeDescription?: string | null;
  otherPrivilege?: string | null;
  stoppagePercentage?: number | null;
  damagesOwedAmount?: number | null;
  schedule: { days: number; duration?: number | null; measurement?: string | null; startDate?: string | null; endDate?: string | null; suspendedUntil?: string | null };
}

export interface ReportedAdjudicationDto {
  chargeNumber: string;
  prisonerNumber: string;
  status: string;
  statusDescription?: string | null;
  originatingAgencyId: string;
  overrideAgencyId?: string | null;
  incidentDetails: { dateTimeOfIncident: string; dateTimeOfDiscovery?: string | null; locationName?: string | null };
  offenceDetails: { offenceCode: number; offenceCodeDescription?: string | null; offenceRule?: { paragraphNumber?: string | null; paragraphDescription?: string | null } | null };
  incidentStatement?: { statement?: string | null } | null;
  hearings: HearingDto[];
  outcomes: OutcomeHistoryDto[];
  punishments: PunishmentDto[];
}

export const ADJUDICATIONS = 'GET /reported-adjudications/prisoner/{prisonerNumber}';

export function adjudicationsRoutes(client: UpstreamCaller) {
  return {
    /**
     * Every reported adjudication of a prisoner (no paging upstream: the gateway pages them). The
     * service answers `[]` for a prisoner it holds nothing on; a 404 is taken the same way.
     */
    async forPrisoner(prisonNumber: string): Promise<ReportedAdjudicationDto[]> {
      return (
        (await client.get<ReportedAdjudicationDto[]>(
          ADJUDICATIONS,
          `/reported-adjudications/prisoner/${encodeURIComponent(prisonNumber)}`,
          undefined,
          [404],
          decodeAdjudications,
        )) ?? []
      );
    },
  };
}

export type AdjudicationsRoutes = ReturnType<typeof adjudicationsRoutes>;
