import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeCaseAddresses, decodeSupervisions } from './decode.js';

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

export function deliusIntegrationRoutes(client: UpstreamCaller) {
  return {
    /** `null` when Delius has no such case. */
    supervisions(crn: string): Promise<SupervisionResponseDto | null> {
      return client.get('GET /case/{crn}/supervisions', `/case/${encodeURIComponent(crn)}/supervisions`, undefined, [404], decodeSupervisions);
    },
    async addresses(crn: string): Promise<CaseAddressDto[] | null> {
      const body = await client.get<{ contactDetails?: { addresses?: CaseAddressDto[] } }>(
        'GET /case/{crn}/addresses',
        `/case/${encodeURIComponent(crn)}/addresses`,
        undefined,
        [404],
        decodeCaseAddresses,
      );
      return body ? (body.contactDetails?.addresses ?? []) : null;
    },
  };
}

export type DeliusIntegrationRoutes = ReturnType<typeof deliusIntegrationRoutes>;
