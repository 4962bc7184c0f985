import type { PrisonerDto } from '../../../src/datasources/prisoner-search/routes.js';
import type { OffenderDetailDto } from '../../../src/datasources/probation-search/routes.js';

/** A minimal prisoner-search record (synthetic) absorbing the `merged` old prison numbers. */
export const prisoner = (prisonerNumber: string, merged: string[] = []): PrisonerDto => ({
  prisonerNumber,
  firstName: 'Robin',
  lastName: 'Example',
  dateOfBirth: '1975-04-02',
  gender: 'Female',
  identifiers: merged.map((value) => ({ type: 'MERGED', value })),
});

/** A minimal probation-search record (synthetic), with the prison number it holds. */
export const offender = (crn: string, nomsNumber: string | null = null): OffenderDetailDto => ({
  offenderId: 1,
  firstName: 'Robin',
  surname: 'Example',
  otherIds: { crn, nomsNumber },
});
