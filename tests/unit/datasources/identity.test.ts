import { batchOf } from '../../../src/datasources/http/contract.js';
import { describe, expect, it } from '@jest/globals';
import { COVER_PRISON_NUMBER, createPersonLoader, standInPrisonNumber, type IdentityLoaders } from '../../../src/datasources/identity.js';
import { linkedCrnLoader, linkedPrisonNumberLoader, personRecordByCrnLoader, personRecordByPrisonNumberLoader } from '../../../src/datasources/person-record/loaders.js';
import type { CanonicalRecordDto, PersonRecordRoutes } from '../../../src/datasources/person-record/routes.js';
import { mergedPrisonRecordLoader, prisonRecordLoader } from '../../../src/datasources/prisoner-search/loaders.js';
import type { PrisonerDto, PrisonerSearchRoutes } from '../../../src/datasources/prisoner-search/routes.js';
import { probationRecordByPrisonNumberLoader, probationRecordLoader } from '../../../src/datasources/probation-search/loaders.js';
import type { OffenderDetailDto, ProbationSearchRoutes } from '../../../src/datasources/probation-search/routes.js';
import type { PersonRef } from '../../../src/domain/person.js';
import { NO_ROW_FILTERS, type RowFilters } from '../../../src/domain/visibility.js';
import { createLogger } from '../../../src/observability/logger.js';
import { offender, prisoner } from './samples.js';

/*
 * The staged identity loader over the real per-upstream loaders, with fake route functions: each
 * fake records which route it was asked (in order) and answers from a small synthetic world.
 */

const links = (crns: string[], prisonNumbers: string[]): CanonicalRecordDto => ({ identifiers: { crns, prisonNumbers } });

interface World {
  prisoners?: PrisonerDto[];
  offenders?: OffenderDetailDto[];
  /** Core person record, by CRN or prison number. */
  records?: Record<string, CanonicalRecordDto>;
  failing?: Partial<Record<'prisonerSearch' | 'probationSearch' | 'personRecord', boolean>>;
  /** The consumer's row filters, as identity resolution sees them (`IdentityLoaders.rowFilters`). */
  rowFilters?: RowFilters;
}

function identityOver(world: World) {
  const asked: string[] = [];
  const fail = (system: keyof NonNullable<World['failing']>, route: string) => {
    asked.push(route);
    if (world.failing?.[system]) throw new Error(`${system} unavailable`);
  };
  const prisoners = world.prisoners ?? [];
  const offenders = world.offenders ?? [];
  const prisonerSearch: PrisonerSearchRoutes = {
    prisonersByNumbers: async (numbers) => {
      fail('prisonerSearch', `prisoner-numbers ${numbers.join(',')}`);
      return batchOf(prisoners.filter((p) => numbers.includes(p.prisonerNumber)));
    },
    prisonersMergedFrom: async (old) => {
      fail('prisonerSearch', `merged-from ${old.join(',')}`);
      return prisoners.filter((p) => p.identifiers?.some((i) => old.includes(i.value ?? '')));
    },
  };
  // Probation answers a little later, and says when: a call made before that is of the same stage.
  const later = async <T>(route: string, answer: () => T): Promise<T> => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    asked.push(`answered ${route}`);
    return answer();
  };
  const probationSearch: ProbationSearchRoutes = {
    offendersByCrns: async (crns) => {
      fail('probationSearch', `crns ${crns.join(',')}`);
      return batchOf(await later('crns', () => offenders.filter((o) => crns.includes(o.otherIds.crn))));
    },
    offendersByNomsNumbers: async (numbers) => {
      fail('probationSearch', `nomsNumbers ${numbers.join(',')}`);
      return batchOf(await later('nomsNumbers', () => offenders.filter((o) => numbers.includes(o.otherIds.nomsNumber ?? ''))));
    },
  };
  const personRecord: PersonRecordRoutes = {
    byCrn: async (crn) => {
      fail('personRecord', `record ${crn}`);
      return world.records?.[crn] ?? null;
    },
    byPrisonNumber: async (n) => {
      fail('personRecord', `record ${n}`);
      return world.records?.[n] ?? null;
    },
  };
  const logger = createLogger('silent');
  const loaders: IdentityLoaders = {
    prisonRecord: prisonRecordLoader(prisonerSearch),
    mergedPrisonRecord: mergedPrisonRecordLoader(prisonerSearch),
    probationRecord: probationRecordLoader(probationSearch),
    probationRecordByPrisonNumber: probationRecordByPrisonNumberLoader(probationSearch),
    linkedPrisonNumber: linkedPrisonNumberLoader(personRecordByCrnLoader(personRecord), logger),
    linkedCrn: linkedCrnLoader(personRecordByPrisonNumberLoader(personRecord), logger),
    ...(world.rowFilters ? { rowFilters: world.rowFilters } : {}),
  };
  return { person: createPersonLoader(loaders), asked };
}

const ids = (p: PersonRef | Error | null) =>
  p instanceof Error || p === null ? p : { crn: p.crn, prisonNumber: p.prisonNumber, requestedPrisonNumber: p.requestedPrisonNumber };

describe('staged identity resolution', () => {
  it('stage 1 only when every id is a prison number: prisoner search is asked with the other stage-1 calls, once for all', async () => {
    const { person, asked } = identityOver({
      prisoners: [prisoner('A0001AA'), prisoner('B0002BB')],
      offenders: [offender('X000001', 'A0001AA')],
    });
    const [a, b] = await person.loadMany(['A0001AA', 'B0002BB']);
    expect(ids(a!)).toEqual({ crn: 'X000001', prisonNumber: 'A0001AA', requestedPrisonNumber: null });
    expect(ids(b!)).toEqual({ crn: null, prisonNumber: 'B0002BB', requestedPrisonNumber: null });
    expect(asked.filter((r) => !r.startsWith('record'))).toEqual([
      'nomsNumbers A0001AA,B0002BB',
      'prisoner-numbers A0001AA,B0002BB',
      // Asked whether or not prisoner search knows the numbers: the same work for unknown ids (issue 14).
      'merged-from A0001AA,B0002BB',
      'answered nomsNumbers',
    ]);
  });

  it('a CRN becomes a prison number in stage 1 and its prison record is fetched in stage 2, with the prison numbers asked for', async () => {
    const { person, asked } = identityOver({
      prisoners: [prisoner('A0001AA'), prisoner('B0002BB')],
      offenders: [offender('X000001', 'A0001AA')],
    });
    const [byCrn, byNumber] = await person.loadMany(['X000001', 'B0002BB']);
    expect(ids(byCrn!)).toEqual({ crn: 'X000001', prisonNumber: 'A0001AA', requestedPrisonNumber: null });
    expect(byCrn).toMatchObject({ prison: { prisonNumber: 'A0001AA' }, probation: { crn: 'X000001' } });
    expect(ids(byNumber!)).toEqual({ crn: null, prisonNumber: 'B0002BB', requestedPrisonNumber: null });
    // One prisoner-search call for both people, after probation answered stage 1.
    const prisonerCalls = asked.filter((r) => r.startsWith('prisoner-numbers'));
    expect(prisonerCalls).toEqual(['prisoner-numbers A0001AA,B0002BB']);
    expect(asked.indexOf(prisonerCalls[0]!)).toBeGreaterThan(asked.indexOf('answered crns'));
  });

  it('an unambiguous core person record link wins over the prison number probation holds', async () => {
    const { person } = identityOver({
      prisoners: [prisoner('A0001AA'), prisoner('C0003CC')],
      offenders: [offender('X000001', 'A0001AA')],
      records: { X000001: links(['X000001'], ['C0003CC']) },
    });
    expect(ids(await person.load('X000001'))).toMatchObject({ crn: 'X000001', prisonNumber: 'C0003CC' });
  });

  it('an ambiguous core person record (two prison numbers) is no link: probation’s own number is used', async () => {
    const { person } = identityOver({
      prisoners: [prisoner('A0001AA'), prisoner('C0003CC')],
      offenders: [offender('X000001', 'A0001AA')],
      records: { X000001: links(['X000001'], ['C0003CC', 'A0001AA']) },
    });
    expect(ids(await person.load('X000001'))).toMatchObject({ crn: 'X000001', prisonNumber: 'A0001AA' });
  });

  it('a CRN linked by the core person record only is fetched from probation by CRN', async () => {
    const { person, asked } = identityOver({
      prisoners: [prisoner('A0001AA')],
      offenders: [offender('X000002')],
      records: { A0001AA: links(['X000002'], ['A0001AA']) },
    });
    expect(ids(await person.load('A0001AA'))).toEqual({ crn: 'X000002', prisonNumber: 'A0001AA', requestedPrisonNumber: null });
    expect(asked).toContain('crns X000002');
  });

  it('a merged prison number finds the surviving record (stage 3) and remembers the number asked for', async () => {
    const { person, asked } = identityOver({
      prisoners: [prisoner('A0001AA', ['B0002BB'])],
      offenders: [offender('X000001', 'A0001AA')],
    });
    const found = await person.load('B0002BB');
    expect(ids(found)).toEqual({ crn: 'X000001', prisonNumber: 'A0001AA', requestedPrisonNumber: 'B0002BB' });
    expect(asked).toContain('merged-from B0002BB');
    // Probation did not know the old number: it is asked again by the surviving one.
    expect(asked).toContain('nomsNumbers A0001AA');
  });

  it('a merged prison number of a person the consumer may not see costs what an unknown number costs (issue 14)', async () => {
    // The surviving record is in no prison the consumer may see.
    const world = { prisoners: [prisoner('A0001AA', ['B0002BB'])], offenders: [offender('X000001', 'A0001AA')], rowFilters: { ...NO_ROW_FILTERS, prisons: new Set(['LEI']) } };
    const merged = identityOver(world);
    const found = await merged.person.load('B0002BB');
    // Answered with the surviving record (the resolver then says NOT_FOUND), probation not asked again.
    expect(ids(found)).toEqual({ crn: null, prisonNumber: 'A0001AA', requestedPrisonNumber: 'B0002BB' });
    const unknown = identityOver(world);
    expect(await unknown.person.load('C0003CC')).toBeNull();
    const routes = (asked: string[]) => asked.map((r) => r.split(' ')[0]);
    expect(routes(merged.asked)).toEqual(routes(unknown.asked));
  });

  it('released, under a filter the probation half decides: a hidden merged number, a hidden person and an unknown number ask the same (issue 14)', async () => {
    // Released (no ACTIVE status), unsupervised: a PROBATION filter hides them, which only probation can say.
    const rowFilters = { ...NO_ROW_FILTERS, supervisionStatuses: new Set(['PROBATION'] as const) };
    const world = { prisoners: [prisoner('A0001AA', ['B0002BB']), prisoner('D0004DD')], offenders: [offender('X000001', 'A0001AA')], rowFilters };
    const merged = identityOver(world);
    expect(ids(await merged.person.load('B0002BB'))).toEqual({ crn: 'X000001', prisonNumber: 'A0001AA', requestedPrisonNumber: 'B0002BB' });
    const hidden = identityOver(world);
    expect(ids(await hidden.person.load('D0004DD'))).toEqual({ crn: null, prisonNumber: 'D0004DD', requestedPrisonNumber: null });
    const unknown = identityOver(world);
    expect(await unknown.person.load('C0003CC')).toBeNull();
    const routes = (asked: string[]) => asked.map((r) => r.split(' ')[0]).sort();
    expect(routes(merged.asked)).toEqual(routes(unknown.asked));
    expect(routes(hidden.asked)).toEqual(routes(unknown.asked));
    // The surviving number's pair in the merged case; a stand-in's in the others.
    expect(merged.asked).toEqual(expect.arrayContaining(['record A0001AA', 'nomsNumbers A0001AA']));
    expect(unknown.asked).toEqual(expect.arrayContaining([`record ${standInPrisonNumber(0)}`, `nomsNumbers ${standInPrisonNumber(0)}`]));
    // Without a filter the probation half decides, an unknown number asks nothing more.
    const open = identityOver({ ...world, rowFilters: NO_ROW_FILTERS });
    expect(await open.person.load('C0003CC')).toBeNull();
    expect(open.asked.some((r) => r.includes(standInPrisonNumber(0)))).toBe(false);
  });

  it('a CRN probation search does not know is no person; prisoner search is asked only about a stand-in number', async () => {
    const { person, asked } = identityOver({ records: { X000404: links(['X000404'], ['A0001AA']) } });
    expect(await person.load('X000404')).toBeNull();
    // The same calls as for a CRN that has a prison number (a person the consumer may not see).
    expect(asked.filter((r) => r.startsWith('prisoner-numbers') || r.startsWith('merged-from'))).toEqual([
      `prisoner-numbers ${COVER_PRISON_NUMBER}`,
      `merged-from ${COVER_PRISON_NUMBER}`,
    ]);
  });

  it('an unknown CRN while prisoner search is down is the failure, not "no person" (issue 12 item 6)', async () => {
    const { person } = identityOver({ failing: { prisonerSearch: true } });
    await expect(person.load('X000404')).rejects.toThrow('prisonerSearch unavailable');
  });

  it('a failing stage: prisoner search down leaves a CRN person answered with the prison half marked unavailable', async () => {
    const { person } = identityOver({
      prisoners: [prisoner('A0001AA')],
      offenders: [offender('X000001', 'A0001AA')],
      failing: { prisonerSearch: true },
    });
    const found = await person.load('X000001');
    expect(found).toMatchObject({ crn: 'X000001', prisonNumber: 'A0001AA', prison: null, probation: { crn: 'X000001' } });
    expect(found?.prisonUnavailable).toBeInstanceOf(Error);
  });

  it('a failing stage: prisoner search down and no probation record fails a prison-number person', async () => {
    const { person } = identityOver({ prisoners: [prisoner('A0001AA')], failing: { prisonerSearch: true } });
    await expect(person.load('A0001AA')).rejects.toThrow('prisonerSearch unavailable');
  });

  it('a failing stage: probation search down fails a CRN person (it is the system of record for CRNs)', async () => {
    const { person } = identityOver({ offenders: [offender('X000001')], failing: { probationSearch: true } });
    await expect(person.load('X000001')).rejects.toThrow('probationSearch unavailable');
  });

  it('a failing core person record costs nothing: the source systems’ links are used', async () => {
    const { person } = identityOver({
      prisoners: [prisoner('A0001AA')],
      offenders: [offender('X000001', 'A0001AA')],
      failing: { personRecord: true },
    });
    const [byCrn, byNumber] = await person.loadMany(['X000001', 'A0001AA']);
    expect(ids(byCrn!)).toEqual({ crn: 'X000001', prisonNumber: 'A0001AA', requestedPrisonNumber: null });
    expect(ids(byNumber!)).toEqual({ crn: 'X000001', prisonNumber: 'A0001AA', requestedPrisonNumber: null });
  });
});
