/** Fault configuration per upstream: validated from admin JSON, CLI options or a file. */

import { type UpstreamName, isUpstreamName } from './http.js';

export interface FaultConfig {
  latencyMs?: number;
  latencyJitterMs?: number;
  errorRate?: number;
  errorStatuses?: number[];
  hang?: boolean;
  malformedJson?: boolean;
  outage?: boolean;
  /**
   * Something else answers in the upstream's place (a moved or misrouted service), on every path
   * (known routes, unknown paths and the health ping), without checking the token:
   * `notFound` 404 everywhere, `redirect` 301 to another origin, `html` 200 with an HTML page,
   * `otherJson` 200 with JSON of another shape.
   */
  respondWith?: Impostor;
  routes?: string[];
  /**
   * A lying upstream: 2xx bodies with their fields' types drifted, everywhere in the body.
   * `types`: arrays become objects, objects arrays, strings numbers, numbers strings;
   * `nulls`: every field null; `dates`: every date an impossible one; `shape`: another JSON
   * document altogether; `blanks`: every text empty (`""`; dates are kept: `dates` and `days` drift them); `days`: every date one
   * that is not a day but that a lenient parser accepts (the 30th of February, time and offset kept);
   * `strangers`: every prison number and CRN another well-formed one (an answer about people not asked
   * for).
   */
  drift?: DriftKind;
  /**
   * Drift only this deep and deeper (0, the default: the whole body; the top-level object or list is
   * depth 0, its entries 1, and so on): e.g. `3` spoils the entries of a list inside each item of a
   * top-level list and leaves the items themselves whole.
   */
  driftDepth?: number;
  /** A 2xx body of this many bytes (a JSON array of strings, streamed in chunks) instead of the answer. */
  bodyBytes?: number;
  /** A 2xx body that never ends (streamed until the client goes away). */
  endlessBody?: boolean;
}

export const IMPOSTORS = ['notFound', 'redirect', 'html', 'otherJson'] as const;
export type Impostor = (typeof IMPOSTORS)[number];

export type DriftKind = 'types' | 'nulls' | 'dates' | 'shape' | 'blanks' | 'days' | 'strangers';
const DRIFT_KINDS = new Set<string>(['types', 'nulls', 'dates', 'shape', 'blanks', 'days', 'strangers']);

const KEYS = new Set(['latencyMs', 'latencyJitterMs', 'errorRate', 'errorStatuses', 'hang', 'malformedJson', 'outage', 'respondWith', 'routes', 'drift', 'driftDepth', 'bodyBytes', 'endlessBody']);

export class FaultError extends Error {}

function nonNegativeNumber(key: string, v: unknown, max = 600_000): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) throw new FaultError(`${key} must be a number between 0 and ${max}`);
  return v;
}

function bool(key: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new FaultError(`${key} must be true or false`);
  return v;
}

/** Validates an untrusted fault body; unknown keys are refused so typos do not pass silently. */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new FaultError('fault config must be a JSON object');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new FaultError(`unknown fault key "${k}" (known: ${[...KEYS].join(', ')})`);
  const out: FaultConfig = {};
  if (o.latencyMs !== undefined) out.latencyMs = nonNegativeNumber('latencyMs', o.latencyMs);
  if (o.latencyJitterMs !== undefined) out.latencyJitterMs = nonNegativeNumber('latencyJitterMs', o.latencyJitterMs);
  if (o.errorRate !== undefined) out.errorRate = nonNegativeNumber('errorRate', o.errorRate, 1);
  if (o.errorStatuses !== undefined) {
    const s = o.errorStatuses;
    if (!Array.isArray(s) || s.length === 0 || s.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 400 || x > 599)) {
      throw new FaultError('errorStatuses must be a non-empty array of HTTP status codes 400..599');
    }
    out.errorStatuses = s as number[];
  }
  if (o.hang !== undefined) out.hang = bool('hang', o.hang);
  if (o.malformedJson !== undefined) out.malformedJson = bool('malformedJson', o.malformedJson);
  if (o.outage !== undefined) out.outage = bool('outage', o.outage);
  if (o.respondWith !== undefined) {
    if (typeof o.respondWith !== 'string' || !(IMPOSTORS as readonly string[]).includes(o.respondWith)) {
      throw new FaultError(`respondWith must be one of ${IMPOSTORS.join(', ')}`);
    }
    out.respondWith = o.respondWith as Impostor;
  }
  if (o.drift !== undefined) {
    if (typeof o.drift !== 'string' || !DRIFT_KINDS.has(o.drift)) throw new FaultError(`drift must be one of ${[...DRIFT_KINDS].join(', ')}`);
    out.drift = o.drift as DriftKind;
  }
  if (o.driftDepth !== undefined) {
    if (typeof o.driftDepth !== 'number' || !Number.isInteger(o.driftDepth) || o.driftDepth < 0 || o.driftDepth > 32) throw new FaultError('driftDepth must be an integer between 0 and 32');
    out.driftDepth = o.driftDepth;
  }
  if (o.bodyBytes !== undefined) out.bodyBytes = nonNegativeNumber('bodyBytes', o.bodyBytes, 1024 * 1024 * 1024);
  if (o.endlessBody !== undefined) out.endlessBody = bool('endlessBody', o.endlessBody);
  if (o.routes !== undefined) {
    const r = o.routes;
    if (!Array.isArray(r) || r.some((x) => typeof x !== 'string' || !/^(GET|POST|PUT|DELETE) \//.test(x))) {
      throw new FaultError('routes must be an array of route keys like "POST /crns"');
    }
    out.routes = r as string[];
  }
  return out;
}

/** `--fault prisonerSearch:errorRate=0.5,errorStatuses=500|503,routes=POST /attribute-search` */
export function parseFaultOption(text: string): { upstream: UpstreamName; config: FaultConfig } {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new FaultError(`--fault expects <upstream>:<key>=<value>[,<key>=<value>], got "${text}"`);
  const upstream = text.slice(0, colon);
  if (!isUpstreamName(upstream)) throw new FaultError(`--fault: unknown upstream "${upstream}"`);
  const raw: Record<string, unknown> = {};
  for (const pair of text.slice(colon + 1).split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new FaultError(`--fault: expected key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (key === 'errorStatuses') raw[key] = value.split('|').map((v) => Number(v));
    else if (key === 'routes') raw[key] = value.split('|').map((v) => v.trim());
    else if (value === 'true' || value === 'false') raw[key] = value === 'true';
    else if (value !== '' && Number.isFinite(Number(value))) raw[key] = Number(value);
    else raw[key] = value;
  }
  return { upstream, config: parseFaultConfig(raw) };
}

/** A faults file: `{ "<upstream>": FaultConfig, ... }`. */
export function parseFaultsFile(input: unknown): Partial<Record<UpstreamName, FaultConfig>> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new FaultError('faults file must hold a JSON object keyed by upstream');
  const out: Partial<Record<UpstreamName, FaultConfig>> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (!isUpstreamName(k)) throw new FaultError(`faults file: unknown upstream "${k}"`);
    out[k] = parseFaultConfig(v);
  }
  return out;
}

export function faultApplies(config: FaultConfig, key: string | null): boolean {
  if (config.routes === undefined) return true;
  return key !== null && config.routes.includes(key);
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;
/** A prison number (A1234BC) or a CRN (X123456). */
const PERSON_ID = /^(?:[A-Z]\d{4}[A-Z]{2}|[A-Z]\d{6})$/;

/**
 * The body of a lying upstream (see FaultConfig.drift), drifted from depth `from` down (see
 * FaultConfig.driftDepth). Deterministic: the same body drifts the same way.
 */
export function driftBody(body: unknown, kind: DriftKind, from = 0): unknown {
  if (kind === 'shape') return { message: 'Welcome', links: [{ rel: 'self', href: '/' }], version: 3 };
  const walk = (value: unknown, depth: number): unknown => {
    if (depth < from) {
      if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
      if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, depth + 1)]));
      return value;
    }
    if (Array.isArray(value)) {
      const items = value.map((v) => walk(v, depth + 1));
      return kind === 'types' ? Object.fromEntries(items.map((v, i) => [String(i), v])) : items;
    }
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (kind === 'nulls' && depth > 0) return Object.fromEntries(entries.map(([k]) => [k, null]));
      const mapped = entries.map(([k, v]) => [k, walk(v, depth + 1)] as const);
      return kind === 'types' && depth > 0 ? mapped.map(([, v]) => v) : Object.fromEntries(mapped);
    }
    if (kind === 'types') {
      if (typeof value === 'string') return value.length * 7919;
      if (typeof value === 'number') return `n${value}`;
      if (typeof value === 'boolean') return value ? 'yes' : 'no';
    }
    if (kind === 'dates' && typeof value === 'string' && DATE_LIKE.test(value)) return `2024-13-45${value.slice(10)}`;
    if (kind === 'days' && typeof value === 'string' && DATE_LIKE.test(value)) return `${value.slice(0, 4)}-02-30${value.slice(10)}`;
    if (kind === 'strangers' && typeof value === 'string' && PERSON_ID.test(value)) return `${value[0] === 'Z' ? 'Y' : 'Z'}${value.slice(1)}`;
    if (kind === 'blanks' && typeof value === 'string' && !DATE_LIKE.test(value)) return '';
    return value;
  };
  return walk(body, 0);
}
