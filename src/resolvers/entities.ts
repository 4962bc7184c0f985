/**
 * Federation entity resolution: `Query._entities(representations)` turns each `Person` representation
 * (`{ __typename: "Person", hmppsId }`) into a person exactly as `person(hmppsId)` does: the same
 * per-request identity DataLoader (the router's N representations are one batch - DataLoader collects
 * every `load` of the tick - so they cost the same batched upstream calls as `persons` with N ids),
 * the same speculative first round for what the router's selection reads (`expect`, ADR 19), and the
 * same decision of what is answered (`visibleOrNotFound`, shared with `person` and `persons`): an
 * unknown person and one outside the consumer's row filters are the same `null` with NOT_FOUND at
 * `_entities.<i>`, and while an identity step that decides it is failing, that failure (never NOT_FOUND,
 * never the person). A malformed hmppsId is BAD_USER_INPUT at its position only. Field grants,
 * redactions, limits and audit are applied around this resolver by src/auth, as for every other field
 * that returns people (docs/adr/0011-federation-subgraph.md).
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { lookupsOf } from '../datasources/index.js';
import { hmppsIdKey, parseHmppsId } from '../domain/identifiers.js';
import type { PersonRef } from '../domain/person.js';
import type { ResolverContext } from './context.js';
import { badUserInput } from './errors.js';
import { visibleOrNotFound } from './visibility.js';

interface PersonRepresentation {
  __typename: 'Person';
  hmppsId?: unknown;
}

/**
 * Called once per representation, synchronously up to its `load`, so every representation's id is
 * expected before the identity batch of the tick is sent.
 */
async function resolvePersonReference(representation: PersonRepresentation, ctx: ResolverContext, info: GraphQLResolveInfo): Promise<PersonRef> {
  const id = typeof representation.hmppsId === 'string' ? parseHmppsId(representation.hmppsId) : null;
  if (!id) throw badUserInput('A Person representation needs an hmppsId that is a CRN (e.g. X123456) or a prison number (e.g. A1234BC).', 'representations');
  const key = hmppsIdKey(id);
  // `info` is `_entities`'s: its selection (`... on Person { ... }`) is the router's for these people.
  ctx.loaders.expect([key], lookupsOf(info.fieldNodes, info.fragments));
  const found = visibleOrNotFound(await ctx.loaders.person.load(key).catch((e: Error) => e), ctx);
  if (found instanceof GraphQLError) throw found;
  return found;
}

export const entityResolvers = {
  Person: {
    __resolveReference: (representation: PersonRepresentation, ctx: ResolverContext, info: GraphQLResolveInfo) => resolvePersonReference(representation, ctx, info),
  },
};
