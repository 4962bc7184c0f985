import type { GraphQLError } from 'graphql';
import { UpstreamError } from '../datasources/index.js';
import { graphQLError } from '../errors/contract.js';

/** Errors resolvers raise, built by the one error contract (src/errors/contract.ts). */

export function badUserInput(message: string, field: string): GraphQLError {
  return graphQLError('BAD_USER_INPUT', message, { field });
}

export { personNotFound as notFound } from '../errors/contract.js';

/**
 * Turns an upstream failure into an error a consumer may see: which data area is affected and
 * whether a retry may help; never the upstream's name, host, status or body.
 */
export function toConsumerError(e: unknown): GraphQLError | unknown {
  if (!(e instanceof UpstreamError)) return e;
  if (e.contractFault) {
    const message =
      e.area === 'identity'
        ? 'The person could not be identified because an upstream service gave an invalid answer.'
        : `${e.area === 'prison' ? 'Prison' : 'Probation'} data could not be used: a source system gave an invalid answer.`;
    return graphQLError('UPSTREAM_INVALID_RESPONSE', message, { area: e.area, retryable: false });
  }
  const message =
    e.area === 'identity'
      ? 'The person could not be identified because an upstream service is unavailable.'
      : `${e.area === 'prison' ? 'Prison' : 'Probation'} data is unavailable at the moment.`;
  return graphQLError(e.failure === 'timeout' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE', message, { area: e.area, retryable: e.retryable });
}

/**
 * An identity step failed: the person can be neither found nor ruled out, so the failure stands in
 * its place (never NOT_FOUND, issue 12 item 6). It names the failing system's data area only, which is
 * the same whether or not the person exists or may be seen, so a filtered and an unknown id get the
 * same answer during an outage (issue 14; tests/security/side-channels.test.ts).
 */
export function identityUnavailable(e: unknown): GraphQLError | unknown {
  return toConsumerError(e);
}
