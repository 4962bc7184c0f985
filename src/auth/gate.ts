import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, OperationTypeNode } from 'graphql';
import type { ConsumerGrant } from './policy.js';
import { searchCriteriaOf, refusedCriteria } from './criteria.js';
import { forbiddenCoordinates, forbiddenCriteria, forbiddenIntrospection, operationTypeNotOffered, queryTooComplex } from './errors.js';
import { DocumentCache } from './document-cache.js';
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
 * skipped for the second consumer to send the same query. This hook runs on every request; what it
 * decides per document, consumer and policy version is kept in a bounded cache (document-cache.ts),
 * so a repeated operation costs a map lookup, plus the search criteria check when it searches.
 */
export function operationGate(limits: QueryLimits, cache = new DocumentCache()): ApolloServerPlugin<SecurityContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const { consumer } = rc.contextValue;
          const { grant } = consumer;
          const { introspectionAllowed } = rc.contextValue.security;
          // Everything but the variables' part is decided once per document, consumer and policy version.
          const decision = cache.decision(
            { queryHash: rc.queryHash, operationName: rc.operationName, consumer: consumer.name, policyVersion: consumer.policy.hash, introspectionAllowed },
            () => refusalOf(rc.schema, rc.document, rc.operation?.operation ?? null, limits, grant, introspectionAllowed),
          );
          if (decision.refusal) throw decision.refusal();

          if (rc.operation) {
            const variables = rc.request.variables ?? {};
            const operation = rc.operation;
            const refused = variablesRefusal(rc.schema, rc.document, operation, variables, limits, grant, () =>
              cache.cost(decision, variables, (v) => operationCost(rc.schema, rc.document, operation, v, limits.costListSize)),
            );
            if (refused) throw refused;
          }
        },
      };
    },
  };
}

/**
 * The gate's decision on one validated document for one consumer, with these variables: the error that
 * refuses it, or null. The request path above decides the same in two parts (cached, then per variables);
 * the registration of trusted documents (src/auth/trusted-documents.ts) uses this, so a document is
 * registered only if the gate would let it through.
 */
export function operationRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  who: { grant: ConsumerGrant; introspectionAllowed: boolean },
): GraphQLError | null {
  const refusal = refusalOf(schema, document, operation?.operation ?? null, limits, who.grant, who.introspectionAllowed);
  if (refusal) return refusal();
  if (!operation) return null;
  return variablesRefusal(schema, document, operation, variables, limits, who.grant);
}

/** What the variables decide: search criteria the consumer may not search by, and the cost. */
function variablesRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  grant: ConsumerGrant,
  cost: () => number = () => operationCost(schema, document, operation, variables, limits.costListSize),
): GraphQLError | null {
  if (documentFacts(schema, document).coordinates.has('Query.searchPersons')) {
    const refused = searchCriteriaOf(schema, document, operation, variables).flatMap((used) => refusedCriteria(grant, used));
    if (refused.length > 0) return forbiddenCriteria([...new Map(refused.map((r) => [r.criterion, r])).values()]);
  }
  const spent = cost();
  return spent > limits.maxCost ? queryTooComplex('cost', limits.maxCost, spent) : null;
}

/**
 * Why the consumer may not run this document, whatever its variables: a limit, a coordinate the
 * policy does not grant, introspection without permission, an operation type the schema does not
 * offer. A function making the error (each request gets its own), or null.
 */
function refusalOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationType: OperationTypeNode | null,
  limits: QueryLimits,
  grant: ConsumerGrant,
  introspectionAllowed: boolean,
): (() => GraphQLError) | null {
  const facts = documentFacts(schema, document);
  if (facts.depth > limits.maxDepth) return () => queryTooComplex('depth', limits.maxDepth, facts.depth);
  if (facts.aliases > limits.maxAliases) return () => queryTooComplex('aliases', limits.maxAliases, facts.aliases);
  if (facts.rootFields > limits.maxRootFields) return () => queryTooComplex('rootFields', limits.maxRootFields, facts.rootFields);
  if (facts.directives > limits.maxDirectives) return () => queryTooComplex('directives', limits.maxDirectives, facts.directives);
  const refused = [...facts.coordinates].filter((c) => !grant.coordinates.has(c)).sort();
  if (refused.length > 0) return () => forbiddenCoordinates(refused);
  if (facts.introspection && !grant.introspection && !introspectionAllowed) return () => forbiddenIntrospection();
  // graphql-js 16 validates a mutation against a schema without mutations, then fails in
  // execution with a plain error (INTERNAL_SERVER_ERROR): a caller's mistake, refused here.
  if (operationType && !schema.getRootType(operationType)) return () => operationTypeNotOffered(operationType);
  return null;
}
