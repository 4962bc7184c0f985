/** HMPPS Auth: the OAuth2 client-credentials token endpoint (and its health ping). */

import { randomUUID } from 'node:crypto';
import { HttpError, type UpstreamDefinition } from '../lib/http.js';
import type { TokenStore } from '../lib/tokens.js';

export interface AuthOptions {
  clientId: string;
  clientSecret: string;
  tokens: TokenStore;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  if (header === undefined) return null;
  const m = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const dec = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
}

export function createAuth(options: AuthOptions): UpstreamDefinition {
  return {
    name: 'auth',
    requiresToken: false,
    // HMPPS Auth runs below the `/auth` context path, so its actuator ping is /auth/health/ping.
    pingPath: '/auth/health/ping',
    errorBody: (status, message) =>
      status === 401 ? { error: 'unauthorized', error_description: message } : { error: status >= 500 ? 'server_error' : 'invalid_request', error_description: message },
    routes: [
      {
        method: 'POST',
        path: '/auth/oauth/token',
        handler: (ctx) => {
          const creds = basicCredentials(ctx.headers.authorization);
          if (creds === null || creds.id !== options.clientId || creds.secret !== options.clientSecret) {
            throw new HttpError(401, 'Bad credentials');
          }
          const form = new URLSearchParams(ctx.rawBody);
          const grantType = form.get('grant_type') ?? ctx.query.get('grant_type');
          if (grantType !== 'client_credentials') {
            return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${grantType ?? '(none)'}` } };
          }
          const { token, expiresIn } = options.tokens.issue();
          return {
            status: 200,
            headers: { 'Cache-Control': 'no-store' },
            body: {
              access_token: token,
              token_type: 'bearer',
              expires_in: expiresIn,
              scope: 'read write',
              sub: options.clientId,
              auth_source: 'none',
              jti: randomUUID(),
            },
          };
        },
      },
    ],
  };
}
