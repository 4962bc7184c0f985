/**
 * Federation entity resolution: `Query._entities(representations)` turns each `Person` representation
 * (`{ __typename: "Person", hmppsId }`) into a person exactly as `person(hmppsId)` does, through the
 * same per-request identity DataLoader: the router's N representations are one `loadMany`-shaped batch
 * (DataLoader collects every `load` of the tick), so they cost the same batched upstream calls as
 * `persons` with N ids. An unknown person and one outside the consumer's row filters are the same
 * `null` with NOT_FOUND at `_entities.<i>`; a malformed hmppsId is BAD_USER_INPUT at its position only.
 * Field grants, redactions, limits and audit are applied around this resolver by src/auth, as for
 * every other field that returns people (docs/adr/0011-federation-subgraph.md).
 */
import { GraphQLError } from 'graphql';
import { hmppsIdKey, parseHmppsId } from '../domain/identifiers.js';
import type { PersonRef } from '../domain/person.js';
import { isVisible } from '../domain/visibility.js';
import type { ResolverContext } from './context.js';
import { badUserInput, notFound, toConsumerError } from './errors.js';

interface PersonRepresentation {
  __typename: 'Person';
  hmppsId?: unknown;
}

async function resolvePersonReference(representation: PersonRepresentation, ctx: ResolverContext): Promise<PersonRef> {
  const id = typeof representation.hmppsId === 'string' ? parseHmppsId(representation.hmppsId) : null;
  if (!id) throw badUserInput('A Person representation needs an hmppsId that is a CRN (e.g. X123456) or a prison number (e.g. A1234BC).', 'representations');
  let person: PersonRef | null;
  try {
    person = await ctx.loaders.person.load(hmppsIdKey(id));
  } catch (e) {
    throw toConsumerError(e) as GraphQLError;
  }
  if (!person || !isVisible(person, ctx.rowFilters)) throw notFound();
  return person;
}

export const entityResolvers = {
  Person: {
    __resolveReference: (representation: PersonRepresentation, ctx: ResolverContext) => resolvePersonReference(representation, ctx),
  },
};
