import { request, type Agent } from 'node:https';

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
 * One HTTPS request to the gateway; the answer is read whole and parsed as JSON where it is JSON
 * (`raw` keeps the text for assertions on what a consumer would see).
 */
export function httpsExchange(
  url: string,
  options: { method?: string; agent?: Agent | false; tls: ClientTls; headers?: Record<string, string>; body?: string | Buffer },
): Promise<GraphQLResult> {
  const method = options.method ?? 'POST';
  const body = method === 'GET' ? undefined : options.body;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: options.agent ?? false,
        ca: options.tls.ca,
        key: options.tls.key,
        cert: options.tls.cert,
        servername: 'localhost',
        headers: {
          'content-type': 'application/json',
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          ...(options.tls.apiKey ? { 'x-api-key': options.tls.apiKey } : {}),
          ...options.headers,
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
  return httpsExchange(`${url}/graphql`, { tls, headers, body: JSON.stringify(payload) });
}
