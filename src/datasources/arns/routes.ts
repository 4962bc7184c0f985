import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeNeeds, decodePredictors, decodeRiskManagementPlans, decodeRosh } from './decode.js';

/** Assess Risks and Needs (arns-risks-and-needs.json): the fields the mapping reads. */
export type BandDto = 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH' | 'NOT_APPLICABLE';
export interface PredictorDto {
  score?: number;
  band?: BandDto;
  staticOrDynamic?: 'STATIC' | 'DYNAMIC';
  algorithmVersion?: string;
}

/** One element of `AllPredictorVersionedUnion`: `output` is read according to `outputVersion`. */
export interface PredictorAssessmentDto {
  completedDate?: string;
  status?: string;
  assessmentType?: string;
  outputVersion?: string;
  output?: Record<string, unknown>;
}

export type RiskAnswerDto = 'YES' | 'NO' | 'DK' | 'NA';
export interface RiskToSelfDto {
  risk?: RiskAnswerDto;
  previous?: RiskAnswerDto;
  previousConcernsText?: string;
  current?: RiskAnswerDto;
  currentConcernsText?: string;
}

export interface RoshDto {
  riskToSelf: Record<string, RiskToSelfDto | undefined>;
  otherRisks: Record<string, RiskAnswerDto | undefined>;
  summary: {
    whoIsAtRisk?: string;
    natureOfRisk?: string;
    riskImminence?: string;
    riskIncreaseFactors?: string;
    riskMitigationFactors?: string;
    analysisOfRiskFactors?: string;
    riskInCommunity: Record<string, string[]>;
    riskInCustody: Record<string, string[]>;
    overallRiskLevel?: string;
  };
  assessedOn?: string;
}

export interface RiskManagementPlanDto {
  assessmentId: number;
  dateCompleted?: string;
  initiationDate?: string;
  assessmentStatus: string;
  assessmentType: string;
  keyInformationCurrentSituation?: string;
  furtherConsiderationsCurrentSituation?: string;
  supervision?: string;
  monitoringAndControl?: string;
  interventionsAndTreatment?: string;
  victimSafetyPlanning?: string;
  contingencyPlans?: string;
  laterCompleteAssessmentExists?: boolean;
}

export interface RiskManagementPlansDto {
  crn: string;
  limitedAccessOffender: boolean;
  riskManagementPlan: RiskManagementPlanDto[];
}

export interface NeedDto {
  section: string;
  name?: string;
  riskOfHarm?: boolean;
  riskOfReoffending?: boolean;
  severity?: 'NO_NEED' | 'STANDARD' | 'SEVERE';
  score?: number;
}

export interface NeedsDto {
  identifiedNeeds: NeedDto[];
  notIdentifiedNeeds: NeedDto[];
  unansweredNeeds: NeedDto[];
  assessedOn?: string;
}

/**
 * One route per area, per CRN: ARNS has no batch route. A 404 means ARNS holds nothing for the CRN
 * (never assessed, or for serious harm no assessment in the last year).
 */
export function arnsRoutes(client: UpstreamCaller) {
  const crnPath = (crn: string) => encodeURIComponent(crn);
  return {
    async predictorScores(crn: string): Promise<PredictorAssessmentDto[]> {
      const body = await client.get<PredictorAssessmentDto[]>(
        'GET /risks/predictors/unsafe/all/{identifierType}/{identifierValue}',
        `/risks/predictors/unsafe/all/CRN/${crnPath(crn)}`,
        undefined,
        [404],
        decodePredictors,
      );
      return body ?? [];
    },
    riskOfSeriousHarm(crn: string): Promise<RoshDto | null> {
      return client.get('GET /risks/rosh/{crn}', `/risks/rosh/${crnPath(crn)}`, undefined, [404], decodeRosh);
    },
    async riskManagementPlans(crn: string): Promise<RiskManagementPlanDto[]> {
      const body = await client.get<RiskManagementPlansDto>(
        'GET /risks/risk-management-plan/{crn}',
        `/risks/risk-management-plan/${crnPath(crn)}`,
        undefined,
        [404],
        decodeRiskManagementPlans,
      );
      return body?.riskManagementPlan ?? [];
    },
    needs(crn: string): Promise<NeedsDto | null> {
      return client.get('GET /needs/{crn}', `/needs/${crnPath(crn)}`, undefined, [404], decodeNeeds);
    },
  };
}

export type ArnsRoutes = ReturnType<typeof arnsRoutes>;
