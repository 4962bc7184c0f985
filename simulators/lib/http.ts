/** Minimal routing and response types shared by every simulated upstream. */

import type { IncomingHttpHeaders } from 'node:http';

export const UPSTREAM_NAMES = [
  'auth',
  'prisonApi',
  'prisonerSearch',
  'alerts',
  'managePom',
  'probationSearch',
  'deliusIntegration',
  'personRecord',
  'arns',
  'cvl',
  'caseNotes',
  'adjudications',
  'incentives',
  'healthAndMedication',
  'nonAssociations',
  'personalRelationships',
  'prisonVisits',
] as const;

export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

export function isUpstreamName(s: string): s is UpstreamName {
  return (UPSTREAM_NAMES as readonly string[]).includes(s);
}

/** Offset of each upstream from --port-base; admin is base + 9. */
export const PORT_OFFSETS: Record<UpstreamName | 'admin', number> = {
  auth: 0,
  prisonApi: 1,
  prisonerSearch: 2,
  alerts: 3,
  managePom: 4,
  probationSearch: 5,
  deliusIntegration: 6,
  personRecord: 7,
  admin: 9,
  arns: 10,
  cvl: 11,
  caseNotes: 12,
  adjudications: 18,
  incentives: 15,
  healthAndMedication: 16,
  nonAssociations: 17,
  personalRelationships: 13,
  prisonVisits: 14,
};

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON; throws a 400 HttpError when it is not JSON. */
  json(): unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes sent as they are (e.g. image/jpeg), with `headers` naming their type; `body` is then ignored. */
  bytes?: Buffer;
}

export type Handler = (ctx: RouteContext) => SimResponse;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template exactly as written in the upstream's OpenAPI document. */
  path: string;
  handler: Handler;
}

export interface UpstreamDefinition {
  name: UpstreamName;
  routes: Route[];
  /** Whether routes need a bearer token (false only for the token endpoint itself). */
  requiresToken: boolean;
  /** Error body in this upstream's own error format. */
  errorBody(status: number, message: string): unknown;
  /**
   * The unauthenticated liveness route (Spring Boot actuator's `health/ping`, as every HMPPS service
   * exposes it), answered 200 `{"status":"UP"}`; default `/health/ping` (HMPPS Auth: `/auth/health/ping`,
   * below its `/auth` context path).
   */
  pingPath?: string;
}

export const DEFAULT_PING_PATH = '/health/ping';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export type MatchResult =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const pattern = route.path
        .split('/')
        .map((segment) =>
          segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
            if (name !== undefined) {
              names.push(name);
              return '([^/]+)';
            }
            return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }),
        )
        .join('/');
      return { route, regex: new RegExp(`^${pattern}/?$`), names };
    });
    // Literal segments must win over parameters (e.g. /prisoner-search/prisoner-numbers).
    this.compiled.sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, pathname: string): MatchResult {
    const allowed: string[] = [];
    for (const c of this.compiled) {
      const m = c.regex.exec(pathname);
      if (m === null) continue;
      if (c.route.method !== method) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return { kind: 'found', route: c.route, params };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Request-body and query helpers used by handlers

export function stringArrayBody(ctx: RouteContext, max: number, what = 'identifiers'): string[] {
  const body = ctx.json();
  if (!Array.isArray(body) || body.some((x) => typeof x !== 'string')) {
    throw new HttpError(400, `Request body must be a JSON array of ${what}`);
  }
  if (body.length > max) throw new HttpError(400, `At most ${max} ${what} may be requested at once`);
  return body as string[];
}

/** A batch route's body of booking ids (whole numbers), at most `max` of them, each once. */
export function bookingIdsBody(ctx: RouteContext, max: number): number[] {
  const body = ctx.json();
  if (!Array.isArray(body) || body.some((x) => !Number.isInteger(x))) throw new HttpError(400, 'Request body must be a JSON array of booking ids');
  if (body.length > max) throw new HttpError(400, `At most ${max} booking ids may be requested at once`);
  return [...new Set(body as number[])];
}

export function objectBody(ctx: RouteContext): Record<string, unknown> {
  const body = ctx.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function optString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `${key} must be a string`);
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function optBoolean(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new HttpError(400, `${key} must be a boolean`);
  return v;
}

/** Integer query parameter with default and bounds; invalid values fall back or fail. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number, strict = true): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    if (strict) throw new HttpError(400, `${name} must be an integer between ${min} and ${max}`);
    return fallback;
  }
  return n;
}

export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new HttpError(400, `${name} must be true or false`);
}

/** Query parameter lists: repeated (`?a=1&a=2`) or comma separated (`?a=1,2`). */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The HMPPS Kotlin services' error body: {status, errorCode?, userMessage, developerMessage}. */
export function hmppsError(status: number, message: string, errorCode?: number | string): Record<string, unknown> {
  const body: Record<string, unknown> = { status, userMessage: message, developerMessage: message };
  if (errorCode !== undefined) body.errorCode = errorCode;
  return body;
}

// ---------------------------------------------------------------------------------------------
// Spring-style paging

export interface PageRequest {
  page: number;
  size: number;
}

export function springPage<T>(all: readonly T[], req: PageRequest, sorted = false): Record<string, unknown> & { content: T[] } {
  const start = req.page * req.size;
  const content = all.slice(start, start + req.size);
  const totalPages = Math.ceil(all.length / req.size);
  const sort = { empty: !sorted, sorted, unsorted: !sorted };
  return {
    content,
    pageable: { pageNumber: req.page, pageSize: req.size, sort, offset: start, paged: true, unpaged: false },
    totalElements: all.length,
    totalPages,
    last: req.page >= totalPages - 1,
    size: req.size,
    number: req.page,
    sort,
    first: req.page === 0,
    numberOfElements: content.length,
    empty: content.length === 0,
  };
}
