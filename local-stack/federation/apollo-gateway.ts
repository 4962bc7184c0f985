/**
 * Apollo's federation gateway from npm (`@apollo/gateway`, the Node.js router Apollo Router grew out of, with the
 * same query planner) serving a supergraph, for the tests: Person Graph behind a second, independent router.
 * Configured the way docs/federation.md tells platform teams to configure theirs: the router's OWN client
 * certificate for Person Graph (mTLS), and the consumer's verified identity headers, API key, x-on-behalf-of and
 * x-purpose propagated to Person Graph only; correlation headers to every subgraph. Runs in the calling process on loopback.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Agent, fetch as undiciFetch } from 'undici';
import type { RouterHandle } from './router.js';

/** To Person Graph only: identity, API key, and the consumer's declarations (on-behalf-of, purpose: its ledger records them, a policy may require them). */
const IDENTITY_HEADERS = ['subject-distinguished-name', 'cert-serial-number', 'cert-expiry-date', 'x-api-key', 'x-on-behalf-of', 'x-purpose'];
const CORRELATION_HEADERS = ['traceparent', 'x-request-id'];

export interface ApolloGatewayOptions {
  supergraphSdl: string;
  /** The name of Person Graph's subgraph in the supergraph (default person-graph). */
  personGraphSubgraph?: string;
  clientCertFile: string;
  clientKeyFile: string;
  personGraphCaFile: string;
}

interface RouterContext {
  headers: Record<string, string | string[] | undefined>;
}

export async function startApolloGateway(options: ApolloGatewayOptions): Promise<Omit<RouterHandle, 'pid'>> {
  const personGraph = options.personGraphSubgraph ?? 'person-graph';
  const agent = new Agent({
    connect: {
      cert: readFileSync(options.clientCertFile),
      key: readFileSync(options.clientKeyFile),
      ca: readFileSync(options.personGraphCaFile),
      minVersion: 'TLSv1.2',
    },
  });
  const logs: string[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: { debug: () => undefined, info: () => undefined, warn: (m: unknown) => logs.push(String(m)), error: (m: unknown) => logs.push(String(m)) },
    buildService: ({ name, url }) =>
      new (class extends RemoteGraphQLDataSource<RouterContext> {
        override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
          const names = name === personGraph ? [...IDENTITY_HEADERS, ...CORRELATION_HEADERS] : CORRELATION_HEADERS;
          for (const header of names) {
            const value = context.headers?.[header];
            if (typeof value === 'string') request.http!.headers.set(header, value);
          }
        }
      })({
        url,
        // Only HTTPS subgraph URLs get the router's client certificate.
        fetcher: ((input: string, init?: object) =>
          undiciFetch(input, { ...(init as object), ...(url?.startsWith('https:') ? { dispatcher: agent } : {}) })) as never,
      }),
  });
  const server = new ApolloServer<RouterContext>({ gateway, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  return {
    url: url.replace(/\/$/, ''),
    logs,
    stop: async () => {
      await server.stop();
      await agent.close();
    },
  };
}
