import { emptyBatch, type KeyedBatch } from '../http/contract.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeOffendersByCrn, decodeOffendersByNomsNumber } from './decode.js';

/** Probation offender search (delius-probation-offender-search.json): the DTO fields the gateway reads. */
export interface OffenderIdsDto {
  crn: string;
  pncNumber?: string | null;
  croNumber?: string | null;
  nomsNumber?: string | null;
  previousCrn?: string | null;
}

export interface OffenderAliasDto {
  firstName?: string | null;
  middleNames?: string[] | null;
  surname?: string | null;
  dateOfBirth?: string | null;
  gender?: string | null;
}

export interface KeyValueDto {
  code?: string | null;
  description?: string | null;
}

export interface OffenderProfileDto {
  ethnicity?: string | null;
  nationality?: string | null;
  religion?: string | null;
  sexualOrientation?: string | null;
  disabilities?: Array<{
    disabilityType?: KeyValueDto | null;
    condition?: KeyValueDto | null;
    startDate?: string | null;
    endDate?: string | null;
    notes?: string | null;
  }> | null;
}

export interface OffenderDetailDto {
  offenderId: number;
  firstName?: string | null;
  middleNames?: string[] | null;
  surname?: string | null;
  dateOfBirth?: string | null;
  gender?: string | null;
  otherIds: OffenderIdsDto;
  offenderAliases?: OffenderAliasDto[] | null;
  softDeleted?: boolean | null;
  currentExclusion?: boolean | null;
  currentRestriction?: boolean | null;
  activeProbationManagedSentence?: boolean | null;
  age?: number | null;
  offenderProfile?: OffenderProfileDto | null;
  contactDetails?: {
    phoneNumbers?: Array<{ number?: string | null; type?: string | null }> | null;
    emailAddresses?: Array<string | null> | null;
  } | null;
}

/** The spec caps `/crns` at 512 CRNs per request. */
export const CRNS_MAX = 512;
export const NOMS_NUMBERS_MAX = 512;

export const OFFENDERS_BY_CRNS = 'POST /crns';
export const OFFENDERS_BY_NOMS_NUMBERS = 'POST /nomsNumbers';

export function probationSearchRoutes(client: UpstreamCaller) {
  return {
    /** Batch; matches current and previous CRNs. Unknown CRNs are absent from the answer (entries checked: decode.ts). */
    async offendersByCrns(crns: readonly string[]): Promise<KeyedBatch<OffenderDetailDto>> {
      const response = await client.call<KeyedBatch<OffenderDetailDto>>({
        route: OFFENDERS_BY_CRNS, method: 'POST', path: '/crns', json: crns, decode: decodeOffendersByCrn,
      });
      return response.body ?? emptyBatch();
    },
    /** Batch by prison (NOMS) number. */
    async offendersByNomsNumbers(nomsNumbers: readonly string[]): Promise<KeyedBatch<OffenderDetailDto>> {
      const response = await client.call<KeyedBatch<OffenderDetailDto>>({
        route: OFFENDERS_BY_NOMS_NUMBERS, method: 'POST', path: '/nomsNumbers', json: nomsNumbers, decode: decodeOffendersByNomsNumber,
      });
      return response.body ?? emptyBatch();
    },
  };
}

export type ProbationSearchRoutes = ReturnType<typeof probationSearchRoutes>;
