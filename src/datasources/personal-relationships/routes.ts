import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeChildren, decodeContactPage } from './decode.js';

/** DPS Personal Relationships API (dps-personal-relationships.json). */
export interface PrisonerContactSummaryDto {
  firstName: string;
  middleNames?: string | null;
  lastName: string;
  dateOfBirth?: string | null;
  relationshipTypeCode: string;
  relationshipToPrisonerCode: string;
  relationshipToPrisonerDescription: string;
  street?: string | null;
  cityDescription?: string | null;
  postcode?: string | null;
  phoneNumber?: string | null;
  isApprovedVisitor: boolean;
  isNextOfKin: boolean;
  isEmergencyContact: boolean;
  isRelationshipActive: boolean;
  comments?: string | null;
  restrictionSummary: { active: Array<{ restrictionType: string; restrictionTypeDescription: string }> };
}

export interface ContactPageDto {
  content: PrisonerContactSummaryDto[];
  totalPages: number;
}

export interface NumberOfChildrenDto {
  numberOfChildren?: string | null;
  active: boolean;
}

/** Contacts asked per upstream page, and the most pages read for one person (a cap, not a real limit: 1,000 contacts). */
export const CONTACTS_PAGE_SIZE = 100;
export const CONTACTS_MAX_PAGES = 10;

export function personalRelationshipsRoutes(client: UpstreamCaller) {
  return {
    /** One page (0-based) of a prisoner's contacts; `null` when the prisoner is not known there (404). */
    contactPage(prisonNumber: string, page: number): Promise<ContactPageDto | null> {
      return client.get(
        'GET /prisoner/{prisonNumber}/contact',
        `/prisoner/${encodeURIComponent(prisonNumber)}/contact`,
        { page, size: CONTACTS_PAGE_SIZE },
        [404],
        decodeContactPage,
      );
    },
    /** `null` when no number of children is recorded (404). */
    numberOfChildren(prisonNumber: string): Promise<NumberOfChildrenDto | null> {
      return client.get(
        'GET /prisoner/{prisonerNumber}/number-of-children',
        `/prisoner/${encodeURIComponent(prisonNumber)}/number-of-children`,
        undefined,
        [404],
        decodeChildren,
      );
    },
  };
}

export type PersonalRelationshipsRoutes = ReturnType<typeof personalRelationshipsRoutes>;
