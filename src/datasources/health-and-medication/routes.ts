import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeHealthAndMedication } from './decode.js';

/** DPS Health and Medication API (dps-health-and-medication.json). */
export interface ReferenceDataSelectionDto {
  value: { id: string; code: string; description: string };
  comment?: string | null;
}

export interface ValueWithMetadataDto<T> {
  value?: T | null;
}

export interface DietAndAllergyDto {
  foodAllergies?: ValueWithMetadataDto<ReferenceDataSelectionDto[]> | null;
  medicalDietaryRequirements?: ValueWithMetadataDto<ReferenceDataSelectionDto[]> | null;
  personalisedDietaryRequirements?: ValueWithMetadataDto<ReferenceDataSelectionDto[]> | null;
  cateringInstructions?: ValueWithMetadataDto<string> | null;
}

export interface HealthAndMedicationDto {
  dietAndAllergy?: DietAndAllergyDto | null;
}

export function healthAndMedicationRoutes(client: UpstreamCaller) {
  return {
    /**
     * A prisoner's health and medication record; `null` when the service holds none (404). The only
     * batch form (`POST /prisons/{prisonId}`) pages through a whole prison, so people are asked one by one.
     */
    healthAndMedication(prisonNumber: string): Promise<HealthAndMedicationDto | null> {
      return client.get(
        'GET /prisoners/{prisonerNumber}',
        `/prisoners/${encodeURIComponent(prisonNumber)}`,
        undefined,
        [404],
        decodeHealthAndMedication,
      );
    },
  };
}

export type HealthAndMedicationRoutes = ReturnType<typeof healthAndMedicationRoutes>;
