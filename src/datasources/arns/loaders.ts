import DataLoader from 'dataloader';
import { carryOmitted } from '../../domain/omitted.js';
import { newestInstantFirst, type CriminogenicNeeds, type RiskManagementPlan, type RiskOfSeriousHarm, type RiskScoreAssessment } from '../../domain/risk.js';
import { perKey } from '../batching.js';
import { toCriminogenicNeeds, toRiskManagementPlan, toRiskOfSeriousHarm, toRiskScoreAssessment } from './mapping.js';
import type { ArnsRoutes } from './routes.js';

/**
 * ARNS has no batch route: each loader calls per CRN, a few at a time, each CRN once per request
 * (DataLoader), and the four areas' loaders run in parallel with each other and with other upstreams.
 * Entries the decoders left out are counted on the mapped lists (`carryOmitted`, ADR 21).
 */

/** CRN -> predictor score assessments, newest first. */
export const riskScoresLoader = (routes: ArnsRoutes) =>
  new DataLoader<string, RiskScoreAssessment[]>(
    perKey(async (crn) => {
      const dtos = await routes.predictorScores(crn);
      return carryOmitted(dtos, newestInstantFirst(dtos.map(toRiskScoreAssessment), (a) => a.completedAt));
    }),
  );

/** Per CRN: the mapped answer, or null where ARNS holds nothing (404). */
const mappedOrNull = <D, V>(fetch: (crn: string) => Promise<D | null>, map: (dto: D) => V) =>
  perKey(async (crn) => {
    const dto = await fetch(crn);
    return dto ? map(dto) : null;
  });

/** CRN -> serious-harm summary, or null when ARNS has none (no assessment in the last year). */
export const riskOfSeriousHarmLoader = (routes: ArnsRoutes) =>
  new DataLoader<string, RiskOfSeriousHarm | null>(mappedOrNull((crn) => routes.riskOfSeriousHarm(crn), toRiskOfSeriousHarm));

/** CRN -> risk management plans, newest first. */
export const riskManagementPlansLoader = (routes: ArnsRoutes) =>
  new DataLoader<string, RiskManagementPlan[]>(
    perKey(async (crn) => {
      const dtos = await routes.riskManagementPlans(crn);
      return carryOmitted(dtos, newestInstantFirst(dtos.map(toRiskManagementPlan), (p) => p.completedAt));
    }),
  );

/** CRN -> criminogenic needs of the latest assessment, or null when never assessed. */
export const criminogenicNeedsLoader = (routes: ArnsRoutes) =>
  new DataLoader<string, CriminogenicNeeds | null>(mappedOrNull((crn) => routes.needs(crn), toCriminogenicNeeds));
