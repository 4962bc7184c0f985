/**
 * The ceiling: a bare Apollo Server (fastify integration, the same mutual TLS as the gateway) with
 * constant resolvers. Used by bench/run.ts; prints one JSON `ready` line with its URL.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify from 'fastify';

const env = process.env;
const app = Fastify({
  https: {
    key: readFileSync(env.TLS_KEY_FILE!),
    cert: readFileSync(env.TLS_CERT_FILE!),
    ca: readFileSync(env.CONSUMER_CA_FILE!),
    requestCert: true,
    rejectUnauthorized: true,
  },
});
const apollo = new ApolloServer({
  typeDefs: 'type Query { person(hmppsId: ID!): Person } type Person { firstName: String }',
  resolvers: { Query: { person: () => ({ firstName: 'Constant' }) } },
});
await apollo.start();
app.route({ url: '/graphql', method: ['POST'], handler: fastifyApolloHandler(apollo) });
await app.listen({ host: '127.0.0.1', port: Number(env.BENCH_PORT ?? 0) });
const { port } = app.server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ event: 'ready', url: `https://127.0.0.1:${port}` })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
