import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeAccessLimitations, decodeContact, decodeContactPage, decodeCaseAddresses, decodeSupervisions } from './decode.js';

/** Delius integration API (delius-integration-api.json): a probation case's supervisions and addresses. */
export interface OffenceDto {
  date?: string;
  code?: string;
  description?: string;
  mainCategory?: { code?: string; description?: string };
}

export interface SupervisionDto {
  number?: number;
  active?: boolean;
  date?: string;
  sentence?: { description?: string; date?: string; length?: number; lengthUnits?: string; custodial?: boolean };
  mainOffence?: OffenceDto;
  additionalOffences?: OffenceDto[];
  courtAppearances?: Array<{ type?: string; date?: string; court?: string }>;
}

export interface RegistrationDto {
  code?: string;
  description?: string;
  startDate?: string;
  reviewDate?: string;
  notes?: string;
}

export interface SupervisionResponseDto {
  communityManager?: {
    name?: { forename?: string; surname?: string };
    email?: string;
    telephoneNumber?: string;
    allocated?: boolean;
    team?: { code?: string; description?: string; email?: string; telephoneNumber?: string };
  };
  mappaDetail?: {
    level?: number;
    levelDescription?: string;
    category?: number;
    categoryDescription?: string;
    startDate?: string;
    reviewDate?: string;
    notes?: string;
  };
  supervisions?: SupervisionDto[];
  dynamicRisks?: RegistrationDto[];
  personStatus?: RegistrationDto[];
}

export interface CaseAddressDto {
  noFixedAbode?: boolean;
  type?: { code?: string; description?: string };
  buildingName?: string;
  addressNumber?: string;
  streetName?: string;
  town?: string;
  district?: string;
  county?: string;
  postcode?: string;
  from?: string;
  to?: string;
  notes?: string;
}

/** `ContactLogged`: one probation contact event. */
export interface ContactDto {
  id: number;
  crn: string;
  createdAt?: string;
  updatedAt?: string;
  contactDate?: string;
  type?: { code?: string; description?: string };
  description?: string;
  location?: { code?: string; description?: string };
  outcome?: { code?: string; description?: string };
  officer?: {
    code?: string;
    name?: { forename?: string; surname?: string; middleName?: string };
    team?: { code?: string; description?: string; pdu?: { code?: string; description?: string; provider?: { code?: string; description?: string } } };
  };
  notes?: string;
}

/** `ContactsLogged`: a page of contact events (page numbers from 0). */
export interface ContactPageDto {
  content: ContactDto[];
  totalResults: number;
}

/** `LimitedAccessDetail`: who is excluded from or restricted to a limited-access case, and the messages. */
export interface LimitedAccessDetailDto {
  excludedFrom?: Array<{ email?: string }>;
  exclusionMessage?: string;
  restrictedTo?: Array<{ email?: string }>;
  restrictionMessage?: string;
}

export interface ContactQuery {
  /** From 0. */
  page: number;
  size: number;
  /** The MAPPA categories whose contacts the consumer may see (required by the route). */
  mappaCategories: readonly number[];
}

export function deliusIntegrationRoutes(client: UpstreamCaller) {
  return {
    /**
     * Asked only for a CRN probation search holds, and the spec declares 200 only: a 404 is a moved
     * or misrouted upstream (a contract fault), never "no such case" (ADR 10, "404 per route").
     */
    supervisions(crn: string): Promise<SupervisionResponseDto | null> {
      return client.get('GET /case/{crn}/supervisions', `/case/${encodeURIComponent(crn)}/supervisions`, undefined, [], decodeSupervisions);
    },
    async addresses(crn: string): Promise<CaseAddressDto[] | null> {
      const body = await client.get<{ contactDetails?: { addresses?: CaseAddressDto[] } }>(
        'GET /case/{crn}/addresses',
        `/case/${encodeURIComponent(crn)}/addresses`,
        undefined,
        [],
        decodeCaseAddresses,
      );
      return body ? (body.contactDetails?.addresses ?? []) : null;
    },
    /** A page of the case's contact events, newest first; `null` when Delius has no such case. */
    contacts(crn: string, query: ContactQuery): Promise<ContactPageDto | null> {
      return client.get(
        'GET /case/{crn}/contacts',
        `/case/${encodeURIComponent(crn)}/contacts`,
        { mappaCategories: query.mappaCategories.join(','), page: query.page, size: query.size },
        [404],
        (body, report) => decodeContactPage(body, report, crn, query.size),
      );
    },
    /** One contact event; `null` when the case or the contact is not there (or not in these MAPPA categories). */
    contact(crn: string, id: string, mappaCategories: readonly number[]): Promise<ContactDto | null> {
      return client.get(
        'GET /case/{crn}/contacts/{contactId}',
        `/case/${encodeURIComponent(crn)}/contacts/${encodeURIComponent(id)}`,
        { mappaCategories: mappaCategories.join(',') },
        [404],
        (body) => decodeContact(body, crn, id),
      );
    },
    /** Who is excluded from or restricted to the case; `null` when Delius has no such case. */
    accessLimitations(crn: string): Promise<LimitedAccessDetailDto | null> {
      return client.get('GET /case/{crn}/access-limitations', `/case/${encodeURIComponent(crn)}/access-limitations`, undefined, [404], decodeAccessLimitations);
    },
  };
}

export type DeliusIntegrationRoutes = ReturnType<typeof deliusIntegrationRoutes>;
