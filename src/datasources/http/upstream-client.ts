import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got, type Method } from 'got';
import type { UpstreamConfig, UpstreamName } from '../../config/index.js';
import type { Logger } from '../../observability/logger.js';
import { UpstreamError } from './errors.js';
import type { TokenProvider } from './token-provider.js';

export interface CallOptions {
  /** The route template, e.g. `POST /crns`: used in logs and errors instead of the concrete path. */
  route: string;
  method: Method;
  path: string;
  searchParams?: Record<string, string | number | boolean>;
  json?: unknown;
  /** Statuses that are an answer, not a failure (404 = "no such person" on most routes). */
  acceptStatuses?: number[];
}

export interface UpstreamResponse<T> {
  status: number;
  body: T | null;
}

/**
 * What one GraphQL request tells its upstream calls: its id (for logs and tracing) and, where set,
 * a signal that aborts its pending calls and the epoch-ms deadline no call may outlive.
 */
export interface RequestScope {
  requestId: string;
  signal?: AbortSignal;
  deadline?: number;
  traceparent?: string;
}

/** The calls a route module makes, bound to one request's scope. */
export interface UpstreamCaller {
  call<T>(options: CallOptions): Promise<UpstreamResponse<T>>;
  get<T>(route: string, path: string, searchParams?: CallOptions['searchParams'], acceptStatuses?: number[]): Promise<T | null>;
  post<T>(route: string, path: string, json: unknown, acceptStatuses?: number[]): Promise<T | null>;
}

/**
 * The one HTTP client every upstream call goes through: keep-alive agents, base URL and timeout per
 * upstream, a bearer token from HMPPS Auth and one refresh-and-retry when an upstream answers 401.
 */
export class UpstreamClient {
  private readonly http: Got;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  constructor(
    readonly name: UpstreamName,
    private readonly config: UpstreamConfig,
    private readonly tokens: TokenProvider,
    private readonly logger: Logger,
  ) {
    this.agents = {
      http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
      https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    };
    this.http = got.extend({
      prefixUrl: config.baseUrl,
      agent: this.agents,
      timeout: { request: config.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      headers: { accept: 'application/json' },
    });
  }

  /** This client, bound to one request's scope. */
  scoped(scope: RequestScope): UpstreamCaller {
    return {
      call: (options) => this.call(options, scope),
      get: (route, path, searchParams, acceptStatuses = [404]) =>
        this.call<never>({ route, method: 'GET', path, searchParams, acceptStatuses }, scope).then((r) => r.body),
      post: (route, path, json, acceptStatuses = []) =>
        this.call<never>({ route, method: 'POST', path, json, acceptStatuses }, scope).then((r) => r.body),
    };
  }

  async call<T>(options: CallOptions, scope: RequestScope): Promise<UpstreamResponse<T>> {
    let token = await this.tokens.token();
    let response = await this.send(options, token, scope);
    if (response.statusCode === 401) {
      token = await this.tokens.renewAfterRejection(token);
      response = await this.send(options, token, scope);
    }
    const status = response.statusCode;
    if (options.acceptStatuses?.includes(status)) return { status, body: null };
    if (status < 200 || status > 299) {
      throw new UpstreamError(this.name, options.route, 'unavailable', status, 'unexpected status');
    }
    if (status === 204 || response.body.length === 0) return { status, body: null };
    try {
      return { status, body: JSON.parse(response.body) as T };
    } catch {
      throw new UpstreamError(this.name, options.route, 'bad-response', status, 'body is not valid JSON');
    }
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async send(options: CallOptions, token: string, scope: RequestScope) {
    const started = performance.now();
    try {
      const response = await this.http(options.path.replace(/^\//, ''), {
        method: options.method,
        searchParams: options.searchParams,
        json: options.json,
        headers: { authorization: `Bearer ${token}` },
        signal: scope.signal,
      });
      this.logger.debug(
        { requestId: scope.requestId, upstream: this.name, route: options.route, status: response.statusCode, ms: elapsed(started) },
        'upstream call',
      );
      return response;
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'ERROR';
      const failure = code === 'ETIMEDOUT' ? 'timeout' : 'unavailable';
      this.logger.warn(
        { requestId: scope.requestId, upstream: this.name, route: options.route, code, ms: elapsed(started) },
        'upstream call failed',
      );
      throw new UpstreamError(this.name, options.route, failure, null, code);
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
