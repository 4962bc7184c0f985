import type { Diet, DietSelection } from '../../domain/prison-welfare.js';
import type { HealthAndMedicationDto, ReferenceDataSelectionDto, ValueWithMetadataDto } from './routes.js';

const toSelections = (field: ValueWithMetadataDto<ReferenceDataSelectionDto[]> | null | undefined): DietSelection[] =>
  (field?.value ?? []).map((s) => ({ code: s.value.code, description: s.value.description, comment: s.comment ?? null }));

/** `null` when nothing about diet is recorded (no record, or a record without diet data). */
export function toDiet(dto: HealthAndMedicationDto | null): Diet | null {
  const diet = dto?.dietAndAllergy;
  if (!diet) return null;
  return {
    foodAllergies: toSelections(diet.foodAllergies),
    medicalDietaryRequirements: toSelections(diet.medicalDietaryRequirements),
    personalisedDietaryRequirements: toSelections(diet.personalisedDietaryRequirements),
    cateringInstructions: diet.cateringInstructions?.value ?? null,
  };
}
