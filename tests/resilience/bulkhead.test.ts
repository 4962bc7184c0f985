/**
 * The bulkhead's queue and the request's abort signal: however many calls of one request wait for a
 * slot, the signal holds one abort listener (no MaxListenersExceededWarning), an abort takes every one
 * of them out of the queue, and a waiter that got its slot or timed out leaves nothing behind.
 */
import { describe, expect, it } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { Bulkhead, BulkheadRefused } from '../../src/datasources/http/bulkhead.js';
import { sleepWithin } from '../../src/datasources/http/scope.js';

describe('bulkhead abort listeners', () => {
  it('50 queued calls of one request: one abort listener, no warning; the abort refuses them all', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const bulkhead = new Bulkhead(1, 100);
      const release = bulkhead.tryAcquire()!;
      const controller = new AbortController();
      const waiting = Array.from({ length: 50 }, () => bulkhead.acquire(controller.signal).then(() => 'granted', (e: unknown) => e));
      // Sleeping retries of the same request share the listener too.
      const sleeps = Array.from({ length: 20 }, () => sleepWithin(60_000, { signal: controller.signal }));
      expect(bulkhead.queued).toBe(50);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort();
      const outcomes = await Promise.all(waiting);
      expect(outcomes.every((o) => o instanceof BulkheadRefused && o.reason === 'aborted')).toBe(true);
      expect(await Promise.all(sleeps)).toEqual(Array(20).fill(false));
      expect(bulkhead.queued).toBe(0);
      release();
      expect(bulkhead.active).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('waiters that got a slot or passed their deadline stop waiting for the abort', async () => {
    const bulkhead = new Bulkhead(1, 100);
    const first = bulkhead.tryAcquire()!;
    const controller = new AbortController();
    const granted = bulkhead.acquire(controller.signal);
    const late = bulkhead.acquire(controller.signal, Date.now() + 20).catch((e: unknown) => e);
    expect(await late).toMatchObject({ reason: 'deadline' });
    first();
    (await granted)();
    // Nothing is left to call on abort: aborting now changes nothing.
    controller.abort();
    expect(bulkhead.active).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });
});
