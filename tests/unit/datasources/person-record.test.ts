import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../src/observability/logger.js';
import {
  linkedCrnLoader,
  linkedPrisonNumberLoader,
  linksAmong,
  personRecordByCrnLoader,
  personRecordByPrisonNumberLoader,
  type PersonRecordLinks,
} from '../../../src/datasources/person-record/loaders.js';
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
    expect(await linkedPrisonNumberLoader(personRecordByCrnLoader(routes), logger).loadMany(['X000001', 'X000002', 'X000009'])).toEqual([
      'A0001AA',
      null,
      null,
    ]);
    expect(await linkedCrnLoader(personRecordByPrisonNumberLoader(routes), logger).loadMany(['A0001AA', 'B0002BB'])).toEqual(['X000001', null]);
  });
});

/**
 * The search's join (linksAmong): looked up from either side, the same links, because the record
 * service answers a CRN and a prison number of one person with one record (identifiers from all the
 * records related to the person). Clusters here: one-to-one, a CRN with two prison numbers (ambiguous),
 * two CRNs with one prison number, unknown ids, and a failing lookup.
 */
describe('links among search matches (linksAmong)', () => {
  const logger = createLogger('silent');
  const clusters: Array<[string[], string[]]> = [
    [['X000001'], ['A0001AA']],
    [['X000002'], ['A0002AA', 'A0003AA']],
    [['X000004', 'X000005'], ['A0004AA']],
    [['X000006'], []],
    [[], ['A0007AA']],
    [['X000008'], ['A0008AA']],
  ];
  const failing = new Set(['X000008', 'A0008AA']);
  function loaders() {
    const calls: string[] = [];
    const find = (id: string) => {
      calls.push(id);
      if (failing.has(id)) throw new Error('record service down');
      const c = clusters.find(([crns, numbers]) => crns.includes(id) || numbers.includes(id));
      return c ? canonical(c[0], c[1]) : null;
    };
    const routes: PersonRecordRoutes = { byCrn: async (crn) => find(crn), byPrisonNumber: async (n) => find(n) };
    const personRecordByCrn = personRecordByCrnLoader(routes);
    const personRecordByPrisonNumber = personRecordByPrisonNumberLoader(routes);
    const l: PersonRecordLinks = {
      personRecordByCrn,
      personRecordByPrisonNumber,
      linkedPrisonNumber: linkedPrisonNumberLoader(personRecordByCrn, logger),
      linkedCrn: linkedCrnLoader(personRecordByPrisonNumber, logger),
    };
    return { l, calls };
  }
  const crns = ['X000001', 'X000002', 'X000004', 'X000005', 'X000006', 'X000008', 'X000099'];
  const numbers = ['A0001AA', 'A0002AA', 'A0003AA', 'A0004AA', 'A0007AA', 'A0008AA', 'A0099AA'];

  it('gives the same links whichever side is looked up, each id looked up once', async () => {
    const byCrn = loaders();
    const byNumber = loaders();
    const fromCrns = await linksAmong(byCrn.l, crns, numbers, { side: 'crn' });
    const fromNumbers = await linksAmong(byNumber.l, crns, numbers, { side: 'prisonNumber' });
    // A failing lookup leaves its ids unlinked (as linkedPrisonNumber answers), whichever side failed.
    const expected = new Map([
      ['X000001', 'A0001AA'],
      ['X000002', null],
      ['X000004', 'A0004AA'],
      ['X000005', 'A0004AA'],
      ['X000006', null],
      ['X000008', null],
      ['X000099', null],
    ]);
    expect(fromCrns).toEqual(expected);
    expect(fromNumbers).toEqual(expected);
    expect(byCrn.calls.sort()).toEqual([...crns].sort());
    expect(byNumber.calls.sort()).toEqual([...numbers].sort());
  });

  it('looks up the smaller side when none is given', async () => {
    const fewerNumbers = loaders();
    await linksAmong(fewerNumbers.l, crns, ['A0001AA', 'A0004AA']);
    expect(fewerNumbers.calls.sort()).toEqual(['A0001AA', 'A0004AA']);
    const fewerCrns = loaders();
    await linksAmong(fewerCrns.l, ['X000001'], numbers);
    expect(fewerCrns.calls).toEqual(['X000001']);
  });

  it('keeps what it learnt for the links asked afterwards, both ways: nothing is asked again', async () => {
    const { l, calls } = loaders();
    await linksAmong(l, crns, numbers, { side: 'prisonNumber' });
    calls.length = 0;
    // Learnt from the prison numbers' records: the CRNs they list, and the numbers themselves.
    expect(await l.linkedPrisonNumber.loadMany(['X000001', 'X000002', 'X000004', 'X000005'])).toEqual(['A0001AA', null, 'A0004AA', 'A0004AA']);
    expect(await l.linkedCrn.loadMany(['A0001AA', 'A0002AA', 'A0004AA', 'A0007AA'])).toEqual(['X000001', 'X000002', null, null]);
    expect(calls).toEqual([]);
    // Not learnt: a CRN no record listed, and a failed lookup's (asked again, once).
    expect(await l.linkedPrisonNumber.loadMany(['X000006', 'X000008'])).toEqual([null, null]);
    expect(calls.sort()).toEqual(['X000006', 'X000008']);
  });

  it('stand-in ids are looked up beside the real ones, and their answers left out', async () => {
    const { l, calls } = loaders();
    const links = await linksAmong(l, ['X000001'], [], { side: 'crn', cover: ['Z999990', 'Z999991'] });
    expect(links).toEqual(new Map([['X000001', 'A0001AA']]));
    expect(calls.sort()).toEqual(['X000001', 'Z999990', 'Z999991']);
  });
});
