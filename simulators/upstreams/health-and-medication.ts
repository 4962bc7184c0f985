/** DPS Health and Medication API (dps-health-and-medication.json): a prisoner's diet and food allergies. */

import { type DietFieldModel, type DietModel, type DietSelection, healthRecord } from '../lib/health-data.js';
import { HttpError, type UpstreamDefinition, hmppsError, ok } from '../lib/http.js';
import type { Population } from '../lib/population.js';

function field<T, R>(f: DietFieldModel<T> | null, value: (v: T) => R): Record<string, unknown> | null {
  return f === null ? null : { ...f, value: value(f.value) };
}

const selections = (list: DietSelection[]) => list.map((s) => ({ value: s.value, comment: s.comment }));

function dietDto(d: DietModel): Record<string, unknown> {
  return {
    foodAllergies: field(d.foodAllergies, selections),
    medicalDietaryRequirements: field(d.medicalDietaryRequirements, selections),
    personalisedDietaryRequirements: field(d.personalisedDietaryRequirements, selections),
    cateringInstructions: field(d.cateringInstructions, (v) => v),
    topLevelLocation: d.topLevelLocation,
    lastAdmissionDate: d.lastAdmissionDate,
  };
}

export function createHealthAndMedication(pop: Population): UpstreamDefinition {
  return {
    name: 'healthAndMedication',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/prisoners/{prisonerNumber}',
        handler: (ctx) => {
          const n = (ctx.params.prisonerNumber ?? '').toUpperCase();
          const p = pop.byPrisonNumberValue(n);
          const record = p ? healthRecord(pop, p) : null;
          if (record === null) throw new HttpError(404, `No health and medication data for ${n}`);
          return ok({ dietAndAllergy: record.dietAndAllergy ? dietDto(record.dietAndAllergy) : null });
        },
      },
    ],
  };
}
