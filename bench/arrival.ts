/**
 * Constant-arrival (open-loop) load for the fixed-rate phases: one request every 1/rate seconds,
 * whatever the answers do, over a pool of keep-alive mutual-TLS connections (undici). Response times
 * are measured from each request's scheduled start, so a stalled server cannot hide its queue
 * (no coordinated omission).
 *
 * Why not autocannon here: its `overallRate` gives each connection a quota per second and sends the
 * quota back to back as answers return, so a fixed-rate phase is a burst at every second boundary
 * followed by silence - another load than "200 requests a second". autocannon still drives the
 * closed-loop (maximum throughput) phases.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { DevCertificates } from '../scripts/certs.js';
import type { LoadResult } from './lib.js';

export interface ArrivalSpec {
  url: string;
  certs: DevCertificates;
  consumer: string;
  apiKey: string;
  body: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Connections the pool may open (requests beyond wait for one; their wait counts). */
  maxConnections?: number;
}

/** Requests still unanswered this long after the last was scheduled count as errors. */
const DRAIN_MS = 10_000;

export async function constantArrival(spec: ArrivalSpec): Promise<LoadResult> {
  if (!(spec.rate > 0) || !(spec.seconds > 0)) throw new Error('rate and seconds must be positive');
  const origin = new URL(spec.url).origin;
  const client = spec.certs.clients[spec.consumer];
  if (!client) throw new Error(`no client certificate for ${spec.consumer}`);
  const pool = new Pool(origin, {
    connections: spec.maxConnections ?? 64,
    pipelining: 1,
    connect: {
      ca: readFileSync(spec.certs.ca.cert),
      cert: readFileSync(client.cert),
      key: readFileSync(client.key),
      servername: 'localhost',
    },
  });
  const headers = { 'content-type': 'application/json', 'x-api-key': spec.apiKey };
  const path = `${new URL(spec.url).pathname.replace(/\/$/, '')}/graphql`;
  const count = Math.round(spec.rate * spec.seconds);
  const intervalMs = 1000 / spec.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let graphqlErrors = 0;
  const pending = new Set<Promise<void>>();
  /** Set once the drain gave up: what is still pending was counted as errors already. */
  let abandoned = false;

  const fire = (scheduledAt: number) => {
    const p = pool
      .request({ method: 'POST', path, headers, body: spec.body })
      .then(async (res) => {
        const text = await res.body.text();
        latencies.push(performance.now() - scheduledAt);
        if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
        else if (text.includes('"errors"')) graphqlErrors++;
      })
      .catch(() => {
        if (!abandoned) errors++;
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out now, each timed from its own scheduled start.
      while (sent < count && started + sent * intervalMs <= now) {
        fire(started + sent * intervalMs);
        sent++;
      }
      if (sent >= count) return resolve();
      setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
    };
    tick();
  });
  const drained = await Promise.race([
    Promise.all([...pending]).then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), DRAIN_MS).unref()),
  ]);
  if (!drained) {
    abandoned = true;
    errors += pending.size;
  }
  const elapsedS = (performance.now() - started) / 1000;
  await pool.destroy();
  return { total: latencies.length, averagePerSecond: latencies.length / Math.max(spec.seconds, elapsedS), latencies, errors, non2xx, graphqlErrors };
}
