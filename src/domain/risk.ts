/**
 * Risk, needs and licences of a person (issue 17, areas 1-4): what the gateway says, whichever
 * upstream format it came in. Pure types and ordering; no I/O.
 */

export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH';
export type RiskBand = RiskLevel | 'NOT_APPLICABLE';
export type StaticOrDynamic = 'STATIC' | 'DYNAMIC';

interface AssessmentCommon {
  completedAt: string | null;
  status: string | null;
  assessmentType: string | null;
  /** The predictor output version ARNS gave, as given (`1`, `2`, ...). */
  outputVersion: string;
}

/** A legacy predictor made of static and dynamic weighted scores (OVP, OGP). */
export interface WeightedPredictorScore {
  staticWeightedScore: number | null;
  dynamicWeightedScore: number | null;
  totalWeightedScore: number | null;
  oneYear: number | null;
  twoYears: number | null;
  level: RiskBand | null;
}

/** Output version 1 (OGRS3 generation): the five legacy predictors. */
export interface LegacyRiskScores extends AssessmentCommon {
  kind: 'legacy';
  groupReconviction: { oneYear: number | null; twoYears: number | null; level: RiskBand | null } | null;
  violencePredictor: WeightedPredictorScore | null;
  generalPredictor: WeightedPredictorScore | null;
  seriousRecidivism: { percentage: number | null; staticOrDynamic: StaticOrDynamic | null; algorithmVersion: string | null; level: RiskBand | null } | null;
  sexualPredictor: {
    indirectImagePercentage: number | null;
    directContactPercentage: number | null;
    indirectImageLevel: RiskBand | null;
    directContactLevel: RiskBand | null;
  } | null;
}

export interface Predictor {
  score: number | null;
  band: RiskBand | null;
  staticOrDynamic: StaticOrDynamic | null;
  algorithmVersion: string | null;
}

/** Output version 2 (OGRS4 generation): six predictors, each with a score and a band. */
export interface VersionedRiskScores extends AssessmentCommon {
  kind: 'versioned';
  allReoffending: Predictor | null;
  violentReoffending: Predictor | null;
  seriousViolentReoffending: Predictor | null;
  directContactSexualReoffending: Predictor | null;
  indirectImageContactSexualReoffending: Predictor | null;
  combinedSeriousReoffending: Predictor | null;
}

/** An output version this gateway does not know: the assessment is listed, its scores are not read. */
export interface UnrecognisedRiskScores extends AssessmentCommon {
  kind: 'unrecognised';
}

export type RiskScoreAssessment = LegacyRiskScores | VersionedRiskScores | UnrecognisedRiskScores;

export type RoshGroup = 'children' | 'public' | 'knownAdult' | 'staff' | 'prisoners';
export type RoshLevels = Record<RoshGroup, RiskLevel | null>;
export type RiskAnswer = 'YES' | 'NO' | 'DONT_KNOW' | 'NOT_APPLICABLE';

export interface RiskToSelfConcern {
  risk: RiskAnswer | null;
  previous: RiskAnswer | null;
  previousConcerns: string | null;
  current: RiskAnswer | null;
  currentConcerns: string | null;
}

export interface RiskOfSeriousHarm {
  assessedAt: string | null;
  overallLevel: RiskLevel | null;
  inCommunity: RoshLevels;
  inCustody: RoshLevels;
  whoIsAtRisk: string | null;
  natureOfRisk: string | null;
  riskImminence: string | null;
  riskIncreaseFactors: string | null;
  riskMitigationFactors: string | null;
  analysisOfRiskFactors: string | null;
  riskToSelf: Record<'suicide' | 'selfHarm' | 'custody' | 'hostelSetting' | 'vulnerability', RiskToSelfConcern | null>;
  otherRisks: Record<'escapeOrAbscond' | 'controlIssuesDisruptiveBehaviour' | 'breachOfTrust' | 'riskToOtherPrisoners', RiskAnswer | null>;
}

export interface RiskManagementPlan {
  assessmentId: string;
  completedAt: string | null;
  initiatedAt: string | null;
  assessmentStatus: string;
  assessmentType: string;
  keyInformationCurrentSituation: string | null;
  furtherConsiderationsCurrentSituation: string | null;
  supervision: string | null;
  monitoringAndControl: string | null;
  interventionsAndTreatment: string | null;
  victimSafetyPlanning: string | null;
  contingencyPlans: string | null;
  laterCompleteAssessmentExists: boolean | null;
}

export type NeedSeverity = 'NO_NEED' | 'STANDARD' | 'SEVERE';

export interface CriminogenicNeed {
  section: string;
  name: string | null;
  riskOfHarm: boolean | null;
  riskOfReoffending: boolean | null;
  severity: NeedSeverity | null;
  score: number | null;
}

export interface CriminogenicNeeds {
  assessedAt: string | null;
  identified: CriminogenicNeed[];
  notIdentified: CriminogenicNeed[];
  unanswered: CriminogenicNeed[];
}

export type LicenceConditionKind = 'STANDARD' | 'ADDITIONAL' | 'BESPOKE';
export type LicencePeriod = 'LICENCE' | 'POST_SENTENCE_SUPERVISION';

export interface LicenceCondition {
  period: LicencePeriod;
  kind: LicenceConditionKind;
  code: string | null;
  category: string | null;
  text: string;
  electronicMonitoring: string | null;
}

export interface LicenceSummary {
  id: string;
  type: string;
  status: string;
  policyVersion: string | null;
  version: string | null;
  prisonNumber: string | null;
  approvedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  inPostSentenceSupervisionPeriod: boolean;
}

export interface Licence extends LicenceSummary {
  conditions: LicenceCondition[];
}

/** Newest first by an instant with an offset (compared as instants); undated last, stable otherwise. */
export function newestInstantFirst<T>(items: readonly T[], at: (item: T) => string | null): T[] {
  const ms = (item: T): number => {
    const v = at(item);
    const n = v ? Date.parse(v) : NaN;
    return Number.isNaN(n) ? Number.NEGATIVE_INFINITY : n;
  };
  return items.map((item, i) => ({ item, i, t: ms(item) })).sort((a, b) => b.t - a.t || a.i - b.i).map((x) => x.item);
}
