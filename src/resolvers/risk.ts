import type { PersonRef } from '../domain/person.js';
import type { Licence, RiskScoreAssessment } from '../domain/risk.js';
import { newestInstantFirst } from '../domain/risk.js';
import type { ResolverContext } from './context.js';
import { fingerprint, pageOf, pageSize } from './pagination.js';
import { probationHalf, upstream } from './person.js';

/**
 * Risks, needs and licences (issue 17, areas 1-4). All come from probation systems by CRN: null for a
 * person not known to probation. Row filters were applied when the person was found; redactions
 * (scores vs bands, free text for limited-access people) are the policy's, applied per field.
 */

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

type Loaders = ResolverContext['loaders'];

/** The person's CRN, or null when not known to probation (an error when probation could not be asked). */
const crnOf = (person: PersonRef): string | null => probationHalf(person)?.crn ?? null;

async function page<T>(person: PersonRef, args: PageArgs, name: string, load: (crn: string) => Promise<T[]>) {
  const crn = crnOf(person);
  if (!crn) return null;
  const first = pageSize(args.first ?? 10, 'first');
  return pageOf(await upstream(load(crn)), first, args.after, fingerprint([name, crn]));
}

/** Summaries by CRN, then each distinct licence in parallel (deduplicated across the operation by the loader). */
async function licencesOf(crn: string, loaders: Loaders): Promise<Licence[]> {
  const summaries = await loaders.licenceSummaries.load(crn);
  const ids = [...new Set(summaries.map((s) => s.id))];
  const licences = await Promise.all(ids.map((id) => loaders.licence.load(id)));
  return newestInstantFirst(
    licences.filter((l): l is Licence => l !== null),
    (l) => l.createdAt,
  );
}

const SCORE_TYPES: Record<RiskScoreAssessment['kind'], string> = {
  legacy: 'LegacyRiskScores',
  versioned: 'RiskPredictorScores',
  unrecognised: 'UnrecognisedRiskScores',
};

export const riskResolvers = {
  Person: {
    riskScores: (person: PersonRef, args: PageArgs, { loaders }: ResolverContext) =>
      page(person, args, 'riskScores', (crn) => loaders.riskScores.load(crn)),
    riskOfSeriousHarm: async (person: PersonRef, _args: unknown, { loaders }: ResolverContext) => {
      const crn = crnOf(person);
      return crn ? upstream(loaders.riskOfSeriousHarm.load(crn)) : null;
    },
    riskManagementPlans: (person: PersonRef, args: PageArgs, { loaders }: ResolverContext) =>
      page(person, args, 'riskManagementPlans', (crn) => loaders.riskManagementPlans.load(crn)),
    criminogenicNeeds: async (person: PersonRef, _args: unknown, { loaders }: ResolverContext) => {
      const crn = crnOf(person);
      return crn ? upstream(loaders.criminogenicNeeds.load(crn)) : null;
    },
    licences: async (person: PersonRef, _args: unknown, { loaders }: ResolverContext) => {
      const crn = crnOf(person);
      return crn ? upstream(licencesOf(crn, loaders)) : null;
    },
  },
  RiskScoreAssessment: {
    __resolveType: (assessment: RiskScoreAssessment) => SCORE_TYPES[assessment.kind],
  },
};
