/**
 * Issue 18 visits datasources (Manage Prison Visits; the Prison API's visit balance and restrictions): decoders and pure mapping over spec-shaped
 * samples, and the loaders' per-person calls, deduplication and per-key failures.
 */
import { describe, expect, it } from '@jest/globals';
import { ContractViolation } from '../../../src/datasources/http/contract.js';
import { decodeFutureVisits, decodeVisitPage } from '../../../src/datasources/prison-visits/decode.js';
import { futureVisitsLoader, visitPageLoader } from '../../../src/datasources/prison-visits/loaders.js';
import { toVisit } from '../../../src/datasources/prison-visits/mapping.js';
import type { PrisonVisitsRoutes, VisitDto } from '../../../src/datasources/prison-visits/routes.js';
import { decodeOffenderRestrictions, decodeVisitBalances } from '../../../src/datasources/prison-api/visit-decode.js';
import { toVisitBalance, toVisitRestrictions } from '../../../src/datasources/prison-api/visit-mapping.js';
import { expectSpecShaped } from './spec-sample.js';

// dps-manage-prison-visits.json, VisitDto (synthetic): one visit in summer time, one in winter.
const visit = (over: Record<string, unknown> = {}) => ({
  applicationReference: 'aaa-bbb-ccc', reference: 'ab-cd-ef-gh', prisonerId: 'A0001AA', prisonId: 'MDI', prisonName: 'Moorland (HMP & YOI)',
  sessionTemplateReference: 'mdi.ses.840', visitRoom: 'Visits Main Hall', visitType: 'SOCIAL', visitStatus: 'BOOKED', visitRestriction: 'OPEN',
  startTimestamp: '2026-07-01T14:00:00', endTimestamp: '2026-07-01T15:30:00',
  visitNotes: [{ type: 'VISITOR_CONCERN', text: 'Visitor seemed anxious.' }],
  visitContact: { name: 'Alex Example', telephone: '07700 900123', email: 'alex@example.com' },
  visitors: [{ nomisPersonId: 9000001, visitContact: true }, { nomisPersonId: 9000002, visitContact: false }],
  visitorSupport: { description: 'Wheelchair access' },
  createdTimestamp: '2026-06-20T10:05:00', modifiedTimestamp: '2026-06-20T10:05:00', firstBookedDateTime: '2026-06-20T10:05:00',
  ...over,
});
const cancelled = visit({ reference: 'zz-yy-xx-ww', visitStatus: 'CANCELLED', outcomeStatus: 'VISITOR_CANCELLED', startTimestamp: '2026-01-10T09:30:00',
  endTimestamp: '2026-01-10T10:30:00', visitNotes: [], visitors: [{ nomisPersonId: 9000003 }], visitorSupport: undefined, visitContact: { name: 'Sam Example' } });
const page = { content: [visit(), cancelled], totalElements: 7, totalPages: 4, number: 0, size: 2, first: true, last: false, numberOfElements: 2, empty: false };

describe('prison visits: decoding and mapping', () => {
  it('the samples are answers as the spec defines them', () => {
    expectSpecShaped('prisonVisits', 'GET', '/visits/search/future/A0001AA', [visit()]);
    expectSpecShaped('prisonVisits', 'GET', '/visits/search', page);
  });

  it('maps a visit: London wall-clock times as instants, visitors as contact ids, no email', () => {
    const [summer] = decodeFutureVisits([visit()]);
    expect(toVisit(summer!)).toEqual({
      reference: 'ab-cd-ef-gh', prisonId: 'MDI', prisonName: 'Moorland (HMP & YOI)',
      startAt: '2026-07-01T14:00:00+01:00', endAt: '2026-07-01T15:30:00+01:00',
      status: 'BOOKED', outcome: null, type: 'SOCIAL', restriction: 'OPEN', room: 'Visits Main Hall',
      visitors: [{ contactId: '9000001', mainContact: true }, { contactId: '9000002', mainContact: false }],
      mainContact: { name: 'Alex Example', telephone: '07700 900123' },
      notes: [{ type: 'VISITOR_CONCERN', text: 'Visitor seemed anxious.' }],
      visitorSupport: 'Wheelchair access',
    });
    expect(JSON.stringify(toVisit(summer!))).not.toContain('alex@example.com');
  });

  it('maps a cancelled winter visit with its outcome and without support or telephone', () => {
    const decoded = decodeVisitPage(page);
    expect(decoded.totalElements).toBe(7);
    expect(toVisit(decoded.content[1]!)).toMatchObject({
      status: 'CANCELLED', outcome: 'VISITOR_CANCELLED', startAt: '2026-01-10T09:30:00+00:00', visitorSupport: null, notes: [],
      visitors: [{ contactId: '9000003', mainContact: false }], mainContact: { name: 'Sam Example', telephone: null },
    });
  });

  it('a visit that breaks the contract spoils the answer (never a silently shorter list)', () => {
    for (const bad of [
      [visit(), visit({ visitStatus: 'RESERVED' })],
      [visit({ startTimestamp: 42 })],
      [visit({ visitors: [{ nomisPersonId: 'x' }] })],
      [visit({ visitRestriction: 'SIDEWAYS' })],
      [visit({ visitNotes: [{ type: 'VISIT_COMMENT' }] })],
    ]) expect(() => decodeFutureVisits(bad)).toThrow(ContractViolation);
    expect(() => decodeFutureVisits({ content: [] })).toThrow(ContractViolation);
    expect(() => decodeVisitPage({ content: [visit()] })).toThrow(ContractViolation);
    expect(() => decodeVisitPage([visit()])).toThrow(ContractViolation);
  });
});

describe('prison visits: loaders', () => {
  it('future visits: one call per person, each person once; a failing person fails alone', async () => {
    const asked: string[] = [];
    const routes = {
      future: async (n: string) => {
        asked.push(n);
        if (n === 'B0002BB') throw new Error('boom');
        return decodeFutureVisits([visit({ prisonerId: n })]) as VisitDto[];
      },
    } as unknown as PrisonVisitsRoutes;
    const loader = futureVisitsLoader(routes);
    const results = await loader.loadMany(['A0001AA', 'B0002BB', 'A0001AA']);
    expect(asked.sort()).toEqual(['A0001AA', 'B0002BB']);
    expect((results[0] as unknown[]).length).toBe(1);
    expect(results[1]).toBeInstanceOf(Error);
  });

  it('a page of the visit search: the same question asked twice is fetched once', async () => {
    const asked: unknown[] = [];
    const routes = {
      search: async (n: string, q: unknown) => {
        asked.push([n, q]);
        return decodeVisitPage(page);
      },
    } as unknown as PrisonVisitsRoutes;
    const loader = visitPageLoader(routes);
    const search = { from: '2026-01-01', to: '2026-08-21', page: 0, size: 2 };
    const [a, b] = await Promise.all([loader.load({ prisonNumber: 'A0001AA', search }), loader.load({ prisonNumber: 'A0001AA', search: { ...search } })]);
    expect(asked).toHaveLength(1);
    expect(a).toBe(b);
    expect(a.totalCount).toBe(7);
    expect(a.items.map((v) => v.reference)).toEqual(['ab-cd-ef-gh', 'zz-yy-xx-ww']);
  });
});

describe('prison API: visit orders balance and visit restrictions', () => {
  const balances = { remainingVo: 2, remainingPvo: 1, latestIepAdjustDate: '2026-07-31' };
  const restrictions = {
    bookingId: 1200000,
    offenderRestrictions: [
      { restrictionId: 1, restrictionType: 'CCTV', restrictionTypeDescription: 'CCTV', startDate: '2025-01-01', expiryDate: '2025-06-01', active: false },
      { restrictionId: 2, restrictionType: 'CLOSED', restrictionTypeDescription: 'Closed', comment: ' Following a security review ', startDate: '2026-03-01', active: true },
    ],
  };

  it('the samples are answers as the spec defines them', () => {
    expectSpecShaped('prisonApi', 'GET', '/api/bookings/offenderNo/A0001AA/visit/balances', balances);
    expectSpecShaped('prisonApi', 'GET', '/api/offenders/A0001AA/offender-restrictions', restrictions);
  });

  it('maps the balance; none held is null', () => {
    expect(toVisitBalance(decodeVisitBalances(balances))).toEqual({
      remainingVisitOrders: 2, remainingPrivilegedVisitOrders: 1, visitOrdersAdjustedOn: '2026-07-31', privilegedVisitOrdersAdjustedOn: null,
    });
    expect(toVisitBalance(null)).toBeNull();
  });

  it('maps restrictions newest first, comments trimmed', () => {
    expect(toVisitRestrictions(decodeOffenderRestrictions(restrictions))).toEqual([
      { code: 'CLOSED', description: 'Closed', comment: 'Following a security review', startDate: '2026-03-01', expiryDate: null, active: true },
      { code: 'CCTV', description: 'CCTV', comment: null, startDate: '2025-01-01', expiryDate: '2025-06-01', active: false },
    ]);
    expect(decodeOffenderRestrictions({ bookingId: 1 })).toEqual([]);
  });

  it('a balance or restriction that breaks the contract is a contract fault', () => {
    expect(() => decodeVisitBalances({ remainingVo: '2', remainingPvo: 1 })).toThrow(ContractViolation);
    expect(() => decodeVisitBalances({ remainingPvo: 1 })).toThrow(ContractViolation);
    expect(() => decodeOffenderRestrictions({ offenderRestrictions: [{ ...restrictions.offenderRestrictions[0], active: 'yes' }] })).toThrow(ContractViolation);
    expect(() => decodeOffenderRestrictions({ offenderRestrictions: [{ ...restrictions.offenderRestrictions[0], startDate: undefined }] })).toThrow(ContractViolation);
  });
});
