import type { GraphQLError } from 'graphql';
import { graphQLError } from '../errors/contract.js';

/** Errors the security layer raises (built by the one error contract, src/errors/contract.ts). */

/** The operation selects coordinates the consumer's policy does not grant. HTTP 403. */
export function forbiddenCoordinates(coordinates: string[]): GraphQLError {
  const listed = coordinates.slice(0, 50);
  const more = coordinates.length > listed.length ? ` (and ${coordinates.length - listed.length} more)` : '';
  return graphQLError('FORBIDDEN', `Your access policy does not allow: ${listed.join(', ')}${more}.`, { coordinates: listed }, { stopsOperation: true });
}

export function forbiddenIntrospection(): GraphQLError {
  return graphQLError(
    'FORBIDDEN',
    'Introspection is not enabled for you. The schema is published in the API documentation.',
    { coordinates: ['__schema'] },
    { stopsOperation: true },
  );
}

export type LimitName = 'depth' | 'aliases' | 'rootFields' | 'directives' | 'cost' | 'tokens';

export function queryTooComplex(limit: LimitName, maximum: number, actual: number | null): GraphQLError {
  const what: Record<LimitName, string> = {
    depth: 'is nested too deeply',
    aliases: 'uses too many aliases',
    rootFields: 'asks for too many top-level fields',
    directives: 'uses too many directives',
    cost: 'would fetch too much at once (lower page sizes or split the query)',
    tokens: 'is too long',
  };
  return graphQLError(
    'QUERY_TOO_COMPLEX',
    `The query ${what[limit]}: the limit is ${maximum}${actual === null ? '' : `, the query has ${actual}`}.`,
    { limit, maximum, ...(actual === null ? {} : { actual }) },
    { stopsOperation: true },
  );
}

/** A field the execution-time rules refused (defence in depth: the validation gate refuses first). */
export function forbiddenField(coordinate: string): GraphQLError {
  return graphQLError('FORBIDDEN', `Your access policy does not allow ${coordinate}.`, { coordinates: [coordinate] });
}

/** A mutation or subscription: graphql-js 16 validates it against a schema without them, then fails in execution. */
export function operationTypeNotOffered(operation: string): GraphQLError {
  return graphQLError('GRAPHQL_VALIDATION_FAILED', `This API has no ${operation} operations; it offers queries only.`, {}, { stopsOperation: true });
}

/**
 * Search criteria on fields the consumer may not read unredacted (issue 14: what you may not read,
 * you may not search by). HTTP 403, before any upstream call; names the criteria and the fields.
 */
export function forbiddenCriteria(refused: Array<{ criterion: string; coordinate: string }>): GraphQLError {
  const criteria = refused.map((r) => `PersonSearchCriteria.${r.criterion}`);
  const because = refused.map((r) => `${r.criterion} (needs ${r.coordinate} unredacted)`).join(', ');
  return graphQLError(
    'FORBIDDEN',
    `Your access policy does not allow searching by: ${because}. What you may not read, you may not search by.`,
    { coordinates: criteria },
    { stopsOperation: true },
  );
}
