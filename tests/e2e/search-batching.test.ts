/**
 * searchPersons with N = 10, 50 and 100 people and a full nested selection: upstream requests per
 * route (counted at the simulators) do not grow with N on batch routes. A population of 20,000 gives
 * last names shared by 100+ people.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
// The benchmark's full profile: every field of Person (kept in one place).
import { FULL_PROFILE } from '../../bench/lib.js';
import { postGraphQL } from '../../local-stack/https.js';
import { type UpstreamName } from '../../local-stack/simulators.js';
import { callTable, lastNamesInPrison, requestsByRoute } from '../support/call-counts.js';
import { useGatewayStack } from '../support/stack.js';


const stack = useGatewayStack({ population: 20_000, timeoutMs: 60_000 });

/** A last name at least `n` people share, taken from the population itself. */
async function sharedLastName(n: number): Promise<string> {
  const token = await stack.sims.token();
  const post = async (url: string, body: unknown) =>
    (await (await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any;
  for (const name of await lastNamesInPrison(stack.sims, 30)) {
    const prison = await post(`${stack.sims.urls.prisonerSearch}/attribute-search?page=0&size=1`, {
      joinType: 'AND',
      queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'lastName', condition: 'IS', searchTerm: name }] }],
      pagination: { page: 0, size: 1 },
    });
    if (prison.totalElements >= n) return name;
  }
  throw new Error(`no last name shared by ${n} prisoners`);
}

const BATCH_ROUTES: Array<[UpstreamName, string]> = [
  ['prisonerSearch', 'POST /attribute-search'],
  ['probationSearch', 'POST /search/people'],
  ['prisonerSearch', 'POST /prisoner-search/prisoner-numbers'],
  ['probationSearch', 'POST /crns'],
  ['probationSearch', 'POST /nomsNumbers'],
  ['alerts', 'POST /search/alerts/prison-numbers'],
  ['prisonApi', 'POST /api/offender-sentences'],
  ['prisonApi', 'POST /api/bookings/offence-history'],
];

describe('searchPersons batching', () => {
  const table: Record<number, Record<string, number>> = {};

  afterAll(() => {
    const batch = (r: string) => (BATCH_ROUTES.some(([u, route]) => r === `${u} ${route}`) ? '*' : ' ');
    process.stdout.write(callTable('upstream requests per route for searchPersons(first: N) with a full profile (batch routes marked *)', table, batch));
  });

  it('costs the same number of requests on every batch route for 10, 50 and 100 people', async () => {
    const lastName = await sharedLastName(100);
    for (const n of [10, 50, 100]) {
      await stack.sims.resetCounters();
      const result = await postGraphQL(
        stack.gateway.consumerUrl,
        { query: `query S($c: PersonSearchCriteria!, $n: Int) { searchPersons(criteria: $c, first: $n) { totalCount nodes { ${FULL_PROFILE} } } }`, variables: { c: { lastName }, n } },
        { ca: stack.certs.ca, ...stack.certs.client.devConsumer },
      );
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
      const found = result.body.data?.searchPersons as { totalCount: number; nodes: unknown[] };
      expect(found.totalCount).toBeGreaterThanOrEqual(100);
      expect(found.nodes).toHaveLength(n);
      table[n] = requestsByRoute(await stack.sims.counters());
    }
    for (const [upstream, route] of BATCH_ROUTES) {
      const key = `${upstream} ${route}`;
      expect([key, table[100]![key] ?? 0]).toEqual([key, table[10]![key] ?? 0]);
      expect(table[100]![key] ?? 0).toBeLessThanOrEqual(route === 'POST /search/people' ? 6 : 2);
    }
  }, 120_000);
});
