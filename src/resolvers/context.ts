import type { RequestLoaders } from '../datasources/index.js';
import type { RowFilters } from '../domain/visibility.js';

/**
 * What resolvers need from a request: its loaders, and the row filters of the consumer's policy
 * (who the consumer is, is auth's business; which people it may see is applied here).
 */
export interface ResolverContext {
  loaders: RequestLoaders;
  rowFilters: RowFilters;
}
