import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeCaseNotePage } from './decode.js';

/** DPS case notes (dps-case-notes.json): `POST /search/case-notes/{personIdentifier}`. */
export interface CaseNoteDto {
  caseNoteId: string;
  offenderIdentifier: string;
  type: string;
  typeDescription?: string;
  subType: string;
  subTypeDescription?: string;
  creationDateTime?: string;
  occurrenceDateTime?: string;
  authorName?: string;
  text?: string;
  locationId?: string;
  sensitive: boolean;
  systemGenerated?: boolean;
  amendments?: Array<{ creationDateTime?: string; authorName?: string; additionalNoteText?: string }>;
}

/** The upstream's `TypeSubTypeRequest`: a type and its sub-types (none: every sub-type of the type). */
export interface TypeSubTypes {
  type: string;
  subTypes: string[];
}

/** The upstream's `SearchNotesRequest`, as the gateway sends it. */
export interface CaseNoteSearch {
  /** 1-based. */
  page: number;
  size: number;
  /** Only true for a consumer granted sensitive notes that asked for them. */
  includeSensitive: boolean;
  /** Absent: every type. */
  typeSubTypes?: TypeSubTypes[];
  /** Local date-times (the service records Europe/London wall-clock time). */
  occurredFrom?: string;
  occurredTo?: string;
}

export interface CaseNotePageDto {
  content: CaseNoteDto[];
  totalElements: number;
}

export function caseNotesRoutes(client: UpstreamCaller) {
  return {
    /** One page of a person's case notes matching `search`, newest occurrence first. */
    async search(prisonNumber: string, search: CaseNoteSearch): Promise<CaseNotePageDto> {
      const response = await client.call<CaseNotePageDto>({
        route: 'POST /search/case-notes/{personIdentifier}',
        method: 'POST',
        path: `/search/case-notes/${encodeURIComponent(prisonNumber)}`,
        json: { ...search, sort: 'occurrenceDateTime,desc' },
        decode: (body, report) => decodeCaseNotePage(body, report, prisonNumber, search),
      });
      return response.body ?? { content: [], totalElements: 0 };
    },
  };
}

export type CaseNotesRoutes = ReturnType<typeof caseNotesRoutes>;
