/**
 * Diet and allergies (dps-health-and-medication.json), derived per person from a PRNG of its own,
 * seeded by (population seed, prison number, area): the population's own sequence is never drawn from.
 * Edge cases: no record at all (the service answers 404), a record without diet data
 * (`dietAndAllergy: null`), selections with free-text comments ("other"), empty selections.
 */

import { SNAPSHOT_DATE, addDays, zonedDateTime } from './dates.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';

export interface ReferenceCode {
  id: string;
  code: string;
  description: string;
}

export interface DietSelection {
  value: ReferenceCode;
  comment: string | null;
}

export interface DietFieldModel<T> {
  value: T;
  lastModifiedAt: string;
  lastModifiedBy: string;
  lastModifiedPrisonId: string;
}

export interface DietModel {
  foodAllergies: DietFieldModel<DietSelection[]> | null;
  medicalDietaryRequirements: DietFieldModel<DietSelection[]> | null;
  personalisedDietaryRequirements: DietFieldModel<DietSelection[]> | null;
  cateringInstructions: DietFieldModel<string | null> | null;
  topLevelLocation: string | null;
  lastAdmissionDate: string | null;
}

/** `null`: the service holds nothing (404); `{ dietAndAllergy: null }`: a record without diet data. */
export type HealthModel = { dietAndAllergy: DietModel | null } | null;

const code = (domain: string, c: string, description: string): ReferenceCode => ({ id: `${domain}_${c}`, code: c, description });
const FOOD = [code('FOOD_ALLERGY', 'EGG', 'Egg'), code('FOOD_ALLERGY', 'MILK', 'Milk'), code('FOOD_ALLERGY', 'PEANUTS', 'Peanuts'),
  code('FOOD_ALLERGY', 'GLUTEN', 'Gluten'), code('FOOD_ALLERGY', 'FISH', 'Fish'), code('FOOD_ALLERGY', 'SESAME', 'Sesame')];
const FOOD_OTHER = code('FOOD_ALLERGY', 'OTHER', 'Other');
const MEDICAL = [code('MEDICAL_DIET', 'LOW_CHOLESTEROL', 'Low cholesterol'), code('MEDICAL_DIET', 'DIABETIC_TYPE_1', 'Diabetic type 1'),
  code('MEDICAL_DIET', 'COELIAC', 'Coeliac (cannot eat gluten)'), code('MEDICAL_DIET', 'LOW_FAT', 'Low fat')];
const MEDICAL_OTHER = code('MEDICAL_DIET', 'OTHER', 'Other');
const PERSONAL = [code('PERSONALISED_DIET', 'VEGAN', 'Vegan'), code('PERSONALISED_DIET', 'VEGETARIAN', 'Vegetarian'),
  code('PERSONALISED_DIET', 'HALAL', 'Halal'), code('PERSONALISED_DIET', 'KOSHER', 'Kosher')];
const PERSONAL_OTHER = code('PERSONALISED_DIET', 'OTHER', 'Other');
const OTHER_COMMENTS = ['Kohlrabi', 'Reacts to some food colourings', 'Avoids nightshades on medical advice'] as const;
const CATERING = ['Small portions, several times a day.', 'Meals to be served in cell.', 'Needs a soft diet after dental work.'] as const;

export function healthRecord(pop: Population, p: Person): HealthModel {
  if (p.prisonNumber === null) return null;
  return pop.memo('health', p.index, () => buildHealth(pop, p, p.prisonNumber as string));
}

function buildHealth(pop: Population, p: Person, prisonNumber: string): HealthModel {
  const rng = Rng.of(pop.seed, prisonNumber, 'health-and-medication');
  const prisonId = p.prisonId === 'OUT' || p.prisonId === null ? (p.lastPrisonId ?? 'MDI') : p.prisonId;
  const field = <T>(value: T): DietFieldModel<T> => ({
    value,
    lastModifiedAt: zonedDateTime(addDays(SNAPSHOT_DATE, -rng.between(1, 900)), 8 * 60 + rng.int(10 * 60)).replace(/:(\d\d)$/, '$1'),
    lastModifiedBy: `${rng.letters(5)}_GEN`,
    lastModifiedPrisonId: prisonId,
  });
  const location = { topLevelLocation: rng.pick(['A', 'B', 'C', 'D', 'E']), lastAdmissionDate: p.receptionDate };
  switch (p.key) {
    case 'no-addresses':
      return null;
    case 'prison-only':
      return { dietAndAllergy: { foodAllergies: field([]), medicalDietaryRequirements: field([]), personalisedDietaryRequirements: field([]),
        cateringInstructions: field(null), ...location } };
    case 'linked':
      return { dietAndAllergy: {
        foodAllergies: field([{ value: FOOD[0] as ReferenceCode, comment: null }, { value: FOOD_OTHER, comment: 'Kohlrabi' }]),
        medicalDietaryRequirements: field([{ value: MEDICAL[0] as ReferenceCode, comment: null }]),
        personalisedDietaryRequirements: field([{ value: PERSONAL[0] as ReferenceCode, comment: null }]),
        cateringInstructions: field('Meals to be served in cell.'),
        ...location } };
    case 'restricted':
      return { dietAndAllergy: {
        foodAllergies: field([{ value: FOOD_OTHER, comment: 'Reacts to some food colourings' }]),
        medicalDietaryRequirements: field([{ value: MEDICAL_OTHER, comment: 'Avoids nightshades on medical advice' }]),
        personalisedDietaryRequirements: field([{ value: PERSONAL_OTHER, comment: 'Follows a raw food diet' }]),
        cateringInstructions: field('Small portions, several times a day.'),
        ...location } };
    case 'many-alerts':
      return { dietAndAllergy: null };
    default:
      break;
  }
  const roll = rng.next();
  if (roll < 0.1) return null;
  if (roll < 0.2) return { dietAndAllergy: null };
  const pickSome = (codes: readonly ReferenceCode[], other: ReferenceCode, p1: number): DietSelection[] | null => {
    if (rng.chance(0.1)) return null;
    const chosen = codes.filter(() => rng.chance(p1)).map((value) => ({ value, comment: null as string | null }));
    if (rng.chance(p1 / 2)) chosen.push({ value: other, comment: rng.pick(OTHER_COMMENTS) });
    return chosen;
  };
  return { dietAndAllergy: {
    foodAllergies: rng.chance(0.9) ? field(pickSome(FOOD, FOOD_OTHER, 0.12) ?? []) : null,
    medicalDietaryRequirements: rng.chance(0.9) ? field(pickSome(MEDICAL, MEDICAL_OTHER, 0.1) ?? []) : null,
    personalisedDietaryRequirements: rng.chance(0.9) ? field(pickSome(PERSONAL, PERSONAL_OTHER, 0.15) ?? []) : null,
    cateringInstructions: rng.chance(0.8) ? field(rng.chance(0.3) ? rng.pick(CATERING) : null) : null,
    ...location } };
}
