import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the gateway joins the caller's trace
 * when it sends a valid `traceparent`, or starts one, and every upstream call carries the trace id
 * with a span id of its own, so a request can be followed through the upstream services' logs.
 */
export interface TraceContext {
  traceId: string;
  /** The gateway's span for this request. */
  spanId: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function traceFrom(header: string | string[] | undefined): TraceContext {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  const match = value ? TRACEPARENT.exec(value) : null;
  if (match) {
    const [, version, traceId, parentId, flags] = match as unknown as [string, string, string, string, string];
    const valid = version !== 'ff' && !/^0+$/.test(traceId) && !/^0+$/.test(parentId);
    if (valid) return { traceId, spanId: newSpanId(), flags };
  }
  return { traceId: newSpanId() + newSpanId(), spanId: newSpanId(), flags: '01' };
}

const traces = new WeakMap<object, TraceContext>();

/**
 * The trace of one incoming request (its `traceparent`, or a new one), the same however often asked:
 * the request's logger is made before any hook runs (src/server/listener.ts), its telemetry after.
 */
export function requestTrace(raw: { headers: Record<string, string | string[] | undefined> }): TraceContext {
  let trace = traces.get(raw);
  if (!trace) traces.set(raw, (trace = traceFrom(raw.headers.traceparent)));
  return trace;
}

/** The gateway's own span as a `traceparent` header value. */
export function traceparentOf(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

/** A child span of `traceparent` for one outgoing call: same trace, a new span id. */
export function childTraceparent(traceparent: string): string {
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return traceparent;
  return `00-${match[2]}-${newSpanId()}-${match[4]}`;
}

/**
 * Random bytes are drawn 4 KiB at a time: one system call per 512 span ids, not one per id (a trace
 * id is two of them, never all zero since neither half is).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function newSpanId(): string {
  for (;;) {
    if (poolOffset + 8 > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const id = pool.toString('hex', poolOffset, poolOffset + 8);
    poolOffset += 8;
    if (id !== '0000000000000000') return id;
  }
}
