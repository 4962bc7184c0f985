import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

export type ComponentStatus = 'UP' | 'DOWN' | 'UNKNOWN';

export interface ComponentHealth {
  status: ComponentStatus;
  details: Record<string, unknown>;
}

/** One dependency checked in the background. */
export interface HealthTarget {
  name: string;
  /** Reachability: any HTTP answer below 500 from `<baseUrl>/health/ping` means reachable. */
  baseUrl?: string;
  /** Or a custom probe (Redis). */
  probe?: () => Promise<{ up: boolean; latencyMs: number; error?: string } | null>;
  /** Extra live details (the circuit state), read when /health is asked. */
  live?: () => Record<string, unknown>;
}

/**
 * Checks every dependency in the background every `intervalMs` and keeps the last result, so /health
 * answers at once and never adds load to a struggling upstream; a moved or stopped upstream shows as
 * a DOWN component within one interval. Upstreams are asked `GET /health/ping` (the HMPPS services'
 * unauthenticated ping): any answer below 500 proves the service is there; a connection error, a
 * timeout or a 5xx is DOWN.
 */
export class HealthChecker {
  private readonly results = new Map<string, ComponentHealth>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly targets: HealthTarget[],
    private readonly options: { intervalMs: number; timeoutMs: number },
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

  components(): Record<string, ComponentHealth> {
    return Object.fromEntries(
      this.targets.map((t) => {
        const r = this.results.get(t.name)!;
        return [t.name, { status: r.status, details: { ...r.details, ...(t.live?.() ?? {}) } }];
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
    let result: { up: boolean; latencyMs: number; httpStatus?: number; error?: string } | null;
    try {
      result = target.probe ? await target.probe() : await ping(`${target.baseUrl}/health/ping`, this.options.timeoutMs);
    } catch (e) {
      result = { up: false, latencyMs: 0, error: (e as Error).message };
    }
    if (!result) return;
    const before = this.results.get(target.name)?.status;
    const status: ComponentStatus = result.up ? 'UP' : 'DOWN';
    const details: Record<string, unknown> = { latencyMs: result.latencyMs, checkedAt };
    if (result.httpStatus !== undefined) details.httpStatus = result.httpStatus;
    if (result.error) details.error = result.error;
    this.results.set(target.name, { status, details });
    this.metrics.upstreamUp.set({ upstream: target.name }, result.up ? 1 : 0);
    this.metrics.upstreamCheckLatency.set({ upstream: target.name }, result.latencyMs / 1000);
    if (before !== status && before !== 'UNKNOWN') {
      const log = status === 'UP' ? this.logger.info.bind(this.logger) : this.logger.warn.bind(this.logger);
      log({ event: 'dependency', dependency: target.name, status, error: result.error }, `${target.name} is ${status}`);
    } else if (before === 'UNKNOWN' && status === 'DOWN') {
      this.logger.warn({ event: 'dependency', dependency: target.name, status, error: result.error }, `${target.name} is DOWN`);
    }
  }
}

/** GET with a hard timeout; the error names only the failure kind, never the URL. */
function ping(url: string, timeoutMs: number): Promise<{ up: boolean; latencyMs: number; httpStatus?: number; error?: string }> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', agent: false, headers: { accept: 'application/json' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve({ up: status > 0 && status < 500, latencyMs: latency(), httpStatus: status });
      req.destroy();
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ up: false, latencyMs: latency(), error: e.code ?? 'error' }));
    req.end();
  });
}
