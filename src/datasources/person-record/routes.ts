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
    /**
     * `null` when the record service does not know the number, and when it answers a merged-away number
     * with 301 to the surviving record: not followed, so a merged-away number costs one call like any
     * other (issue 14); identity resolution asks the surviving number itself when the consumer may see
     * that person (src/datasources/identity.ts).
     */
    async byPrisonNumber(prisonNumber: string): Promise<CanonicalRecordDto | null> {
      const answer = await client.call<CanonicalRecordDto>({
        route: 'GET /person/prison/{prisonNumber}',
        method: 'GET',
        path: `/person/prison/${encodeURIComponent(prisonNumber)}`,
        acceptStatuses: [404, 301],
        followRedirects: false,
        decode: decodeCanonicalRecord,
      });
      return answer.body;
    },
  };
}

export type PersonRecordRoutes = ReturnType<typeof personRecordRoutes>;
