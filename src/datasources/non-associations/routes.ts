import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeNonAssociations } from './decode.js';

/** DPS Non-Associations API (dps-non-associations.json). */
export interface NonAssociationDto {
  id: number;
  firstPrisonerNumber: string;
  firstPrisonerRole: string;
  firstPrisonerRoleDescription?: string;
  secondPrisonerNumber: string;
  secondPrisonerRole: string;
  secondPrisonerRoleDescription?: string;
  reason: string;
  reasonDescription?: string;
  restrictionType: string;
  restrictionTypeDescription?: string;
  comment?: string | null;
  whenCreated?: string;
  whenUpdated?: string;
  isClosed: boolean;
  closedReason?: string | null;
  closedAt?: string | null;
}

export const NON_ASSOCIATIONS_INVOLVING = 'POST /non-associations/involving';

export function nonAssociationsRoutes(client: UpstreamCaller) {
  return {
    /** Batch: every non-association, open and closed, involving any of the given prisoners, in one request. */
    async involving(prisonNumbers: readonly string[]): Promise<NonAssociationDto[]> {
      const asked = [...new Set(prisonNumbers)];
      const askedKeys = new Set(asked.map((n) => n.toUpperCase()));
      const response = await client.call<NonAssociationDto[]>({
        route: NON_ASSOCIATIONS_INVOLVING,
        method: 'POST',
        path: '/non-associations/involving',
        searchParams: { includeOpen: true, includeClosed: true },
        json: asked,
        decode: (body, report) => decodeNonAssociations(body, report, askedKeys),
      });
      return response.body ?? [];
    },
  };
}

export type NonAssociationsRoutes = ReturnType<typeof nonAssociationsRoutes>;
