import { describe, expect, it } from '@jest/globals';
import { probationAddressesLoader, probationCaseLoader } from '../../../src/datasources/delius-integration/loaders.js';
import { toProbationAddress, toProbationCase } from '../../../src/datasources/delius-integration/mapping.js';
import { omittedFrom } from '../../../src/domain/omitted.js';
import type { DeliusIntegrationRoutes } from '../../../src/datasources/delius-integration/routes.js';
import { expectSpecShaped } from './spec-sample.js';

// delius-integration-api.json, schema SupervisionResponse (synthetic case).
const supervisions = {
  communityManager: {
    code: 'N01A001',
    name: { forename: 'Casey', surname: 'Example' },
    email: 'casey@example.invalid',
    telephoneNumber: '01000 000001',
    allocated: true,
    team: { code: 'N01T01', description: 'Team One', email: 'team@example.invalid', telephoneNumber: '   ' },
  },
  mappaDetail: { level: 2, levelDescription: 'MAPPA Level 2', category: 1, categoryDescription: 'Category 1', startDate: '2024-01-10', reviewDate: '2024-07-10', notes: '' },
  supervisions: [
    {
      number: 1,
      active: false,
      date: '2019-03-01',
      sentence: { description: 'ORA Community Order', date: '2019-03-01', length: 1, lengthUnits: 'Years', custodial: false },
      mainOffence: { date: '2018-12-24', code: '05600', description: 'Synthetic offence A', mainCategory: { code: '056', description: 'Category A' } },
      courtAppearances: [
        { type: 'Trial/Adjournment', date: '2019-02-01T10:00:00Z', court: 'Court One' },
        { type: 'Sentence', date: '2019-03-01T10:00:00+00:00', court: 'Court Two' },
      ],
    },
    {
      number: 2,
      active: true,
      date: '2023-06-15',
      sentence: { description: 'CJA - Std Determinate Custody', length: 18, lengthUnits: 'Months', custodial: true },
      mainOffence: { date: '2023-01-05', code: '', mainCategory: { code: '195', description: 'Category B' } },
      additionalOffences: [{ date: '2023-01-06', code: '19500', description: 'Synthetic offence C' }],
    },
  ],
  dynamicRisks: [
    { code: 'RCCO', description: 'Child Concerns', startDate: '2022-01-01', reviewDate: '2022-07-01', notes: 'Synthetic' },
    { description: 'no code: not a flag' },
    { code: 'RVHR', description: 'Very High RoSH', startDate: '2023-01-01' },
  ],
  personStatus: [{ code: 'WRSM', description: 'Warrant/Summons', startDate: '2021-05-05' }],
};

// schema CaseAddress (inside AddressWrapper).
const address = {
  noFixedAbode: false,
  type: { code: 'MAIN', description: 'Main Address' },
  buildingName: 'Example House',
  addressNumber: '',
  streetName: 'Sample Street',
  town: 'Testtown',
  district: 'Centre',
  county: 'Examplecounty',
  postcode: 'ZZ1 1ZZ',
  from: '2020-01-01',
  notes: 'Synthetic',
};

describe('Delius integration mapping (toProbationCase)', () => {
  it('the sample is a SupervisionResponse as the spec defines it', () => {
    expectSpecShaped('deliusIntegration', 'GET', '/case/X000001/supervisions', supervisions);
  });

  it('maps the community manager and team (blank text is null)', () => {
    expect(toProbationCase(supervisions).communityManager).toEqual({
      forename: 'Casey',
      surname: 'Example',
      email: 'casey@example.invalid',
      telephoneNumber: '01000 000001',
      allocated: true,
      team: { code: 'N01T01', description: 'Team One', email: 'team@example.invalid', telephoneNumber: null },
    });
  });

  it('offences of every supervision, newest first: description else category, court of the sentencing appearance', () => {
    expect(toProbationCase(supervisions).offences).toEqual([
      { source: 'PROBATION', description: 'Synthetic offence C', code: '19500', statuteCode: null, offenceDate: '2023-01-06', courtDates: [], courtName: null },
      { source: 'PROBATION', description: 'Category B', code: null, statuteCode: null, offenceDate: '2023-01-05', courtDates: [], courtName: null },
      {
        source: 'PROBATION',
        description: 'Synthetic offence A',
        code: '05600',
        statuteCode: null,
        offenceDate: '2018-12-24',
        courtDates: ['2019-02-01', '2019-03-01'],
        courtName: 'Court Two',
      },
    ]);
  });

  it('sentences newest first; length in words (singular for one); date falls back to the supervision date', () => {
    expect(toProbationCase(supervisions).sentences).toEqual([
      {
        source: 'PROBATION',
        description: 'CJA - Std Determinate Custody',
        dateOfSentencing: '2023-06-15',
        startDate: '2023-06-15',
        endDate: null,
        custodial: true,
        active: true,
        fineAmount: null,
        length: '18 months',
      },
      {
        source: 'PROBATION',
        description: 'ORA Community Order',
        dateOfSentencing: '2019-03-01',
        startDate: '2019-03-01',
        endDate: null,
        custodial: false,
        active: false,
        fineAmount: null,
        length: '1 year',
      },
    ]);
  });

  it('risk flags newest first, a registration without a code left out and counted; MAPPA mapped', () => {
    const probationCase = toProbationCase(supervisions);
    expect(probationCase.dynamicRisks.map((f) => f.code)).toEqual(['RVHR', 'RCCO']);
    expect(omittedFrom(probationCase.dynamicRisks)).toBe((supervisions.dynamicRisks ?? []).length - 2);
    expect(omittedFrom(probationCase.dynamicRisks)).toBeGreaterThan(0);
    expect(probationCase.statusInformation).toEqual([
      { code: 'WRSM', description: 'Warrant/Summons', startDate: '2021-05-05', reviewDate: null, notes: null },
    ]);
    expect(probationCase.mappa).toEqual({
      level: 2,
      levelDescription: 'MAPPA Level 2',
      category: 1,
      categoryDescription: 'Category 1',
      startDate: '2024-01-10',
      reviewDate: '2024-07-10',
      notes: null,
    });
  });

  it('an empty case has no manager, no MAPPA (nor with neither level nor category) and empty lists', () => {
    expect(toProbationCase({ mappaDetail: { notes: 'x' } })).toEqual({
      communityManager: null,
      offences: [],
      sentences: [],
      dynamicRisks: [],
      statusInformation: [],
      mappa: null,
    });
  });
});

describe('Delius integration mapping (toProbationAddress)', () => {
  it('the sample is an AddressWrapper as the spec defines it', () => {
    expectSpecShaped('deliusIntegration', 'GET', '/case/X000001/addresses', { contactDetails: { addresses: [address] } });
  });

  it('maps an address: flat, building name and house number apart, district as locality, type with description', () => {
    expect(toProbationAddress(address)).toEqual({
      sources: ['PROBATION'],
      noFixedAddress: false,
      flat: null,
      buildingName: 'Example House',
      houseNumber: null,
      street: 'Sample Street',
      locality: 'Centre',
      town: 'Testtown',
      county: 'Examplecounty',
      postcode: 'ZZ1 1ZZ',
      country: null,
      startDate: '2020-01-01',
      endDate: null,
      types: [{ code: 'MAIN', description: 'Main Address' }],
      notes: 'Synthetic',
    });
  });

  it('no fixed abode, and no type without a code', () => {
    expect(toProbationAddress({ noFixedAbode: true, type: { description: 'Unknown' } })).toMatchObject({ noFixedAddress: true, types: [] });
  });
});

describe('Delius integration loaders', () => {
  const routes: DeliusIntegrationRoutes = {
    supervisions: async (crn) => {
      if (crn === 'X000009') throw new Error('boom');
      return crn === 'X000001' ? supervisions : null;
    },
    addresses: async (crn) => (crn === 'X000001' ? [address] : null),
    contacts: async () => null,
    contact: async () => null,
    accessLimitations: async () => null,
  };

  it('case per CRN: unknown is null, a failing call rejects only its own CRN', async () => {
    const [known, unknown, failing] = await probationCaseLoader(routes).loadMany(['X000001', 'X000002', 'X000009']);
    expect(known).toMatchObject({ mappa: { level: 2 } });
    expect(unknown).toBeNull();
    expect(failing).toBeInstanceOf(Error);
  });

  it('addresses per CRN: unknown case has none', async () => {
    const [known, unknown] = await probationAddressesLoader(routes).loadMany(['X000001', 'X000002']);
    expect(known).toHaveLength(1);
    expect(unknown).toEqual([]);
  });
});
