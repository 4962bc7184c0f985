/**
 * Issue 17, areas 1-4 end to end (real gateway over mutual TLS, real simulators): risk scores in both
 * predictor generations, serious harm, plans, needs and licences for the well-known people; the
 * upstream calls a `persons` query of 10, 50 and 100 people costs with these areas selected (printed);
 * and partial results when ARNS or CVL fails (only the fields they feed are null, typed errors there).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../../local-stack/https.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { callTable, requestsByRoute } from '../support/call-counts.js';
import { useGatewayStack } from '../support/stack.js';

const stack = useGatewayStack();
const people = wellKnownPeople();
const wk = (key: string) => people.people.find((p) => p.key === key)!;

export const RISK_PROFILE = `hmppsId
  riskScores(first: 20) { totalCount nodes { __typename completedAt status assessmentType outputVersion
    ... on LegacyRiskScores { groupReconviction { oneYear twoYears level } violencePredictor { totalWeightedScore oneYear twoYears level }
      generalPredictor { totalWeightedScore oneYear twoYears level } seriousRecidivism { percentage staticOrDynamic algorithmVersion level }
      sexualPredictor { indirectImagePercentage directContactPercentage indirectImageLevel directContactLevel } }
    ... on RiskPredictorScores { allReoffending { score band staticOrDynamic } violentReoffending { score band } seriousViolentReoffending { score band }
      directContactSexualReoffending { score band } indirectImageContactSexualReoffending { score band } combinedSeriousReoffending { score band algorithmVersion } } }
    pageInfo { hasNextPage endCursor } }
  riskOfSeriousHarm { assessedAt overallLevel inCommunity { children public knownAdult staff prisoners } inCustody { children public knownAdult staff prisoners }
    whoIsAtRisk natureOfRisk riskImminence riskIncreaseFactors riskMitigationFactors analysisOfRiskFactors
    riskToSelf { suicide { risk previous previousConcerns current currentConcerns } selfHarm { risk current } custody { risk } hostelSetting { risk } vulnerability { risk } }
    otherRisks { escapeOrAbscond controlIssuesDisruptiveBehaviour breachOfTrust riskToOtherPrisoners } }
  riskManagementPlans(first: 20) { totalCount nodes { assessmentId completedAt assessmentStatus assessmentType supervision contingencyPlans laterCompleteAssessmentExists } }
  criminogenicNeeds { assessedAt identified { section name severity score riskOfHarm riskOfReoffending } notIdentified { section severity } unanswered { section severity } }
  licences { id type status version approvedAt createdAt inPostSentenceSupervisionPeriod conditions { period kind code category text electronicMonitoring } }`;

type Json = any;

async function query(q: string, variables: Record<string, unknown>): Promise<{ status: number; body: Json }> {
  return postGraphQL(stack.gateway.consumerUrl, { query: q, variables }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
}

const PERSON = `query P($id: ID!) { person(hmppsId: $id) { ${RISK_PROFILE} } }`;

/** Every area, lightly (the full profile for 100 people is over the query cost limit, as it should be). */
const EVERY_AREA = `hmppsId riskScores { totalCount nodes { __typename completedAt } } riskOfSeriousHarm { overallLevel }
  riskManagementPlans { totalCount } criminogenicNeeds { assessedAt } licences { id status conditions { kind text } }`;

describe('risks, needs and licences of the well-known people', () => {
  it('a linked person: both predictor generations newest first, serious harm, plans, needs and a licence being prepared', async () => {
    const r = await query(PERSON, { id: wk('linked').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data.person;
    expect(p.riskScores.totalCount).toBe(3);
    expect(p.riskScores.nodes.map((n: Json) => [n.__typename, n.outputVersion])).toEqual([
      ['RiskPredictorScores', '2'], ['LegacyRiskScores', '1'], ['LegacyRiskScores', '1'],
    ]);
    expect(p.riskScores.nodes[0].completedAt).toMatch(/^2026-03-29T\d\d:\d\d:\d\d\+01:00$/); // BST from 29 March 2026
    expect(p.riskScores.nodes[0].allReoffending.band).toMatch(/^(LOW|MEDIUM|HIGH|VERY_HIGH)$/);
    expect(typeof p.riskScores.nodes[1].groupReconviction.twoYears).toBe('number');
    expect(p.riskOfSeriousHarm.overallLevel).toBe('HIGH');
    expect(Object.values(p.riskOfSeriousHarm.inCommunity)).toContain('HIGH');
    expect(p.riskOfSeriousHarm.whoIsAtRisk).toEqual(expect.any(String));
    expect(p.riskManagementPlans.totalCount).toBeGreaterThan(0);
    expect(p.criminogenicNeeds.identified.length + p.criminogenicNeeds.notIdentified.length + p.criminogenicNeeds.unanswered.length).toBe(9);
    expect(p.licences).toHaveLength(1);
    expect(p.licences[0]).toMatchObject({ status: 'IN_PROGRESS', type: 'AP', approvedAt: null });
    expect(p.licences[0].conditions.filter((c: Json) => c.kind === 'STANDARD').length).toBe(6);
  });

  it('never assessed: no scores, no serious harm, no needs; assessed over a year ago: scores but no serious harm', async () => {
    const never = (await query(PERSON, { id: wk('hyphen-name').crn })).body;
    expect(never.errors).toBeUndefined();
    expect(never.data.person).toMatchObject({ riskScores: { totalCount: 0, nodes: [] }, riskOfSeriousHarm: null, criminogenicNeeds: null, riskManagementPlans: { totalCount: 0 } });
    const old = (await query(PERSON, { id: wk('apostrophe-name').crn })).body;
    expect(old.errors).toBeUndefined();
    expect(old.data.person.riskScores.totalCount).toBe(2);
    expect(old.data.person.riskOfSeriousHarm).toBeNull();
    expect(old.data.person.criminogenicNeeds).not.toBeNull();
  });

  it('a prison-only person has none of these areas (null, no error), and ARNS and CVL are not asked', async () => {
    await stack.sims.resetCounters();
    const r = await query(PERSON, { id: wk('prison-only').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.person).toMatchObject({ riskScores: null, riskOfSeriousHarm: null, riskManagementPlans: null, criminogenicNeeds: null, licences: null });
    const counters = await stack.sims.counters();
    expect(Object.values(counters.arns ?? {}).reduce((a, b) => a + b, 0)).toBe(0);
    expect(Object.values(counters.cvl ?? {}).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('released: an active licence in post-sentence supervision and a variation in progress, newest first; risk scores page by cursor', async () => {
    const r = await query(PERSON, { id: wk('released').crn });
    expect(r.body.errors).toBeUndefined();
    const licences = r.body.data.person.licences;
    expect(licences.map((l: Json) => l.status)).toEqual(['VARIATION_IN_PROGRESS', 'ACTIVE']);
    expect(licences[1].inPostSentenceSupervisionPeriod).toBe(true);
    expect(licences[1].conditions.some((c: Json) => c.period === 'POST_SENTENCE_SUPERVISION')).toBe(true);
    const long = await query(`query P($id: ID!, $after: String) { person(hmppsId: $id) { riskScores(first: 5, after: $after) { totalCount nodes { completedAt } pageInfo { hasNextPage endCursor } } } }`, { id: wk('long-lists').crn });
    const first = long.body.data.person.riskScores;
    expect(first).toMatchObject({ totalCount: 12, pageInfo: { hasNextPage: true } });
    const next = (await query(`query P($id: ID!, $after: String) { person(hmppsId: $id) { riskScores(first: 5, after: $after) { nodes { completedAt } } } }`, { id: wk('long-lists').crn, after: first.pageInfo.endCursor })).body.data.person.riskScores;
    expect(Date.parse(next.nodes[0].completedAt)).toBeLessThan(Date.parse(first.nodes[4].completedAt));
  });
});

describe('upstream calls for persons of 10, 50 and 100 people with the risk and licence areas selected', () => {
  const table: Record<number, Record<string, number>> = {};
  afterAll(() => {
    process.stdout.write(callTable('upstream requests per route for persons(hmppsIds: N ids) selecting riskScores, riskOfSeriousHarm, riskManagementPlans, criminogenicNeeds, licences', table));
  });

  it('asks ARNS once per area per person and CVL once per person plus once per licence; a person asked twice costs nothing more', async () => {
    const population = new Population({ size: 2000, seed: DEFAULT_SEED });
    const crns = population.probationCases.map((i) => population.get(i)!.crn!).slice(20, 120);
    for (const n of [10, 50, 100]) {
      const ids = crns.slice(0, n);
      await stack.sims.resetCounters();
      // Every id twice: the second asks for the same people again and must be served from the request's loaders.
      const r = await query(`query P($ids: [ID!]!) { persons(hmppsIds: $ids) { ${EVERY_AREA} } }`, { ids: [...ids, ...ids].slice(0, 100) });
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      const counters = await stack.sims.counters();
      table[n] = requestsByRoute(counters);
      const asked = new Set([...ids, ...ids].slice(0, 100)).size;
      for (const route of ['GET /risks/predictors/unsafe/all/{identifierType}/{identifierValue}', 'GET /risks/rosh/{crn}', 'GET /risks/risk-management-plan/{crn}', 'GET /needs/{crn}']) {
        expect([route, counters.arns?.[route]]).toEqual([route, asked]);
      }
      expect(counters.cvl?.['GET /public/licence-summaries/crn/{crn}']).toBe(asked);
      const licences = (r.body.data.persons as Json[]).slice(0, asked).reduce((a, p) => a + (p?.licences?.length ?? 0), 0);
      expect(counters.cvl?.['GET /public/licences/id/{licenceId}'] ?? 0).toBe(licences);
    }
  }, 120_000);
});

// CVL first: the ARNS outage opens ARNS' circuit for a few seconds (as it should).
describe('partial results: a failing ARNS or CVL nulls only the fields it feeds', () => {
  afterAll(() => stack.sims.clearFaults());

  it('CVL answering something else than its contract: licences null with UPSTREAM_INVALID_RESPONSE, never an empty list', async () => {
    await stack.sims.setFault('cvl', { respondWith: 'otherJson' });
    try {
      const r = await query(`query P($id: ID!) { person(hmppsId: $id) { firstName riskScores { totalCount } licences { id } } }`, { id: wk('released').crn });
      expect(r.body.data.person.firstName).toBe(wk('released').firstName);
      expect(r.body.data.person.riskScores.totalCount).toBe(2);
      expect(r.body.data.person.licences).toBeNull();
      expect((r.body.errors as Json[]).map((e) => [e.path.join('.'), e.extensions.code])).toEqual([['person.licences', 'UPSTREAM_INVALID_RESPONSE']]);
    } finally {
      await stack.sims.clearFaults();
    }
  }, 30_000);

  it('ARNS down: the four ARNS fields are null with UPSTREAM_UNAVAILABLE at their paths; names and licences stand', async () => {
    await stack.sims.setFault('arns', { errorRate: 1, errorStatuses: [503] });
    try {
      const r = await query(`query P($id: ID!) { person(hmppsId: $id) { firstName riskScores { totalCount } riskOfSeriousHarm { overallLevel } riskManagementPlans { totalCount } criminogenicNeeds { assessedAt } licences { id } } }`, { id: wk('released').crn });
      expect(r.body.data.person).toMatchObject({ firstName: wk('released').firstName, riskScores: null, riskOfSeriousHarm: null, riskManagementPlans: null, criminogenicNeeds: null });
      expect(r.body.data.person.licences.length).toBe(2);
      const paths = (r.body.errors as Json[]).map((e) => [e.path.join('.'), e.extensions.code]).sort();
      expect(paths).toEqual([
        ['person.criminogenicNeeds', 'UPSTREAM_UNAVAILABLE'], ['person.riskManagementPlans', 'UPSTREAM_UNAVAILABLE'],
        ['person.riskOfSeriousHarm', 'UPSTREAM_UNAVAILABLE'], ['person.riskScores', 'UPSTREAM_UNAVAILABLE'],
      ]);
    } finally {
      await stack.sims.clearFaults();
    }
  }, 30_000);
});
