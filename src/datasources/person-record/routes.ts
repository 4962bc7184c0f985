import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeCanonicalRecord } from './decode.js';

/** Core Person Record (core-person-record.json): the cross-domain links between CRNs and prison numbers. */
export interface CanonicalIdentifiersDto {
  crns?: string[];
  prisonNumbers?: string[];
}

export interface CanonicalRecordDto {
  identifiers?: CanonicalIdentifiersDto;
}

export function personRecordRoutes(client: UpstreamCaller) {
  return {
    /** `null` when the record service does not know the CRN. */
    async byCrn(crn: string): Promise<CanonicalRecordDto | null> {
      return client.get<CanonicalRecordDto>('GET /person/probation/{crn}', `/person/probation/${encodeURIComponent(crn)}`, undefined, [404], decodeCanonicalRecord);
    },
    async byPrisonNumber(prisonNumber: string): Promise<CanonicalRecordDto | null> {
      return client.get<CanonicalRecordDto>(
        'GET /person/prison/{prisonNumber}',
        `/person/prison/${encodeURIComponent(prisonNumber)}`,
        undefined,
        [404],
        decodeCanonicalRecord,
      );
    },
  };
}

export type PersonRecordRoutes = ReturnType<typeof personRecordRoutes>;
