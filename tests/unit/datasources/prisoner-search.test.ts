import { batchOf } from '../../../src/datasources/http/contract.js';
import { describe, expect, it } from '@jest/globals';
import { mergedPrisonRecordLoader, prisonRecordLoader } from '../../../src/datasources/prisoner-search/loaders.js';
import { mergedNumbersOf, toPrisonRecord } from '../../../src/datasources/prisoner-search/mapping.js';
import { omittedFrom } from '../../../src/domain/omitted.js';
import type { PrisonerDto, PrisonerSearchRoutes } from '../../../src/datasources/prisoner-search/routes.js';
import { attributeQuery } from '../../../src/datasources/prisoner-search/search.js';
import { expectSpecShaped } from './spec-sample.js';

// dps-prisoner-search.json, schema Prisoner (synthetic person; the spec's required fields and the ones mapped).
const prisoner = {
  prisonerNumber: 'A0001AA',
  pncNumber: '12/394773H',
  croNumber: '29906/12J',
  bookingId: '1200001',
  firstName: 'Robin',
  middleNames: 'Jo',
  lastName: 'Example',
  dateOfBirth: '1975-04-02',
  gender: 'Female',
  ethnicity: 'White: Eng./Welsh/Scot./N.Irish/British',
  raceCode: 'W1',
  youthOffender: false,
  maritalStatus: 'Single-not married/in civil partnership',
  religion: 'Church of England (Anglican)',
  nationality: 'British',
  status: 'ACTIVE IN',
  inOutStatus: 'IN',
  prisonId: 'MDI',
  prisonName: 'HMP Example',
  cellLocation: 'A-1-002',
  receptionDate: '2023-05-01',
  category: 'C',
  csra: 'Standard',
  mostSeriousOffence: 'Synthetic offence',
  restrictedPatient: false,
  heightCentimetres: 170,
  weightKilograms: 70,
  hairColour: 'Brown',
  rightEyeColour: 'Blue',
  leftEyeColour: 'Green',
  facialHair: 'Clean Shaven',
  shapeOfFace: 'Oval',
  build: 'Medium',
  shoeSize: 7,
  tattoos: [{ bodyPart: 'Arm', comment: 'Anchor' }],
  scars: [{ bodyPart: 'Knee' }],
  marks: [],
  languages: [
    { type: 'PRIM', code: 'ENG', interpreterRequested: false },
    { type: 'SEC', code: 'FRE', interpreterRequested: true },
    { type: 'SEC' },
  ],
  personalCareNeeds: [{ problemType: 'MATSTAT', problemCode: 'ACCU9', problemDescription: 'Synthetic need', startDate: '2020-06-01' }],
  aliases: [{ firstName: 'Rob', lastName: 'Sample', dateOfBirth: '1975-04-03', gender: 'Female' }],
  identifiers: [
    { type: 'MERGED', value: 'B0002BB', createdDateTime: '2024-01-01T10:00:00' },
    { type: 'PNC', value: '12/394773H' },
    { type: 'MERGED', value: 'C0003CC' },
  ],
};

describe('prisoner search mapping (toPrisonRecord, mergedNumbersOf)', () => {
  it('the sample is a Prisoner as the spec defines it', () => {
    expectSpecShaped('prisonerSearch', 'POST', '/prisoner-search/prisoner-numbers', [prisoner]);
  });

  it('maps identity, names and demographics', () => {
    expect(toPrisonRecord(prisoner)).toMatchObject({
      prisonNumber: 'A0001AA',
      bookingId: '1200001',
      // One PNC form: the canonical long form.
      pncNumber: '2012/394773H',
      croNumber: '29906/12J',
      firstName: 'Robin',
      middleNames: 'Jo',
      lastName: 'Example',
      dateOfBirth: '1975-04-02',
      gender: 'Female',
      prisonId: 'MDI',
      status: 'ACTIVE IN',
      maritalStatus: 'Single-not married/in civil partnership',
      religion: 'Church of England (Anglican)',
      aliases: [{ firstName: 'Rob', middleNames: null, lastName: 'Sample', dateOfBirth: '1975-04-03', gender: 'Female' }],
    });
  });

  it('maps prison details: in prison, marks by kind, languages with a code, care needs', () => {
    const { details } = toPrisonRecord(prisoner);
    expect(details).toMatchObject({ inPrison: true, prisonName: 'HMP Example', cellLocation: 'A-1-002', receptionDate: '2023-05-01' });
    expect(details.physicalCharacteristics.distinguishingMarks).toEqual([
      { kind: 'TATTOO', bodyPart: 'Arm', comment: 'Anchor' },
      { kind: 'SCAR', bodyPart: 'Knee', comment: null },
    ]);
    expect(details.languages).toEqual([
      { code: 'ENG', primary: true, interpreterRequested: false },
      { code: 'FRE', primary: false, interpreterRequested: true },
    ]);
    // A language without its code cannot be shown (Language.code is non-null): left out and counted.
    expect(omittedFrom(details.languages)).toBe(1);
    expect(details.personalCareNeeds).toEqual([
      { type: 'MATSTAT', code: 'ACCU9', description: 'Synthetic need', startDate: '2020-06-01', endDate: null },
    ]);
  });

  it('someone out of prison is not in prison; absent optional fields are null or empty', () => {
    const out: PrisonerDto = { prisonerNumber: 'D0004DD', firstName: 'A', lastName: 'B', dateOfBirth: '1990-01-01', gender: 'Male', inOutStatus: 'OUT' };
    const record = toPrisonRecord(out);
    expect(record.details.inPrison).toBe(false);
    expect(record).toMatchObject({ prisonId: null, bookingId: null, middleNames: null, pncNumber: null, aliases: [] });
    expect(record.details.physicalCharacteristics.distinguishingMarks).toEqual([]);
  });

  it('merged numbers are the MERGED identifiers only', () => {
    expect(mergedNumbersOf(prisoner)).toEqual(['B0002BB', 'C0003CC']);
    expect(mergedNumbersOf({ ...prisoner, identifiers: null })).toEqual([]);
  });
});

describe('prisoner search loaders', () => {
  const routes = (asked: string[][]): PrisonerSearchRoutes => ({
    prisonersByNumbers: async (numbers) => {
      asked.push([...numbers]);
      return batchOf(numbers.includes('A0001AA') ? [prisoner] : []);
    },
    prisonersMergedFrom: async (old) => {
      asked.push([...old]);
      return [prisoner];
    },
  });

  it('by number: one batch call for all numbers; unknown numbers are null', async () => {
    const asked: string[][] = [];
    const [known, unknown] = await prisonRecordLoader(routes(asked)).loadMany(['A0001AA', 'Z9999ZZ']);
    expect(asked).toEqual([['A0001AA', 'Z9999ZZ']]);
    expect(known).toMatchObject({ prisonNumber: 'A0001AA' });
    expect(unknown).toBeNull();
  });

  it('merged from: each old number finds the record that absorbed it', async () => {
    const asked: string[][] = [];
    const [b, c, z] = await mergedPrisonRecordLoader(routes(asked)).loadMany(['B0002BB', 'C0003CC', 'Z9999ZZ']);
    expect(asked).toHaveLength(1);
    expect(b).toMatchObject({ prisonNumber: 'A0001AA' });
    expect(c).toMatchObject({ prisonNumber: 'A0001AA' });
    expect(z).toBeNull();
  });
});

describe('prisoner search query (attributeQuery)', () => {
  it('names match any variant, in the record or (with aliases) an alias; date, PNC and prisons are matchers', () => {
    const query = attributeQuery(
      { firstName: 'Robin', lastName: 'Example', dateOfBirth: '1975-04-02', pncNumber: ' 12/394773H ', includeAliases: true },
      ['MDI', 'LEI'],
    );
    expect(query.matchers).toEqual([
      { type: 'Date', attribute: 'dateOfBirth', minValue: '1975-04-02', maxValue: '1975-04-02' },
      { type: 'PNC', pncNumber: '12/394773H' },
      { type: 'String', attribute: 'prisonId', condition: 'IN', searchTerm: 'MDI,LEI' },
    ]);
    const [names] = query.subQueries ?? [];
    expect(names?.joinType).toBe('OR');
    expect(JSON.stringify(names)).toContain('"attribute":"aliases.lastName"');
  });
});
