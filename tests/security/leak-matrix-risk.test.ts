/**
 * Issue 17, areas 1-4 over HTTPS with real certificates: every new coordinate is refused (403, no
 * upstream call) to a consumer not granted it, however it is reached (interface members included);
 * the policy decides per consumer whether risk scores come with their numbers or with bands only,
 * and masks free text (assessors' text, licence conditions) for limited-access people; and the row
 * filters apply to these fields (unlike the facade's risk routes): a person in another prison, or (for a
 * consumer that sees people in prison only) a person on probation, is not found, so none of their risk
 * data is either.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getNamedType, isAbstractType, isObjectType, type GraphQLObjectType } from 'graphql';
import { parse, stringify } from 'yaml';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { MASK } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates, sampleApiKey } from '../../local-stack/consumer-identities.js';
import { countersWhenQuiet, resetCountersWhenQuiet, upstreamCalls } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';

type Json = any;
/** A consumer of this test's own policy whose supervision-status filter lets it see people in prison only. */
const CUSTODY_ONLY = 'custody-only';
const people = wellKnownPeople().people;
const wk = (key: string) => people.find((p) => p.key === key)!;

/** The sample consumers' API key hashes, with the development policy's risk roles given to them. */
function writePolicy(dir: string): { file: string } {
  const dev = parse(readFileSync(join(REPO_ROOT, 'policy', 'development.yaml'), 'utf8')) as Json;
  const sample = parse(readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8')) as Json;
  const keys = (name: string) => sample.consumers[name].apiKeys;
  const doc = {
    roles: {
      identity: { grants: ['Query.person', 'Query.persons', 'Person.hmppsId', 'Person.firstName', 'Person.lastName'] },
      'public-protection-risk': dev.roles['public-protection-risk'],
      'risk-bands-only': dev.roles['risk-bands-only'],
    },
    consumers: {
      'police-force': { roles: ['identity', 'public-protection-risk'], apiKeys: keys('police-force') },
      'probation-partner': { roles: ['identity', 'public-protection-risk', 'risk-bands-only'], apiKeys: keys('probation-partner') },
      'prison-operator': { roles: ['identity', 'public-protection-risk'], filters: { prisons: ['MDI'] }, apiKeys: keys('prison-operator') },
      'schema-explorer': { roles: ['identity'], apiKeys: keys('schema-explorer') },
      // A supervision-status filter: only people in prison.
      [CUSTODY_ONLY]: { roles: ['identity', 'public-protection-risk'], filters: { supervisionStatuses: ['PRISONS'] }, apiKeys: [hashApiKey(sampleApiKey(CUSTODY_ONLY))] },
    },
  };
  const file = join(dir, 'risk-policy.yaml');
  writeFileSync(file, stringify(doc));
  return { file };
}

// No background health checks while calls are counted (the token component's check fetches a real token).
const stack = useGatewayStack({ certificates: () => createSecurityCertificates([CUSTODY_ONLY]), policy: writePolicy, env: { HEALTH_CHECK_INTERVAL_MS: '3600000' } });
const clientOf = useConsumerClients(stack, ['police-force', 'probation-partner', 'prison-operator', 'schema-explorer', CUSTODY_ONLY]);
/** One consumer's client, with the body typed loosely for reading. */
const as = (name: string) => ({
  gql: async (query: string, variables: Record<string, unknown>) =>
    (await clientOf(name).gql(query, variables)) as unknown as { status: number; raw: string; body: Json },
});

/** How to reach each new type from a person: the selection around a field of it. */
const REACH: Record<string, (inner: string) => string> = {
  RiskScoreAssessmentPage: (f) => `riskScores { ${f} }`,
  LegacyRiskScores: (f) => `riskScores { nodes { ... on LegacyRiskScores { ${f} } } }`,
  ReconvictionScore: (f) => REACH.LegacyRiskScores!(`groupReconviction { ${f} }`),
  WeightedPredictorScore: (f) => REACH.LegacyRiskScores!(`violencePredictor { ${f} }`),
  SeriousRecidivismScore: (f) => REACH.LegacyRiskScores!(`seriousRecidivism { ${f} }`),
  SexualPredictorScore: (f) => REACH.LegacyRiskScores!(`sexualPredictor { ${f} }`),
  RiskPredictorScores: (f) => `riskScores { nodes { ... on RiskPredictorScores { ${f} } } }`,
  RiskPredictor: (f) => REACH.RiskPredictorScores!(`allReoffending { ${f} }`),
  UnrecognisedRiskScores: (f) => `riskScores { nodes { ... on UnrecognisedRiskScores { ${f} } } }`,
  RiskOfSeriousHarm: (f) => `riskOfSeriousHarm { ${f} }`,
  RiskOfSeriousHarmLevels: (f) => `riskOfSeriousHarm { inCommunity { ${f} } }`,
  RiskToSelf: (f) => `riskOfSeriousHarm { riskToSelf { ${f} } }`,
  RiskToSelfConcern: (f) => `riskOfSeriousHarm { riskToSelf { suicide { ${f} } } }`,
  OtherRisks: (f) => `riskOfSeriousHarm { otherRisks { ${f} } }`,
  RiskManagementPlanPage: (f) => `riskManagementPlans { ${f} }`,
  RiskManagementPlan: (f) => `riskManagementPlans { nodes { ${f} } }`,
  CriminogenicNeeds: (f) => `criminogenicNeeds { ${f} }`,
  CriminogenicNeed: (f) => `criminogenicNeeds { identified { ${f} } }`,
  Licence: (f) => `licences { ${f} }`,
  LicenceCondition: (f) => `licences { conditions { ${f} } }`,
};
const PERSON_FIELDS = ['riskScores', 'riskOfSeriousHarm', 'riskManagementPlans', 'criminogenicNeeds', 'licences'];

/** Every coordinate issue 17 areas 1-4 added, each with a query that selects it. */
function newCoordinates(): Array<{ coordinate: string; query: string }> {
  const schema = buildSchema();
  const select = (type: GraphQLObjectType, field: string): string => {
    const t = getNamedType(type.getFields()[field]!.type);
    return isObjectType(t) || isAbstractType(t) ? `${field} { __typename }` : field;
  };
  const person = schema.getType('Person') as GraphQLObjectType;
  const out = PERSON_FIELDS.map((f) => ({ coordinate: `Person.${f}`, query: select(person, f) }));
  for (const [typeName, reach] of Object.entries(REACH)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.keys(type.getFields())) out.push({ coordinate: `${typeName}.${field}`, query: reach(select(type, field)) });
  }
  return out.map(({ coordinate, query }) => ({ coordinate, query: `query L($id: ID!) { person(hmppsId: $id) { hmppsId ${query} } }` }));
}

describe('leak matrix rows for every new coordinate', () => {
  it('a consumer granted none of them is refused each one (403 FORBIDDEN naming it), and no upstream is asked', async () => {
    const probes = newCoordinates();
    expect(probes.length).toBeGreaterThan(100);
    await stack.sims.resetCounters();
    const failures: string[] = [];
    for (const probe of probes) {
      const r = await as('schema-explorer').gql(probe.query, { id: wk('linked').crn });
      const e = r.body.errors?.[0];
      if (!(r.status === 403 && e?.extensions?.code === 'FORBIDDEN' && ((e.extensions.coordinates as string[]) ?? []).includes(probe.coordinate) && r.body.data === undefined)) {
        failures.push(`${probe.coordinate}: ${r.status} ${r.raw.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  }, 120_000);
});

const SCORES = `query S($id: ID!) { person(hmppsId: $id) { riskScores { nodes { __typename
  ... on LegacyRiskScores { groupReconviction { oneYear twoYears level } violencePredictor { totalWeightedScore level } seriousRecidivism { percentage level } sexualPredictor { directContactPercentage directContactLevel } }
  ... on RiskPredictorScores { allReoffending { score band } combinedSeriousReoffending { score band } } } } } }`;

describe('scores or bands: the policy decides per consumer', () => {
  it('a public-protection consumer sees scores and bands; one with risk-bands-only sees the bands and no numbers', async () => {
    const [full, bands] = await Promise.all([
      as('police-force').gql(SCORES, { id: wk('linked').crn }),
      as('probation-partner').gql(SCORES, { id: wk('linked').crn }),
    ]);
    expect(full.body.errors).toBeUndefined();
    expect(bands.body.errors).toBeUndefined();
    const [newest, legacy] = full.body.data.person.riskScores.nodes as Json[];
    expect(typeof newest.allReoffending.score).toBe('number');
    expect(typeof legacy.groupReconviction.twoYears).toBe('number');
    const [bNewest, bLegacy] = bands.body.data.person.riskScores.nodes as Json[];
    expect(bNewest.allReoffending).toEqual({ score: null, band: newest.allReoffending.band });
    expect(bNewest.combinedSeriousReoffending).toEqual({ score: null, band: newest.combinedSeriousReoffending.band });
    expect(bLegacy.groupReconviction).toEqual({ oneYear: null, twoYears: null, level: legacy.groupReconviction.level });
    expect(bLegacy.violencePredictor).toEqual({ totalWeightedScore: null, level: legacy.violencePredictor.level });
    expect(bLegacy.seriousRecidivism).toEqual({ percentage: null, level: legacy.seriousRecidivism.level });
  });
});

const FREE_TEXT = `query F($id: ID!) { person(hmppsId: $id) { riskOfSeriousHarm { overallLevel whoIsAtRisk natureOfRisk riskToSelf { suicide { risk previousConcerns } } }
  riskManagementPlans { nodes { assessmentType supervision contingencyPlans } } licences { status conditions { kind text } } } }`;

describe('limited-access people: free text masked for the consumer whose policy says so', () => {
  it('masks serious-harm text, plan text and licence condition text of an LAO person, not the levels; a non-LAO person is untouched', async () => {
    const lao = await as('police-force').gql(FREE_TEXT, { id: wk('restricted').crn });
    expect(lao.body.errors).toBeUndefined();
    const p = lao.body.data.person;
    expect(p.riskOfSeriousHarm.overallLevel).toBe('HIGH');
    expect([p.riskOfSeriousHarm.whoIsAtRisk, p.riskOfSeriousHarm.natureOfRisk]).toEqual([MASK, MASK]);
    expect(p.riskManagementPlans.nodes.length).toBeGreaterThan(0);
    for (const plan of p.riskManagementPlans.nodes) expect([plan.supervision, plan.contingencyPlans]).toEqual([MASK, MASK]);
    expect(p.licences[0].status).toBe('SUBMITTED');
    for (const c of p.licences[0].conditions) expect(c.text).toBe(MASK);
    const open = await as('police-force').gql(FREE_TEXT, { id: wk('linked').crn });
    expect(open.body.data.person.riskOfSeriousHarm.whoIsAtRisk).not.toBe(MASK);
    expect(open.body.data.person.licences[0].conditions[0].text).not.toBe(MASK);
  });
});

describe('row filters apply to the risk fields too', () => {
  it('a prisons-filtered consumer gets the risk data of a person in its prison, and a person elsewhere exactly like an unknown id', async () => {
    const q = 'query R($id: ID!) { person(hmppsId: $id) { hmppsId riskOfSeriousHarm { overallLevel } licences { id } } }';
    const inPrison = await as('prison-operator').gql(q, { id: wk('linked').crn });
    expect(inPrison.body.errors).toBeUndefined();
    expect(inPrison.body.data.person.riskOfSeriousHarm.overallLevel).toBe('HIGH');
    // The risk lookups a CRN's selection starts early (ADR 19) are the same for a person outside the filters
    // and for nobody: equal work, and nothing of them reaches the consumer.
    const riskCalls = async () => {
      const counters = await stack.sims.counters();
      return { arns: counters.arns ?? {}, cvl: counters.cvl ?? {} };
    };
    for (const key of ['other-prison', 'probation-only', 'excluded']) {
      await stack.sims.resetCounters();
      const outside = await as('prison-operator').gql(q, { id: wk(key).crn });
      const outsideCalls = await riskCalls();
      await stack.sims.resetCounters();
      const nobody = await as('prison-operator').gql(q, { id: 'Z999999' });
      expect(outside.raw).toBe(nobody.raw);
      expect(outside.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect({ key, calls: outsideCalls }).toEqual({ key, calls: await riskCalls() });
    }
  });
});

describe('the supervision-status filter applies to the risk fields too', () => {
  const q = `query R($id: ID!) { person(hmppsId: $id) { hmppsId riskScores { totalCount } riskOfSeriousHarm { overallLevel natureOfRisk }
    riskManagementPlans { totalCount } criminogenicNeeds { assessedAt } licences { id status conditions { text } } } }`;
  const areaCalls = (counters: Record<string, Record<string, number>>) => ({ arns: counters.arns ?? {}, cvl: counters.cvl ?? {} });

  it('a consumer seeing people in prison only gets the risk data of a prisoner', async () => {
    const r = await as(CUSTODY_ONLY).gql(q, { id: wk('linked').crn });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.person.riskOfSeriousHarm.overallLevel).toBe('HIGH');
    expect(r.body.data.person.riskScores.totalCount).toBeGreaterThan(0);
  });

  it('and a person on probation (in the community, on licence, limited access) exactly like an unknown id, for the same risk calls', async () => {
    await resetCountersWhenQuiet(stack.sims);
    const nobody = await as(CUSTODY_ONLY).gql(q, { id: wellKnownPeople().unknown.crn });
    const nobodyCalls = areaCalls(await countersWhenQuiet(stack.sims));
    expect(nobody.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    for (const key of ['probation-only', 'released', 'excluded']) {
      // Each has risk data another consumer sees (the comparison below can fail).
      const seen = await as('police-force').gql(q, { id: wk(key).crn });
      expect({ key, found: seen.body.data?.person?.hmppsId }).toEqual({ key, found: wk(key).crn });
      await resetCountersWhenQuiet(stack.sims);
      const outside = await as(CUSTODY_ONLY).gql(q, { id: wk(key).crn });
      const calls = areaCalls(await countersWhenQuiet(stack.sims));
      expect({ key, raw: outside.raw }).toEqual({ key, raw: nobody.raw });
      expect({ key, calls }).toEqual({ key, calls: nobodyCalls });
    }
  });
});
