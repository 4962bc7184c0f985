/**
 * Issue 18, visits: end to end through the real gateway over mutual TLS against the real simulators.
 * The well-known people's visits, recent visits paged upstream, partial results when Manage Prison
 * Visits fails or lies, and the upstream calls `persons` of 10, 50 and 100 people cost.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPerson } from '../../local-stack/simulators.js';
import { callTable, prisonersInPrison, requestsByRoute } from '../support/call-counts.js';
import { useGatewayStack } from '../support/stack.js';

const person = wellKnownPerson;

const VISIT = `reference prisonId prisonName startAt endAt status outcome type restriction room visitorCount
  visitors { contactId mainContact } mainContact { name telephone } notes { type text } visitorSupport`;
export const VISITS = `futureVisits { ${VISIT} }
  recentVisits(days: 366, first: 100) { totalCount nodes { ${VISIT} } pageInfo { hasNextPage endCursor } }
  visitBalance { remainingVisitOrders remainingPrivilegedVisitOrders visitOrdersAdjustedOn privilegedVisitOrdersAdjustedOn }
  visitRestrictions(includeExpired: true) { code description comment startDate expiryDate active }`;

const stack = useGatewayStack({ env: { MAX_QUERY_COST: '10000000' } });

const asDev = (query: string, variables?: Record<string, unknown>) =>
  postGraphQL(stack.gateway.consumerUrl, { query, variables }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });

const profileOf = async (id: string): Promise<GraphQLResult> => asDev(`query P($id: ID!) { person(hmppsId: $id) { hmppsId firstName ${VISITS} } }`, { id });

type Json = Record<string, any>;

/** The simulator's own visit search for a prisoner, read here over HTTP (the count the gateway must agree with). */
async function rawSearchTotal(prisonNumber: string, from: string, to: string): Promise<number> {
  const token = await stack.sims.token();
  const q = new URLSearchParams({ prisonerId: prisonNumber, visitStartDate: from, visitEndDate: to, visitStatus: 'BOOKED,CANCELLED', page: '0', size: '1' });
  const res = await fetch(`${stack.sims.urls.prisonVisits}/visits/search?${q}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { totalElements: number }).totalElements;
}

const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const daysBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

describe('visits for the well-known people', () => {
  let linked: Json;
  beforeAll(async () => {
    const r = await profileOf(person('linked').prisonNumber!);
    expect(r.body.errors).toBeUndefined();
    linked = r.body.data?.person as Json;
  });

  it('future visits: booked, still to come, soonest first, at the prison the person is in', () => {
    const future = linked.futureVisits as Json[];
    expect(future).toHaveLength(2);
    const now = Date.now();
    for (const v of future) {
      expect(v).toMatchObject({ status: 'BOOKED', type: 'SOCIAL', prisonId: 'MDI', outcome: null });
      expect(Date.parse(v.startAt)).toBeGreaterThan(now);
      expect(Date.parse(v.endAt)).toBeGreaterThan(Date.parse(v.startAt));
      expect(v.startAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/);
      expect(v.visitorCount).toBe((v.visitors as Json[]).length);
      expect((v.visitors as Json[]).filter((x) => x.mainContact)).toHaveLength(1);
    }
    expect(Date.parse(future[0]!.startAt)).toBeLessThanOrEqual(Date.parse(future[1]!.startAt));
    // The first visit drawn for `linked` is a closed visit with wheelchair access.
    expect(future.some((v) => v.restriction === 'CLOSED' && v.visitorSupport === 'Wheelchair access')).toBe(true);
  });

  it('recent visits: booked and cancelled, newest first, the cancelled one with its outcome and reason', () => {
    const recent = linked.recentVisits as Json;
    expect(recent.totalCount).toBe(6);
    const nodes = recent.nodes as Json[];
    expect(nodes).toHaveLength(6);
    const starts = nodes.map((v) => Date.parse(v.startAt));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    for (const s of starts) expect(s).toBeLessThan(Date.now());
    const cancelled = nodes.filter((v) => v.status === 'CANCELLED');
    expect(cancelled.length).toBeGreaterThanOrEqual(1);
    for (const v of cancelled) {
      expect(v.outcome).toMatch(/CANCEL/);
      expect(v.notes).toContainEqual({ type: 'STATUS_CHANGED_REASON', text: 'Visitor unwell on the day.' });
    }
    expect(nodes.some((v) => (v.notes as Json[]).some((n) => n.type === 'VISITOR_CONCERN'))).toBe(true);
  });

  it('a released person has past visits only; no visits is an empty list; probation-only is null', async () => {
    const released = (await profileOf(person('released').prisonNumber!)).body.data?.person as Json;
    expect(released.futureVisits).toEqual([]);
    expect(released.recentVisits.totalCount).toBe(3);
    const none = await profileOf(person('no-addresses').prisonNumber!);
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data?.person).toMatchObject({ futureVisits: [], recentVisits: { totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    const probation = await profileOf(person('probation-only').crn!);
    expect(probation.body.errors).toBeUndefined();
    expect(probation.body.data?.person).toMatchObject({ futureVisits: null, recentVisits: null });
  });

  it('recent visits page through upstream pages (long-lists: every visit of the last year once, newest first)', async () => {
    const n = person('long-lists').prisonNumber!;
    const today = londonToday();
    const expected = await rawSearchTotal(n, daysBefore(today, 365), today);
    expect(expected).toBeGreaterThan(20);
    const q = `query V($id: ID!, $after: String) { person(hmppsId: $id) { recentVisits(days: 366, first: 20, after: $after) {
      totalCount nodes { reference startAt } pageInfo { hasNextPage endCursor } } } }`;
    const seen: Json[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await asDev(q, { id: n, after });
      expect(r.body.errors).toBeUndefined();
      const page = (r.body.data?.person as Json).recentVisits as Json;
      expect(page.totalCount).toBe(expected);
      seen.push(...(page.nodes as Json[]));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor as string;
    }
    expect(seen).toHaveLength(expected);
    expect(new Set(seen.map((v) => v.reference)).size).toBe(expected);
    const starts = seen.map((v) => Date.parse(v.startAt));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    // A shorter window holds fewer of them; `days` out of range is the consumer's error.
    const week = await asDev('query V($id: ID!) { person(hmppsId: $id) { recentVisits(days: 7) { totalCount } } }', { id: n });
    expect(((week.body.data?.person as Json).recentVisits as Json).totalCount).toBe(await rawSearchTotal(n, daysBefore(today, 6), today));
    const bad = await asDev('query V($id: ID!) { person(hmppsId: $id) { recentVisits(days: 0) { totalCount } } }', { id: n });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('visit orders balance and visit restrictions (Prison API): given, or null and empty when none is held', async () => {
    expect(linked.visitBalance).toEqual({ remainingVisitOrders: 2, remainingPrivilegedVisitOrders: 1, visitOrdersAdjustedOn: '2026-07-31', privilegedVisitOrdersAdjustedOn: '2026-07-31' });
    expect(linked.visitRestrictions).toEqual([]);
    const many = (await profileOf(person('many-alerts').prisonNumber!)).body.data?.person as Json;
    expect((many.visitRestrictions as Json[]).map((r) => r.code).sort()).toEqual(['DIHCON', 'NONCON']);
    for (const r of many.visitRestrictions as Json[]) expect(r).toMatchObject({ active: true, comment: expect.any(String), startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const released = (await profileOf(person('released').prisonNumber!)).body.data?.person as Json;
    expect(released.visitBalance).toBeNull();
    const probation = (await profileOf(person('probation-only').crn!)).body.data?.person as Json;
    expect(probation).toMatchObject({ visitBalance: null, visitRestrictions: null });
  });

  it('a cursor from one window does not page another', async () => {
    const n = person('long-lists').prisonNumber!;
    const first = await asDev('query V($id: ID!) { person(hmppsId: $id) { recentVisits(days: 366, first: 5) { pageInfo { endCursor } } } }', { id: n });
    const cursor = ((first.body.data?.person as Json).recentVisits as Json).pageInfo.endCursor as string;
    const other = await asDev('query V($id: ID!, $after: String) { person(hmppsId: $id) { recentVisits(days: 30, first: 5, after: $after) { totalCount } } }', { id: n, after: cursor });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('partial results: Manage Prison Visits failing nulls only the visit fields', () => {
  afterAll(() => stack.sims.clearFaults());

  it('down: UPSTREAM_UNAVAILABLE at futureVisits and recentVisits, every other field answered', async () => {
    await stack.sims.setFault('prisonVisits', { errorRate: 1, errorStatuses: [503] });
    try {
      const r = await asDev(`query P($id: ID!) { person(hmppsId: $id) { firstName identifiers { prisonNumber } ${VISITS} } }`, { id: person('linked').prisonNumber });
      expect(r.status).toBe(200);
      const p = r.body.data?.person as Json;
      expect(p).toMatchObject({ firstName: person('linked').firstName, identifiers: { prisonNumber: person('linked').prisonNumber }, futureVisits: null, recentVisits: null });
      // The balance comes from the Prison API: still answered.
      expect(p.visitBalance).toMatchObject({ remainingVisitOrders: 2 });
      const errors = r.body.errors ?? [];
      expect(errors.map((e) => e.path?.[1]).sort()).toEqual(['futureVisits', 'recentVisits']);
      for (const e of errors) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', area: 'prison' });
      expect(JSON.stringify(errors)).not.toMatch(/http:|127\.0\.0\.1|visits\/search/);
    } finally {
      await stack.sims.clearFaults();
    }
  });

  it('answering another shape: UPSTREAM_INVALID_RESPONSE at the visit fields, never an empty list', async () => {
    await stack.sims.setFault('prisonVisits', { drift: 'types' });
    try {
      const r = await profileOf(person('linked').prisonNumber!);
      const p = r.body.data?.person as Json;
      expect(p.firstName).toBe(person('linked').firstName);
      expect(p.futureVisits).toBeNull();
      expect(p.recentVisits).toBeNull();
      const errors = r.body.errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(e.extensions?.code).toBe('UPSTREAM_INVALID_RESPONSE');
        expect(['futureVisits', 'recentVisits']).toContain(e.path?.[1]);
      }
    } finally {
      await stack.sims.clearFaults();
    }
  });
});

describe('batching: persons of 10, 50 and 100 people with visits selected', () => {
  const table: Record<number, Record<string, number>> = {};

  afterAll(() => {
    process.stdout.write(callTable('upstream requests per route for persons(N ids) with futureVisits, recentVisits(first: 20), visitBalance, visitRestrictions', table));
  });

  it('one future-visits call and one search page per person (no batch route in the spec), never more', async () => {
    const all = await prisonersInPrison(stack.sims, 100);
    expect(all).toHaveLength(100);
    for (const n of [10, 50, 100]) {
      await stack.sims.resetCounters();
      // Each person twice (aliases): deduplicated within the operation.
      const r = await asDev(`query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId
        a: futureVisits { reference } b: futureVisits { startAt }
        c: recentVisits { totalCount nodes { reference } } d: recentVisits { nodes { startAt } }
        visitBalance { remainingVisitOrders } visitRestrictions { code } } }`, { ids: all.slice(0, n) });
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      const row = Object.fromEntries(Object.entries(requestsByRoute(await stack.sims.counters())).filter(([, count]) => count > 0));
      table[n] = row;
      expect(row['prisonVisits GET /visits/search/future/{prisonerId}']).toBe(n);
      expect(row['prisonVisits GET /visits/search']).toBe(n);
      expect(row['prisonApi GET /api/bookings/offenderNo/{offenderNo}/visit/balances']).toBe(n);
      expect(row['prisonApi GET /api/offenders/{offenderNo}/offender-restrictions']).toBe(n);
    }
  }, 120_000);
});
