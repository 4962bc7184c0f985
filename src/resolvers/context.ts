import type { RequestLoaders } from '../datasources/index.js';

/** What resolvers need from a request: its loaders. Who the consumer is, is auth's business. */
export interface ResolverContext {
  loaders: RequestLoaders;
}
