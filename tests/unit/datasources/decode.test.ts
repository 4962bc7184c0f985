/**
 * Boundary checks of prisoner search and probation search answers (docs/adr/0009): shapes, identifier
 * formats and value domains. One bad entry spoils that entry (or its key), never the answer; a key
 * whose entry broke the contract is UPSTREAM_INVALID_RESPONSE, never "not known".
 */
import { describe, expect, it } from '@jest/globals';
import { decodeAlertPage } from '../../../src/datasources/alerts/decode.js';
import { toAlert } from '../../../src/datasources/alerts/mapping.js';
import { alertAppliesOn } from '../../../src/domain/profile.js';
import { londonDate } from '../../../src/domain/time.js';
import { decodeAccessLimitations, decodeCaseAddresses, decodeSupervisions } from '../../../src/datasources/delius-integration/decode.js';
import { decodeHealthAndMedication } from '../../../src/datasources/health-and-medication/decode.js';
import { decodeReasonableAdjustments, decodeSentenceSummary } from '../../../src/datasources/prison-api/decode.js';
import { decodeChildren } from '../../../src/datasources/personal-relationships/decode.js';
import { toProbationCase } from '../../../src/datasources/delius-integration/mapping.js';
import type { SupervisionResponseDto } from '../../../src/datasources/delius-integration/routes.js';
import { ContractViolation, type Report } from '../../../src/datasources/http/contract.js';
import type { ContractReason } from '../../../src/datasources/http/errors.js';
import { UpstreamError } from '../../../src/datasources/http/errors.js';
import { decodePrisoner, decodePrisonerBatch, decodePrisonerPage } from '../../../src/datasources/prisoner-search/decode.js';
import { prisonRecordLoader } from '../../../src/datasources/prisoner-search/loaders.js';
import type { PrisonerSearchRoutes } from '../../../src/datasources/prisoner-search/routes.js';
import { decodeOffenderPage, decodeOffendersByCrn } from '../../../src/datasources/probation-search/decode.js';
import { probationRecordLoader } from '../../../src/datasources/probation-search/loaders.js';
import type { ProbationSearchRoutes } from '../../../src/datasources/probation-search/routes.js';
import { offender, prisoner } from './samples.js';

function reporter(): { report: Report; seen: Array<[ContractReason, string]> } {
  const seen: Array<[ContractReason, string]> = [];
  return { report: (reason, detail) => seen.push([reason, detail]), seen };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('prisoner search answers', () => {
  it('a valid record passes unchanged', () => {
    const { report, seen } = reporter();
    const p = { ...prisoner('A0001AA'), bookingId: '1200001', heightCentimetres: 170, shoeSize: 7 };
    expect(decodePrisoner(clone(p), '$', report)).toEqual(p);
    // 29 February of a leap year is a day.
    expect(decodePrisoner({ ...clone(p), dateOfBirth: '1976-02-29' }, '$', report).dateOfBirth).toBe('1976-02-29');
    expect(seen).toEqual([]);
  });

  it.each([
    ['a prison number that is not one', { prisonerNumber: 'deserunt do' }, 'value'],
    ['a null prison number', { prisonerNumber: null }, 'shape'],
    ['a non-numeric booking id', { bookingId: 'eiusmod' }, 'value'],
    ['a negative height', { heightCentimetres: -1432060600 }, 'value'],
    ['an absurd shoe size', { shoeSize: 1775497180 }, 'value'],
    ['a date of birth as a number', { dateOfBirth: 19750402 }, 'shape'],
    ['an impossible date', { dateOfBirth: '1975-13-45' }, 'value'],
    ['a day that does not exist (30 February)', { dateOfBirth: '1975-02-30' }, 'value'],
    ['29 February of a common year', { dateOfBirth: '1975-02-29' }, 'value'],
    ['aliases as an object', { aliases: { 0: {} } }, 'shape'],
    ['a name as a number', { firstName: 42 }, 'shape'],
  ])('%s is a contract violation of that record', (_name, drift, reason) => {
    const { report } = reporter();
    try {
      decodePrisoner({ ...prisoner('A0001AA'), ...drift }, '$', report);
      throw new Error('expected a violation');
    } catch (e) {
      expect(e).toBeInstanceOf(ContractViolation);
      expect((e as ContractViolation).reason).toBe(reason);
      // Paths and expectations only: never the value.
      expect((e as Error).message).not.toMatch(/deserunt|eiusmod|1432060600|19750402/);
    }
  });

  it('a bad entry of a nested list spoils that entry only; a merged number that is not one is dropped', () => {
    const { report, seen } = reporter();
    const p = {
      ...prisoner('A0001AA', ['B0002BB', 'not a number']),
      aliases: [{ firstName: 'Rob' }, { firstName: 7 }],
      personalCareNeeds: [{ problemCode: 'X', startDate: '2020-01-02', endDate: '2019-01-01' }, { problemCode: 'Y' }],
    };
    const out = decodePrisoner(p, '$', report);
    expect(out.aliases).toEqual([{ firstName: 'Rob' }]);
    expect(out.personalCareNeeds).toEqual([{ problemCode: 'Y' }]);
    expect(out.identifiers).toEqual([{ type: 'MERGED', value: 'B0002BB' }]);
    expect(seen.map(([r]) => r).sort()).toEqual(['shape', 'value', 'value']);
  });

  it('the answer itself of another shape is a violation of the whole answer (arrays as objects)', () => {
    const { report } = reporter();
    expect(() => decodePrisonerBatch({ 0: prisoner('A0001AA') }, report)).toThrow(ContractViolation);
    expect(() => decodePrisonerPage([prisoner('A0001AA')], report)).toThrow(ContractViolation);
    expect(() => decodePrisonerPage({ content: { 0: prisoner('A0001AA') } }, report)).toThrow(ContractViolation);
  });

  it('a search page keeps its good entries when one is bad', () => {
    const { report, seen } = reporter();
    const page = decodePrisonerPage({ content: [prisoner('A0001AA'), { ...prisoner('A0002AA'), heightCentimetres: -1 }, prisoner('A0003AA')], totalElements: 3 }, report);
    expect(page.content.map((p) => p.prisonerNumber)).toEqual(['A0001AA', 'A0003AA']);
    expect(seen).toHaveLength(1);
  });

  it('loader: a spoiled entry gives its number UPSTREAM_INVALID_RESPONSE (bad-response), other numbers their record or null', async () => {
    const { report } = reporter();
    const body = [prisoner('A0001AA'), { ...prisoner('A0002AA'), bookingId: 'x' }];
    const routes = { prisonersByNumbers: async () => decodePrisonerBatch(clone(body), report) } as unknown as PrisonerSearchRoutes;
    const loader = prisonRecordLoader(routes);
    const [good, spoiled, unknown] = await Promise.allSettled(['A0001AA', 'A0002AA', 'A0009AA'].map((n) => loader.load(n)));
    expect(good).toMatchObject({ status: 'fulfilled', value: { prisonNumber: 'A0001AA' } });
    expect(spoiled!.status).toBe('rejected');
    expect((spoiled as PromiseRejectedResult).reason).toBeInstanceOf(UpstreamError);
    expect((spoiled as PromiseRejectedResult).reason).toMatchObject({ failure: 'bad-response', retryable: false });
    expect(unknown).toEqual({ status: 'fulfilled', value: null });
  });

  it('loader: an entry without a valid number may be any asked person: numbers not found are errors, not NOT_FOUND', async () => {
    const { report } = reporter();
    const body = [prisoner('A0001AA'), { ...prisoner('A0002AA'), prisonerNumber: null }];
    const routes = { prisonersByNumbers: async () => decodePrisonerBatch(clone(body), report) } as unknown as PrisonerSearchRoutes;
    const loader = prisonRecordLoader(routes);
    const [good, missing] = await Promise.allSettled(['A0001AA', 'A0002AA'].map((n) => loader.load(n)));
    expect(good!.status).toBe('fulfilled');
    expect(missing!.status).toBe('rejected');
  });
});

describe('probation search answers', () => {
  it.each([
    ['a CRN that is not one', { otherIds: { crn: 'eiusmod in amet' } }, 'value'],
    ['a previous CRN that is not one', { otherIds: { crn: 'X000001', previousCrn: 'nope' } }, 'value'],
    ['a NOMS number that is not one (it would be sent to manage-POM)', { otherIds: { crn: 'X000001', nomsNumber: 'deserunt do' } }, 'value'],
    ['middle names as a string', { middleNames: 'Jo' }, 'shape'],
    ['age as a string', { age: '44' }, 'shape'],
    ['otherIds missing', { otherIds: null }, 'shape'],
  ])('%s is a contract violation of that record', (_name, drift, reason) => {
    const { report } = reporter();
    try {
      decodeOffendersByCrn([{ ...offender('X000001'), ...drift }], report);
    } catch {
      throw new Error('a bad entry must not fail the whole batch');
    }
    const seen: ContractReason[] = [];
    const batch = decodeOffendersByCrn([{ ...offender('X000001'), ...drift }], (r) => seen.push(r));
    expect(batch.items).toEqual([]);
    expect(seen).toEqual([reason]);
  });

  it('one search result with a bad CRN is dropped; the others stand (it no longer kills the whole search)', () => {
    const { report, seen } = reporter();
    const page = decodeOffenderPage({ content: [offender('X000001'), offender('eiusmod in amet'), offender('X000002')], totalElements: 3 }, report);
    expect(page.content.map((o) => o.otherIds.crn)).toEqual(['X000001', 'X000002']);
    expect(seen).toHaveLength(1);
  });

  it('loader: spoiled or unattributable entries make unfound CRNs errors, never null', async () => {
    const body = [offender('X000001'), { ...offender('X000002'), age: -4 }, { ...offender('X000003'), dateOfBirth: 19800101 }];
    const seen: ContractReason[] = [];
    const routes = { offendersByCrns: async () => decodeOffendersByCrn(clone(body), (r) => seen.push(r)) } as unknown as ProbationSearchRoutes;
    const loader = probationRecordLoader(routes);
    const [a, b, c] = await Promise.allSettled(['X000001', 'X000002', 'X000003'].map((n) => loader.load(n)));
    expect(a!.status).toBe('fulfilled');
    // An out-of-domain age is dropped (null) with a reported violation; the record stands.
    expect(b).toMatchObject({ status: 'fulfilled', value: { crn: 'X000002', age: null } });
    expect(c!.status).toBe('rejected');
    expect(seen.sort()).toEqual(['shape', 'value']);
  });
});

describe('Delius MAPPA detail: the bounds Delius itself gives (issue 12 item 3)', () => {
  // Delius numbers MAPPA levels M0-M3 as 0-3 and categories X9/M0-M4 as 0-4, 0 meaning a legacy or
  // unrecognised code ("unknown"), its description still given (probation integration services,
  // community API: "MAPPA Level (0=unknown)").
  const withMappa = (mappaDetail: Record<string, unknown>) => ({ supervisions: [], mappaDetail: { levelDescription: 'MAPPA Level', ...mappaDetail } });

  it.each([
    [{ level: 0, category: 0 }],
    [{ level: 3, category: 4 }],
    [{ level: 1 }],
  ])('%j is a value Delius gives', (mappa) => {
    expect(() => decodeSupervisions(withMappa(mappa), reporter().report)).not.toThrow();
  });

  it.each([
    [{ level: 4 }],
    [{ level: -1 }],
    [{ level: 1727648974 }],
    [{ category: 5 }],
    [{ category: -1 }],
  ])('%j is outside what Delius gives: a contract fault', (mappa) => {
    expect(() => decodeSupervisions(withMappa(mappa), reporter().report)).toThrow(ContractViolation);
  });

  it('0 ("unknown") is never passed on as a level or category (the schema says 1-3 and 1-4): null, with the description Delius recorded', () => {
    expect(toProbationCase(<SupervisionResponseDto>withMappa({ level: 0, levelDescription: 'Legacy level', category: 0, categoryDescription: 'Legacy category' })).mappa).toMatchObject({
      level: null,
      levelDescription: 'Legacy level',
      category: null,
      categoryDescription: 'Legacy category',
    });
  });
});

describe('alerts: the dates decide whether an alert applies, not the upstream flag (issue 13 item 7, replacing issue 12 item 3)', () => {
  const alert = (over: Record<string, unknown>) => ({ prisonNumber: 'A1234BC', alertCode: { code: 'XA' }, activeFrom: '1900-01-01', ...over });
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const nextYear = `${new Date().getUTCFullYear() + 1}-06-01`;

  it('isActive true with an activeTo in the past is kept, unreported (a stale flag), and does not apply today', () => {
    const { report, seen } = reporter();
    const page = decodeAlertPage({ content: [alert({ isActive: true, activeTo: '1902-03-04' }), alert({ isActive: true, activeTo: nextYear })] }, report);
    expect(page.items.map((a) => a.activeTo)).toEqual(['1902-03-04', nextYear]);
    expect(page.omitted.get('A1234BC') ?? 0).toBe(0);
    expect(seen).toEqual([]);
    expect(page.items.map((a) => alertAppliesOn(toAlert(a), londonDate(new Date())))).toEqual([false, true]);
  });

  it('isActive false with no activeTo (the other stale flag) is kept and applies today', () => {
    const page = decodeAlertPage({ content: [alert({ isActive: false })] }, reporter().report);
    expect(page.items.map((a) => alertAppliesOn(toAlert(a), londonDate(new Date())))).toEqual([true]);
  });

  it('an activeTo before the activeFrom is still a contradiction: left out and reported', () => {
    const { report, seen } = reporter();
    const page = decodeAlertPage({ content: [alert({ activeFrom: '2020-02-02', activeTo: '2020-01-01' })] }, report);
    expect(page.items).toEqual([]);
    expect(page.omitted.get('A1234BC')).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it.each([
    [{ isActive: false, activeTo: '1902-03-04' }],
    [{ isActive: true, activeTo: nextYear }],
    [{ isActive: true }],
    [{ isActive: false, activeTo: yesterday }],
  ])('%j is consistent', (over) => {
    expect(decodeAlertPage({ content: [alert(over)] }, reporter().report).items).toHaveLength(1);
  });
});

describe('an object of another document is not an answer with every field absent (specs that require no field)', () => {
  const other = { service: 'something-else', version: 3, items: { count: 0 } };
  const decoders: Array<[string, (body: unknown) => unknown]> = [
    ['Delius addresses', (b) => decodeCaseAddresses(b, reporter().report)],
    ['Delius access limitations', (b) => decodeAccessLimitations(b)],
    ['Prison API reasonable adjustments', (b) => decodeReasonableAdjustments(b, reporter().report)],
    ['Prison API sentence summary', (b) => decodeSentenceSummary(b)],
    ['health and medication', (b) => decodeHealthAndMedication(b)],
    ['number of children', (b) => decodeChildren(b)],
  ];

  it.each(decoders)('%s: JSON with none of the declared fields is a shape violation; {} stands', (_name, decode) => {
    expect(() => decode(other)).toThrow(expect.objectContaining({ reason: 'shape' }) as unknown as Error);
    expect(() => decode({})).not.toThrow();
  });
});
