import { onAbort } from './abort-watch.js';

/** Why a caller did not get a slot. */
export type BulkheadRefusal = 'queue_full' | 'deadline' | 'aborted';

export class BulkheadRefused extends Error {
  constructor(readonly reason: BulkheadRefusal) {
    super(`no upstream slot: ${reason}`);
    this.name = 'BulkheadRefused';
  }
}

interface Waiter {
  grant(): void;
}

/**
 * A bound on the calls in flight to one upstream, with a bounded FIFO queue in front of it. A
 * caller that finds the queue full is refused at once; a queued caller leaves the queue when its
 * request is aborted or its deadline passes. A slow upstream therefore costs a bounded number of
 * sockets and waiting requests, not the whole process.
 */
export class Bulkhead {
  private inFlight = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly maxQueue: number,
    private readonly onChange: (inFlight: number, queued: number) => void = () => undefined,
  ) {}

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** A release function when a slot is free right now (nobody can be queued then), else null. */
  tryAcquire(): (() => void) | null {
    if (this.inFlight >= this.maxInFlight) return null;
    this.inFlight++;
    this.changed();
    return this.releaser();
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal, deadline?: number): Promise<() => void> {
    const release = this.tryAcquire();
    if (release) return Promise.resolve(release);
    if (this.queue.length >= this.maxQueue) return Promise.reject(new BulkheadRefused('queue_full'));
    if (signal?.aborted) return Promise.reject(new BulkheadRefused('aborted'));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (reason: BulkheadRefusal) => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        cleanup();
        this.changed();
        reject(new BulkheadRefused(reason));
      };
      // One abort listener per request signal however many of its calls queue (see onAbort).
      let stopWaiting = () => undefined as void;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        stopWaiting();
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve(this.releaser());
        },
      };
      if (signal) stopWaiting = onAbort(signal, () => leave('aborted'));
      if (deadline !== undefined) timer = setTimeout(() => leave('deadline'), Math.max(0, deadline - Date.now()));
      this.queue.push(waiter);
      this.changed();
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant(); // the slot passes straight to the next waiter
      else this.inFlight--;
      this.changed();
    };
  }

  private changed(): void {
    this.onChange(this.inFlight, this.queue.length);
  }
}
