import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeLicence, decodeLicenceSummaries } from './decode.js';

/** Create and Vary a Licence (cvl-create-and-vary-licence.json): the fields the mapping reads. */
export interface LicenceSummaryDto {
  id: number;
  licenceType: string;
  policyVersion?: string;
  version?: string;
  statusCode: string;
  prisonNumber?: string;
  crn: string;
  approvedDateTime?: string;
  createdDateTime?: string;
  updatedDateTime?: string;
  isInPssPeriod: boolean;
}

export interface StandardConditionDto {
  code: string;
  text: string;
}
export interface AdditionalConditionDto {
  id: number;
  type: string;
  code: string;
  category: string;
  text: string;
  restrictions?: string;
}

export interface LicenceDto extends LicenceSummaryDto {
  conditions: {
    AP: { standard: StandardConditionDto[]; additional: AdditionalConditionDto[]; bespoke: Array<{ text: string }> };
    PSS: { standard: StandardConditionDto[]; additional: AdditionalConditionDto[] };
  };
}

/** Summaries by CRN, then each licence by id: CVL has no batch route. */
export function cvlRoutes(client: UpstreamCaller) {
  return {
    async licenceSummaries(crn: string): Promise<LicenceSummaryDto[]> {
      const body = await client.get<LicenceSummaryDto[]>(
        'GET /public/licence-summaries/crn/{crn}',
        `/public/licence-summaries/crn/${encodeURIComponent(crn)}`,
        undefined,
        [],
        decodeLicenceSummaries,
      );
      return body ?? [];
    },
    /** `null` when CVL no longer holds the licence (404: deleted between the two calls). */
    licence(id: string): Promise<LicenceDto | null> {
      return client.get('GET /public/licences/id/{licenceId}', `/public/licences/id/${encodeURIComponent(id)}`, undefined, [404], decodeLicence);
    },
  };
}

export type CvlRoutes = ReturnType<typeof cvlRoutes>;
