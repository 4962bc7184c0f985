/**
 * What the security end-to-end tests share beyond the consumers' identities and client
 * (local-stack/consumer-identities.ts): the simulators' counters once quiet, upstream calls counted, and
 * refusal probes.
 */
import type { Client } from '../../../local-stack/consumer-identities.js';

/**
 * Resets the simulators' counters once no upstream call has arrived for a moment. A request answered
 * early (a person found filtered while the speculative reads of its side were in flight, ADR 19)
 * leaves calls that reach a loaded simulator only after its answer: counted after a plain reset, they
 * would be charged to the next test.
 */
export async function resetCountersWhenQuiet(sims: { counters(): Promise<Record<string, Record<string, number>>>; resetCounters(): Promise<void> }): Promise<void> {
  await countersWhenQuiet(sims);
  await sims.resetCounters();
}

/** The simulators' counters once no upstream call has arrived for a moment (early reads nobody awaited included). */
export async function countersWhenQuiet(sims: { counters(): Promise<Record<string, Record<string, number>>> }): Promise<Record<string, Record<string, number>>> {
  let last = await sims.counters();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await sims.counters();
    if (JSON.stringify(now) === JSON.stringify(last)) break;
    last = now;
  }
  return last;
}

/** Upstream requests the simulators saw, health pings left out (they are the gateway's own checks). */
export function upstreamCalls(counters: Record<string, Record<string, number>>): number {
  return Object.entries(counters)
    .filter(([upstream]) => !upstream.startsWith('_'))
    .flatMap(([, routes]) => Object.entries(routes))
    .filter(([route]) => !route.includes('/health'))
    .reduce((sum, [, n]) => sum + n, 0);
}

/**
 * Sends each probe as its consumer, one after another: the ones not refused as they must be (403
 * FORBIDDEN naming the probe's coordinate, no data), described for a failure message.
 */
export async function refusalFailures(
  probes: ReadonlyArray<{ consumer: string; target: string; variant: string; query: string; variables?: Record<string, unknown>; operationName?: string }>,
  as: (consumer: string) => Client,
): Promise<string[]> {
  const failures: string[] = [];
  for (const probe of probes) {
    const r = await as(probe.consumer).gql(probe.query, probe.variables, probe.operationName);
    const error = r.body.errors?.[0];
    const ok = r.status === 403 && error?.extensions?.code === 'FORBIDDEN' && r.body.data === undefined
      && ((error.extensions.coordinates as string[]) ?? []).includes(probe.target);
    if (!ok) failures.push(`${probe.consumer} ${probe.target} ${probe.variant}: ${r.status} ${r.raw.slice(0, 160)}`);
  }
  return failures;
}
