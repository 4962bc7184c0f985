import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ERROR_CODES, httpStatusOf, type ErrorCode } from '../errors/contract.js';

/** Calls in flight and waiting for a slot, of one upstream client. */
export interface UpstreamLoad {
  inFlight: number;
  queued: number;
}

/** Circuit states as the `gateway_circuit_state` gauge reports them. */
export const CIRCUIT_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
export type CircuitState = keyof typeof CIRCUIT_STATE_VALUE;

/** The `outcome` of a GraphQL answer, from the error codes it carries and whether any data came back. */
export type AnswerOutcome = 'ok' | 'partial' | 'error' | 'not_found' | 'client_error';

/**
 * `ok`: no error. `partial`: data came back, with at least one error of the service's side (a code whose
 * contract status is 5xx: an upstream unavailable, timed out or invalid, an internal error; or a code the
 * contract does not know): some data is missing. `error`: such an error and no data at all. `not_found`:
 * only NOT_FOUND (an answer, not a failure: a consumer's reconciliation job must not page anyone).
 * `client_error`: only errors of the consumer's own request or rights (contract status below 500: bad
 * input, a field its policy does not grant, a query too complex), NOT_FOUND among them.
 */
export function answerOutcome(codes: readonly string[], hasData: boolean): AnswerOutcome {
  if (codes.length === 0) return 'ok';
  const serviceSide = (code: string) => !Object.hasOwn(ERROR_CODES, code) || httpStatusOf(code as ErrorCode) >= 500;
  if (codes.some(serviceSide)) return hasData ? 'partial' : 'error';
  return codes.every((c) => c === 'NOT_FOUND') ? 'not_found' : 'client_error';
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Most distinct operation names kept per consumer; later ones are counted as `other`. */
const MAX_OPERATIONS_PER_CONSUMER = 50;

/**
 * Every Prometheus instrument of one gateway process (design §5), on its own registry so that tests
 * can run several gateways in one process. Label values are bounded: consumers come from verified
 * certificates, operation names are capped per consumer, routes are templates, never concrete paths.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'GraphQL requests by consumer, operation name and outcome (ok, partial, error, not_found, client_error, bad_request, rate_limited, unauthenticated, forbidden, unavailable, aborted, refused).',
    labelNames: ['consumer', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Duration of GraphQL requests, from the first byte to the response, by consumer, operation and outcome.',
    labelNames: ['consumer', 'operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly ledgerBacklog = new Gauge({
    name: 'gateway_ledger_backlog_records',
    help: 'Disclosure-ledger records not yet in PostgreSQL: queued in memory plus spooled to the local file.',
    registers: [this.registry],
  });

  readonly ledgerWriteFailures = new Counter({
    name: 'gateway_ledger_write_failures_total',
    help: 'Failed writes of disclosure-ledger batches to PostgreSQL (the records are spooled or kept queued, never dropped).',
    registers: [this.registry],
  });

  readonly untrustedDocuments = new Counter({
    name: 'gateway_untrusted_documents_total',
    help: "Requests whose document is not one of the consumer's trusted documents, by consumer and what was done (served: log-unknown; refused: enforce).",
    labelNames: ['consumer', 'action'] as const,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors sent to consumers, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Upstream HTTP attempts by upstream, route template and status (HTTP status, or timeout, connection_error, aborted, circuit_open, queue_full, token_unavailable).',
    labelNames: ['upstream', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Duration of upstream HTTP attempts by upstream and route template.',
    labelNames: ['upstream', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /**
   * Upstream answers that break the upstream's contract (a redirect elsewhere, an undocumented status,
   * not JSON, JSON of the wrong shape): the upstream moved, or something else answers in its place.
   * Counted by the health checks for the liveness routes (`GET /health/ping`, the token request) and by
   * the datasource boundary for the data routes.
   */
  readonly upstreamContractViolations = new Counter({
    name: 'gateway_upstream_contract_violations_total',
    help: 'Upstream answers that break the contract, by upstream, route template and reason (data routes: redirect, unexpected_status, not_json, empty, shape, value, too_large; health checks: their own reasons).',
    labelNames: ['upstream', 'route', 'reason'] as const,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Retries of idempotent upstream calls after connection errors, 502/503/504 or timeouts.',
    labelNames: ['upstream', 'route'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'gateway_circuit_state',
    help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open.',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });

  readonly circuitTransitions = new Counter({
    name: 'gateway_circuit_transitions_total',
    help: 'Circuit breaker state changes per upstream, by the state entered.',
    labelNames: ['upstream', 'state'] as const,
    registers: [this.registry],
  });

  /** Set from the sources given to `trackUpstreamLoad` whenever it is collected (nothing to do per call). */
  readonly upstreamInFlight: Gauge<'upstream'> = new Gauge({
    name: 'gateway_upstream_in_flight',
    help: 'Upstream calls in flight per upstream (bounded by UPSTREAM_MAX_IN_FLIGHT).',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
    collect: () => this.collectUpstreamLoad(this.upstreamInFlight, 'inFlight'),
  });

  /** Set from the sources given to `trackUpstreamLoad` whenever it is collected. */
  readonly upstreamQueued: Gauge<'upstream'> = new Gauge({
    name: 'gateway_upstream_queued',
    help: 'Upstream calls waiting for an in-flight slot per upstream (bounded by UPSTREAM_MAX_QUEUE).',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
    collect: () => this.collectUpstreamLoad(this.upstreamQueued, 'queued'),
  });

  readonly upstreamUp = new Gauge({
    name: 'gateway_upstream_up',
    help: 'Result of the last background reachability check per dependency: 1 reachable, 0 not.',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });

  readonly upstreamCheckLatency = new Gauge({
    name: 'gateway_upstream_check_latency_seconds',
    help: 'Latency of the last background reachability check per dependency.',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new Counter({
    name: 'gateway_rate_limit_refusals_total',
    help: 'Requests refused with HTTP 429 by the per-consumer rate limit.',
    labelNames: ['consumer', 'reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimiterErrors = new Counter({
    name: 'gateway_rate_limiter_errors_total',
    help: 'Rate-limit checks that could not reach the shared store (Redis), by the decision taken (fail open or closed).',
    labelNames: ['decision'] as const,
    registers: [this.registry],
  });

  readonly authRefusals = new Counter({
    name: 'gateway_auth_refusals_total',
    help: 'Requests refused by authentication or authorisation, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly certificateExpiryDays = new Gauge({
    name: 'gateway_client_certificate_expiry_days',
    help: 'Days until each verified client certificate (consumer and serial) last presented expires.',
    labelNames: ['consumer', 'serial'] as const,
    registers: [this.registry],
  });

  readonly policyReloads = new Counter({
    name: 'gateway_policy_reloads_total',
    help: 'Policy file reloads, by outcome: applied, or rejected (the previous policy stays in force).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly trustedDocumentReloads = new Counter({
    name: 'gateway_trusted_document_reloads_total',
    help: 'Trusted document set reloads (file change or SIGHUP), by outcome: applied, or rejected (the previous set stays in force).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per batched upstream call (one DataLoader batch), by upstream and route template.',
    labelNames: ['upstream', 'route'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });

  private readonly operationsSeen = new Map<string, Set<string>>();

  /** Where the in-flight and queued gauges read their values, per upstream (summed when several). */
  private readonly upstreamLoads = new Map<string, Set<() => UpstreamLoad>>();

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * An operation name as a label value: consumers choose operation names, so each consumer gets at
   * most MAX_OPERATIONS_PER_CONSUMER distinct ones; anonymous operations are `anonymous`.
   */
  /**
   * One request's `gateway_requests_total` and `gateway_request_duration_seconds`. The label-bound
   * children are kept per (consumer, operation, outcome), whose count is bounded by the per-consumer
   * cap on operation labels: no label object is built, sorted and hashed per request.
   */
  observeRequest(consumer: string, operation: string, outcome: string, seconds: number): void {
    const key = `${consumer}\n${operation}\n${outcome}`;
    let children = this.requestChildren.get(key);
    if (!children) {
      const labels = { consumer, operation, outcome };
      children = { count: this.requests.labels(labels), duration: this.requestDuration.labels(labels) };
      this.requestChildren.set(key, children);
    }
    children.count.inc();
    children.duration.observe(seconds);
  }

  private readonly requestChildren = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();

  operationLabel(consumer: string, operationName: string | null | undefined): string {
    if (!operationName) return 'anonymous';
    return this.boundedLabel(consumer, /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(operationName) ? operationName : 'invalid');
  }

  /**
   * The label of a document that is not trusted: its id shortened to `sha256:` and 12 hex digits (its
   * operation name is consumer-chosen text, never a label), under the same per-consumer cap.
   */
  documentLabel(consumer: string, documentId: string | null | undefined): string {
    if (!documentId) return 'anonymous';
    return this.boundedLabel(consumer, documentId.slice(0, 'sha256:'.length + 12));
  }

  private boundedLabel(consumer: string, name: string): string {
    let seen = this.operationsSeen.get(consumer);
    if (!seen) {
      seen = new Set();
      this.operationsSeen.set(consumer, seen);
    }
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATIONS_PER_CONSUMER) return 'other';
    seen.add(name);
    return name;
  }

  /**
   * A source of the calls in flight and queued for an upstream, read each time the
   * `gateway_upstream_in_flight`/`_queued` gauges are collected (a scrape), so that the calls
   * themselves do not touch the gauges. Returns the function that stops reading it.
   */
  trackUpstreamLoad(upstream: string, load: () => UpstreamLoad): () => void {
    let sources = this.upstreamLoads.get(upstream);
    if (!sources) {
      sources = new Set();
      this.upstreamLoads.set(upstream, sources);
    }
    sources.add(load);
    return () => {
      sources.delete(load);
    };
  }

  private collectUpstreamLoad(gauge: Gauge<'upstream'>, key: keyof UpstreamLoad): void {
    for (const [upstream, sources] of this.upstreamLoads) {
      if (sources.size === 0) continue;
      let value = 0;
      for (const load of sources) value += load()[key];
      gauge.set({ upstream }, value);
    }
  }

  /** The gauge starts at closed; the breaker itself owns the state (health asks the upstream clients). */
  initCircuit(upstream: string): void {
    this.circuitState.set({ upstream }, CIRCUIT_STATE_VALUE.closed);
  }

  setCircuitState(upstream: string, state: CircuitState): void {
    this.circuitState.set({ upstream }, CIRCUIT_STATE_VALUE[state]);
    this.circuitTransitions.inc({ upstream, state });
  }
}
