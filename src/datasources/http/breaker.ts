import type { LogContext } from '../../observability/log-context.js';
import type { CircuitState } from '../../observability/metrics.js';

export interface BreakerOptions {
  /** Length of the rolling window over which failures are counted. */
  windowMs: number;
  /** Fewest calls in the window before the failure rate is trusted. */
  minCalls: number;
  /** Failure rate (0..1) in the window at which the circuit opens. */
  failureRate: number;
  /**
   * This many failures in a row (no success between them) open the circuit at once, whatever the
   * window holds (still only once the window has seen `minCalls` calls). Without it, a window full of
   * earlier successes dilutes a total outage: at a steady rate, 50% of a 10 s window is reached only
   * 5 s after every call started failing. Unset or 0: off.
   */
  consecutiveFailures?: number;
  /** How long an open circuit refuses calls before it lets one probe through. */
  openMs: number;
}

/** What a caller reports about the one call a breaker let through. */
export interface BreakerPermit {
  success(): void;
  failure(): void;
  /** The call ended without saying anything about the upstream (aborted, deadline, no slot). */
  neutral(): void;
}

const BUCKETS = 10;

type Outcome = 'success' | 'failure' | 'neutral';

/** One call's permit: the first outcome reported counts, later ones are ignored. One object per call, no closures. */
class Permit implements BreakerPermit {
  private settled = false;

  constructor(
    private readonly breaker: CircuitBreaker,
    private readonly probe: boolean,
    private readonly context: Partial<LogContext> | undefined,
  ) {}

  success(): void {
    this.settle('success');
  }

  failure(): void {
    this.settle('failure');
  }

  neutral(): void {
    this.settle('neutral');
  }

  private settle(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    this.breaker.settle(this.probe, outcome, this.context);
  }
}

/**
 * A circuit breaker for one upstream. Closed: calls pass and outcomes are counted in a rolling
 * window of BUCKETS time buckets; once the window holds at least `minCalls` calls, it opens when
 * `failureRate` or more of them failed, or when the last `consecutiveFailures` calls all failed (a
 * total outage under steady traffic opens it within a fraction of a second instead of half a window). Open: every call is refused without touching the upstream until
 * `openMs` has passed; then exactly one call is let through as a probe (half-open). The probe's
 * success closes the circuit with an empty window, its failure opens it for another `openMs`.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private openedAt = 0;
  private probeInFlight = false;
  private readonly buckets = Array.from({ length: BUCKETS }, () => ({ start: 0, calls: 0, failures: 0 }));
  /** Failures since the last success (closed state only). */
  private failureStreak = 0;

  constructor(
    private readonly options: BreakerOptions,
    /** Told of each change of state, with the log context of the call that caused it (a request's ids). */
    private readonly onChange: (state: CircuitState, context: Partial<LogContext> | undefined) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /**
   * A permit for one call, or null when the circuit refuses calls right now. `context`: the log
   * context of the call (its request's ids), for the line about a change of state it causes.
   */
  allow(context?: Partial<LogContext>): BreakerPermit | null {
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.options.openMs) return null;
      this.transition('half_open', context);
    }
    if (this.current === 'half_open') {
      if (this.probeInFlight) return null;
      this.probeInFlight = true;
      return new Permit(this, true, context);
    }
    return new Permit(this, false, context);
  }

  /** The outcome of one permitted call (each permit settles once: see Permit). */
  settle(probe: boolean, outcome: Outcome, context?: Partial<LogContext>): void {
    if (probe) {
      this.probeInFlight = false;
      if (outcome === 'success') this.close(context);
      else if (outcome === 'failure') this.open(context);
      // neutral: stay half-open, the next call probes
      return;
    }
    if (outcome !== 'neutral') this.count(outcome === 'failure', context);
  }

  private count(failed: boolean, context: Partial<LogContext> | undefined): void {
    if (this.current !== 'closed') return;
    const now = this.now();
    const width = this.options.windowMs / BUCKETS;
    const start = Math.floor(now / width) * width;
    const bucket = this.buckets[Math.floor(now / width) % BUCKETS]!;
    if (bucket.start !== start) Object.assign(bucket, { start, calls: 0, failures: 0 });
    bucket.calls++;
    if (!failed) {
      this.failureStreak = 0;
      return;
    }
    bucket.failures++;
    this.failureStreak++;
    let calls = 0;
    let failures = 0;
    for (const b of this.buckets) {
      if (now - b.start < this.options.windowMs) {
        calls += b.calls;
        failures += b.failures;
      }
    }
    if (calls < this.options.minCalls) return;
    const streak = this.options.consecutiveFailures;
    if (failures / calls >= this.options.failureRate || (streak !== undefined && streak > 0 && this.failureStreak >= streak)) this.open(context);
  }

  private open(context: Partial<LogContext> | undefined): void {
    this.failureStreak = 0;
    this.openedAt = this.now();
    this.transition('open', context);
  }

  private close(context: Partial<LogContext> | undefined): void {
    for (const b of this.buckets) Object.assign(b, { start: 0, calls: 0, failures: 0 });
    this.transition('closed', context);
  }

  private transition(state: CircuitState, context: Partial<LogContext> | undefined): void {
    if (this.current === state && state !== 'open') return;
    this.current = state;
    this.onChange(state, context);
  }
}
