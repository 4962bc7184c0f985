import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../observability/logger.js';
import type { CircuitState, Metrics } from '../observability/metrics.js';

export type ComponentStatus = 'UP' | 'DOWN' | 'UNKNOWN';

export interface ComponentHealth {
  status: ComponentStatus;
  details: Record<string, unknown>;
}

/** The result of one check of one dependency. `reason` says why it is DOWN, in words an operator can act on. */
export interface ProbeResult {
  up: boolean;
  latencyMs: number;
  httpStatus?: number;
  /** The system error code of a failed connection (ECONNREFUSED, ETIMEDOUT...). */
  error?: string;
  reason?: string;
  /** The answer broke the route's contract (counted in gateway_upstream_contract_violations_total). */
  violation?: { route: string; reason: 'redirect' | 'unexpected_status' | 'not_json' | 'shape' };
}

/** One dependency checked in the background. */
export interface HealthTarget {
  name: string;
  /** The check: a liveness route, a token request, a Redis ping. Null: nothing to report (skipped). */
  probe: () => Promise<ProbeResult | null>;
  /** The circuit state, asked of the dependency's own client when /health is read. */
  circuit?: () => CircuitState;
}

/**
 * Checks every dependency in the background every `intervalMs` and keeps the last result, so /health
 * answers at once and never adds load to a struggling upstream; `refresh()` runs a round on demand
 * (`/health?refresh=true`). A moved, stopped or impostor upstream shows as a DOWN component, with the
 * reason in its details, within one interval (see `pingUpstream` and `fetchToken` for what counts as UP).
 */
export class HealthChecker {
  private readonly results = new Map<string, ComponentHealth>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly targets: HealthTarget[],
    private readonly options: { intervalMs: number },
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    for (const t of targets) this.results.set(t.name, { status: 'UNKNOWN', details: { reason: 'not checked yet' } });
  }

  /** Runs the first round now (not awaited by callers that do not want to) and then every interval. */
  start(): Promise<void> {
    const round = this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.options.intervalMs);
    this.timer.unref();
    return round;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A round of checks now (joins one already running); each check is bounded by its own timeout. */
  refresh(): Promise<void> {
    return this.checkAll();
  }

  components(): Record<string, ComponentHealth> {
    return Object.fromEntries(
      this.targets.map((t) => {
        const r = this.results.get(t.name)!;
        return [t.name, { status: r.status, details: t.circuit ? { ...r.details, circuit: t.circuit() } : { ...r.details } }];
      }),
    );
  }

  private checkAll(): Promise<void> {
    this.running ??= Promise.all(this.targets.map((t) => this.check(t))).then(
      () => {
        this.running = null;
      },
      () => {
        this.running = null;
      },
    );
    return this.running;
  }

  private async check(target: HealthTarget): Promise<void> {
    const checkedAt = new Date().toISOString();
    let result: ProbeResult | null;
    try {
      result = await target.probe();
    } catch (e) {
      result = { up: false, latencyMs: 0, reason: `check failed: ${(e as Error).message}` };
    }
    if (!result) return;
    const before = this.results.get(target.name)?.status;
    const status: ComponentStatus = result.up ? 'UP' : 'DOWN';
    const details: Record<string, unknown> = { latencyMs: result.latencyMs, checkedAt };
    if (result.httpStatus !== undefined) details.httpStatus = result.httpStatus;
    if (result.error) details.error = result.error;
    if (!result.up) details.reason = result.reason ?? result.error ?? 'check failed';
    this.results.set(target.name, { status, details });
    this.metrics.upstreamUp.set({ upstream: target.name }, result.up ? 1 : 0);
    this.metrics.upstreamCheckLatency.set({ upstream: target.name }, result.latencyMs / 1000);
    if (result.violation) this.metrics.upstreamContractViolations.inc({ upstream: target.name, ...result.violation });
    if (before === status || (before === 'UNKNOWN' && status === 'UP')) return;
    const line = { event: 'dependency', dependency: target.name, status, reason: details.reason, httpStatus: result.httpStatus, error: result.error };
    if (status === 'UP') this.logger.info(line, `${target.name} is UP`);
    else this.logger.warn(line, `${target.name} is DOWN: ${String(details.reason)}`);
  }
}

interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Longest body a check reads: a ping or token answer is a few hundred bytes. */
const MAX_CHECK_BODY = 64 * 1024;

/**
 * One HTTP exchange with a hard timeout, no redirects followed, the body read up to MAX_CHECK_BODY.
 * A failure names only its kind (ECONNREFUSED, ETIMEDOUT...), never the URL.
 */
function exchange(
  url: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<{ ok: true; answer: RawAnswer } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: options.method, agent: false, headers: options.headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_CHECK_BODY) chunks.push(c);
        else req.destroy();
      });
      const done = () =>
        resolve({
          ok: true,
          answer: { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') },
        });
      res.on('end', done);
      res.on('close', done);
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? 'error' }));
    req.end(options.body);
  });
}

const PING_ROUTE = 'GET /health/ping';
const TOKEN_ROUTE = 'POST /auth/oauth/token';

/** A 3xx or a 4xx other than 401/403/429 is a contract violation; a 5xx is the upstream failing, not lying. */
function statusViolation(route: string, status: number): ProbeResult['violation'] {
  if (status >= 300 && status < 400) return { route, reason: 'redirect' };
  if (status >= 400 && status < 500 && ![401, 403, 429].includes(status)) return { route, reason: 'unexpected_status' };
  return undefined;
}

/** Why an answer that is not a 200 means the dependency is not there as configured. */
function statusReason(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status}: redirected elsewhere (moved?)`;
  if (status === 401 || status === 403) return `HTTP ${status}: refused`;
  if (status === 404) return 'HTTP 404: no such route here (moved, or another service at this URL?)';
  return `HTTP ${status}`;
}

function parseJson(answer: RawAnswer): { ok: true; value: unknown } | { ok: false; reason: string } {
  const type = answer.contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) return { ok: false, reason: `not JSON (content-type ${type || 'none'})` };
  try {
    return { ok: true, value: JSON.parse(answer.body) as unknown };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}

/**
 * The liveness check of an HMPPS service: `GET <baseUrl>/health/ping` (Spring Boot actuator, no
 * token) must answer exactly 200 with a JSON object whose `status` is "UP". Anything else is DOWN
 * with its reason: a 3xx (moved), 401/403, 404 (nothing there, or another service), a 5xx, HTML, JSON
 * of another shape, a refused connection, a timeout.
 */
export async function pingUpstream(baseUrl: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const result = await exchange(`${baseUrl.replace(/\/+$/, '')}/health/ping`, { method: 'GET', headers: { accept: 'application/json' }, timeoutMs });
  if (!result.ok) return { up: false, latencyMs: latency(), error: result.error, reason: `connection failed: ${result.error}` };
  const { answer } = result;
  const base = { latencyMs: latency(), httpStatus: answer.status };
  if (answer.status !== 200) return { up: false, ...base, reason: statusReason(answer.status), violation: statusViolation(PING_ROUTE, answer.status) };
  const parsed = parseJson(answer);
  if (!parsed.ok) return { up: false, ...base, reason: parsed.reason, violation: { route: PING_ROUTE, reason: 'not_json' } };
  const status = (parsed.value as { status?: unknown } | null)?.status;
  if (typeof status === 'string' && status !== 'UP') return { up: false, ...base, reason: `status ${status}` };
  if (status !== 'UP') return { up: false, ...base, reason: 'unexpected JSON (no "status":"UP")', violation: { route: PING_ROUTE, reason: 'shape' } };
  return { up: true, ...base };
}

/**
 * The token endpoint's check: a real client-credentials token request with the configured
 * credentials (the token is not used). UP only for 200 JSON with an `access_token`: a wrong
 * CLIENT_SECRET (401), a moved endpoint (404, 3xx), HTML or another JSON are DOWN.
 */
export async function fetchToken(
  auth: { tokenUrl: string; clientId: string; clientSecret: string },
  timeoutMs: number,
): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const basic = Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64');
  const result = await exchange(`${auth.tokenUrl.replace(/\/+$/, '')}/auth/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: 'grant_type=client_credentials',
    timeoutMs,
  });
  if (!result.ok) return { up: false, latencyMs: latency(), error: result.error, reason: `connection failed: ${result.error}` };
  const { answer } = result;
  const base = { latencyMs: latency(), httpStatus: answer.status };
  if (answer.status === 401 || answer.status === 400) {
    return { up: false, ...base, reason: `HTTP ${answer.status}: token request refused (wrong CLIENT_ID or CLIENT_SECRET?)` };
  }
  if (answer.status !== 200) return { up: false, ...base, reason: statusReason(answer.status), violation: statusViolation(TOKEN_ROUTE, answer.status) };
  const parsed = parseJson(answer);
  if (!parsed.ok) return { up: false, ...base, reason: parsed.reason, violation: { route: TOKEN_ROUTE, reason: 'not_json' } };
  const token = (parsed.value as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string' || token === '') {
    return { up: false, ...base, reason: 'unexpected JSON (no access_token)', violation: { route: TOKEN_ROUTE, reason: 'shape' } };
  }
  return { up: true, ...base };
}
