import { emptyBatch, type KeyedBatch } from '../http/contract.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodePrisonerBatch, decodePrisonerPage, PRISONER_RESPONSE_FIELDS } from './decode.js';

/** DPS prisoner search (dps-prisoner-search.json): the DTO fields the gateway reads. */
export interface PrisonerAliasDto {
  firstName?: string;
  middleNames?: string;
  lastName?: string;
  dateOfBirth?: string;
  gender?: string;
}

export interface BodyPartDetailDto {
  bodyPart?: string;
  comment?: string;
}

export interface PrisonerIdentifierDto {
  type?: string;
  value?: string;
}

export interface PrisonerDto {
  prisonerNumber: string;
  pncNumber?: string | null;
  pncNumberCanonicalLong?: string | null;
  croNumber?: string | null;
  firstName: string;
  middleNames?: string | null;
  lastName: string;
  dateOfBirth: string;
  gender: string;
  prisonId?: string | null;
  /** The prison they are in, or the last one they were in when out. */
  lastPrisonId?: string | null;
  status?: string | null;
  bookingId?: string | null;
  ethnicity?: string | null;
  nationality?: string | null;
  religion?: string | null;
  maritalStatus?: string | null;
  /** `Y`, `N` or `V` (vapes). */
  smoker?: string | null;
  inOutStatus?: string | null;
  prisonName?: string | null;
  cellLocation?: string | null;
  receptionDate?: string | null;
  category?: string | null;
  csra?: string | null;
  youthOffender?: boolean | null;
  heightCentimetres?: number | null;
  weightKilograms?: number | null;
  hairColour?: string | null;
  rightEyeColour?: string | null;
  leftEyeColour?: string | null;
  facialHair?: string | null;
  shapeOfFace?: string | null;
  build?: string | null;
  shoeSize?: number | null;
  tattoos?: BodyPartDetailDto[] | null;
  scars?: BodyPartDetailDto[] | null;
  marks?: BodyPartDetailDto[] | null;
  languages?: Array<{ type?: string; code?: string; interpreterRequested?: boolean }> | null;
  personalCareNeeds?: Array<{
    problemType?: string;
    problemCode?: string;
    problemDescription?: string;
    startDate?: string;
    endDate?: string;
  }> | null;
  aliases?: PrisonerAliasDto[] | null;
  identifiers?: PrisonerIdentifierDto[] | null;
}


/** The spec caps `prisonerNumbers` at 1000 per request. */
export const PRISONER_NUMBERS_MAX = 1000;

export const PRISONERS_BY_NUMBERS = 'POST /prisoner-search/prisoner-numbers';

export function prisonerSearchRoutes(client: UpstreamCaller) {
  return {
    /** Batch: unknown numbers are simply absent from the answer (entries checked: decode.ts). */
    async prisonersByNumbers(prisonerNumbers: readonly string[]): Promise<KeyedBatch<PrisonerDto>> {
      const response = await client.call<KeyedBatch<PrisonerDto>>({
        route: PRISONERS_BY_NUMBERS,
        method: 'POST',
        path: '/prisoner-search/prisoner-numbers',
        searchParams: { responseFields: PRISONER_RESPONSE_FIELDS },
        json: { prisonerNumbers },
        decode: decodePrisonerBatch,
      });
      return response.body ?? emptyBatch();
    },

    /** Surviving records that list any of `oldNumbers` as a MERGED identifier (one request). */
    async prisonersMergedFrom(oldNumbers: readonly string[]): Promise<PrisonerDto[]> {
      const queries = oldNumbers.map((value) => ({
        joinType: 'AND',
        matchers: [
          { type: 'String', attribute: 'identifiers.type', condition: 'IS', searchTerm: 'MERGED' },
          { type: 'String', attribute: 'identifiers.value', condition: 'IS', searchTerm: value },
        ],
      }));
      const response = await client.call<{ content: PrisonerDto[] }>({
        route: 'POST /attribute-search',
        method: 'POST',
        path: '/attribute-search',
        searchParams: { responseFields: PRISONER_RESPONSE_FIELDS },
        json: { joinType: 'OR', queries, pagination: { page: 0, size: Math.max(10, oldNumbers.length * 2) } },
        decode: decodePrisonerPage,
      });
      return response.body?.content ?? [];
    },
  };
}

export type PrisonerSearchRoutes = ReturnType<typeof prisonerSearchRoutes>;
