/**
 * searchPersons joins a probation-only match to a prison-only match when the core person record links
 * them (so totalCount counts people). The record service answers both directions, so the gateway looks
 * up the smaller side (issue 19, ADR 19): the answers are those of the CRN-side join it made before -
 * computed here independently, against the simulators, the old way (every probation-only CRN asked) -
 * for a last name with fewer prison-only than probation-only matches and for one with more; and what
 * the join learnt is not asked again when the page is resolved: per page, at the simulators, the
 * smaller side's lookups and then only the page's ids whose link was not learnt. Real gateway process,
 * real simulators (a population of 5,000: about 36 people per last name).
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../../local-stack/https.js';
import { lastNamesInPrison } from '../support/call-counts.js';
import { useGatewayStack } from '../support/stack.js';

const stack = useGatewayStack({ population: 5_000, timeoutMs: 60_000 });

const SEARCH = `query S($c: PersonSearchCriteria!, $n: Int, $after: String) { searchPersons(criteria: $c, first: $n, after: $after) {
  totalCount nodes { hmppsId } pageInfo { hasNextPage endCursor } } }`;
const PAGE = 5;

interface Matches {
  name: string;
  /** Prison numbers of prison records no probation record names (by its number or a number merged into it). */
  prisonOnly: string[];
  /** CRNs of probation records that name no prison record. */
  probationOnly: string[];
  /** CRNs of probation records joined to a prison record by the number probation holds. */
  joinedBySearch: string[];
  /** CRN -> prison number: probation-only and prison-only matches the core person record links (the CRN-side join). */
  pairs: Map<string, string>;
  /** Every person once, by the id the gateway answers with (the CRN when there is one). */
  people: Set<string>;
}

async function post(url: string, body: unknown): Promise<any> {
  const token = await stack.sims.token();
  const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return r.json();
}

/** The matches of a last-name search as the gateway's searches make them, and the join computed the old way. */
async function matchesOf(name: string): Promise<Matches> {
  const same = (n: unknown) => typeof n === 'string' && n.toLowerCase() === name.toLowerCase();
  const prison = await post(`${stack.sims.urls.prisonerSearch}/attribute-search?page=0&size=500`, {
    joinType: 'AND',
    queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'lastName', condition: 'IS', searchTerm: name }] }],
    pagination: { page: 0, size: 500 },
  });
  const probation = await post(`${stack.sims.urls.probationSearch}/search/people?page=0&size=500`, { surname: name });
  const prisoners = (prison.content as Array<{ prisonerNumber: string; lastName: string; identifiers?: Array<{ type: string; value: string }> }>).filter((p) => same(p.lastName));
  const offenders = (probation.content as Array<{ surname: string; otherIds: { crn: string; nomsNumber?: string | null } }>).filter((o) => same(o.surname));
  const byNumber = new Map<string, string>();
  for (const p of prisoners) {
    byNumber.set(p.prisonerNumber, p.prisonerNumber);
    for (const i of p.identifiers ?? []) if (i.type === 'MERGED' && !byNumber.has(i.value)) byNumber.set(i.value, p.prisonerNumber);
  }
  const joined = new Set<string>();
  const joinedBySearch: string[] = [];
  const probationOnly: string[] = [];
  for (const o of offenders) {
    const n = o.otherIds.nomsNumber ? byNumber.get(o.otherIds.nomsNumber) : undefined;
    if (n && !joined.has(n)) {
      joined.add(n);
      joinedBySearch.push(o.otherIds.crn);
    } else probationOnly.push(o.otherIds.crn);
  }
  const prisonOnly = prisoners.map((p) => p.prisonerNumber).filter((n) => !joined.has(n));
  // The old join: every probation-only CRN asked of the record service; its one prison number, if prison-only, is the same person.
  const pairs = new Map<string, string>();
  const token = await stack.sims.token();
  for (const crn of probationOnly) {
    const r = await fetch(`${stack.sims.urls.personRecord}/person/probation/${crn}`, { headers: { authorization: `Bearer ${token}` } });
    if (r.status !== 200) continue;
    const numbers = [...new Set(((await r.json()) as { identifiers: { prisonNumbers: string[] } }).identifiers.prisonNumbers)];
    const n = numbers.length === 1 ? numbers[0]! : null;
    if (n && prisonOnly.includes(n) && ![...pairs.values()].includes(n)) pairs.set(crn, n);
  }
  const paired = new Set(pairs.values());
  const people = new Set([...joinedBySearch, ...probationOnly, ...prisonOnly.filter((n) => !paired.has(n))]);
  await stack.sims.resetCounters();
  return { name, prisonOnly, probationOnly, joinedBySearch, pairs, people };
}

/** Last names of the population, each checked in turn until `wanted` holds. */
async function findName(wanted: (m: Matches) => boolean): Promise<Matches> {
  for (const name of await lastNamesInPrison(stack.sims, 200)) {
    const m = await matchesOf(name);
    if (wanted(m)) return m;
  }
  throw new Error('no last name in the population fits');
}

const crnLike = (id: string) => /^[A-Z]\d{6}$/.test(id);

/** Every page of the search; per page, the core person record calls it made (counted at the simulators). */
async function pages(name: string) {
  const out: Array<{ totalCount: number; ids: string[]; byCrn: number; byPrisonNumber: number }> = [];
  let after: string | null = null;
  do {
    await stack.sims.resetCounters();
    const r = await postGraphQL(stack.gateway.consumerUrl, { query: SEARCH, variables: { c: { lastName: name }, n: PAGE, after } }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
    expect(r.body.errors).toBeUndefined();
    const page = r.body.data?.searchPersons as { totalCount: number; nodes: Array<{ hmppsId: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    const calls = (await stack.sims.counters()).personRecord ?? {};
    out.push({
      totalCount: page.totalCount,
      ids: page.nodes.map((n) => n.hmppsId),
      byCrn: calls['GET /person/probation/{crn}'] ?? 0,
      byPrisonNumber: calls['GET /person/prison/{prisonNumber}'] ?? 0,
    });
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && out.length < 50);
  return out;
}

describe('searchPersons: the core person record join looks up the smaller side, with the same answers', () => {
  it('fewer prison-only than probation-only matches: prison numbers looked up, the page asks only what was not learnt', async () => {
    const m = await findName((x) => x.prisonOnly.length > 0 && x.probationOnly.length > x.prisonOnly.length + PAGE && x.pairs.size > 0);
    const got = await pages(m.name);
    // The same people as the CRN-side join: counted once each, every one listed once.
    expect(got.map((p) => p.totalCount)).toEqual(got.map(() => m.people.size));
    const listed = got.flatMap((p) => p.ids);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(m.people);
    const pairedCrns = new Set(m.pairs.keys());
    for (const p of got) {
      // The join: one lookup per prison-only match (the old join asked every probation-only CRN); the
      // page's prison numbers were among them.
      expect(p.byPrisonNumber).toBe(m.prisonOnly.length);
      // Resolving the page: only its CRNs whose link the join did not learn.
      expect(p.byCrn).toBe(p.ids.filter((id) => crnLike(id) && !pairedCrns.has(id)).length);
    }
    // The link learnt by the join was used on some page (it would have been asked again otherwise).
    expect(listed.some((id) => pairedCrns.has(id))).toBe(true);
  }, 180_000);

  it('more prison-only than probation-only matches: CRNs looked up, as before', async () => {
    const m = await findName((x) => x.probationOnly.length > 0 && x.prisonOnly.length > x.probationOnly.length);
    const got = await pages(m.name);
    expect(got.map((p) => p.totalCount)).toEqual(got.map(() => m.people.size));
    const listed = got.flatMap((p) => p.ids);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(m.people);
    const probationOnly = new Set(m.probationOnly);
    for (const p of got) {
      expect(p.byCrn).toBe(m.probationOnly.length + p.ids.filter((id) => crnLike(id) && !probationOnly.has(id)).length);
      expect(p.byPrisonNumber).toBe(p.ids.filter((id) => !crnLike(id)).length);
    }
  }, 180_000);
});
