import { array, fields, object, optionalObject, shapeError, someOf } from '../http/contract.js';
import type { DietAndAllergyDto, HealthAndMedicationDto } from './routes.js';

/** Checks of every health and medication field the mapping reads (docs/adr/0010). */

function selections(value: unknown, path: string): void {
  const field = optionalObject(value, path);
  if (!field || field.value === null || field.value === undefined) return;
  array(field.value, `${path}.value`).forEach((item, i) => {
    const at = `${path}.value[${i}]`;
    const o = object(item, at);
    fields(object(o.value, `${at}.value`), `${at}.value`, { id: 'string', code: 'string', description: 'string' });
    fields(o, at, { comment: 'string?' });
  });
}

/**
 * `GET /prisoners/{prisonerNumber}`: a selection that does not fit spoils the whole diet (a partial
 * allergy list read as complete would be worse than none), so it is a contract fault for the field.
 */
export function decodeHealthAndMedication(body: unknown): HealthAndMedicationDto {
  const o = object(body, '$');
  someOf(o, '$', ['dietAndAllergy']);
  const diet = optionalObject(o.dietAndAllergy, '$.dietAndAllergy');
  if (diet) {
    selections(diet.foodAllergies, '$.dietAndAllergy.foodAllergies');
    selections(diet.medicalDietaryRequirements, '$.dietAndAllergy.medicalDietaryRequirements');
    selections(diet.personalisedDietaryRequirements, '$.dietAndAllergy.personalisedDietaryRequirements');
    const catering = optionalObject(diet.cateringInstructions, '$.dietAndAllergy.cateringInstructions');
    if (catering) fields(catering, '$.dietAndAllergy.cateringInstructions', { value: 'string?' });
  }
  if (o.dietAndAllergy !== undefined && o.dietAndAllergy !== null && !diet) shapeError('$.dietAndAllergy', 'expected object');
  return { dietAndAllergy: (diet as DietAndAllergyDto | null) ?? null };
}
