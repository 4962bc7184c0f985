/**
 * Hive Gateway configuration for running Person Graph behind it (docs/federation.md, "Running Person
 * Graph behind your router"). Used as it is by `npm run dev:federation` and the federation e2e test
 * (tests/federation/router.test.ts):
 *
 *   hive-gateway supergraph supergraph.graphql -c scripts/federation/hive-gateway.config.ts
 *
 * - mTLS to Person Graph: the router presents its OWN client certificate (its CN is in Person Graph's
 *   TRUSTED_PROXY_CNS) and trusts Person Graph's server CA.
 * - Identity: the router forwards, to Person Graph only, the verified identity of the consumer it
 *   serves: the trusted-proxy headers (subject-distinguished-name, cert-serial-number,
 *   cert-expiry-date) that the mTLS-terminating ingress in front of the router set from the consumer's
 *   certificate, and the consumer's x-api-key. Person Graph refuses a router request without them
 *   (401). Other subgraphs never see them (an API key is a credential).
 * - Declarations: the consumer's x-on-behalf-of and x-purpose, to Person Graph only (its ledger records
 *   them; a policy may require them).
 * - Correlation: traceparent and x-request-id go to every subgraph.
 *
 * Environment: PERSON_GRAPH_SUBGRAPH (subgraph name in the supergraph, default person-graph),
 * ROUTER_CLIENT_CERT_FILE, ROUTER_CLIENT_KEY_FILE (the router's certificate and key, PEM),
 * PERSON_GRAPH_CA_FILE (CA of Person Graph's server certificate, PEM).
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { defineConfig } from '@graphql-hive/gateway';

const PERSON_GRAPH = process.env.PERSON_GRAPH_SUBGRAPH ?? 'person-graph';
/**
 * To Person Graph only: the consumer's verified identity and API key, and what the consumer declares
 * about the request for the disclosure ledger and its policy (`x-on-behalf-of`, `x-purpose`:
 * src/server/plugins/declarations.ts): a policy with `requestPurposes` or `onBehalfOf: require` refuses a
 * request without them, so a router that dropped them would lock such a consumer out.
 */
const IDENTITY_HEADERS = ['subject-distinguished-name', 'cert-serial-number', 'cert-expiry-date', 'x-api-key', 'x-on-behalf-of', 'x-purpose'];
const CORRELATION_HEADERS = ['traceparent', 'x-request-id'];

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (see scripts/federation/hive-gateway.config.ts)`);
  return value;
}

const personGraphAgent = new Agent({
  keepAlive: true,
  cert: readFileSync(required('ROUTER_CLIENT_CERT_FILE')),
  key: readFileSync(required('ROUTER_CLIENT_KEY_FILE')),
  ca: readFileSync(required('PERSON_GRAPH_CA_FILE')),
  minVersion: 'TLSv1.2',
});

export const gatewayConfig = defineConfig({
  // Only HTTPS subgraph URLs get the router's client certificate.
  customAgent: ({ url }) => (url.startsWith('https:') ? personGraphAgent : undefined),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request, subgraphName }) => {
      const names = subgraphName === PERSON_GRAPH ? [...IDENTITY_HEADERS, ...CORRELATION_HEADERS] : CORRELATION_HEADERS;
      const headers: Record<string, string> = {};
      for (const name of names) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      return headers;
    },
  },
});
