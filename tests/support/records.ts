import type { PrisonRecord, ProbationRecord } from '../../src/domain/person.js';

const person = {
  firstName: null,
  middleNames: null,
  lastName: null,
  dateOfBirth: null,
  gender: null,
  ethnicity: null,
  nationality: null,
  religion: null,
  pncNumber: null,
  croNumber: null,
  aliases: [],
};

/** A prison record with empty details; tests override what they care about. */
export function prisonRecord(overrides: Partial<PrisonRecord> & { prisonNumber: string }): PrisonRecord {
  return {
    ...person,
    prisonId: null,
    status: null,
    bookingId: null,
    maritalStatus: null,
    details: {
      inPrison: false,
      status: null,
      prisonId: null,
      prisonName: null,
      cellLocation: null,
      receptionDate: null,
      category: null,
      csra: null,
      youthOffender: null,
      physicalCharacteristics: {
        heightCentimetres: null, weightKilograms: null, hairColour: null, rightEyeColour: null, leftEyeColour: null,
        facialHair: null, shapeOfFace: null, build: null, shoeSize: null, distinguishingMarks: [],
      },
      languages: [],
      personalCareNeeds: [],
    },
    ...overrides,
  };
}

export function probationRecord(overrides: Partial<ProbationRecord> & { crn: string }): ProbationRecord {
  return {
    ...person,
    prisonNumber: null,
    underActiveSupervision: false,
    currentExclusion: false,
    currentRestriction: false,
    age: null,
    sexualOrientation: null,
    disabilities: [],
    contactDetails: { phoneNumbers: [], emails: [] },
    ...overrides,
  };
}
