import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, httpStatusOf } from '../../errors/contract.js';
import type { GatewayContext } from '../apollo.js';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  /** The GraphQL context of an identified request. */
  contextFor(request: FastifyRequest): GatewayContext;
  /**
   * Operations over GET. Off by default: ids and search criteria in a URL end up in proxy, load
   * balancer and browser logs (POST is the GraphQL-over-HTTP way for queries with variables). A GET
   * without an operation (Apollo Sandbox's page on the development listener) is always served.
   */
  allowGetOperations: boolean;
}

const GRAPHQL_METHODS = ['GET', 'POST', 'OPTIONS'];

/** `/graphql`: Apollo runs the operation gate, shield, resolvers and audit (src/server/apollo.ts). */
const graphqlRoute: FastifyPluginAsync<GraphqlRouteOptions> = async (app, { apollo, contextFor, allowGetOperations }) => {
  app.route({
    url: '/graphql',
    method: GRAPHQL_METHODS,
    async preHandler(request, reply) {
      if (request.method === 'GET' && !allowGetOperations && carriesOperation(request.query)) {
        return reply
          .code(httpStatusOf('BAD_REQUEST', 405))
          .header('allow', 'POST')
          .send(errorBody('BAD_REQUEST', 'Send GraphQL operations with POST (application/json): a query in the URL ends up in logs along the way.'));
      }
    },
    // The integration types its reply as a string; the pre-handler's refusal is the error body.
    handler: fastifyApolloHandler(apollo, { context: async (request) => contextFor(request) }) as unknown as RouteHandlerMethod,
  });
};

function carriesOperation(query: unknown): boolean {
  if (typeof query !== 'object' || query === null) return false;
  return ['query', 'documentId', 'extensions', 'variables', 'operationName'].some((k) => k in query);
}

export const graphqlRoutePlugin = fp(graphqlRoute, { name: 'graphql-route', dependencies: ['identity'] });
