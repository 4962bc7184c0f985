import type { Exchange } from './exchange.js';

/** Why a call was cut short by its request (preallocated: no exception object is built per aborted call). */
const REQUEST_ABORTED = new Error('request aborted');

/**
 * The pending calls of each request signal: one abort listener per signal cancels them all, instead
 * of one listener added and removed per call (and no MaxListenersExceededWarning when a request has
 * more than ten calls in flight).
 */
const pendingBySignal = new WeakMap<AbortSignal, Set<Exchange>>();

export function watchAbort(signal: AbortSignal, exchange: Exchange): void {
  let pending = pendingBySignal.get(signal);
  if (!pending) {
    const calls = new Set<Exchange>();
    pending = calls;
    pendingBySignal.set(signal, calls);
    signal.addEventListener(
      'abort',
      () => {
        for (const call of calls) call.cancel(REQUEST_ABORTED);
        calls.clear();
      },
      { once: true },
    );
  }
  pending.add(exchange);
}

export function unwatchAbort(signal: AbortSignal, exchange: Exchange): void {
  pendingBySignal.get(signal)?.delete(exchange);
}

/** The callbacks waiting for each request signal's abort: one real listener per signal. */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` when `signal` aborts; returns the function that stops waiting. However many calls of one
 * request wait at once (queued for a bulkhead slot, sleeping before a retry, waiting for a token), the
 * signal holds a single 'abort' listener: no MaxListenersExceededWarning, no listener left behind.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let waiters = abortWaiters.get(signal);
  if (!waiters) {
    const set = new Set<() => void>();
    waiters = set;
    abortWaiters.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        abortWaiters.delete(signal);
        for (const waiter of set) waiter();
        set.clear();
      },
      { once: true },
    );
  }
  const mine = waiters;
  mine.add(fn);
  return () => {
    mine.delete(fn);
  };
}
