import type { GraphQLResolveInfo } from 'graphql';
import { carryOmitted } from '../domain/omitted.js';
import type { PersonRef } from '../domain/person.js';
import type { CriminogenicNeeds, Licence, RiskScoreAssessment } from '../domain/risk.js';
import { newestInstantFirst } from '../domain/risk.js';
import type { ResolverContext } from './context.js';
import { fingerprint, pageOf, pageSize } from './pagination.js';
import { reportOmitted } from './partial.js';
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

/** A page of a list read whole; entries ARNS gave that broke their contract are counted at the connection (ADR 21). */
async function page<T>(person: PersonRef, args: PageArgs, ctx: ResolverContext, info: GraphQLResolveInfo, load: (crn: string) => Promise<T[]>) {
  const crn = crnOf(person);
  if (!crn) return null;
  const first = pageSize(args.first ?? 10, 'first');
  const all = await upstream(load(crn));
  reportOmitted(ctx, info, all, 'PROBATION');
  return pageOf(all, first, args.after, fingerprint([info.fieldName, crn]));
}

/** Summaries by CRN, then each distinct licence in parallel (deduplicated across the operation by the loader). */
async function licencesOf(crn: string, loaders: Loaders): Promise<Licence[]> {
  const summaries = await loaders.licenceSummaries.load(crn);
  const ids = [...new Set(summaries.map((s) => s.id))];
  const licences = await Promise.all(ids.map((id) => loaders.licence.load(id)));
  // A licence whose summary was left out is missing too (ADR 21).
  return carryOmitted(summaries, newestInstantFirst(
    licences.filter((l): l is Licence => l !== null),
    (l) => l.createdAt,
  ));
}

function needs(list: 'identified' | 'notIdentified' | 'unanswered') {
  return (parent: CriminogenicNeeds, _args: unknown, ctx: ResolverContext, info: GraphQLResolveInfo) => {
    reportOmitted(ctx, info, parent[list], 'PROBATION');
    return parent[list];
  };
}

const SCORE_TYPES: Record<RiskScoreAssessment['kind'], string> = {
  legacy: 'LegacyRiskScores',
  versioned: 'RiskPredictorScores',
  unrecognised: 'UnrecognisedRiskScores',
};

export const riskResolvers = {
  Person: {
    riskScores: (person: PersonRef, args: PageArgs, ctx: ResolverContext, info: GraphQLResolveInfo) =>
      page(person, args, ctx, info, (crn) => ctx.loaders.riskScores.load(crn)),
    riskOfSeriousHarm: async (person: PersonRef, _args: unknown, { loaders }: ResolverContext) => {
      const crn = crnOf(person);
      return crn ? upstream(loaders.riskOfSeriousHarm.load(crn)) : null;
    },
    riskManagementPlans: (person: PersonRef, args: PageArgs, ctx: ResolverContext, info: GraphQLResolveInfo) =>
      page(person, args, ctx, info, (crn) => ctx.loaders.riskManagementPlans.load(crn)),
    criminogenicNeeds: async (person: PersonRef, _args: unknown, { loaders }: ResolverContext) => {
      const crn = crnOf(person);
      return crn ? upstream(loaders.criminogenicNeeds.load(crn)) : null;
    },
    licences: async (person: PersonRef, _args: unknown, ctx: ResolverContext, info: GraphQLResolveInfo) => {
      const crn = crnOf(person);
      if (!crn) return null;
      const licences = await upstream(licencesOf(crn, ctx.loaders));
      reportOmitted(ctx, info, licences, 'PROBATION');
      return licences;
    },
  },
  // Each list of needs, with an error at its path when ARNS gave needs that broke their contract (ADR 21).
  CriminogenicNeeds: {
    identified: needs('identified'),
    notIdentified: needs('notIdentified'),
    unanswered: needs('unanswered'),
  },
  RiskScoreAssessment: {
    __resolveType: (assessment: RiskScoreAssessment) => SCORE_TYPES[assessment.kind],
  },
};
