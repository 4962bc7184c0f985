/**
 * The one decision of whether a person asked for by id is answered, shared by every field that takes
 * ids - `person`, `persons` and federation's `_entities` - so that all of them say the same thing
 * about the same id to the same consumer (issue 16: `_entities` follows exactly the rules of `person`).
 */
import type { GraphQLError } from 'graphql';
import type { PersonRef } from '../domain/person.js';
import { visibilityOf } from '../domain/visibility.js';
import type { ResolverContext } from './context.js';
import { identityUnavailable, notFound } from './errors.js';

/**
 * A person, or the error that stands in its place: unknown and out-of-scope look the same (NOT_FOUND),
 * and so do they while an identity step is failing (the failure, never NOT_FOUND, and never the person
 * when the half that would hide them could not be asked: `visibilityOf` is `null` then).
 *
 * @param person what the identity loader gave for the id: the person, `null` (nobody holds it) or its error
 */
export function visibleOrNotFound(person: PersonRef | null | Error, ctx: Pick<ResolverContext, 'rowFilters'>): PersonRef | GraphQLError {
  if (person instanceof Error) return identityUnavailable(person) as GraphQLError;
  if (!person) return notFound();
  const visible = visibilityOf(person, ctx.rowFilters);
  if (visible) return person;
  // Not visible while a half could not be asked: said as it is said for an id nobody could look up.
  const failure = person.prisonUnavailable ?? person.probationUnavailable;
  return failure ? (identityUnavailable(failure) as GraphQLError) : notFound();
}
