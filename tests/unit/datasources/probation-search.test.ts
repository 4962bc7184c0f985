import { batchOf } from '../../../src/datasources/http/contract.js';
import { describe, expect, it } from '@jest/globals';
import { probationRecordByPrisonNumberLoader, probationRecordLoader } from '../../../src/datasources/probation-search/loaders.js';
import { toProbationRecord } from '../../../src/datasources/probation-search/mapping.js';
import { omittedFrom } from '../../../src/domain/omitted.js';
import type { ProbationSearchRoutes } from '../../../src/datasources/probation-search/routes.js';
import { expectSpecShaped } from './spec-sample.js';

// delius-probation-offender-search.json, schema OffenderDetail (synthetic person).
const offender = {
  offenderId: 2500000001,
  firstName: 'Alex',
  middleNames: ['Jo', 'Lee'],
  surname: 'Example',
  dateOfBirth: '1980-02-29',
  gender: 'Male',
  otherIds: { crn: 'X000001', pncNumber: '2001/0000001A', croNumber: '000001/01A', nomsNumber: 'A0001AA', previousCrn: 'X000000' },
  offenderAliases: [{ id: '1', firstName: 'Al', middleNames: [], surname: 'Sample', dateOfBirth: '1980-03-01', gender: 'Male' }],
  offenderProfile: {
    ethnicity: 'White: British',
    nationality: 'British',
    religion: 'None',
    sexualOrientation: 'Heterosexual',
    disabilities: [
      {
        disabilityId: 1,
        disabilityType: { code: 'VI', description: 'Visual Impairment' },
        condition: { code: 'C1' },
        startDate: '2020-01-01',
        endDate: null,
        notes: 'Synthetic note',
      },
    ],
  },
  contactDetails: { phoneNumbers: [{ number: '07000 000001', type: 'MOBILE' }, { number: null, type: 'TELEPHONE' }], emailAddresses: ['a@example.invalid'] },
  currentExclusion: true,
  currentRestriction: false,
  activeProbationManagedSentence: true,
  age: 44,
};

describe('probation search mapping (toProbationRecord)', () => {
  it('the sample is an OffenderDetail as the spec defines it', () => {
    expectSpecShaped('probationSearch', 'POST', '/crns', [offender]);
  });

  it('maps identity, names (middle names joined), profile and flags', () => {
    const record = toProbationRecord(offender);
    expect(record).toMatchObject({
      crn: 'X000001',
      prisonNumber: 'A0001AA',
      // One PNC form: the canonical long form (no leading zeros in the serial).
      pncNumber: '2001/1A',
      croNumber: '000001/01A',
      firstName: 'Alex',
      middleNames: 'Jo Lee',
      lastName: 'Example',
      dateOfBirth: '1980-02-29',
      gender: 'Male',
      underActiveSupervision: true,
      ethnicity: 'White: British',
      nationality: 'British',
      religion: 'None',
      sexualOrientation: 'Heterosexual',
      age: 44,
      currentExclusion: true,
      currentRestriction: false,
    });
  });

  it('maps disabilities (description, else code); a phone number without a number, a null or blank email left out and counted', () => {
    const record = toProbationRecord(offender);
    expect(omittedFrom(record.contactDetails.phoneNumbers)).toBe(1);
    expect(omittedFrom(record.contactDetails.emails)).toBe(0);
    const blanks = toProbationRecord({ ...offender, contactDetails: { emailAddresses: ['a@example.invalid', ' ', null], phoneNumbers: [] } }).contactDetails;
    expect([blanks.emails, omittedFrom(blanks.emails)]).toEqual([['a@example.invalid'], 2]);
    expect(record.disabilities).toEqual([
      { type: 'Visual Impairment', condition: 'C1', startDate: '2020-01-01', endDate: null, notes: 'Synthetic note' },
    ]);
    expect(record.contactDetails).toEqual({ phoneNumbers: [{ number: '07000 000001', type: 'MOBILE' }], emails: ['a@example.invalid'] });
  });

  it('maps aliases; an empty middle-name list is no middle names', () => {
    expect(toProbationRecord(offender).aliases).toEqual([
      { firstName: 'Al', middleNames: null, lastName: 'Sample', dateOfBirth: '1980-03-01', gender: 'Male' },
    ]);
  });

  it('a bare record (only the required fields) maps to nulls, empty lists and false flags', () => {
    const record = toProbationRecord({ offenderId: 1, otherIds: { crn: 'X000002', nomsNumber: '' } });
    expect(record).toMatchObject({
      crn: 'X000002',
      prisonNumber: null,
      firstName: null,
      middleNames: null,
      dateOfBirth: null,
      underActiveSupervision: false,
      currentExclusion: false,
      age: null,
      disabilities: [],
      aliases: [],
      contactDetails: { phoneNumbers: [], emails: [] },
    });
  });
});

describe('probation search loaders', () => {
  const routes = (asked: string[][]): ProbationSearchRoutes => ({
    offendersByCrns: async (crns) => {
      asked.push([...crns]);
      return batchOf([offender]);
    },
    offendersByNomsNumbers: async (numbers) => {
      asked.push([...numbers]);
      return batchOf([offender]);
    },
  });

  it('by CRN: one batch call; the current and the previous CRN both find the record; unknown is null', async () => {
    const asked: string[][] = [];
    const loader = probationRecordLoader(routes(asked));
    const [current, previous, unknown] = await loader.loadMany(['X000001', 'X000000', 'X999999']);
    expect(asked).toEqual([['X000001', 'X000000', 'X999999']]);
    expect(current).toMatchObject({ crn: 'X000001' });
    expect(previous).toMatchObject({ crn: 'X000001' });
    expect(unknown).toBeNull();
  });

  it('by prison number: the record carrying that number; unknown is null', async () => {
    const asked: string[][] = [];
    const [known, unknown] = await probationRecordByPrisonNumberLoader(routes(asked)).loadMany(['A0001AA', 'B0002BB']);
    expect(known).toMatchObject({ crn: 'X000001', prisonNumber: 'A0001AA' });
    expect(unknown).toBeNull();
    expect(asked).toHaveLength(1);
  });
});
