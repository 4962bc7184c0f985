import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeFutureVisits, decodeVisitPage } from './decode.js';

/** DPS Manage Prison Visits orchestration (dps-manage-prison-visits.json): the VisitDto fields the gateway reads. */

export interface VisitDto {
  reference: string;
  prisonerId: string;
  prisonId: string;
  prisonName?: string | null;
  visitRoom: string;
  visitType: string;
  visitStatus: string;
  outcomeStatus?: string | null;
  visitRestriction: string;
  startTimestamp: string;
  endTimestamp: string;
  visitNotes?: Array<{ type: string; text: string }> | null;
  visitContact?: { name: string; telephone?: string | null; email?: string | null } | null;
  visitors?: Array<{ nomisPersonId: number; visitContact?: boolean | null }> | null;
  visitorSupport?: { description: string } | null;
}

export interface VisitPageDto {
  content: VisitDto[];
  totalElements: number;
}

/** What the visit search is asked: a prisoner's visits that started in a date range (inclusive), one page (0-based). */
export interface VisitSearch {
  from: string;
  to: string;
  page: number;
  size: number;
}

/** Both statuses the contract knows: a cancelled visit is part of the history. */
export const VISIT_STATUSES = ['BOOKED', 'CANCELLED'] as const;

export const FUTURE_VISITS = 'GET /visits/search/future/{prisonerId}';
export const VISIT_SEARCH = 'GET /visits/search';

export function prisonVisitsRoutes(client: UpstreamCaller) {
  return {
    /** A prisoner's booked visits still to come (not paged upstream; a few at most). */
    async future(prisonNumber: string): Promise<VisitDto[]> {
      return (await client.get<VisitDto[]>(FUTURE_VISITS, `/visits/search/future/${encodeURIComponent(prisonNumber)}`, undefined, [404], decodeFutureVisits)) ?? [];
    },
    /** One page of a prisoner's visits that started between two dates, newest first (paged upstream, 0-based). */
    async search(prisonNumber: string, q: VisitSearch): Promise<VisitPageDto> {
      return (
        (await client.get<VisitPageDto>(
          VISIT_SEARCH,
          '/visits/search',
          { prisonerId: prisonNumber, visitStartDate: q.from, visitEndDate: q.to, visitStatus: VISIT_STATUSES.join(','), page: q.page, size: q.size },
          undefined,
          decodeVisitPage,
        )) ?? { content: [], totalElements: 0 }
      );
    },
  };
}

export type PrisonVisitsRoutes = ReturnType<typeof prisonVisitsRoutes>;
