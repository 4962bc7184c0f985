/**
 * Upstream calls for `persons` of 10, 50 and 100 people with the case-record areas selected (issue 17
 * areas 5-7), read from the simulators' per-route counters. Neither the case notes service nor the
 * Delius contact and access-limitation routes have a batch form: one call per person who has that
 * record (a prison number for case notes, a CRN for contacts, a limited-access case for the details),
 * all of an operation's calls in parallel, none twice. Prints the table; the report quotes it.
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../../local-stack/https.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { useGatewayStack } from '../support/stack.js';

const stack = useGatewayStack({ env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' } });

const QUERY = `query R($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId
  caseNotes(first: 20) { totalCount nodes { id text } }
  contactEvents(first: 20) { totalCount nodes { id notes } }
  limitedAccess { excluded restricted details { exclusionMessage restrictionMessage } } } }`;

describe('upstream calls of persons with the case-record areas selected', () => {
  it('one call per person and record, none repeated, for 10 / 50 / 100 people', async () => {
    const people = new Population({ size: 2000, seed: DEFAULT_SEED }).people.slice(100);
    const rows: string[] = [];
    for (const n of [10, 50, 100]) {
      const chosen = people.slice(0, n);
      // Up to 50 people, each is asked twice (both ids of a linked person, or the same id again): still one call each.
      const ids = n <= 50 ? chosen.flatMap((p) => [p.crn ?? p.prisonNumber!, p.prisonNumber ?? p.crn!]) : chosen.map((p) => p.crn ?? p.prisonNumber!);
      await stack.sims.resetCounters();
      const started = Date.now();
      const r = await postGraphQL(stack.gateway.consumerUrl, { query: QUERY, variables: { ids } },
        { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
      const ms = Date.now() - started;
      expect(r.body.errors).toBeUndefined();
      const counters = await stack.sims.counters();
      const caseNotes = counters.caseNotes?.['POST /search/case-notes/{personIdentifier}'] ?? 0;
      const contacts = counters.deliusIntegration?.['GET /case/{crn}/contacts'] ?? 0;
      const access = counters.deliusIntegration?.['GET /case/{crn}/access-limitations'] ?? 0;
      expect(caseNotes).toBe(chosen.filter((p) => p.prisonNumber).length);
      expect(contacts).toBe(chosen.filter((p) => p.crn).length);
      expect(access).toBe(chosen.filter((p) => p.crn && (p.exclusion || p.restriction)).length);
      const all = Object.entries(counters).filter(([u]) => !u.startsWith('_') && u !== 'auth')
        .flatMap(([u, routes]) => Object.entries(routes).map(([route, c]) => `${u} ${route}=${c}`));
      rows.push(`persons(${n} people, ${ids.length} ids) in ${ms} ms: caseNotes ${caseNotes}, contacts ${contacts}, access-limitations ${access}; all routes: ${all.join(', ')}`);
    }
    console.log(rows.join('\n'));
  }, 120_000);
});
