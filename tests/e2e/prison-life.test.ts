/**
 * Movements, sentence adjustments and adjudications (issue 18 areas 7, 8 and 4) through the real gateway over mutual
 * TLS against the real simulators: what the well-known people show, the upstream calls `persons`
 * of 10, 50 and 100 people costs (the movements batch route once per 100 people), and a failing
 * route nulling only the field it feeds, with its typed error at that path.
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../../local-stack/https.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { Population, DEFAULT_SEED } from '../../simulators/lib/population.js';
import { useGatewayStack } from '../support/stack.js';

const people = wellKnownPeople();
const person = (key: string) => people.people.find((x) => x.key === key)!;

const stack = useGatewayStack({
  env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000', UPSTREAM_TIMEOUT_MS: '10000', REQUEST_DEADLINE_MS: '30000', SHUTDOWN_TIMEOUT_MS: '40000', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});

type Json = any;

async function gql(query: string, variables: Record<string, unknown>) {
  const { certs, gateway } = stack;
  return postGraphQL(gateway.consumerUrl, { query, variables }, { ca: certs.ca, ...certs.client.devConsumer });
}

const PRISON_LIFE = `
  movements { kind direction occurredAt date reasonCode reason fromLocation fromLocationName toLocation toLocationName }
  sentenceAdjustments { kind sentenceNumber days fromDate toDate active comment }
  adjudications(first: 100) { totalCount nodes { chargeNumber status incidentAt prisonId offence { code paragraph description }
    hearings { heldAt type outcomeCode plea } outcome { code details } punishments { type privilege days startDate endDate suspendedUntil } }
    pageInfo { hasNextPage endCursor } }`;

describe('movements and sentence adjustments of the well-known people', () => {
  it('linked: every booking’s movements newest first, with London times either side of the clock changes', async () => {
    const r = await gql(`query P($id: ID!) { person(hmppsId: $id) { ${PRISON_LIFE} } }`, { id: person('linked').crn });
    expect(r.body.errors).toBeUndefined();
    const { movements } = r.body.data!.person as Json;
    expect(movements.length).toBeGreaterThan(6);
    const instants = movements.map((m: Json) => Date.parse(m.occurredAt));
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    const kinds = new Set(movements.map((m: Json) => m.kind));
    for (const k of ['ADMISSION', 'RELEASE', 'COURT', 'TEMPORARY_ABSENCE']) expect(kinds).toContain(k);
    // 30 March 2025: 00:30 is GMT and 03:15 is BST; 26 October 2025: 01:30 (the repeated hour) is read as BST, 02:30 GMT.
    const at = (date: string) => movements.filter((m: Json) => m.date === date).map((m: Json) => m.occurredAt).sort();
    expect(at('2025-03-30')).toEqual(['2025-03-30T00:30:00+00:00', '2025-03-30T03:15:00+01:00']);
    expect(at('2025-10-26')).toEqual(['2025-10-26T01:30:00+01:00', '2025-10-26T02:30:00+00:00']);
  });

  it('other-prison: transferred from Swansea to Cardiff; released: the last movement is the release', async () => {
    const r = await gql(`query P($a: ID!, $b: ID!) { a: person(hmppsId: $a) { ${PRISON_LIFE} } b: person(hmppsId: $b) { ${PRISON_LIFE} } }`, {
      a: person('other-prison').prisonNumber,
      b: person('released').prisonNumber,
    });
    expect(r.body.errors).toBeUndefined();
    const a = (r.body.data!.a as Json).movements;
    expect(a.find((m: Json) => m.kind === 'TRANSFER')).toMatchObject({ direction: 'OUT', fromLocation: 'SWI', toLocation: 'CFI', toLocationName: 'Cardiff (HMP)' });
    const b = (r.body.data!.b as Json).movements;
    expect(b[0]).toMatchObject({ kind: 'RELEASE', direction: 'OUT', toLocation: 'OUT' });
  });

  it('long-lists: every kind of adjustment with its dates; a probation-only person has none (null)', async () => {
    const r = await gql(`query P($a: ID!, $b: ID!) { a: person(hmppsId: $a) { ${PRISON_LIFE} } b: person(hmppsId: $b) { ${PRISON_LIFE} } }`, {
      a: person('long-lists').crn,
      b: person('probation-only').crn,
    });
    expect(r.body.errors).toBeUndefined();
    const adjustments = (r.body.data!.a as Json).sentenceAdjustments;
    const kinds = new Set(adjustments.map((x: Json) => x.kind));
    for (const k of ['REMAND', 'TAGGED_BAIL', 'UNLAWFULLY_AT_LARGE', 'RESTORED_ADDITIONAL_DAYS_AWARDED', 'LAWFULLY_AT_LARGE', 'UNUSED_REMAND']) expect(kinds).toContain(k);
    const ual = adjustments.find((x: Json) => x.kind === 'UNLAWFULLY_AT_LARGE');
    expect(ual.sentenceNumber).toBeNull();
    expect(Date.parse(ual.toDate) - Date.parse(ual.fromDate)).toBe((ual.days - 1) * 86_400_000);
    expect(adjustments.find((x: Json) => x.kind === 'REMAND').sentenceNumber).toBeGreaterThan(0);
    expect(r.body.data!.b).toEqual({ movements: null, sentenceAdjustments: null, adjudications: null });
  });

  it('prison-only: a proved charge with added days; many-alerts: 45 adjudications, newest first, page by page', async () => {
    const r = await gql(`query P($id: ID!) { person(hmppsId: $id) { ${PRISON_LIFE} } }`, { id: person('prison-only').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const [proved] = (r.body.data!.person as Json).adjudications.nodes;
    expect(proved).toMatchObject({ status: 'CHARGE_PROVED', outcome: { code: 'CHARGE_PROVED' }, hearings: [{ outcomeCode: 'COMPLETE' }] });
    expect(proved.punishments[0]).toMatchObject({ type: 'ADDITIONAL_DAYS' });

    const PAGE = 'query A($id: ID!, $after: String) { person(hmppsId: $id) { adjudications(first: 20, after: $after) { totalCount nodes { chargeNumber incidentAt } pageInfo { hasNextPage endCursor } } } }';
    const seen: Json[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Json = await gql(PAGE, { id: person('many-alerts').prisonNumber, after });
      expect(page.body.errors).toBeUndefined();
      const a = page.body.data.person.adjudications;
      expect(a.totalCount).toBe(45);
      seen.push(...a.nodes);
      after = a.pageInfo.hasNextPage ? a.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen.map((x) => x.chargeNumber)).size).toBe(45);
    const instants = seen.map((x) => Date.parse(x.incidentAt));
    expect(instants).toEqual([...instants].sort((x, y) => y - x));
  });
});

describe('upstream calls for persons of 10, 50 and 100 people with movements, adjustments and adjudications selected', () => {
  it('movements: one batch call per request; adjustments: one bookings batch call and one call per booking; adjudications: one per person', async () => {
    const population = new Population({ size: 2000, seed: DEFAULT_SEED });
    const prisoners = population.people.filter((p) => p.prisonNumber).slice(20, 120);
    const lines: string[] = [];
    for (const n of [10, 50, 100]) {
      const group = prisoners.slice(0, n);
      await stack.sims.resetCounters();
      const r = await gql(`query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId ${PRISON_LIFE} } }`, { ids: group.map((p) => p.prisonNumber) });
      expect(r.body.errors).toBeUndefined();
      const counters = await stack.sims.counters();
      const prisonApi = counters.prisonApi ?? {};
      const bookings = group.reduce((s, p) => s + p.bookingCount, 0);
      expect(prisonApi['POST /api/movements/offenders']).toBe(1);
      expect(prisonApi['POST /api/offender-sentences']).toBe(1);
      expect(prisonApi['GET /api/adjustments/{bookingId}/sentence-and-booking']).toBe(bookings);
      // Manage Adjudications has no route for many prisoners: one call per person.
      expect(counters.adjudications?.['GET /reported-adjudications/prisoner/{prisonerNumber}']).toBe(n);
      const perUpstream = Object.fromEntries(
        Object.entries(counters).filter(([u]) => !u.startsWith('_') && u !== 'auth').map(([u, routes]) => [u, Object.values(routes).reduce((s, c) => s + c, 0)]),
      );
      lines.push(`persons(${n}): prisonApi ${JSON.stringify(prisonApi)}; all upstreams (identity included) ${JSON.stringify(perUpstream)} (${bookings} bookings)`);
    }
    console.log(lines.join('\n'));
  });
});

describe('partial results', () => {
  it('a broken movements answer nulls movements only, with UPSTREAM_INVALID_RESPONSE at its path; adjustments still come', async () => {
    await stack.sims.setFault('prisonApi', { routes: ['POST /api/movements/offenders'], drift: 'types' });
    try {
      const r = await gql(`query P($id: ID!) { person(hmppsId: $id) { firstName ${PRISON_LIFE} } }`, { id: person('linked').prisonNumber });
      const data = r.body.data!.person as Json;
      expect(data.firstName).toBe(person('linked').firstName);
      expect(data.movements).toBeNull();
      expect(data.sentenceAdjustments.length).toBeGreaterThan(0);
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0]).toMatchObject({ path: ['person', 'movements'], extensions: { code: 'UPSTREAM_INVALID_RESPONSE', area: 'prison' } });
    } finally {
      await stack.sims.clearFaults();
    }
  });

  it('Manage Adjudications down: adjudications null with UPSTREAM_UNAVAILABLE; the Prison API fields still come', async () => {
    await stack.sims.setFault('adjudications', { errorRate: 1, errorStatuses: [503] });
    try {
      const r = await gql(`query P($id: ID!) { person(hmppsId: $id) { firstName ${PRISON_LIFE} } }`, { id: person('linked').prisonNumber });
      const data = r.body.data!.person as Json;
      expect(data.adjudications).toBeNull();
      expect(data.movements.length).toBeGreaterThan(0);
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0]).toMatchObject({ path: ['person', 'adjudications'], extensions: { code: 'UPSTREAM_UNAVAILABLE', area: 'prison' } });
    } finally {
      await stack.sims.clearFaults();
    }
  });
});
