import got, { type Got } from 'got';
import type { Logger } from '../../observability/logger.js';
import { UpstreamError } from './errors.js';

interface CachedToken {
  value: string;
  /** epoch ms after which the token is not used any more */
  refreshAt: number;
}

/** Refresh this long before the token's own expiry, so no request goes out with a token about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * OAuth2 client-credentials token from HMPPS Auth, shared by every upstream call. Cached until shortly
 * before it expires; concurrent callers share one refresh (single flight).
 */
export class TokenProvider {
  private cached: CachedToken | null = null;
  private inFlight: Promise<string> | null = null;
  private readonly http: Got;

  constructor(
    private readonly options: { tokenUrl: string; clientId: string; clientSecret: string; timeoutMs: number },
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.http = got.extend({ retry: { limit: 0 }, timeout: { request: options.timeoutMs }, throwHttpErrors: false });
  }

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.value;
    return this.refresh();
  }

  /**
   * Called after an upstream answered 401 to `rejected`. Only the first caller holding that token
   * triggers a refresh; later ones get the token already fetched.
   */
  async renewAfterRejection(rejected: string): Promise<string> {
    if (this.cached?.value === rejected) this.cached = null;
    return this.token();
  }

  private refresh(): Promise<string> {
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetchToken(): Promise<string> {
    const route = 'POST /auth/oauth/token';
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    let response;
    try {
      response = await this.http.post(`${this.options.tokenUrl}/auth/oauth/token`, {
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      throw new UpstreamError('auth', route, code === 'ETIMEDOUT' ? 'timeout' : 'unavailable', null, code);
    }
    if (response.statusCode !== 200) {
      throw new UpstreamError('auth', route, 'unavailable', response.statusCode, 'token request refused');
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(response.body) as typeof body;
    } catch {
      throw new UpstreamError('auth', route, 'bad-response', 200, 'token response is not JSON');
    }
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new UpstreamError('auth', route, 'bad-response', 200, 'token response lacks access_token/expires_in');
    }
    const lifetimeMs = body.expires_in * 1000;
    const refreshAt = this.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2);
    this.cached = { value: body.access_token, refreshAt };
    this.logger.debug({ expiresInSeconds: body.expires_in }, 'upstream token refreshed');
    return body.access_token;
  }
}
