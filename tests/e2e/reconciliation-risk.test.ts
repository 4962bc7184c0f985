/**
 * Data truth for issue 17, areas 1-4: every person of the simulated world with a CRN, fetched through
 * the real gateway (`persons`, 50 at a time) with risk scores, serious harm, plans, needs and licences,
 * against a reference reading of the raw ARNS and CVL answers fetched here over HTTP (written from
 * the specs' meaning; nothing imported from src/). Lists are compared in order (newest first is part
 * of the contract). Prints values checked and mismatches per area; passes only with no mismatch.
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../../local-stack/https.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { londonInstant } from '../support/reference-profile.js';
import { pool } from '../support/pool.js';
import { useGatewayStack } from '../support/stack.js';

const POPULATION = Number(process.env.RECONCILIATION_POPULATION ?? 2000);
const BATCH = 50;

const stack = useGatewayStack({
  population: POPULATION,
  timeoutMs: 60_000,
  env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000', UPSTREAM_TIMEOUT_MS: '10000', REQUEST_DEADLINE_MS: '60000', SHUTDOWN_TIMEOUT_MS: '70000' },
});

type Json = any;

const PROFILE = `hmppsId
  riskScores(first: 100) { totalCount nodes { __typename completedAt status assessmentType outputVersion
    ... on LegacyRiskScores { groupReconviction { oneYear twoYears level }
      violencePredictor { staticWeightedScore dynamicWeightedScore totalWeightedScore oneYear twoYears level }
      generalPredictor { staticWeightedScore dynamicWeightedScore totalWeightedScore oneYear twoYears level }
      seriousRecidivism { percentage staticOrDynamic algorithmVersion level }
      sexualPredictor { indirectImagePercentage directContactPercentage indirectImageLevel directContactLevel } }
    ... on RiskPredictorScores { allReoffending { ...p } violentReoffending { ...p } seriousViolentReoffending { ...p }
      directContactSexualReoffending { ...p } indirectImageContactSexualReoffending { ...p } combinedSeriousReoffending { ...p } } } }
  riskOfSeriousHarm { assessedAt overallLevel inCommunity { ...levels } inCustody { ...levels }
    whoIsAtRisk natureOfRisk riskImminence riskIncreaseFactors riskMitigationFactors analysisOfRiskFactors
    riskToSelf { suicide { ...concern } selfHarm { ...concern } custody { ...concern } hostelSetting { ...concern } vulnerability { ...concern } }
    otherRisks { escapeOrAbscond controlIssuesDisruptiveBehaviour breachOfTrust riskToOtherPrisoners } }
  riskManagementPlans(first: 100) { totalCount nodes { assessmentId completedAt initiatedAt assessmentStatus assessmentType
    keyInformationCurrentSituation furtherConsiderationsCurrentSituation supervision monitoringAndControl interventionsAndTreatment
    victimSafetyPlanning contingencyPlans laterCompleteAssessmentExists } }
  criminogenicNeeds { assessedAt identified { ...need } notIdentified { ...need } unanswered { ...need } }
  licences { id type status policyVersion version prisonNumber approvedAt createdAt updatedAt inPostSentenceSupervisionPeriod
    conditions { period kind code category text electronicMonitoring } }`;
const FRAGMENTS = `fragment p on RiskPredictor { score band staticOrDynamic algorithmVersion }
  fragment levels on RiskOfSeriousHarmLevels { children public knownAdult staff prisoners }
  fragment concern on RiskToSelfConcern { risk previous previousConcerns current currentConcerns }
  fragment need on CriminogenicNeed { section name riskOfHarm riskOfReoffending severity score }`;

// ---------------------------------------------------------------------------------------------
// The reference reading of raw answers (from the specs: arns-risks-and-needs.json, cvl-create-and-vary-licence.json)

const v = (x: unknown) => (x === undefined ? null : x);
const newestFirst = <T>(list: T[], at: (x: T) => string | null): T[] =>
  list.map((x, i) => ({ x, i, t: at(x) ? Date.parse(at(x)!) : -Infinity })).sort((a, b) => b.t - a.t || a.i - b.i).map((e) => e.x);

function refScores(raw: Json[]): Json {
  const nodes = newestFirst(raw, (a) => londonInstant(a.completedDate)).map((a) => {
    const common = { completedAt: londonInstant(a.completedDate), status: v(a.status), assessmentType: v(a.assessmentType), outputVersion: a.outputVersion };
    const o = a.output ?? {};
    if (a.outputVersion === '1') {
      const ogr = o.groupReconvictionScore, ovp = o.violencePredictorScore, ogp = o.generalPredictorScore, rsr = o.riskOfSeriousRecidivismScore, osp = o.sexualPredictorScore;
      return {
        __typename: 'LegacyRiskScores', ...common,
        groupReconviction: ogr ? { oneYear: v(ogr.oneYear), twoYears: v(ogr.twoYears), level: v(ogr.scoreLevel) } : null,
        violencePredictor: ovp ? { staticWeightedScore: v(ovp.ovpStaticWeightedScore), dynamicWeightedScore: v(ovp.ovpDynamicWeightedScore), totalWeightedScore: v(ovp.ovpTotalWeightedScore), oneYear: v(ovp.oneYear), twoYears: v(ovp.twoYears), level: v(ovp.ovpRisk) } : null,
        generalPredictor: ogp ? { staticWeightedScore: v(ogp.ogpStaticWeightedScore), dynamicWeightedScore: v(ogp.ogpDynamicWeightedScore), totalWeightedScore: v(ogp.ogpTotalWeightedScore), oneYear: v(ogp.ogp1Year), twoYears: v(ogp.ogp2Year), level: v(ogp.ogpRisk) } : null,
        seriousRecidivism: rsr ? { percentage: v(rsr.percentageScore), staticOrDynamic: v(rsr.staticOrDynamic), algorithmVersion: v(rsr.algorithmVersion), level: v(rsr.scoreLevel) } : null,
        sexualPredictor: osp ? {
          indirectImagePercentage: v(osp.ospIndirectImagePercentageScore ?? osp.ospIndecentPercentageScore),
          directContactPercentage: v(osp.ospDirectContactPercentageScore ?? osp.ospContactPercentageScore),
          indirectImageLevel: v(osp.ospIndirectImageScoreLevel ?? osp.ospIndecentScoreLevel),
          directContactLevel: v(osp.ospDirectContactScoreLevel ?? osp.ospContactScoreLevel),
        } : null,
      };
    }
    const p = (x: Json) => (x ? { score: v(x.score), band: v(x.band), staticOrDynamic: v(x.staticOrDynamic), algorithmVersion: v(x.algorithmVersion) } : null);
    return {
      __typename: 'RiskPredictorScores', ...common,
      allReoffending: p(o.allReoffendingPredictor), violentReoffending: p(o.violentReoffendingPredictor), seriousViolentReoffending: p(o.seriousViolentReoffendingPredictor),
      directContactSexualReoffending: p(o.directContactSexualReoffendingPredictor), indirectImageContactSexualReoffending: p(o.indirectImageContactSexualReoffendingPredictor),
      combinedSeriousReoffending: p(o.combinedSeriousReoffendingPredictor),
    };
  });
  return { totalCount: nodes.length, nodes };
}

const GROUP: Record<string, string> = { children: 'children', public: 'public', 'known adult': 'knownAdult', 'know adult': 'knownAdult', staff: 'staff', prisoners: 'prisoners' };
function levels(byLevel: Record<string, string[]>): Json {
  const out: Json = { children: null, public: null, knownAdult: null, staff: null, prisoners: null };
  for (const [level, groups] of Object.entries(byLevel)) for (const g of groups) out[GROUP[g.trim().toLowerCase()]!] = level.trim();
  return out;
}
const ANSWER: Record<string, string> = { YES: 'YES', NO: 'NO', DK: 'DONT_KNOW', NA: 'NOT_APPLICABLE' };
const ans = (a: unknown) => (typeof a === 'string' ? ANSWER[a]! : null);

function refRosh(raw: Json | null): Json {
  if (!raw) return null;
  const s = raw.summary;
  const concern = (c: Json) => (c ? { risk: ans(c.risk), previous: ans(c.previous), previousConcerns: v(c.previousConcernsText), current: ans(c.current), currentConcerns: v(c.currentConcernsText) } : null);
  return {
    assessedAt: londonInstant(raw.assessedOn), overallLevel: v(s.overallRiskLevel), inCommunity: levels(s.riskInCommunity), inCustody: levels(s.riskInCustody),
    whoIsAtRisk: v(s.whoIsAtRisk), natureOfRisk: v(s.natureOfRisk), riskImminence: v(s.riskImminence), riskIncreaseFactors: v(s.riskIncreaseFactors),
    riskMitigationFactors: v(s.riskMitigationFactors), analysisOfRiskFactors: v(s.analysisOfRiskFactors),
    riskToSelf: Object.fromEntries(['suicide', 'selfHarm', 'custody', 'hostelSetting', 'vulnerability'].map((k) => [k, concern(raw.riskToSelf[k])])),
    otherRisks: Object.fromEntries(['escapeOrAbscond', 'controlIssuesDisruptiveBehaviour', 'breachOfTrust', 'riskToOtherPrisoners'].map((k) => [k, ans(raw.otherRisks[k])])),
  };
}

function refPlans(raw: Json | null): Json {
  const nodes = newestFirst<Json>(raw?.riskManagementPlan ?? [], (p) => londonInstant(p.dateCompleted)).map((p) => ({
    assessmentId: String(p.assessmentId), completedAt: londonInstant(p.dateCompleted), initiatedAt: londonInstant(p.initiationDate),
    assessmentStatus: p.assessmentStatus, assessmentType: p.assessmentType,
    ...Object.fromEntries(['keyInformationCurrentSituation', 'furtherConsiderationsCurrentSituation', 'supervision', 'monitoringAndControl',
      'interventionsAndTreatment', 'victimSafetyPlanning', 'contingencyPlans', 'laterCompleteAssessmentExists'].map((k) => [k, v(p[k])])),
  }));
  return { totalCount: nodes.length, nodes };
}

function refNeeds(raw: Json | null): Json {
  if (!raw) return null;
  const need = (n: Json) => ({ section: n.section, name: v(n.name), riskOfHarm: v(n.riskOfHarm), riskOfReoffending: v(n.riskOfReoffending), severity: v(n.severity), score: v(n.score) });
  return { assessedAt: londonInstant(raw.assessedOn), identified: raw.identifiedNeeds.map(need), notIdentified: raw.notIdentifiedNeeds.map(need), unanswered: raw.unansweredNeeds.map(need) };
}

function refLicences(raw: Json[]): Json {
  const cond = (period: string, kind: string) => (c: Json) => ({
    period, kind, code: v(c.code), category: v(c.category), text: c.text,
    electronicMonitoring: c.type === 'ELECTRONIC_MONITORING' ? v(c.restrictions) : null,
  });
  return newestFirst(raw, (l) => londonInstant(l.createdDateTime)).map((l) => ({
    id: String(l.id), type: l.licenceType, status: l.statusCode, policyVersion: v(l.policyVersion), version: v(l.version), prisonNumber: v(l.prisonNumber),
    approvedAt: londonInstant(l.approvedDateTime), createdAt: londonInstant(l.createdDateTime), updatedAt: londonInstant(l.updatedDateTime),
    inPostSentenceSupervisionPeriod: l.isInPssPeriod === true,
    conditions: [
      ...l.conditions.AP.standard.map(cond('LICENCE', 'STANDARD')), ...l.conditions.AP.additional.map(cond('LICENCE', 'ADDITIONAL')),
      ...l.conditions.AP.bespoke.map(cond('LICENCE', 'BESPOKE')),
      ...l.conditions.PSS.standard.map(cond('POST_SENTENCE_SUPERVISION', 'STANDARD')), ...l.conditions.PSS.additional.map(cond('POST_SENTENCE_SUPERVISION', 'ADDITIONAL')),
    ],
  }));
}

// ---------------------------------------------------------------------------------------------


/** Keys sorted, list order kept: the order of a list is part of what is compared. */
function stable(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(stable).join(',')}]`;
  if (x !== null && typeof x === 'object') return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${stable((x as Json)[k])}`).join(',')}}`;
  return JSON.stringify(x ?? null);
}

describe(`reconciliation of risks, needs and licences (population ${POPULATION})`, () => {
  it('matches the raw ARNS and CVL answers for every person with a CRN', async () => {
    const population = new Population({ size: POPULATION, seed: DEFAULT_SEED });
    const crns = population.probationCases.map((i) => population.get(i)!.crn!);
    const token = await stack.sims.token();
    const { arns, cvl } = stack.sims.urls;
    const get = async (url: string): Promise<Json | null> => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`${url} -> ${res.status}`);
      return res.json();
    };
    const expected = new Map<string, Json>();
    await pool(crns, 16, async (crn) => {
      const c = encodeURIComponent(crn);
      const [scores, rosh, plans, needs, summaries] = await Promise.all([
        get(`${arns}/risks/predictors/unsafe/all/CRN/${c}`), get(`${arns}/risks/rosh/${c}`), get(`${arns}/risks/risk-management-plan/${c}`),
        get(`${arns}/needs/${c}`), get(`${cvl}/public/licence-summaries/crn/${c}`),
      ]);
      const licences = await Promise.all((summaries ?? []).map((s: Json) => get(`${cvl}/public/licences/id/${s.id}`)));
      expected.set(crn, {
        riskScores: refScores(scores ?? []), riskOfSeriousHarm: refRosh(rosh), riskManagementPlans: refPlans(plans),
        criminogenicNeeds: refNeeds(needs), licences: refLicences(licences.filter(Boolean)),
      });
    });

    const actual = new Map<string, Json>();
    const batches: string[][] = [];
    for (let i = 0; i < crns.length; i += BATCH) batches.push(crns.slice(i, i + BATCH));
    await pool(batches, 3, async (batch) => {
      const res = await postGraphQL(stack.gateway.consumerUrl, { query: `query P($ids: [ID!]!) { persons(hmppsIds: $ids) { ${PROFILE} } } ${FRAGMENTS}`, variables: { ids: batch } },
        { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
      if (res.status !== 200 || res.body.errors) throw new Error(`gateway: ${res.status} ${JSON.stringify(res.body.errors).slice(0, 500)}`);
      batch.forEach((crn, i) => actual.set(crn, (res.body.data!.persons as Json[])[i]));
    });

    const tally = new Map<string, { checked: number; wrong: number; examples: string[] }>();
    for (const crn of crns) {
      for (const [area, want] of Object.entries(expected.get(crn)!)) {
        const got = actual.get(crn)?.[area];
        const t = tally.get(area) ?? { checked: 0, wrong: 0, examples: [] };
        t.checked += 1;
        if (stable(want) !== stable(got)) {
          t.wrong += 1;
          if (t.examples.length < 2) t.examples.push(`${crn}: expected ${stable(want).slice(0, 300)}\n      got ${stable(got).slice(0, 300)}`);
        }
        tally.set(area, t);
      }
    }
    const rows = [...tally.entries()];
    const wrong = rows.reduce((s, [, t]) => s + t.wrong, 0);
    const withData = (area: string) => crns.filter((c) => { const e = expected.get(c)[area]; return Array.isArray(e) ? e.length > 0 : e && (e.totalCount === undefined || e.totalCount > 0); }).length;
    console.log([
      `risk reconciliation: ${crns.length} people with a CRN (population ${POPULATION}), ${wrong} mismatches`,
      ...rows.map(([area, t]) => `  ${area.padEnd(22)} ${String(t.checked).padStart(6)} checked (${withData(area)} with data) ${String(t.wrong).padStart(5)} wrong`),
      ...rows.filter(([, t]) => t.wrong > 0).flatMap(([area, t]) => [`  ${area}:`, ...t.examples.map((e) => `    ${e}`)]),
    ].join('\n'));
    expect(wrong).toBe(0);
  }, 240_000);
});
