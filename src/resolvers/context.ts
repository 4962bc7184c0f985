import type { GraphQLError } from 'graphql';
import type { RequestLoaders } from '../datasources/index.js';
import type { RowFilters } from '../domain/visibility.js';

/**
 * What resolvers need from a request: its loaders, and the row filters of the consumer's policy
 * (who the consumer is, is auth's business; which people it may see is applied here).
 */
export interface ResolverContext {
  loaders: RequestLoaders;
  rowFilters: RowFilters;
  /**
   * Whether a search by these criteria must leave limited-access people out: a field a criterion
   * matches is redacted for them for this consumer, and a match would confirm the hidden value.
   */
  searchHidesLimitedAccess(criteria: readonly string[], includeAliases: boolean): boolean;
  /** Whether the consumer's policy grants this schema coordinate (e.g. `CaseNote.sensitive`). */
  granted(coordinate: string): boolean;
  /**
   * Errors at paths that also carry data: a list answered in part (src/resolvers/partial.ts,
   * docs/adr/0021). Filled by resolvers; added to the response by the gateway's Apollo plugin.
   */
  partialErrors: GraphQLError[];
  /** Links to photographs for this request's consumer (absent where the listener serves none). */
  imageLinks?: { linkFor(prisonNumber: string, imageId: string): { url: string; expiresAt: string } };
}
