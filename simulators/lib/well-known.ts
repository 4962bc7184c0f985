/** The well-known people file: the contract between the simulators and the tests that name people. */

import { type Population, UNKNOWN_CRN, UNKNOWN_PRISON_NUMBER } from './population.js';
import { WELL_KNOWN } from './well-known-specs.js';

export interface WellKnownPerson {
  key: string;
  kind: string;
  description: string;
  crn: string | null;
  prisonNumber: string | null;
  mergedPrisonNumbers: string[];
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  pncNumber: string | null;
  croNumber: string | null;
  prisonId: string | null;
}

export interface WellKnownFile {
  seed: string;
  people: WellKnownPerson[];
  unknown: { crn: string; prisonNumber: string };
}

export function wellKnownFile(pop: Population): WellKnownFile {
  return {
    seed: pop.seed,
    people: WELL_KNOWN.map((spec, index) => {
      const p = pop.get(index);
      if (p === undefined || p.key !== spec.key) throw new Error(`well-known person ${spec.key} missing at index ${index}`);
      return {
        key: spec.key,
        kind: p.kind,
        description: spec.description,
        crn: p.crn,
        prisonNumber: p.prisonNumber,
        mergedPrisonNumbers: [...p.mergedPrisonNumbers],
        firstName: p.firstName,
        lastName: p.lastName,
        dateOfBirth: p.dateOfBirth,
        pncNumber: p.pncNumber,
        croNumber: p.croNumber,
        prisonId: p.prisonId,
      };
    }),
    unknown: { crn: UNKNOWN_CRN, prisonNumber: UNKNOWN_PRISON_NUMBER },
  };
}
