/**
 * Case records of a person (issue 17 areas 5-7): prison case notes, probation contact events and the
 * details of a limited-access case. Pure data; mapping from upstream DTOs lives in each datasource.
 */

import type { CodeDescription } from './profile.js';

export interface CaseNoteAmendment {
  createdAt: string | null;
  authorName: string | null;
  text: string | null;
}

export interface CaseNote {
  id: string;
  type: CodeDescription;
  subType: CodeDescription;
  occurredAt: string | null;
  createdAt: string | null;
  authorName: string | null;
  text: string | null;
  prisonCode: string | null;
  sensitive: boolean;
  systemGenerated: boolean;
  amendments: CaseNoteAmendment[];
}

export interface ContactEventOfficer {
  code: string | null;
  forename: string | null;
  surname: string | null;
  team: CodeDescription | null;
  provider: CodeDescription | null;
}

export interface ContactEvent {
  id: string;
  contactDate: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  type: CodeDescription | null;
  description: string | null;
  location: CodeDescription | null;
  outcome: CodeDescription | null;
  officer: ContactEventOfficer | null;
  notes: string | null;
}

/** One page of an upstream-paged list, with the upstream's count of everything that matches. */
export interface UpstreamPage<T> {
  items: T[];
  totalCount: number;
}

export interface LimitedAccessDetails {
  excludedFrom: string[];
  exclusionMessage: string | null;
  restrictedTo: string[];
  restrictionMessage: string | null;
}
