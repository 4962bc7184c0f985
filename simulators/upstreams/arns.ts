/** Assess Risks and Needs (arns-risks-and-needs.json): predictor scores, serious harm, plans, needs. */

import { HttpError, type UpstreamDefinition, boolParam, hmppsError, ok } from '../lib/http.js';
import type { Person, Population } from '../lib/population.js';
import { type AssessmentModel, type RiskProfile, latestAssessment, planText, riskProfile, roshWithinYear } from '../lib/risk-data.js';

const GROUP_NAMES = { children: 'Children', public: 'Public', knownAdult: 'Known Adult', staff: 'Staff', prisoners: 'Prisoners' } as const;

/** ARNS' map of level -> groups at that level (`{"HIGH": ["Children", "Public"], "LOW": [...]}`). */
function byLevel(levels: RiskProfile['community']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [group, level] of Object.entries(levels)) (out[level] ??= []).push(GROUP_NAMES[group as keyof typeof GROUP_NAMES]);
  return out;
}

export function createArns(pop: Population): UpstreamDefinition {
  /** The person with this CRN; ARNS answers 404 for a CRN it does not hold. */
  const personFor = (crn: string | undefined): Person => {
    const p = pop.byCrnValue((crn ?? '').toUpperCase());
    if (p === undefined) throw new HttpError(404, 'CRN Not Found');
    return p;
  };
  const profileFor = (crn: string | undefined): RiskProfile | null => riskProfile(pop, personFor(crn));
  const plan = (p: Person, a: AssessmentModel, laterComplete: AssessmentModel | undefined): Record<string, unknown> => ({
    assessmentId: a.assessmentId,
    dateCompleted: a.completedDate,
    initiationDate: a.initiationDate,
    assessmentStatus: a.status,
    assessmentType: a.assessmentType,
    superStatus: a.status === 'COMPLETE' ? 'COMPLETE' : 'LOCKED_INCOMPLETE',
    ...planText(pop, p, a),
    laterWIPAssessmentExists: false,
    laterSignLockAssessmentExists: false,
    laterPartCompUnsignedAssessmentExists: false,
    laterPartCompSignedAssessmentExists: false,
    laterCompleteAssessmentExists: laterComplete !== undefined,
    ...(laterComplete ? { latestCompleteDate: laterComplete.completedDate } : {}),
  });
  return {
    name: 'arns',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message, status),
    routes: [
      {
        method: 'GET',
        path: '/risks/predictors/unsafe/all/{identifierType}/{identifierValue}',
        handler: (ctx) => {
          if (ctx.params.identifierType !== 'CRN') throw new HttpError(400, 'identifierType must be CRN');
          const profile = profileFor(ctx.params.identifierValue);
          // In completion order, oldest first (the gateway orders them newest first).
          return ok((profile?.assessments ?? []).map((a) => ({
            completedDate: a.completedDate,
            status: a.status,
            assessmentType: a.assessmentType,
            outputVersion: a.outputVersion,
            output: a.output,
          })));
        },
      },
      {
        method: 'GET',
        path: '/risks/rosh/{crn}',
        handler: (ctx) => {
          const profile = profileFor(ctx.params.crn);
          const assessed = profile ? roshWithinYear(profile) : null;
          if (!profile || !assessed) throw new HttpError(404, 'No serious harm assessment completed within the last year');
          const riskToSelf = Object.fromEntries(Object.entries(profile.riskToSelf).map(([k, v]) => [k, { ...v }]));
          return ok({
            riskToSelf,
            otherRisks: profile.otherRisks,
            summary: {
              ...profile.freeText,
              riskInCommunity: byLevel(profile.community),
              riskInCustody: byLevel(profile.custody),
              overallRiskLevel: profile.overall,
            },
            assessedOn: assessed.completedDate,
          });
        },
      },
      {
        method: 'GET',
        path: '/risks/risk-management-plan/{crn}',
        handler: (ctx) => {
          const p = personFor(ctx.params.crn);
          const profile = riskProfile(pop, p);
          const layer3 = (profile?.assessments ?? []).filter((a) => a.assessmentType === 'LAYER3');
          return ok({
            crn: p.crn,
            limitedAccessOffender: p.exclusion || p.restriction,
            riskManagementPlan: layer3.map((a, i) => plan(p, a, layer3.slice(i + 1).find((b) => b.status === 'COMPLETE'))),
          });
        },
      },
      {
        method: 'GET',
        path: '/needs/{crn}',
        handler: (ctx) => {
          const profile = profileFor(ctx.params.crn);
          const excludeIncomplete = boolParam(ctx.query, 'excludeIncomplete') ?? false;
          const source = profile ? (excludeIncomplete ? [...profile.assessments].reverse().find((a) => a.status === 'COMPLETE') : latestAssessment(profile)) : null;
          if (!profile || !source) throw new HttpError(404, 'No needs assessment for this CRN');
          const need = (n: RiskProfile['needs'][number]): Record<string, unknown> => ({
            section: n.section,
            name: n.name,
            ...(n.state === 'unanswered' ? {} : { riskOfHarm: n.riskOfHarm, riskOfReoffending: n.riskOfReoffending, severity: n.severity, score: n.score }),
            oasysThreshold: { standard: 2 },
            tierThreshold: { standard: 2, severe: 5 },
          });
          return ok({
            identifiedNeeds: profile.needs.filter((n) => n.state === 'identified').map(need),
            notIdentifiedNeeds: profile.needs.filter((n) => n.state === 'notIdentified').map(need),
            unansweredNeeds: profile.needs.filter((n) => n.state === 'unanswered').map(need),
            assessedOn: source.completedDate,
          });
        },
      },
    ],
  };
}
