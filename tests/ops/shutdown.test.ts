/**
 * Graceful shutdown of the real gateway process: SIGTERM during a bounded burst of concurrent
 * requests. Readiness goes false first, the listener stops accepting only after that, every request
 * in flight is answered in full, and the process exits 0.
 */
import { describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

const BURST = 40;
/** Longer than the drain delay: requests are still in flight when the listener stops accepting. */
const UPSTREAM_LATENCY_MS = 1500;
const DRAIN_DELAY_MS = 1000;
const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

/** No gateway up front: the test starts the one whose shutdown it watches. */
const stack = useGatewayStack({ gateways: [] });

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(200, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('SIGTERM', () => {
  it('drains a burst of in-flight requests: readiness false before the listener closes, zero failures, exit 0', async () => {
    const gw = await stack.startGateway({
      // Production mode: Apollo Server installs its own signal handlers outside NODE_ENV=test, and
      // they once cut the drain short (the process died by SIGTERM mid-drain).
      NODE_ENV: 'production',
      AUDIT_SINK: 'stderr',
      AUDIT_HASH_KEY: 'shutdown-test-audit-hash-key-0123456789',
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '10000',
      REQUEST_DEADLINE_MS: '5000',
      UPSTREAM_TIMEOUT_MS: '3000',
    });
    const consumerPort = Number(new URL(gw.consumerUrl).port);
    // Every request now spends at least UPSTREAM_LATENCY_MS waiting on probation search.
    await stack.sims.setFault('probationSearch', { latencyMs: UPSTREAM_LATENCY_MS });

    const send = () =>
      postGraphQL(gw.consumerUrl, { query: `{ person(hmppsId: "${linked.crn}") { firstName lastName } }` }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer }).then(
        (r) => ({ r, doneAt: Date.now() }),
        (e: Error) => ({ r: null as GraphQLResult | null, error: e.message, doneAt: Date.now() }),
      );
    const burst = Array.from({ length: BURST }, send);
    await new Promise((r) => setTimeout(r, 200)); // all in flight, none can have finished

    let readinessDownAt: number | null = null;
    let listenerClosedAt: number | null = null;
    let watching = true;
    const watcher = (async () => {
      // Conservative: readiness counts as down when the 503 arrived, the listener as closed when the
      // refused connection attempt started.
      while (watching) {
        if (readinessDownAt === null) {
          const status = await fetch(`${gw.managementUrl}/health/readiness`).then((r) => r.status, () => 0);
          if (status === 503) readinessDownAt = Date.now();
        }
        const attemptAt = Date.now();
        if (listenerClosedAt === null && !(await accepts(consumerPort))) listenerClosedAt = attemptAt;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    const sigtermAt = Date.now();
    const exited = gw.stop();
    // A request arriving during the drain delay is still served.
    await new Promise((r) => setTimeout(r, 100));
    const late = await send();
    const results = await Promise.all(burst);
    const exitCode = await exited;
    watching = false;
    await watcher;
    await stack.sims.setFault('probationSearch', {});

    const failed = results.filter((x) => x.r?.status !== 200 || (x.r.body.data?.person as { firstName?: string } | null)?.firstName !== linked.firstName);
    expect(failed).toEqual([]);
    expect(results.filter((x) => x.doneAt > sigtermAt)).toHaveLength(BURST);
    // They outlived the listener: closing waited for them.
    expect(results.filter((x) => x.doneAt > listenerClosedAt!).length).toBeGreaterThan(0);
    expect(late.r?.status).toBe(200);
    expect(exitCode).toBe(0);
    expect(readinessDownAt).not.toBeNull();
    expect(listenerClosedAt).not.toBeNull();
    expect(readinessDownAt!).toBeLessThan(listenerClosedAt!);
    expect(listenerClosedAt! - sigtermAt).toBeGreaterThanOrEqual(DRAIN_DELAY_MS - 50);
    const events = gw.logs.map((l) => (/"event":"([a-z-]+)"/.exec(l) ?? [])[1]).filter((e) => ['draining', 'listeners-closed', 'stopped'].includes(e ?? ''));
    expect(events).toEqual(['draining', 'listeners-closed', 'stopped']);
    process.stderr.write(
      `shutdown: burst ${BURST}, ok ${results.length - failed.length}, readiness down after ${readinessDownAt! - sigtermAt} ms, listener closed after ${listenerClosedAt! - sigtermAt} ms, last answer after ${Math.max(...results.map((x) => x.doneAt)) - sigtermAt} ms\n`,
    );
  });
});
