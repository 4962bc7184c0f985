import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/observability/logger.js';
import { linkedCrnLoader, linkedPrisonNumberLoader } from '../../../src/datasources/person-record/loaders.js';
import { soleLinkedId } from '../../../src/datasources/person-record/mapping.js';
import type { CanonicalRecordDto, PersonRecordRoutes } from '../../../src/datasources/person-record/routes.js';
import { expectSpecShaped } from './spec-sample.js';

const identifiers = (crns: string[], prisonNumbers: string[]) => ({
  crns,
  prisonNumbers,
  defendantIds: [],
  cids: [],
  pncs: [],
  cros: [],
  nationalInsuranceNumbers: [],
  driverLicenseNumbers: [],
  arrestSummonsNumbers: [],
});

// core-person-record.json, schema CanonicalRecord (synthetic person).
const canonical = (crns: string[], prisonNumbers: string[]) => ({
  cprUUID: '00000000-0000-4000-8000-000000000002',
  firstName: 'Sam',
  lastName: 'Example',
  title: {},
  sex: {},
  sexualOrientation: {},
  religion: {},
  ethnicity: {},
  aliases: [],
  nationalities: [],
  addresses: [],
  identifiers: identifiers(crns, prisonNumbers),
});

describe('core person record mapping (soleLinkedId)', () => {
  it('the sample is a CanonicalRecord as the spec defines it', () => {
    expectSpecShaped('personRecord', 'GET', '/person/probation/X000001', canonical(['X000001'], ['A0001AA']));
  });

  it('one linked id of the wanted kind is the link', () => {
    const record = canonical(['X000001'], ['A0001AA']);
    expect(soleLinkedId(record, 'prisonNumbers')).toBe('A0001AA');
    expect(soleLinkedId(record, 'crns')).toBe('X000001');
  });

  it('the same id listed twice is still one', () => {
    expect(soleLinkedId(canonical([], ['A0001AA', 'A0001AA']), 'prisonNumbers')).toBe('A0001AA');
  });

  it('several ids (ambiguous), none, or no record is no link', () => {
    expect(soleLinkedId(canonical([], ['A0001AA', 'B0002BB']), 'prisonNumbers')).toBeNull();
    expect(soleLinkedId(canonical([], []), 'prisonNumbers')).toBeNull();
    expect(soleLinkedId({} satisfies CanonicalRecordDto, 'crns')).toBeNull();
    expect(soleLinkedId(null, 'crns')).toBeNull();
  });
});

describe('core person record loaders', () => {
  const logger = createLogger('silent');

  it('link by CRN and by prison number; a failing lookup is no link, not an error', async () => {
    const routes: PersonRecordRoutes = {
      byCrn: async (crn) => {
        if (crn === 'X000009') throw new Error('record service down');
        return crn === 'X000001' ? canonical(['X000001'], ['A0001AA']) : null;
      },
      byPrisonNumber: async (n) => (n === 'A0001AA' ? canonical(['X000001'], ['A0001AA']) : null),
    };
    expect(await linkedPrisonNumberLoader(routes, logger).loadMany(['X000001', 'X000002', 'X000009'])).toEqual([
      'A0001AA',
      null,
      null,
    ]);
    expect(await linkedCrnLoader(routes, logger).loadMany(['A0001AA', 'B0002BB'])).toEqual(['X000001', null]);
  });
});
