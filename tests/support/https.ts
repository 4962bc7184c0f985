import { request } from 'node:https';

export interface GraphQLResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
  raw: string;
}

export interface ClientTls {
  ca: string;
  key?: string;
  cert?: string;
  /** Sent as `x-api-key` (an explicit `x-api-key` in `headers` wins). */
  apiKey?: string;
}

/**
 * POSTs a GraphQL operation over HTTPS with (optionally) a client certificate, on a fresh
 * connection each time so that each call makes its own TLS handshake.
 */
export function postGraphQL(
  url: string,
  payload: { query: string; variables?: Record<string, unknown>; operationName?: string },
  tls: ClientTls,
  headers: Record<string, string> = {},
): Promise<GraphQLResult> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        ca: tls.ca,
        key: tls.key,
        cert: tls.cert,
        agent: false,
        servername: 'localhost',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(tls.apiKey ? { 'x-api-key': tls.apiKey } : {}),
          ...headers,
        },
        timeout: 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: GraphQLResult['body'] = {};
          try {
            parsed = JSON.parse(raw) as GraphQLResult['body'];
          } catch {
            /* leave empty: the test asserts on raw */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, raw });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
