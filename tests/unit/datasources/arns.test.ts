import { describe, expect, it } from '@jest/globals';
import { decodeNeeds, decodePredictors, decodeRiskManagementPlans, decodeRosh } from '../../../src/datasources/arns/decode.js';
import { riskScoresLoader } from '../../../src/datasources/arns/loaders.js';
import { levelsByGroup, toCriminogenicNeeds, toRiskManagementPlan, toRiskOfSeriousHarm, toRiskScoreAssessment } from '../../../src/datasources/arns/mapping.js';
import type { ArnsRoutes } from '../../../src/datasources/arns/routes.js';
import { ContractViolation } from '../../../src/datasources/http/contract.js';
import { expectSpecShaped } from './spec-sample.js';

// arns-risks-and-needs.json, GET /risks/predictors/unsafe/all/CRN/{crn}: the spec's own example (both generations).
const predictors = [
  {
    completedDate: '2025-10-23T03:02:59', status: 'COMPLETE', assessmentType: 'LAYER3', outputVersion: '1',
    output: {
      groupReconvictionScore: { oneYear: 6, twoYears: 12, scoreLevel: 'LOW' },
      violencePredictorScore: { ovpStaticWeightedScore: 10, ovpDynamicWeightedScore: 4, ovpTotalWeightedScore: 14, oneYear: 3, twoYears: 5, ovpRisk: 'LOW' },
      generalPredictorScore: { ogpStaticWeightedScore: 7, ogpDynamicWeightedScore: 0, ogpTotalWeightedScore: 7, ogp1Year: 4, ogp2Year: 7, ogpRisk: 'LOW' },
      riskOfSeriousRecidivismScore: { percentageScore: 0.05, staticOrDynamic: 'DYNAMIC', source: 'OASYS', algorithmVersion: '5', scoreLevel: 'LOW' },
      sexualPredictorScore: { ospIndirectImagePercentageScore: 0, ospDirectContactPercentageScore: 0, ospIndirectImageScoreLevel: 'NOT_APPLICABLE', ospDirectContactScoreLevel: 'NOT_APPLICABLE' },
    },
  },
  {
    completedDate: '2026-01-21T15:01:20', status: 'COMPLETE', assessmentType: 'LAYER3', outputVersion: '2',
    output: {
      allReoffendingPredictor: { staticOrDynamic: 'DYNAMIC', score: 4.41, band: 'LOW' },
      violentReoffendingPredictor: { staticOrDynamic: 'DYNAMIC', score: 1.91, band: 'LOW' },
      seriousViolentReoffendingPredictor: { staticOrDynamic: 'DYNAMIC', score: 0.03, band: 'LOW' },
      directContactSexualReoffendingPredictor: { score: 0.02, band: 'LOW' },
      indirectImageContactSexualReoffendingPredictor: { score: 0.12, band: 'LOW' },
      combinedSeriousReoffendingPredictor: { algorithmVersion: '6', staticOrDynamic: 'DYNAMIC', score: 0.17, band: 'LOW' },
    },
  },
];

const rosh = {
  riskToSelf: { suicide: { risk: 'YES', previous: 'YES', previousConcernsText: 'Earlier concerns.', current: 'NO' }, selfHarm: { risk: 'NO', previous: 'NO', current: 'NO' } },
  otherRisks: { escapeOrAbscond: 'DK', controlIssuesDisruptiveBehaviour: 'NO', breachOfTrust: 'NA', riskToOtherPrisoners: 'YES' },
  summary: {
    whoIsAtRisk: 'Known adults.', natureOfRisk: 'Violence.',
    // The spec's example: a key with a trailing blank and "Know adult".
    riskInCommunity: { 'HIGH ': ['Children', 'Public', 'Know adult'], MEDIUM: ['Staff'], LOW: ['Prisoners'] },
    riskInCustody: { VERY_HIGH: ['Staff', 'Prisoners'], LOW: ['Children', 'Public'] },
    overallRiskLevel: 'HIGH',
  },
  assessedOn: '2026-03-29T10:00:00',
};

const plans = { crn: 'X123456', limitedAccessOffender: false, riskManagementPlan: [
  { assessmentId: 9000001, dateCompleted: '2026-01-10T09:30:00', assessmentStatus: 'COMPLETE', assessmentType: 'LAYER3', supervision: 'Weekly.', laterCompleteAssessmentExists: true },
] };

const needs = {
  identifiedNeeds: [{ section: 'DRUG_MISUSE', name: 'Drug misuse', riskOfHarm: true, riskOfReoffending: true, severity: 'SEVERE', score: 6 }],
  notIdentifiedNeeds: [{ section: 'ACCOMMODATION', name: 'Accommodation', riskOfHarm: false, riskOfReoffending: false, severity: 'NO_NEED', score: 0 }],
  unansweredNeeds: [{ section: 'ATTITUDE', name: 'Attitudes' }],
  assessedOn: '2025-10-26T01:30:00',
};

const noReport = () => {
  throw new Error('nothing should be reported');
};

describe('ARNS samples are what the spec defines', () => {
  it('predictors, serious harm, plans and needs', () => {
    expectSpecShaped('arns', 'GET', '/risks/predictors/unsafe/all/CRN/X123456', predictors);
    expectSpecShaped('arns', 'GET', '/risks/rosh/X123456', rosh);
    expectSpecShaped('arns', 'GET', '/risks/risk-management-plan/X123456', plans);
    expectSpecShaped('arns', 'GET', '/needs/X123456', needs);
  });
});

describe('risk scores: each output version read for what it is', () => {
  const [legacy, versioned] = decodePredictors(predictors, noReport).map(toRiskScoreAssessment);

  it('version 1: the five legacy predictors, percentages and levels', () => {
    expect(legacy).toMatchObject({
      kind: 'legacy', outputVersion: '1', completedAt: '2025-10-23T03:02:59+01:00',
      groupReconviction: { oneYear: 6, twoYears: 12, level: 'LOW' },
      violencePredictor: { staticWeightedScore: 10, dynamicWeightedScore: 4, totalWeightedScore: 14, oneYear: 3, twoYears: 5, level: 'LOW' },
      generalPredictor: { totalWeightedScore: 7, oneYear: 4, twoYears: 7, level: 'LOW' },
      seriousRecidivism: { percentage: 0.05, staticOrDynamic: 'DYNAMIC', algorithmVersion: '5', level: 'LOW' },
      sexualPredictor: { indirectImagePercentage: 0, directContactPercentage: 0, indirectImageLevel: 'NOT_APPLICABLE', directContactLevel: 'NOT_APPLICABLE' },
    });
  });

  it('version 2: six predictors, each a score and a band', () => {
    expect(versioned).toMatchObject({
      kind: 'versioned', outputVersion: '2', completedAt: '2026-01-21T15:01:20+00:00',
      allReoffending: { score: 4.41, band: 'LOW', staticOrDynamic: 'DYNAMIC', algorithmVersion: null },
      directContactSexualReoffending: { score: 0.02, band: 'LOW', staticOrDynamic: null },
      combinedSeriousReoffending: { score: 0.17, band: 'LOW', algorithmVersion: '6' },
    });
  });

  it('the older OSP field names (indecent, contact) are read too', () => {
    const old = toRiskScoreAssessment({ outputVersion: '1', output: { sexualPredictorScore: { ospIndecentPercentageScore: 1.5, ospContactPercentageScore: 2.5, ospIndecentScoreLevel: 'MEDIUM', ospContactScoreLevel: 'HIGH' } } });
    expect(old).toMatchObject({ sexualPredictor: { indirectImagePercentage: 1.5, directContactPercentage: 2.5, indirectImageLevel: 'MEDIUM', directContactLevel: 'HIGH' } });
  });

  it('an unknown output version is listed, not read with the wrong meaning', () => {
    expect(toRiskScoreAssessment({ completedDate: '2027-02-01T10:00:00', outputVersion: '3', output: { allReoffendingPredictor: { score: 5, band: 'LOW' } } }))
      .toEqual({ kind: 'unrecognised', outputVersion: '3', completedAt: '2027-02-01T10:00:00+00:00', status: null, assessmentType: null });
  });

  it('a spoiled assessment is dropped and reported; a whole answer of another shape is a contract fault', () => {
    const reports: string[] = [];
    const kept = decodePredictors([predictors[0], { ...predictors[1], output: { allReoffendingPredictor: { score: 'high', band: 'LOW' } } }], (_r, d) => reports.push(d));
    expect(kept).toHaveLength(1);
    expect(reports).toEqual([expect.stringContaining('$[1].output.allReoffendingPredictor.score')]);
    expect(() => decodePredictors({ content: [] }, noReport)).toThrow(ContractViolation);
    expect(() => decodePredictors(new Array(201).fill(predictors[0]), noReport)).toThrow(ContractViolation);
    expect(() => decodePredictors([{ ...predictors[1], output: { allReoffendingPredictor: { score: 1, band: 'EXTREME' } } }], (r) => { throw new ContractViolation(r as 'value', '$', 'x'); })).toThrow(ContractViolation);
  });

  it('the loader puts the newest first, comparing instants', async () => {
    const routes = { predictorScores: async () => predictors } as unknown as ArnsRoutes;
    const list = await riskScoresLoader(routes).load('X123456');
    expect(list.map((a) => a.outputVersion)).toEqual(['2', '1']);
  });
});

describe('serious harm, plans and needs', () => {
  it('levels by group, whatever the spelling of the group or the key', () => {
    expect(levelsByGroup(rosh.summary.riskInCommunity)).toEqual({ children: 'HIGH', public: 'HIGH', knownAdult: 'HIGH', staff: 'MEDIUM', prisoners: 'LOW' });
    expect(levelsByGroup({ VERY_HIGH: ['Known Adult'] })).toEqual({ children: null, public: null, knownAdult: 'VERY_HIGH', staff: null, prisoners: null });
  });

  it('the serious-harm summary: answers in words, concerns text, instants with their offset', () => {
    const r = toRiskOfSeriousHarm(decodeRosh(rosh));
    expect(r).toMatchObject({
      assessedAt: '2026-03-29T10:00:00+01:00', overallLevel: 'HIGH', whoIsAtRisk: 'Known adults.',
      inCustody: { staff: 'VERY_HIGH', prisoners: 'VERY_HIGH', children: 'LOW', public: 'LOW', knownAdult: null },
      riskToSelf: { suicide: { risk: 'YES', previous: 'YES', previousConcerns: 'Earlier concerns.', current: 'NO', currentConcerns: null }, custody: null },
      otherRisks: { escapeOrAbscond: 'DONT_KNOW', breachOfTrust: 'NOT_APPLICABLE', riskToOtherPrisoners: 'YES' },
    });
    expect(() => decodeRosh({ ...rosh, summary: { ...rosh.summary, overallRiskLevel: 'SEVERE' } })).toThrow(ContractViolation);
    expect(() => decodeRosh({ ...rosh, summary: { riskInCommunity: {} } })).toThrow(ContractViolation);
    // A group the schema has no place for would be a level silently lost: the summary breaks its contract.
    expect(() => decodeRosh({ ...rosh, summary: { ...rosh.summary, riskInCommunity: { HIGH: ['Children', 'Victims'] } } })).toThrow(ContractViolation);
    expect(() => decodeRosh({ ...rosh, summary: { ...rosh.summary, riskInCommunity: { HIGH: ['Children', ' Know  adult '] } } })).not.toThrow();
  });

  it('plans and needs', () => {
    expect(toRiskManagementPlan(decodeRiskManagementPlans(plans, noReport).riskManagementPlan[0]!)).toMatchObject({
      assessmentId: '9000001', completedAt: '2026-01-10T09:30:00+00:00', supervision: 'Weekly.', contingencyPlans: null, laterCompleteAssessmentExists: true,
    });
    // 01:30 on 26 October 2025 happened twice: the earlier (BST) instant.
    expect(toCriminogenicNeeds(decodeNeeds(needs, noReport))).toEqual({
      assessedAt: '2025-10-26T01:30:00+01:00',
      identified: [{ section: 'DRUG_MISUSE', name: 'Drug misuse', riskOfHarm: true, riskOfReoffending: true, severity: 'SEVERE', score: 6 }],
      notIdentified: [{ section: 'ACCOMMODATION', name: 'Accommodation', riskOfHarm: false, riskOfReoffending: false, severity: 'NO_NEED', score: 0 }],
      unanswered: [{ section: 'ATTITUDE', name: 'Attitudes', riskOfHarm: null, riskOfReoffending: null, severity: null, score: null }],
    });
    expect(() => decodeNeeds({ identifiedNeeds: [] }, noReport)).toThrow(ContractViolation);
  });
});
