import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { GatewayContext } from '../apollo.js';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<GatewayContext>;
  /** The GraphQL context of an identified request. */
  contextFor(request: FastifyRequest): GatewayContext;
}

const GRAPHQL_METHODS = ['GET', 'POST', 'OPTIONS'];

/** `/graphql`: Apollo runs the operation gate, shield, resolvers and audit (src/server/apollo.ts). */
const graphqlRoute: FastifyPluginAsync<GraphqlRouteOptions> = async (app, { apollo, contextFor }) => {
  app.route({ url: '/graphql', method: GRAPHQL_METHODS, handler: fastifyApolloHandler(apollo, { context: async (request) => contextFor(request) }) });
};

export const graphqlRoutePlugin = fp(graphqlRoute, { name: 'graphql-route', dependencies: ['identity'] });
