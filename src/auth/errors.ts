import { GraphQLError } from 'graphql';

/**
 * Errors the security layer raises. `extensions.http` sets the HTTP status when the error stops the
 * whole operation before execution (Apollo removes it from the response body).
 */

/** The operation selects coordinates the consumer's policy does not grant. HTTP 403. */
export function forbiddenCoordinates(coordinates: string[]): GraphQLError {
  const listed = coordinates.slice(0, 50);
  const more = coordinates.length > listed.length ? ` (and ${coordinates.length - listed.length} more)` : '';
  return new GraphQLError(`Your access policy does not allow: ${listed.join(', ')}${more}.`, {
    extensions: { code: 'FORBIDDEN', coordinates: listed, http: { status: 403 } },
  });
}

export function forbiddenIntrospection(): GraphQLError {
  return new GraphQLError('Introspection is not enabled for you. The schema is published in the API documentation.', {
    extensions: { code: 'FORBIDDEN', coordinates: ['__schema'], http: { status: 403 } },
  });
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
  return new GraphQLError(`The query ${what[limit]}: the limit is ${maximum}${actual === null ? '' : `, the query has ${actual}`}.`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', limit, maximum, ...(actual === null ? {} : { actual }), http: { status: 400 } },
  });
}

/** A field the execution-time rules refused (defence in depth: the validation gate refuses first). */
export function forbiddenField(coordinate: string): GraphQLError {
  return new GraphQLError(`Your access policy does not allow ${coordinate}.`, {
    extensions: { code: 'FORBIDDEN', coordinates: [coordinate] },
  });
}
