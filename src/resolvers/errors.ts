import { GraphQLError } from 'graphql';
import { UpstreamError } from '../datasources/index.js';

/** The stable error codes of design §3 that resolvers raise. */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT';

export function badUserInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/**
 * Not found looks the same whatever the reason (unknown id, or - later - outside the consumer's
 * scope), so that nobody can probe for people they may not see.
 */
export function notFound(): GraphQLError {
  return new GraphQLError('No person was found for this hmppsId.', { extensions: { code: 'NOT_FOUND' } });
}

/**
 * Turns an upstream failure into an error a consumer may see: which data area is affected and
 * whether a retry may help; never the upstream's name, host, status or body.
 */
export function toConsumerError(e: unknown): GraphQLError | unknown {
  if (!(e instanceof UpstreamError)) return e;
  const code: ErrorCode = e.failure === 'timeout' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
  const message =
    e.area === 'identity'
      ? 'The person could not be identified because an upstream service is unavailable.'
      : `${e.area === 'prison' ? 'Prison' : 'Probation'} data is unavailable at the moment.`;
  return new GraphQLError(message, { extensions: { code, area: e.area, retryable: e.retryable } });
}
