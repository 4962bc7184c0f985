/** One person model behind every upstream: identity cases, batches, searches and long lists. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SimulatorHandle, type WellKnownPerson, startSimulators, wellKnownPeople } from '../../local-stack/simulators.js';
import { call } from './http-client.js';

let sims: SimulatorHandle;
let token: string;
const wk = wellKnownPeople();
const person = (key: string): WellKnownPerson => {
  const p = wk.people.find((x) => x.key === key);
  if (!p) throw new Error(`no well-known person ${key}`);
  return p;
};
const prisonNumbers = wk.people.map((p) => p.prisonNumber).filter((n): n is string => n !== null);
const crns = wk.people.map((p) => p.crn).filter((c): c is string => c !== null);

type Json = Record<string, unknown>;
const get = (base: keyof SimulatorHandle['urls'], path: string) => call(`${sims.urls[base]}${path}`, { token });
const post = (base: keyof SimulatorHandle['urls'], path: string, body: unknown) => call(`${sims.urls[base]}${path}`, { token, body });

beforeAll(async () => {
  sims = await startSimulators({ population: 2000 });
  token = await sims.token();
}, 60_000);

afterAll(async () => {
  await sims?.stop();
});

describe('batch routes return every requested known person in one call', () => {
  it('prisoner search, probation search, alerts and prison API batches', async () => {
    await sims.resetCounters();
    const ps = await post('prisonerSearch', '/prisoner-search/prisoner-numbers', { prisonerNumbers: [...prisonNumbers, wk.unknown.prisonNumber] });
    expect(ps.json<Json[]>().map((p) => p.prisonerNumber).sort()).toEqual([...prisonNumbers].sort());

    const byCrn = await post('probationSearch', '/crns', [...crns, wk.unknown.crn]);
    expect(byCrn.json<Json[]>().map((p) => (p.otherIds as Json).crn).sort()).toEqual([...crns].sort());

    const linkedNumbers = wk.people.filter((p) => p.crn !== null && p.prisonNumber !== null && p.key !== 'merged').map((p) => p.prisonNumber);
    const byNoms = await post('probationSearch', '/nomsNumbers', linkedNumbers);
    expect(byNoms.json<Json[]>().map((p) => (p.otherIds as Json).nomsNumber).sort()).toEqual([...linkedNumbers].sort());

    const alerts = await post('alerts', '/search/alerts/prison-numbers?includeInactive=true', prisonNumbers);
    const alertOwners = new Set(alerts.json<{ content: Json[] }>().content.map((a) => a.prisonNumber));
    expect([...alertOwners].sort()).toEqual(wk.people.filter((p) => p.prisonNumber && p.key !== 'no-addresses').map((p) => p.prisonNumber).sort());

    const sentences = await post('prisonApi', '/api/offender-sentences', prisonNumbers);
    expect(new Set(sentences.json<Json[]>().map((s) => s.offenderNo))).toEqual(new Set(prisonNumbers));
    const bookingIds = sentences.json<Json[]>().map((s) => s.bookingId as number);
    const byBooking = await post('prisonApi', '/api/offender-sentences/bookings', bookingIds);
    expect(byBooking.json<Json[]>().map((s) => s.bookingId).sort()).toEqual([...bookingIds].sort());

    const basics = await post('prisonApi', '/api/bookings/offenders?activeOnly=false', prisonNumbers);
    expect(basics.json<Json[]>().map((b) => b.offenderNo).sort()).toEqual([...prisonNumbers].sort());

    const access = await post('deliusIntegration', '/probation-cases/access', { crns });
    expect(access.json<{ access: Json[] }>().access.map((a) => a.crn).sort()).toEqual([...crns].sort());

    const counters = await sims.counters();
    expect(counters.prisonerSearch).toEqual({ 'POST /prisoner-search/prisoner-numbers': 1 });
    expect(counters.probationSearch).toEqual({ 'POST /crns': 1, 'POST /nomsNumbers': 1 });
    expect(counters.alerts).toEqual({ 'POST /search/alerts/prison-numbers': 1 });
  });
});

describe('identity cases', () => {
  it('prison-only people have no probation record and probation-only people no prison record', async () => {
    const prisonOnly = person('prison-only');
    const probationOnly = person('probation-only');
    expect((await get('prisonerSearch', `/prisoner/${prisonOnly.prisonNumber!}`)).status).toBe(200);
    expect((await post('probationSearch', '/nomsNumbers', [prisonOnly.prisonNumber])).json()).toEqual([]);
    expect((await get('deliusIntegration', `/identifier-converter/noms-to-crn/${prisonOnly.prisonNumber!}`)).status).toBe(404);
    const cpr = (await get('personRecord', `/person/prison/${prisonOnly.prisonNumber!}`)).json<Json>();
    expect(cpr.identifiers).toMatchObject({ crns: [], prisonNumbers: [prisonOnly.prisonNumber] });

    expect((await get('deliusIntegration', `/case/${probationOnly.crn!}/supervisions`)).status).toBe(200);
    const detail = (await post('probationSearch', '/crns', [probationOnly.crn])).json<Json[]>()[0]!;
    expect((detail.otherIds as Json).nomsNumber).toBeNull();
    expect((await get('personRecord', `/person/probation/${probationOnly.crn!}`)).json<Json>().identifiers).toMatchObject({ crns: [probationOnly.crn], prisonNumbers: [] });
  });

  it('linked people are linked by core person record and consistent across upstreams', async () => {
    const p = person('linked');
    const cpr = (await get('personRecord', `/person/probation/${p.crn!}`)).json<Json>();
    expect(cpr.identifiers).toMatchObject({ crns: [p.crn], prisonNumbers: [p.prisonNumber], pncs: [p.pncNumber], cros: [p.croNumber] });
    const prisoner = (await get('prisonerSearch', `/prisoner/${p.prisonNumber!}`)).json<Json>();
    const offender = (await post('probationSearch', '/crns', [p.crn])).json<Json[]>()[0]!;
    const nomis = (await get('prisonApi', `/api/offenders/${p.prisonNumber!}`)).json<Json>();
    expect([prisoner.firstName, prisoner.lastName, prisoner.dateOfBirth, prisoner.prisonId]).toEqual([p.firstName, p.lastName, p.dateOfBirth, p.prisonId]);
    expect([offender.firstName, offender.surname, offender.dateOfBirth]).toEqual([p.firstName, p.lastName, p.dateOfBirth]);
    expect(offender.otherIds).toMatchObject({ crn: p.crn, nomsNumber: p.prisonNumber, pncNumber: p.pncNumber, croNumber: p.croNumber });
    expect([nomis.offenderNo, nomis.dateOfBirth, nomis.agencyId]).toEqual([p.prisonNumber, p.dateOfBirth, p.prisonId]);
    expect((await get('deliusIntegration', `/identifier-converter/noms-to-crn/${p.prisonNumber!}`)).json()).toEqual({ crn: p.crn, nomsId: p.prisonNumber });
  });

  it('linked-no-cpr: core person record has no record, Delius and prisoner search still link them', async () => {
    const p = person('linked-no-cpr');
    expect((await get('personRecord', `/person/probation/${p.crn!}`)).status).toBe(404);
    expect((await get('personRecord', `/person/prison/${p.prisonNumber!}`)).status).toBe(404);
    const cases = (await post('deliusIntegration', '/search/probation-cases', { crn: p.crn })).json<Json[]>();
    expect(cases.map((c) => (c.otherIds as Json).nomsNumber)).toEqual([p.prisonNumber]);
    expect((await get('prisonerSearch', `/prisoner/${p.prisonNumber!}`)).status).toBe(200);
  });

  it('merged: the old number 404s on prisoner search but attribute-search finds it as a MERGED identifier', async () => {
    const p = person('merged');
    const old = p.mergedPrisonNumbers[0]!;
    expect((await get('prisonerSearch', `/prisoner/${old}`)).status).toBe(404);
    const found = await post('prisonerSearch', '/attribute-search', {
      joinType: 'AND',
      queries: [{ joinType: 'AND', matchers: [
        { type: 'String', attribute: 'identifiers.type', condition: 'IS', searchTerm: 'MERGED' },
        { type: 'String', attribute: 'identifiers.value', condition: 'IS', searchTerm: old },
      ] }],
      pagination: { page: 0, size: 10 },
    });
    const page = found.json<{ content: Json[]; totalElements: number }>();
    expect(page.totalElements).toBe(1);
    expect(page.content[0]?.prisonerNumber).toBe(p.prisonNumber);
    expect(page.content[0]?.identifiers).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'MERGED', value: old })]));
    // MERGED and the old value on different identifiers of one person must not match
    const mismatched = await post('prisonerSearch', '/attribute-search', {
      queries: [{ matchers: [
        { type: 'String', attribute: 'identifiers.type', condition: 'IS', searchTerm: 'MERGED' },
        { type: 'String', attribute: 'identifiers.value', condition: 'IS', searchTerm: p.croNumber },
      ] }],
      pagination: { page: 0, size: 10 },
    });
    expect(mismatched.json<{ totalElements: number }>().totalElements).toBe(0);
    // Delius still holds the old number; core person record redirects it to the surviving record.
    expect((await get('deliusIntegration', `/identifier-converter/noms-to-crn/${old}`)).json()).toEqual({ crn: p.crn, nomsId: old });
    const redirect = await get('personRecord', `/person/prison/${old}`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`/person/prison/${p.prisonNumber!}`);
  });

  it('limited access: exclusion and restriction are visible in search and access-limitations', async () => {
    const excluded = person('excluded');
    const restricted = person('restricted');
    const [ex, re] = (await post('probationSearch', '/crns', [excluded.crn, restricted.crn])).json<Json[]>();
    expect(ex).toMatchObject({ currentExclusion: true, currentRestriction: false });
    expect(re).toMatchObject({ currentExclusion: false, currentRestriction: true });
    const exLim = (await get('deliusIntegration', `/case/${excluded.crn!}/access-limitations`)).json<Json>();
    expect((exLim.excludedFrom as unknown[]).length).toBeGreaterThan(0);
    expect(typeof exLim.exclusionMessage).toBe('string');
    const reLim = (await get('deliusIntegration', `/case/${restricted.crn!}/access-limitations`)).json<Json>();
    expect((reLim.restrictedTo as unknown[]).length).toBeGreaterThan(0);
    const plain = (await get('deliusIntegration', `/case/${person('linked').crn!}/access-limitations`)).json<Json>();
    expect(plain).toEqual({ excludedFrom: [], restrictedTo: [] });
    const access = (await post('deliusIntegration', '/probation-cases/access', { crns: [excluded.crn, restricted.crn, person('linked').crn] })).json<{ access: Json[] }>();
    expect(access.access.map((a) => [a.userExcluded, a.userRestricted])).toEqual([[true, false], [false, true], [false, false]]);
  });

  it('people are spread over several prisons, with previous prisons and releases', async () => {
    const linked = (await get('prisonerSearch', `/prisoner/${person('linked').prisonNumber!}`)).json<Json>();
    const other = (await get('prisonerSearch', `/prisoner/${person('other-prison').prisonNumber!}`)).json<Json>();
    expect(other.prisonId).not.toBe(linked.prisonId);
    expect(other.previousPrisonId).toBe('SWI');
    const released = (await get('prisonerSearch', `/prisoner/${person('released').prisonNumber!}`)).json<Json>();
    expect(released).toMatchObject({ prisonId: 'OUT', lastPrisonId: 'LEI', status: 'INACTIVE OUT' });
    const inMdi = await post('prisonerSearch', '/prisoner-detail', { prisonIds: ['MDI'], pagination: { page: 0, size: 5 } });
    const page = inMdi.json<{ content: Json[]; totalElements: number }>();
    expect(page.totalElements).toBeGreaterThan(20);
    expect(page.content.every((p) => p.prisonId === 'MDI')).toBe(true);
  });

  it('aliases are found by alias search on both sides', async () => {
    const p = person('aliases');
    const alias = { firstName: 'Bernard', lastName: 'Hollinsworth' };
    const gs = await post('prisonerSearch', '/global-search?size=10', { firstName: alias.firstName, lastName: alias.lastName, includeAliases: true });
    expect(gs.json<{ content: Json[] }>().content.map((x) => x.prisonerNumber)).toContain(p.prisonNumber);
    const withoutAliases = await post('prisonerSearch', '/global-search?size=10', { firstName: alias.firstName, lastName: alias.lastName, includeAliases: false });
    expect(withoutAliases.json<{ content: Json[] }>().content.map((x) => x.prisonerNumber)).not.toContain(p.prisonNumber);
    const people = await post('probationSearch', '/search/people?page=0&size=10', { firstName: alias.firstName, surname: alias.lastName, includeAliases: true });
    expect(people.json<{ content: Json[] }>().content.map((x) => (x.otherIds as Json).crn)).toContain(p.crn);
    const attr = await post('prisonerSearch', '/attribute-search', {
      queries: [{ matchers: [
        { type: 'String', attribute: 'aliases.firstName', condition: 'IS', searchTerm: 'barnaby' },
        { type: 'String', attribute: 'aliases.lastName', condition: 'IS', searchTerm: 'KELLAWAY' },
      ] }],
      pagination: { page: 0, size: 10 },
    });
    expect(attr.json<{ content: Json[] }>().content.map((x) => x.prisonerNumber)).toEqual([p.prisonNumber]);
  });

  it('attribute-search supports OR, nested sub-queries, date matchers and PNC in either form', async () => {
    const a = person('linked');
    const b = person('other-prison');
    const either = await post('prisonerSearch', '/attribute-search?page=0&size=50', {
      joinType: 'OR',
      queries: [
        { matchers: [{ type: 'String', attribute: 'prisonerNumber', condition: 'IS', searchTerm: a.prisonNumber }] },
        { joinType: 'AND', subQueries: [{ matchers: [
          { type: 'String', attribute: 'lastName', condition: 'IS', searchTerm: b.lastName },
          { type: 'Date', attribute: 'dateOfBirth', minValue: b.dateOfBirth, maxValue: b.dateOfBirth },
        ] }] },
      ],
      pagination: { page: 0, size: 50 },
    });
    expect(either.json<{ content: Json[] }>().content.map((x) => x.prisonerNumber).sort()).toEqual([a.prisonNumber, b.prisonNumber].sort());
    const shortPnc = a.pncNumber!.slice(2).replace(/\/0+/, '/');
    const byPnc = await post('prisonerSearch', '/attribute-search', { queries: [{ matchers: [{ type: 'PNC', pncNumber: shortPnc }] }], pagination: { page: 0, size: 10 } });
    expect(byPnc.json<{ content: Json[] }>().content.map((x) => x.prisonerNumber)).toEqual([a.prisonNumber]);
    const bad = await post('prisonerSearch', '/attribute-search', { queries: [{ matchers: [{ type: 'String', attribute: 'shoeColour', condition: 'IS', searchTerm: 'x' }] }], pagination: { page: 0, size: 10 } });
    expect(bad.status).toBe(400);
  });

  it('names with hyphens, apostrophes and non-ASCII letters come back intact', async () => {
    for (const key of ['hyphen-name', 'apostrophe-name', 'non-ascii-name']) {
      const p = person(key);
      const doc = (await get('prisonerSearch', `/prisoner/${p.prisonNumber!}`)).json<Json>();
      expect([doc.firstName, doc.lastName]).toEqual([p.firstName, p.lastName]);
      const found = await post('deliusIntegration', '/search/probation-cases', { firstName: p.firstName, surname: p.lastName });
      expect(found.json<Json[]>().map((x) => (x.otherIds as Json).crn)).toContain(p.crn);
    }
  });

  it('no-addresses has none anywhere; long lists are long', async () => {
    const none = person('no-addresses');
    expect((await get('prisonApi', `/api/offenders/${none.prisonNumber!}/addresses`)).json()).toEqual([]);
    expect((await get('deliusIntegration', `/case/${none.crn!}/addresses`)).json()).toEqual({ contactDetails: { addresses: [] } });
    const long = person('long-lists');
    expect((await get('prisonApi', `/api/offenders/${long.prisonNumber!}/addresses`)).json<unknown[]>().length).toBe(35);
    expect((await get('prisonApi', `/api/bookings/offenderNo/${long.prisonNumber!}/offenceHistory`)).json<unknown[]>().length).toBeGreaterThanOrEqual(60);
    expect((await get('deliusIntegration', `/case/${long.crn!}/supervisions`)).json<{ supervisions: unknown[] }>().supervisions).toHaveLength(12);
  });

  it('200+ alerts are paged by the alerts API and filterable', async () => {
    const p = person('many-alerts');
    const first = (await get('alerts', `/prisoners/${p.prisonNumber!}/alerts?page=0&size=100`)).json<{ content: Json[]; totalElements: number; totalPages: number; last: boolean }>();
    expect(first.totalElements).toBe(240);
    expect(first.totalPages).toBe(3);
    expect(first.content).toHaveLength(100);
    expect(first.last).toBe(false);
    const last = (await get('alerts', `/prisoners/${p.prisonNumber!}/alerts?page=2&size=100`)).json<{ content: Json[]; last: boolean }>();
    expect(last.content).toHaveLength(40);
    expect(last.last).toBe(true);
    const active = (await get('alerts', `/prisoners/${p.prisonNumber!}/alerts?isActive=true&size=1000`)).json<{ content: Json[]; totalElements: number }>();
    expect(active.totalElements).toBeGreaterThan(0);
    expect(active.totalElements).toBeLessThan(240);
    expect(active.content.every((a) => a.isActive === true)).toBe(true);
    const code = (active.content[0]?.alertCode as Json).code as string;
    const byCode = (await get('alerts', `/prisoners/${p.prisonNumber!}/alerts?alertCode=${code}&size=1000`)).json<{ content: Json[] }>();
    expect(byCode.content.length).toBeGreaterThan(0);
    expect(byCode.content.every((a) => (a.alertCode as Json).code === code)).toBe(true);
  });

  it('alerts carry UK local date-times on both sides of the clock changes', async () => {
    const p = person('linked');
    const all = (await get('alerts', `/prisoners/${p.prisonNumber!}/alerts?size=100&sort=createdAt,asc`)).json<{ content: Json[] }>();
    const times = all.content.map((a) => a.createdAt as string);
    expect(times).toEqual(expect.arrayContaining(['2025-03-30T00:30:00', '2025-03-30T02:30:00', '2025-10-26T00:30:00', '2025-10-26T01:30:00', '2025-10-26T02:30:00']));
  });

  it('sentences: bookings lead to sentences-and-offences, reasonable adjustments by treatment code', async () => {
    const p = person('linked');
    const rows = (await get('prisonApi', `/api/offender-sentences?offenderNo=${p.prisonNumber!}`)).json<Json[]>();
    expect(rows.length).toBe(2);
    for (const row of rows) {
      const s = (await get('prisonApi', `/api/offender-sentences/booking/${String(row.bookingId)}/sentences-and-offences`)).json<Json>();
      expect(s.bookingId).toBe(row.bookingId);
      expect((s.offences as unknown[]).length).toBeGreaterThan(0);
    }
    const codes = (await get('prisonApi', '/api/reference-domains/domains/HEALTH_TREAT/codes')).json<Json[]>().map((c) => c.code as string);
    const latest = rows.find((r) => r.mostRecentActiveBooking === true)!;
    const adj = (await get('prisonApi', `/api/bookings/${String(latest.bookingId)}/reasonable-adjustments?${codes.map((c) => `type=${encodeURIComponent(c)}`).join('&')}`)).json<{ reasonableAdjustments: Json[] }>();
    expect(adj.reasonableAdjustments.length).toBe(2);
    expect((await get('prisonApi', `/api/bookings/${String(latest.bookingId)}/reasonable-adjustments`)).status).toBe(400);
  });

  it('unknown ids are unknown everywhere', async () => {
    expect((await get('prisonerSearch', `/prisoner/${wk.unknown.prisonNumber}`)).status).toBe(404);
    expect((await get('prisonApi', `/api/offenders/${wk.unknown.prisonNumber}`)).status).toBe(404);
    expect((await get('deliusIntegration', `/case/${wk.unknown.crn}/supervisions`)).status).toBe(404);
    expect((await get('deliusIntegration', `/exists-in-delius/crn/${wk.unknown.crn}`)).json()).toEqual({ crn: wk.unknown.crn, existsInDelius: false });
    expect((await get('personRecord', `/person/probation/${wk.unknown.crn}`)).status).toBe(404);
    expect((await get('managePom', `/api/allocation/${wk.unknown.prisonNumber}`)).status).toBe(404);
    expect((await get('alerts', `/prisoners/${wk.unknown.prisonNumber}/alerts`)).json<{ totalElements: number }>().totalElements).toBe(0);
  });
});
