import { carryOmitted } from '../../domain/omitted.js';
import type {
  CriminogenicNeed,
  CriminogenicNeeds,
  Predictor,
  RiskAnswer,
  RiskBand,
  RiskLevel,
  RiskManagementPlan,
  RiskOfSeriousHarm,
  RiskScoreAssessment,
  RiskToSelfConcern,
  RoshGroup,
  RoshLevels,
  StaticOrDynamic,
} from '../../domain/risk.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { NeedDto, NeedsDto, PredictorAssessmentDto, RiskAnswerDto, RiskManagementPlanDto, RiskToSelfDto, RoshDto } from './routes.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);
const num = (o: Obj | null, k: string): number | null => (typeof o?.[k] === 'number' ? (o[k] as number) : null);
const str = (o: Obj | null, k: string): string | null => (typeof o?.[k] === 'string' ? (o[k] as string) : null);
const band = (o: Obj | null, k: string): RiskBand | null => str(o, k) as RiskBand | null;
const sod = (o: Obj | null, k: string): StaticOrDynamic | null => str(o, k) as StaticOrDynamic | null;

/**
 * One ARNS assessment, read by its `outputVersion`: `1` is the OGRS3 generation (five predictors,
 * percentages and levels), `2` the OGRS4 generation (six predictors, score and band each). Any other
 * version is listed as unrecognised rather than read with the wrong meaning (docs/adr/0015).
 */
export function toRiskScoreAssessment(dto: PredictorAssessmentDto): RiskScoreAssessment {
  const common = {
    completedAt: londonLocalToInstant(dto.completedDate),
    status: dto.status ?? null,
    assessmentType: dto.assessmentType ?? null,
    outputVersion: dto.outputVersion ?? '',
  };
  const out = obj(dto.output);
  if (dto.outputVersion === '1') {
    const ogr = obj(out?.groupReconvictionScore);
    const ovp = obj(out?.violencePredictorScore);
    const ogp = obj(out?.generalPredictorScore);
    const rsr = obj(out?.riskOfSeriousRecidivismScore);
    const osp = obj(out?.sexualPredictorScore);
    return {
      ...common,
      kind: 'legacy',
      groupReconviction: ogr && { oneYear: num(ogr, 'oneYear'), twoYears: num(ogr, 'twoYears'), level: band(ogr, 'scoreLevel') },
      violencePredictor: ovp && {
        staticWeightedScore: num(ovp, 'ovpStaticWeightedScore'),
        dynamicWeightedScore: num(ovp, 'ovpDynamicWeightedScore'),
        totalWeightedScore: num(ovp, 'ovpTotalWeightedScore'),
        oneYear: num(ovp, 'oneYear'),
        twoYears: num(ovp, 'twoYears'),
        level: band(ovp, 'ovpRisk'),
      },
      generalPredictor: ogp && {
        staticWeightedScore: num(ogp, 'ogpStaticWeightedScore'),
        dynamicWeightedScore: num(ogp, 'ogpDynamicWeightedScore'),
        totalWeightedScore: num(ogp, 'ogpTotalWeightedScore'),
        oneYear: num(ogp, 'ogp1Year'),
        twoYears: num(ogp, 'ogp2Year'),
        level: band(ogp, 'ogpRisk'),
      },
      seriousRecidivism: rsr && {
        percentage: num(rsr, 'percentageScore'),
        staticOrDynamic: sod(rsr, 'staticOrDynamic'),
        algorithmVersion: str(rsr, 'algorithmVersion'),
        level: band(rsr, 'scoreLevel'),
      },
      // OASys renamed the OSP fields (indecent -> indirect image, contact -> direct contact): either name is read.
      sexualPredictor: osp && {
        indirectImagePercentage: num(osp, 'ospIndirectImagePercentageScore') ?? num(osp, 'ospIndecentPercentageScore'),
        directContactPercentage: num(osp, 'ospDirectContactPercentageScore') ?? num(osp, 'ospContactPercentageScore'),
        indirectImageLevel: band(osp, 'ospIndirectImageScoreLevel') ?? band(osp, 'ospIndecentScoreLevel'),
        directContactLevel: band(osp, 'ospDirectContactScoreLevel') ?? band(osp, 'ospContactScoreLevel'),
      },
    };
  }
  if (dto.outputVersion === '2') {
    const predictor = (k: string): Predictor | null => {
      const p = obj(out?.[k]);
      return p && { score: num(p, 'score'), band: band(p, 'band'), staticOrDynamic: sod(p, 'staticOrDynamic'), algorithmVersion: str(p, 'algorithmVersion') };
    };
    return {
      ...common,
      kind: 'versioned',
      allReoffending: predictor('allReoffendingPredictor'),
      violentReoffending: predictor('violentReoffendingPredictor'),
      seriousViolentReoffending: predictor('seriousViolentReoffendingPredictor'),
      directContactSexualReoffending: predictor('directContactSexualReoffendingPredictor'),
      indirectImageContactSexualReoffending: predictor('indirectImageContactSexualReoffendingPredictor'),
      combinedSeriousReoffending: predictor('combinedSeriousReoffendingPredictor'),
    };
  }
  return { ...common, kind: 'unrecognised' };
}

const ANSWER: Record<RiskAnswerDto, RiskAnswer> = { YES: 'YES', NO: 'NO', DK: 'DONT_KNOW', NA: 'NOT_APPLICABLE' };
const answer = (a: RiskAnswerDto | undefined): RiskAnswer | null => (a ? ANSWER[a] : null);

/**
 * The group a ROSH summary names: ARNS names groups in words, with variants (`Know adult`, `Known Adult`);
 * null for one the schema has no place for (the decoder refuses such a summary).
 */
export function groupOf(name: string): RoshGroup | null {
  const n = name.trim().toLowerCase().replace(/\s+/g, ' ');
  if (n === 'children') return 'children';
  if (n === 'public') return 'public';
  if (n === 'known adult' || n === 'know adult') return 'knownAdult';
  if (n === 'staff') return 'staff';
  if (n === 'prisoners') return 'prisoners';
  return null;
}

/** `{"HIGH": ["Children", "Public"], "LOW ": [...]}` -> the level of each group (unnamed groups stay null). */
export function levelsByGroup(byLevel: Record<string, string[]>): RoshLevels {
  const levels: RoshLevels = { children: null, public: null, knownAdult: null, staff: null, prisoners: null };
  for (const [level, groups] of Object.entries(byLevel)) {
    const l = level.trim();
    if (l === 'NOT_APPLICABLE') continue;
    for (const g of groups) {
      const group = groupOf(g);
      if (group) levels[group] = l as RiskLevel;
    }
  }
  return levels;
}

function concern(dto: RiskToSelfDto | undefined): RiskToSelfConcern | null {
  if (!dto) return null;
  return {
    risk: answer(dto.risk),
    previous: answer(dto.previous),
    previousConcerns: dto.previousConcernsText ?? null,
    current: answer(dto.current),
    currentConcerns: dto.currentConcernsText ?? null,
  };
}

export function toRiskOfSeriousHarm(dto: RoshDto): RiskOfSeriousHarm {
  const s = dto.summary;
  return {
    assessedAt: londonLocalToInstant(dto.assessedOn),
    overallLevel: s.overallRiskLevel && s.overallRiskLevel !== 'NOT_APPLICABLE' ? (s.overallRiskLevel as RiskLevel) : null,
    inCommunity: levelsByGroup(s.riskInCommunity),
    inCustody: levelsByGroup(s.riskInCustody),
    whoIsAtRisk: s.whoIsAtRisk ?? null,
    natureOfRisk: s.natureOfRisk ?? null,
    riskImminence: s.riskImminence ?? null,
    riskIncreaseFactors: s.riskIncreaseFactors ?? null,
    riskMitigationFactors: s.riskMitigationFactors ?? null,
    analysisOfRiskFactors: s.analysisOfRiskFactors ?? null,
    riskToSelf: {
      suicide: concern(dto.riskToSelf.suicide),
      selfHarm: concern(dto.riskToSelf.selfHarm),
      custody: concern(dto.riskToSelf.custody),
      hostelSetting: concern(dto.riskToSelf.hostelSetting),
      vulnerability: concern(dto.riskToSelf.vulnerability),
    },
    otherRisks: {
      escapeOrAbscond: answer(dto.otherRisks.escapeOrAbscond),
      controlIssuesDisruptiveBehaviour: answer(dto.otherRisks.controlIssuesDisruptiveBehaviour),
      breachOfTrust: answer(dto.otherRisks.breachOfTrust),
      riskToOtherPrisoners: answer(dto.otherRisks.riskToOtherPrisoners),
    },
  };
}

export function toRiskManagementPlan(dto: RiskManagementPlanDto): RiskManagementPlan {
  return {
    assessmentId: String(dto.assessmentId),
    completedAt: londonLocalToInstant(dto.dateCompleted),
    initiatedAt: londonLocalToInstant(dto.initiationDate),
    assessmentStatus: dto.assessmentStatus,
    assessmentType: dto.assessmentType,
    keyInformationCurrentSituation: dto.keyInformationCurrentSituation ?? null,
    furtherConsiderationsCurrentSituation: dto.furtherConsiderationsCurrentSituation ?? null,
    supervision: dto.supervision ?? null,
    monitoringAndControl: dto.monitoringAndControl ?? null,
    interventionsAndTreatment: dto.interventionsAndTreatment ?? null,
    victimSafetyPlanning: dto.victimSafetyPlanning ?? null,
    contingencyPlans: dto.contingencyPlans ?? null,
    laterCompleteAssessmentExists: dto.laterCompleteAssessmentExists ?? null,
  };
}

const need = (dto: NeedDto): CriminogenicNeed => ({
  section: dto.section,
  name: dto.name ?? null,
  riskOfHarm: dto.riskOfHarm ?? null,
  riskOfReoffending: dto.riskOfReoffending ?? null,
  severity: dto.severity ?? null,
  score: dto.score ?? null,
});

export function toCriminogenicNeeds(dto: NeedsDto): CriminogenicNeeds {
  return {
    assessedAt: londonLocalToInstant(dto.assessedOn),
    identified: carryOmitted(dto.identifiedNeeds, dto.identifiedNeeds.map(need)),
    notIdentified: carryOmitted(dto.notIdentifiedNeeds, dto.notIdentifiedNeeds.map(need)),
    unanswered: carryOmitted(dto.unansweredNeeds, dto.unansweredNeeds.map(need)),
  };
}
