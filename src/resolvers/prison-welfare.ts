/**
 * Prison life (issue 18): incentive level, health and diet, non-associations. Thin resolvers over the
 * loaders; a failing system nulls only the fields it feeds, with the consumer error at their path.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { hmppsIdKey, parseHmppsId } from '../domain/identifiers.js';
import type { PersonRef } from '../domain/person.js';
import type { Diet, NonAssociation } from '../domain/prison-welfare.js';
import { visibilityOf } from '../domain/visibility.js';
import type { ResolverContext } from './context.js';
import { reportOmitted } from './partial.js';
import { toConsumerError } from './errors.js';
import { fingerprint, pageOf, pageSize } from './pagination.js';
import { prisonHalf as prisonOf, upstream, type Resolver } from './person.js';

/** What IncentiveLevel's fields resolve from: the level (batch route) and whose history to ask for. */
interface IncentiveParent {
  level: string;
  prisonNumber: string;
}

/** What HealthAndDiet's fields resolve from. */
interface HealthParent {
  prisonNumber: string;
  smoker: string | null;
}

const SMOKER: Record<string, string> = { Y: 'SMOKER', N: 'NON_SMOKER', V: 'VAPER' };

const dietOf = (parent: HealthParent, ctx: ResolverContext): Promise<Diet | null> => upstream(ctx.loaders.diet.load(parent.prisonNumber));

/**
 * The other person of a non-association, when this consumer may see them: the same identity lookup and
 * row filters as `person(hmppsId)`. Unknown to prison search or outside the filters: withheld.
 */
async function otherPersonOf(na: NonAssociation, ctx: ResolverContext): Promise<PersonRef | null> {
  const id = parseHmppsId(na.otherPrisonNumber);
  if (!id) return null;
  const other = await upstream(ctx.loaders.person.load(hmppsIdKey(id)));
  if (!other) return null;
  const visible = visibilityOf(other, ctx.rowFilters);
  if (visible === null) throw toConsumerError(other.prisonUnavailable ?? other.probationUnavailable);
  return visible ? other : null;
}

/** Person's fields for these areas (merged into Person in index.ts). */
export const prisonWelfarePersonFields: Record<string, Resolver<never, never>> = {
  incentiveLevel: (async (person: PersonRef, _args: unknown, ctx: ResolverContext): Promise<IncentiveParent | null> => {
    const prison = prisonOf(person);
    if (!prison?.bookingId) return null;
    const level = await upstream(ctx.loaders.currentIncentiveLevel.load(prison.bookingId));
    return level === null ? null : { level, prisonNumber: prison.prisonNumber };
  }) as Resolver<never, never>,
  healthAndDiet: ((person: PersonRef): HealthParent | null => {
    const prison = prisonOf(person);
    return prison ? { prisonNumber: prison.prisonNumber, smoker: prison.smoker ?? null } : null;
  }) as Resolver<never, never>,
  nonAssociations: (async (person: PersonRef, args: { includeClosed?: boolean | null }, ctx: ResolverContext) => {
    const prison = prisonOf(person);
    if (!prison) return null;
    const all = await upstream(ctx.loaders.nonAssociations.load(prison.prisonNumber));
    return args.includeClosed ? all : all.filter((na) => na.open);
  }) as Resolver<never, never>,
  contacts: (async (person: PersonRef, args: ContactArgs, ctx: ResolverContext) => {
    const prison = prisonOf(person);
    if (!prison) return null;
    const first = pageSize(args.first ?? 50, 'first');
    const contacts = (await upstream(ctx.loaders.contacts.load(prison.prisonNumber))).filter(
      (c) => (!args.emergencyOrNextOfKinOnly || c.nextOfKin || c.emergencyContact) && (!args.activeOnly || c.active),
    );
    const question = fingerprint(['contacts', prison.prisonNumber, args.emergencyOrNextOfKinOnly ?? false, args.activeOnly ?? false]);
    return pageOf(contacts, first, args.after, question);
  }) as Resolver<never, never>,
  numberOfChildren: (async (person: PersonRef, _args: unknown, ctx: ResolverContext) => {
    const prison = prisonOf(person);
    return prison ? upstream(ctx.loaders.numberOfChildren.load(prison.prisonNumber)) : null;
  }) as Resolver<never, never>,
};

interface ContactArgs {
  emergencyOrNextOfKinOnly?: boolean | null;
  activeOnly?: boolean | null;
  first?: number | null;
  after?: string | null;
}

/** The types hanging off those fields. */
export const prisonWelfareResolvers: Record<string, Record<string, Resolver<never, never>>> = {
  IncentiveLevel: {
    level: ((p: IncentiveParent) => p.level) as Resolver<never, never>,
    code: (async (p: IncentiveParent, _a: unknown, ctx: ResolverContext) =>
      (await upstream(ctx.loaders.incentiveHistory.load(p.prisonNumber)))?.code ?? null) as Resolver<never, never>,
    reviewedOn: (async (p: IncentiveParent, _a: unknown, ctx: ResolverContext) =>
      (await upstream(ctx.loaders.incentiveHistory.load(p.prisonNumber)))?.reviewedOn ?? null) as Resolver<never, never>,
    nextReviewDue: (async (p: IncentiveParent, _a: unknown, ctx: ResolverContext) =>
      (await upstream(ctx.loaders.incentiveHistory.load(p.prisonNumber)))?.nextReviewDue ?? null) as Resolver<never, never>,
    daysSinceReview: (async (p: IncentiveParent, _a: unknown, ctx: ResolverContext) =>
      (await upstream(ctx.loaders.incentiveHistory.load(p.prisonNumber)))?.daysSinceReview ?? null) as Resolver<never, never>,
    reviews: (async (p: IncentiveParent, _a: unknown, ctx: ResolverContext, info: GraphQLResolveInfo) => {
      const reviews = (await upstream(ctx.loaders.incentiveHistory.load(p.prisonNumber)))?.reviews ?? [];
      reportOmitted(ctx, info, reviews, 'PRISON');
      return reviews;
    }) as Resolver<never, never>,
  },

  HealthAndDiet: {
    smoker: ((p: HealthParent) => (p.smoker ? (SMOKER[p.smoker] ?? null) : null)) as Resolver<never, never>,
    dietRecorded: (async (p: HealthParent, _a: unknown, ctx: ResolverContext) => (await dietOf(p, ctx)) !== null) as Resolver<never, never>,
    foodAllergies: (async (p: HealthParent, _a: unknown, ctx: ResolverContext) => (await dietOf(p, ctx))?.foodAllergies ?? []) as Resolver<never, never>,
    medicalDietaryRequirements: (async (p: HealthParent, _a: unknown, ctx: ResolverContext) =>
      (await dietOf(p, ctx))?.medicalDietaryRequirements ?? []) as Resolver<never, never>,
    personalisedDietaryRequirements: (async (p: HealthParent, _a: unknown, ctx: ResolverContext) =>
      (await dietOf(p, ctx))?.personalisedDietaryRequirements ?? []) as Resolver<never, never>,
    cateringInstructions: (async (p: HealthParent, _a: unknown, ctx: ResolverContext) =>
      (await dietOf(p, ctx))?.cateringInstructions ?? null) as Resolver<never, never>,
  },

  NonAssociation: {
    otherPerson: ((na: NonAssociation, _a: unknown, ctx: ResolverContext) => otherPersonOf(na, ctx)) as Resolver<never, never>,
    otherPersonWithheld: (async (na: NonAssociation, _a: unknown, ctx: ResolverContext) => (await otherPersonOf(na, ctx)) === null) as Resolver<never, never>,
    otherPersonRole: ((na: NonAssociation) => na.otherRole) as Resolver<never, never>,
    otherPersonRoleDescription: ((na: NonAssociation) => na.otherRoleDescription) as Resolver<never, never>,
    // Free text that often names the other person: withheld with them.
    comment: (async (na: NonAssociation, _a: unknown, ctx: ResolverContext) => ((await otherPersonOf(na, ctx)) === null ? null : na.comment)) as Resolver<
      never,
      never
    >,
  },
};
