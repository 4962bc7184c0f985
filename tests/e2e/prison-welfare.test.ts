/**
 * Issue 18, incentive level, health and diet, non-associations: end to end through the real gateway
 * over mutual TLS against the real simulators. The well-known people's answers, partial results when
 * one of these upstreams fails or lies, and the upstream calls `persons` of 10, 50 and 100 people
 * cost (the incentives and non-associations batch routes called once whatever N).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPerson } from '../../local-stack/simulators.js';
import { prisonersInPrison } from '../support/call-counts.js';
import { useGatewayStack } from '../support/stack.js';

const person = wellKnownPerson;

export const PRISON_LIFE = `
  incentiveLevel { level code reviewedOn nextReviewDue daysSinceReview
    reviews { level code reviewedOn reviewedAt reviewType prisonId comments } }
  healthAndDiet { smoker dietRecorded cateringInstructions
    foodAllergies { code description comment }
    medicalDietaryRequirements { code description comment }
    personalisedDietaryRequirements { code description comment } }
  nonAssociations(includeClosed: true) { id role roleDescription otherPersonWithheld otherPersonRole otherPersonRoleDescription
    reason reasonDescription restrictionType restrictionTypeDescription comment createdAt updatedAt open closedAt closedReason
    otherPerson { hmppsId firstName lastName identifiers { prisonNumber } } }
  numberOfChildren
  contacts(first: 100) { totalCount nodes { firstName lastName relationshipType relationship nextOfKin emergencyContact approvedVisitor active
    phoneNumber street town postcode comments restrictions { code description } } pageInfo { hasNextPage endCursor } }`;

// A full prison-life selection for 100 people costs more than the default query-cost limit: this file is about
// answers and call counts, so the limit is raised (the limit itself is tested in tests/security).
const stack = useGatewayStack({ env: { MAX_QUERY_COST: '10000000' } });

const asDev = (query: string, variables?: Record<string, unknown>) =>
  postGraphQL(stack.gateway.consumerUrl, { query, variables }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });

const profileOf = async (id: string): Promise<GraphQLResult> =>
  asDev(`query P($id: ID!) { person(hmppsId: $id) { hmppsId firstName ${PRISON_LIFE} } }`, { id });

type Json = Record<string, any>;

describe('prison life for the well-known people', () => {
  let linked: Json;
  beforeAll(async () => {
    const r = await profileOf(person('linked').prisonNumber!);
    expect(r.body.errors).toBeUndefined();
    linked = r.body.data?.person as Json;
  });

  it('incentive level: the level of the batch route agrees with the newest review of the history', () => {
    const level = linked.incentiveLevel as Json;
    expect(['Basic', 'Standard', 'Enhanced']).toContain(level.level);
    expect(level.reviews).toHaveLength(4);
    expect(level.reviews[0]).toMatchObject({ level: level.level, code: level.code, reviewedOn: level.reviewedOn, prisonId: 'MDI' });
    expect(level.reviews.at(-1).reviewType).toBe('INITIAL');
    const dates = (level.reviews as Json[]).map((r) => r.reviewedOn as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(level.reviews[0].reviewedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/);
  });

  it('health and diet: allergies with their comments, diets, catering instructions and smoking', () => {
    const h = linked.healthAndDiet as Json;
    expect(['SMOKER', 'NON_SMOKER', 'VAPER']).toContain(h.smoker);
    expect(h).toMatchObject({
      dietRecorded: true,
      cateringInstructions: 'Meals to be served in cell.',
      foodAllergies: [{ code: 'EGG', description: 'Egg', comment: null }, { code: 'OTHER', description: 'Other', comment: 'Kohlrabi' }],
      medicalDietaryRequirements: [{ code: 'LOW_CHOLESTEROL' }],
      personalisedDietaryRequirements: [{ code: 'VEGAN' }],
    });
  });

  it('health and diet: no record, and a record without diet data, are "not recorded", not an error', async () => {
    for (const key of ['no-addresses', 'many-alerts']) {
      const r = await profileOf(person(key).prisonNumber!);
      expect(r.body.errors).toBeUndefined();
      expect((r.body.data?.person as Json).healthAndDiet).toMatchObject({ dietRecorded: false, foodAllergies: [], cateringInstructions: null });
    }
  });

  it('incentive level is null for a prisoner never reviewed; every area is null for a probation-only person', async () => {
    const never = await profileOf(person('no-addresses').prisonNumber!);
    expect((never.body.data?.person as Json).incentiveLevel).toBeNull();
    const probation = await profileOf(person('probation-only').crn!);
    expect(probation.body.errors).toBeUndefined();
    expect(probation.body.data?.person).toMatchObject({ incentiveLevel: null, healthAndDiet: null, nonAssociations: null });
  });

  it('non-associations: both sides of a pair see it, with mirrored roles; the other person is a Person', async () => {
    const list = linked.nonAssociations as Json[];
    expect(list).toHaveLength(3);
    const withPrisonOnly = list.find((n) => n.otherPerson?.identifiers?.prisonNumber === person('prison-only').prisonNumber)!;
    expect(withPrisonOnly).toMatchObject({ role: 'VICTIM', otherPersonRole: 'PERPETRATOR', reason: 'THREAT', restrictionType: 'CELL', open: true,
      otherPersonWithheld: false, otherPerson: { firstName: person('prison-only').firstName } });
    const closed = list.find((n) => !n.open)!;
    expect(closed.closedAt).not.toBeNull();
    const other = await profileOf(person('prison-only').prisonNumber!);
    const mirrored = ((other.body.data?.person as Json).nonAssociations as Json[]).find((n) => n.id === withPrisonOnly.id)!;
    expect(mirrored).toMatchObject({ role: 'PERPETRATOR', otherPersonRole: 'VICTIM', comment: withPrisonOnly.comment,
      otherPerson: { hmppsId: person('linked').crn } });
  });

  it('contacts: next of kin, emergency contacts, restrictions, inactive relationships; number of children', () => {
    const contacts = linked.contacts as Json;
    expect(contacts.totalCount).toBe(4);
    expect(linked.numberOfChildren).toBe('2');
    const nodes = contacts.nodes as Json[];
    expect(nodes[0]).toMatchObject({ nextOfKin: true, emergencyContact: true, relationshipType: 'SOCIAL' });
    expect(nodes[1]).toMatchObject({ emergencyContact: true });
    expect(nodes[2]!.active).toBe(false);
    expect(nodes[3]!.restrictions).toHaveLength(1);
  });

  it('contacts: paged through every upstream page (45 contacts, upstream pages of 100, graph pages of 20); filters', async () => {
    const q = `query C($id: ID!, $after: String) { person(hmppsId: $id) { contacts(first: 20, after: $after) { totalCount nodes { lastName } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await asDev(q, { id: person('long-lists').prisonNumber, after });
      const page = (r.body.data?.person as Json).contacts as Json;
      expect(page.totalCount).toBe(45);
      seen.push(...(page.nodes as Json[]).map((n) => n.lastName as string));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor as string;
    }
    expect(seen).toHaveLength(45);
    const kin = await asDev('query C($id: ID!) { person(hmppsId: $id) { contacts(emergencyOrNextOfKinOnly: true, activeOnly: true) { nodes { nextOfKin emergencyContact active } } } }',
      { id: person('linked').prisonNumber });
    const nodes = ((kin.body.data?.person as Json).contacts as Json).nodes as Json[];
    expect(nodes).toHaveLength(2);
    for (const n of nodes) expect(n.active && (n.nextOfKin || n.emergencyContact)).toBe(true);
  });

  it('non-associations: closed ones only when asked for', async () => {
    const r = await asDev('query P($id: ID!) { person(hmppsId: $id) { nonAssociations { id open } } }', { id: person('linked').prisonNumber });
    const open = (r.body.data?.person as Json).nonAssociations as Json[];
    expect(open).toHaveLength(2);
    expect(open.every((n) => n.open)).toBe(true);
  });
});

describe('partial results: one failing upstream nulls only the fields it feeds', () => {
  afterAll(() => stack.sims.clearFaults());

  const cases: Array<[string, 'incentives' | 'healthAndMedication' | 'nonAssociations' | 'personalRelationships', string[]]> = [
    ['incentives', 'incentives', ['incentiveLevel']],
    ['health and medication', 'healthAndMedication', ['healthAndDiet', 'foodAllergies']],
    ['non-associations', 'nonAssociations', ['nonAssociations']],
    ['personal relationships', 'personalRelationships', ['contacts']],
  ];

  for (const [name, upstream, path] of cases) {
    it(`${name} down: UPSTREAM_UNAVAILABLE at ${path.join('.')}, every other field answered`, async () => {
      await stack.sims.setFault(upstream, { errorRate: 1, errorStatuses: [503] });
      try {
        const r = await profileOf(person('linked').prisonNumber!);
        expect(r.status).toBe(200);
        const p = r.body.data?.person as Json;
        expect(p.firstName).toBe(person('linked').firstName);
        const errors = r.body.errors ?? [];
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) {
          expect(e.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
          expect(e.extensions?.area).toBe('prison');
          expect([path[0], ...(upstream === 'personalRelationships' ? ['numberOfChildren'] : [])]).toContain(e.path?.[1]);
        }
        expect(JSON.stringify(errors)).not.toMatch(/http:|127\.0\.0\.1|incentive-reviews|non-associations\/involving/);
        for (const other of ['incentiveLevel', 'healthAndDiet', 'nonAssociations', 'contacts'].filter((f) => f !== path[0])) expect(p[other]).not.toBeNull();
      } finally {
        await stack.sims.clearFaults();
      }
    });

    it(`${name} answering another shape: UPSTREAM_INVALID_RESPONSE at ${path[0]}, never an empty answer`, async () => {
      await stack.sims.setFault(upstream, { drift: 'types' });
      try {
        const r = await profileOf(person('linked').prisonNumber!);
        const errors = r.body.errors ?? [];
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) {
          expect(e.extensions?.code).toBe('UPSTREAM_INVALID_RESPONSE');
          expect([path[0], ...(upstream === 'personalRelationships' ? ['numberOfChildren'] : [])]).toContain(e.path?.[1]);
        }
      } finally {
        await stack.sims.clearFaults();
      }
    });
  }
});

describe('batching: persons of 10, 50 and 100 people with these areas selected', () => {
  const table: Record<number, Record<string, number>> = {};
  const AREAS = ['incentives', 'healthAndMedication', 'nonAssociations', 'personalRelationships'];

  afterAll(() => {
    const routes = [...new Set(Object.values(table).flatMap((r) => Object.keys(r)))].sort();
    const ns = Object.keys(table).map(Number);
    const lines = ['\nupstream requests per route for persons(N ids) with incentive level, health and diet, non-associations (and each other person), contacts'];
    lines.push(`${'route'.padEnd(70)}${ns.map((n) => `N=${n}`.padStart(8)).join('')}`);
    for (const r of routes) lines.push(`${r.padEnd(70)}${ns.map((n) => String(table[n]![r] ?? 0).padStart(8)).join('')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });

  it('calls the incentives and non-associations batch routes once, whatever the number of people', async () => {
    const all = await prisonersInPrison(stack.sims, 100);
    expect(all).toHaveLength(100);
    for (const n of [10, 50, 100]) {
      await stack.sims.resetCounters();
      const r = await asDev(`query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId ${PRISON_LIFE} } }`, { ids: all.slice(0, n) });
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      const counters = await stack.sims.counters();
      const row: Record<string, number> = {};
      for (const [upstream, routes] of Object.entries(counters)) {
        if (upstream.startsWith('_') || upstream === 'auth') continue;
        for (const [route, count] of Object.entries(routes)) if (count > 0) row[`${upstream} ${route}`] = count;
      }
      table[n] = row;
      expect(row['incentives POST /incentive-reviews/bookings']).toBe(1);
      expect(row['nonAssociations POST /non-associations/involving']).toBe(1);
      // Review history and diet have no per-person batch form: one request per person, never more.
      expect(row['incentives GET /incentive-reviews/prisoner/{prisonerNumber}']).toBeLessThanOrEqual(n);
      expect(row['healthAndMedication GET /prisoners/{prisonerNumber}']).toBe(n);
      // Contacts: one page per person (everyone here has fewer than 100), children one call per person.
      expect(row['personalRelationships GET /prisoner/{prisonNumber}/contact']).toBe(n);
      expect(row['personalRelationships GET /prisoner/{prisonerNumber}/number-of-children']).toBe(n);
      for (const [route, count] of Object.entries(row)) if (AREAS.some((a) => route.startsWith(`${a} `)) && count > n) throw new Error(`${route}: ${count}`);
    }
  }, 120_000);
});
