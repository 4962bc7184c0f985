/** Deadline and abort helpers shared by the upstream client and the token provider. */
import { onAbort } from './abort-watch.js';

export interface Bounds {
  signal?: AbortSignal;
  /** epoch ms */
  deadline?: number;
}

/** Milliseconds before the deadline (Infinity without one). */
export function timeLeft(bounds: Bounds, now: number = Date.now()): number {
  return bounds.deadline === undefined ? Number.POSITIVE_INFINITY : bounds.deadline - now;
}

/** Waits `ms`; resolves false early when the signal aborts. */
export function sleepWithin(ms: number, bounds: Bounds): Promise<boolean> {
  if (bounds.signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(true);
    }, ms);
    const stop = bounds.signal
      ? onAbort(bounds.signal, () => {
          clearTimeout(timer);
          resolve(false);
        })
      : () => undefined;
  });
}

/**
 * `promise`, unless the signal aborts or the deadline passes first: then `onGiveUp(reason)` is
 * thrown. The promise itself keeps running (it may be shared with other requests).
 */
export function within<T>(promise: Promise<T>, bounds: Bounds, onGiveUp: (reason: 'deadline' | 'aborted') => Error): Promise<T> {
  if (bounds.signal?.aborted) return Promise.reject(onGiveUp('aborted'));
  const left = timeLeft(bounds);
  if (left <= 0) return Promise.reject(onGiveUp('deadline'));
  if (!bounds.signal && left === Number.POSITIVE_INFINITY) return promise;
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let stop = () => undefined as void;
    const finish = (settle: () => void) => {
      if (timer) clearTimeout(timer);
      stop();
      settle();
    };
    if (left !== Number.POSITIVE_INFINITY) timer = setTimeout(() => finish(() => reject(onGiveUp('deadline'))), left);
    if (bounds.signal) stop = onAbort(bounds.signal, () => finish(() => reject(onGiveUp(timeLeft(bounds) <= 0 ? 'deadline' : 'aborted'))));
    promise.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}
