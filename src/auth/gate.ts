import type { ApolloServerPlugin } from '@apollo/server';
import { searchCriteriaOf, refusedCriteria } from './criteria.js';
import { forbiddenCoordinates, forbiddenCriteria, forbiddenIntrospection, operationTypeNotOffered, queryTooComplex } from './errors.js';
import { documentFacts, operationCost } from './operation.js';
import type { SecurityContext } from './shield.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  maxCost: number;
  /** Items assumed for a list without a page size (plain lists such as addresses). */
  costListSize: number;
}

/**
 * The operation gate: runs for every request once the operation is known and before anything
 * executes (so before any upstream call). It refuses an operation that is too complex
 * (QUERY_TOO_COMPLEX, HTTP 400), that selects any coordinate the consumer's policy does not grant, or
 * that introspects without permission, or that searches by a field the consumer may not read
 * unredacted (src/auth/criteria.ts) (FORBIDDEN, HTTP 403, naming the coordinates or criteria).
 *
 * Why a `didResolveOperation` hook and not a validation rule: Apollo caches validated documents by
 * query hash and skips validation on a cache hit, so a per-consumer validation rule would be
 * skipped for the second consumer to send the same query. This hook runs on every request; the
 * document analysis it uses is memoised per document, so the per-request work is a set lookup per
 * selected coordinate plus the cost (which depends on variables).
 */
export function operationGate(limits: QueryLimits): ApolloServerPlugin<SecurityContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const facts = documentFacts(rc.schema, rc.document);
          if (facts.depth > limits.maxDepth) throw queryTooComplex('depth', limits.maxDepth, facts.depth);
          if (facts.aliases > limits.maxAliases) throw queryTooComplex('aliases', limits.maxAliases, facts.aliases);
          if (facts.rootFields > limits.maxRootFields) throw queryTooComplex('rootFields', limits.maxRootFields, facts.rootFields);
          if (facts.directives > limits.maxDirectives) throw queryTooComplex('directives', limits.maxDirectives, facts.directives);

          const { grant } = rc.contextValue.consumer;
          const refused = [...facts.coordinates].filter((c) => !grant.coordinates.has(c)).sort();
          if (refused.length > 0) throw forbiddenCoordinates(refused);
          if (facts.introspection && !grant.introspection && !rc.contextValue.security.introspectionAllowed) {
            throw forbiddenIntrospection();
          }

          if (rc.operation) {
            // graphql-js 16 validates a mutation against a schema without mutations, then fails in
            // execution with a plain error (INTERNAL_SERVER_ERROR): a caller's mistake, refused here.
            if (!rc.schema.getRootType(rc.operation.operation)) throw operationTypeNotOffered(rc.operation.operation);
            if (facts.coordinates.has('Query.searchPersons')) {
              const refused = searchCriteriaOf(rc.schema, rc.document, rc.operation, rc.request.variables ?? {}).flatMap((used) => refusedCriteria(grant, used));
              if (refused.length > 0) throw forbiddenCriteria([...new Map(refused.map((r) => [r.criterion, r])).values()]);
            }
            const cost = operationCost(rc.schema, rc.document, rc.operation, rc.request.variables ?? {}, limits.costListSize);
            if (cost > limits.maxCost) throw queryTooComplex('cost', limits.maxCost, cost);
          }
        },
      };
    },
  };
}
