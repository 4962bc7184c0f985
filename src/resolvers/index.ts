import { parseHmppsId, hmppsIdKey } from '../domain/identifiers.js';
import { isVisible } from '../domain/visibility.js';
import { identifiersOf, preferredHmppsId, type PersonRef } from '../domain/person.js';
import type { ResolverContext } from './context.js';
import { badUserInput, notFound, toConsumerError } from './errors.js';
import { DateScalar } from './scalars.js';

async function findPerson(hmppsId: string, ctx: ResolverContext): Promise<PersonRef> {
  const id = parseHmppsId(hmppsId);
  if (!id) {
    throw badUserInput('hmppsId must be a CRN (e.g. X123456) or a prison number (e.g. A1234BC).', 'hmppsId');
  }
  const person = await ctx.loaders.person.load(hmppsIdKey(id)).catch((e: unknown) => {
    throw toConsumerError(e);
  });
  if (!person || !isVisible(person, ctx.rowFilters)) throw notFound();
  return person;
}

type Resolver<Parent, Args = Record<string, never>> = (parent: Parent, args: Args, ctx: ResolverContext) => unknown;

export const resolvers: {
  Date: typeof DateScalar;
  Query: { person: Resolver<unknown, { hmppsId: string }> };
  Person: Record<string, Resolver<PersonRef>>;
} = {
  Date: DateScalar,
  Query: {
    person: (_root, args: { hmppsId: string }, ctx) => findPerson(args.hmppsId, ctx),
  },
  Person: {
    hmppsId: (person: PersonRef) => preferredHmppsId(person),
    identifiers: (person: PersonRef) => ({
      ...identifiersOf(person),
      mergedFromPrisonNumber: person.requestedPrisonNumber,
    }),
    firstName: (person: PersonRef) => person.combined.firstName,
    middleNames: (person: PersonRef) => person.combined.middleNames,
    lastName: (person: PersonRef) => person.combined.lastName,
    dateOfBirth: (person: PersonRef) => person.combined.dateOfBirth,
    gender: (person: PersonRef) => person.combined.gender,
    aliases: (person: PersonRef) => person.combined.aliases,
    knownToPrison: (person: PersonRef) => person.prison !== null,
    knownToProbation: (person: PersonRef) => person.probation !== null,
  },
};
