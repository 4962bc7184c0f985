import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { searchCriteriaOf, refusedCriteria } from './criteria.js';
import { forbiddenCoordinates, forbiddenCriteria, forbiddenIntrospection, operationTypeNotOffered, queryTooComplex } from './errors.js';
import { documentFacts, operationCost } from './operation.js';
import type { ConsumerGrant } from './policy.js';
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
          const refusal = operationRefusal(rc.schema, rc.document, rc.operation ?? null, rc.request.variables ?? {}, limits, {
            grant: rc.contextValue.consumer.grant,
            introspectionAllowed: rc.contextValue.security.introspectionAllowed,
          });
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/**
 * The gate's decision on one validated document for one consumer: the error that refuses it, or null.
 * Shared by the request path (above) and the registration of trusted documents (src/auth/trusted-documents.ts),
 * so a document is registered only if the gate would let it through (with the variables it is given).
 */
export function operationRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  who: { grant: ConsumerGrant; introspectionAllowed: boolean },
): GraphQLError | null {
  const facts = documentFacts(schema, document);
  if (facts.depth > limits.maxDepth) return queryTooComplex('depth', limits.maxDepth, facts.depth);
  if (facts.aliases > limits.maxAliases) return queryTooComplex('aliases', limits.maxAliases, facts.aliases);
  if (facts.rootFields > limits.maxRootFields) return queryTooComplex('rootFields', limits.maxRootFields, facts.rootFields);
  if (facts.directives > limits.maxDirectives) return queryTooComplex('directives', limits.maxDirectives, facts.directives);

  const { grant } = who;
  const refused = [...facts.coordinates].filter((c) => !grant.coordinates.has(c)).sort();
  if (refused.length > 0) return forbiddenCoordinates(refused);
  if (facts.introspection && !grant.introspection && !who.introspectionAllowed) return forbiddenIntrospection();

  if (operation) {
    // graphql-js 16 validates a mutation against a schema without mutations, then fails in
    // execution with a plain error (INTERNAL_SERVER_ERROR): a caller's mistake, refused here.
    if (!schema.getRootType(operation.operation)) return operationTypeNotOffered(operation.operation);
    if (facts.coordinates.has('Query.searchPersons')) {
      const refusedCriteria_ = searchCriteriaOf(schema, document, operation, variables).flatMap((used) => refusedCriteria(grant, used));
      if (refusedCriteria_.length > 0) return forbiddenCriteria([...new Map(refusedCriteria_.map((r) => [r.criterion, r])).values()]);
    }
    const cost = operationCost(schema, document, operation, variables, limits.costListSize);
    if (cost > limits.maxCost) return queryTooComplex('cost', limits.maxCost, cost);
  }
  return null;
}
