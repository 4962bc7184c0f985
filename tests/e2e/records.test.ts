/**
 * Case records end to end (issue 17 areas 5-7): case notes, probation contact events and
 * limited-access details through the real gateway over mutual TLS, against the real simulators,
 * as the development consumer (full access). What a narrower policy sees is in
 * tests/security/leak-matrix-records.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, wellKnownPerson } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

const people = wellKnownPeople();
const person = wellKnownPerson;

const stack = useGatewayStack();

const asDev = (query: string, variables?: Record<string, unknown>) =>
  postGraphQL(stack.gateway.consumerUrl, { query, variables }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });

interface Note {
  id: string;
  type: { code: string };
  subType: { code: string };
  occurredAt: string;
  sensitive: boolean;
  text: string;
}
interface Contact {
  id: string;
  contactDate: string;
  type: { code: string };
  notes: string | null;
}
interface PageOf<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const NOTE = 'id type { code } subType { code } occurredAt sensitive text';
const CONTACT = 'id contactDate type { code } notes';

function dataOf(r: GraphQLResult): Record<string, unknown> {
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  return r.body.data?.person as Record<string, unknown>;
}

async function caseNotes(id: string, args: string): Promise<PageOf<Note>> {
  const r = await asDev(`query N($id: ID!) { person(hmppsId: $id) { caseNotes${args} { totalCount nodes { ${NOTE} } pageInfo { hasNextPage endCursor } } } }`, { id });
  return dataOf(r).caseNotes as PageOf<Note>;
}

async function contacts(id: string, args: string): Promise<PageOf<Contact>> {
  const r = await asDev(`query C($id: ID!) { person(hmppsId: $id) { contactEvents${args} { totalCount nodes { ${CONTACT} } pageInfo { hasNextPage endCursor } } } }`, { id });
  return dataOf(r).contactEvents as PageOf<Contact>;
}

const calls = async (upstream: string, route: string) => (await stack.sims.counters())[upstream]?.[route] ?? 0;
const SEARCH = 'POST /search/case-notes/{personIdentifier}';
const CONTACTS = 'GET /case/{crn}/contacts';

describe('case notes', () => {
  const longLists = person('long-lists');

  it('hundreds of notes, paged by the case notes service: one upstream call per page, every note once, newest first', async () => {
    await stack.sims.resetCounters();
    const seen: Note[] = [];
    let after: string | null = null;
    let pages = 0;
    let total: number;
    do {
      const page: PageOf<Note> = await caseNotes(longLists.crn!, `(first: 100${after ? `, after: "${after}"` : ''})`);
      total = page.totalCount;
      seen.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(total).toBeGreaterThan(300);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((n) => n.id)).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 100));
    expect(await calls('caseNotes', SEARCH)).toBe(pages);
    const times = seen.map((n) => Date.parse(n.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen.every((n) => n.sensitive === false)).toBe(true);
  });

  it('sensitive notes only when asked for (the development consumer is granted them)', async () => {
    const without = await caseNotes(longLists.crn!, '(first: 100)');
    const withSensitive = await caseNotes(longLists.crn!, '(first: 100, includeSensitive: true)');
    expect(withSensitive.totalCount).toBeGreaterThan(without.totalCount);
    expect(withSensitive.nodes.some((n) => n.sensitive)).toBe(true);
  });

  it('by type and sub-type, and by date (London days, inclusive)', async () => {
    const cab = await caseNotes(longLists.crn!, '(types: [{type: "CAB", subTypes: ["EDUCATION"]}], first: 100)');
    expect(cab.totalCount).toBeGreaterThan(0);
    expect(cab.nodes.every((n) => n.type.code === 'CAB' && n.subType.code === 'EDUCATION')).toBe(true);
    const all = await caseNotes(longLists.crn!, '(first: 100)');
    const day = all.nodes[30]!.occurredAt.slice(0, 10);
    const onDay = await caseNotes(longLists.crn!, `(from: "${day}", to: "${day}", first: 100)`);
    expect(onDay.totalCount).toBeGreaterThan(0);
    expect(onDay.nodes.every((n) => n.occurredAt.slice(0, 10) === day)).toBe(true);
    const r = await asDev(`{ person(hmppsId: "${longLists.crn!}") { caseNotes(from: "2026-02-02", to: "2026-01-01") { totalCount } } }`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a cursor that is not on a page boundary reads the two pages it spans; a cursor from another question is refused', async () => {
    const first = await caseNotes(longLists.crn!, '(first: 7)');
    const second = await caseNotes(longLists.crn!, `(first: 10, after: "${first.pageInfo.endCursor!}")`);
    const reference = await caseNotes(longLists.crn!, '(first: 17)');
    expect([...first.nodes, ...second.nodes].map((n) => n.id)).toEqual(reference.nodes.map((n) => n.id));
    const r = await asDev(`{ person(hmppsId: "${longLists.crn!}") { caseNotes(types: [{type: "NEG"}], after: "${first.pageInfo.endCursor!}") { totalCount } } }`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('none for a prisoner without notes; null for a person not known to prison', async () => {
    expect((await caseNotes(person('many-alerts').prisonNumber!, '')).totalCount).toBe(0);
    const r = await asDev(`{ person(hmppsId: "${person('probation-only').crn!}") { caseNotes { totalCount } } }`);
    expect(dataOf(r).caseNotes).toBeNull();
  });

  it('the same person twice in persons asks the case notes service once', async () => {
    await stack.sims.resetCounters();
    const ids = [person('linked').crn!, person('linked').prisonNumber!, person('released').crn!];
    const r = await postGraphQL(
      stack.gateway.consumerUrl,
      { query: 'query P($ids: [ID!]!) { persons(hmppsIds: $ids) { caseNotes(first: 5) { totalCount } } }', variables: { ids } },
      { ca: stack.certs.ca, ...stack.certs.client.devConsumer },
    );
    expect(r.body.errors).toBeUndefined();
    expect(await calls('caseNotes', SEARCH)).toBe(2);
  });
});

describe('probation contact events', () => {
  const mappa = person('hyphen-name');

  it('paged by Delius, newest first, one upstream call per page', async () => {
    await stack.sims.resetCounters();
    const first = await contacts(mappa.crn!, '(first: 50)');
    const second = await contacts(mappa.crn!, `(first: 50, after: "${first.pageInfo.endCursor!}")`);
    expect(first.totalCount).toBe(150);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const ids = [...first.nodes, ...second.nodes].map((c) => c.id);
    expect(new Set(ids).size).toBe(100);
    const times = [...first.nodes, ...second.nodes].map((c) => Date.parse(c.contactDate));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await calls('deliusIntegration', CONTACTS)).toBe(2);
  });

  it('by type and by date, filtered by the gateway over Delius pages', async () => {
    const all = await contacts(mappa.crn!, '(first: 100)');
    const visits = await contacts(mappa.crn!, '(types: ["IVSP"], first: 100)');
    expect(visits.totalCount).toBeGreaterThan(0);
    expect(visits.nodes.every((c) => c.type.code === 'IVSP')).toBe(true);
    const day = all.nodes[20]!.contactDate.slice(0, 10);
    const fromDay = await contacts(mappa.crn!, `(from: "${day}", first: 100)`);
    expect(fromDay.nodes.every((c) => c.contactDate.slice(0, 10) >= day)).toBe(true);
    expect(fromDay.totalCount).toBe(all.nodes.filter((c) => c.contactDate.slice(0, 10) >= day).length);
  });

  it('one contact by id, as listed; null for an id not on the case', async () => {
    const listed = (await contacts(mappa.crn!, '(first: 1)')).nodes[0]!;
    const r = await asDev(`query C($id: ID!, $c: ID!) { person(hmppsId: $id) { contactEvent(id: $c) { ${CONTACT} } other: contactEvent(id: "1") { id } } }`, { id: mappa.crn!, c: listed.id });
    const p = dataOf(r);
    expect(p.contactEvent).toEqual(listed);
    expect(p.other).toBeNull();
  });

  it('none for a case without MAPPA; null for a person not known to probation', async () => {
    expect((await contacts(person('linked').crn!, '')).totalCount).toBe(0);
    const r = await asDev(`{ person(hmppsId: "${person('prison-only').prisonNumber!}") { contactEvents { totalCount } } }`);
    expect(dataOf(r).contactEvents).toBeNull();
  });
});

describe('limited-access details', () => {
  const query = 'query L($id: ID!) { person(hmppsId: $id) { limitedAccess { excluded restricted details { exclusionMessage excludedFrom restrictionMessage restrictedTo } } } }';

  it('who is excluded or restricted, and the messages; Delius is not asked about other cases', async () => {
    const excluded = dataOf(await asDev(query, { id: person('excluded').crn! })).limitedAccess as Record<string, unknown>;
    expect(excluded).toMatchObject({ excluded: true, details: { restrictedTo: [], restrictionMessage: null } });
    expect((excluded.details as { excludedFrom: string[] }).excludedFrom.length).toBeGreaterThan(0);
    const restricted = dataOf(await asDev(query, { id: person('restricted').crn! })).limitedAccess as Record<string, unknown>;
    expect(restricted).toMatchObject({ restricted: true, details: { excludedFrom: [], exclusionMessage: null } });
    expect((restricted.details as { restrictionMessage: string }).restrictionMessage).toEqual(expect.any(String));
    await stack.sims.resetCounters();
    const linked = dataOf(await asDev(query, { id: person('linked').crn! })).limitedAccess;
    expect(linked).toEqual({ excluded: false, restricted: false, details: null });
    expect(await calls('deliusIntegration', 'GET /case/{crn}/access-limitations')).toBe(0);
  });
});

describe('partial results', () => {
  it('a failing case notes service nulls only caseNotes, with a typed error at its path', async () => {
    await stack.sims.setFault('caseNotes', { outage: true });
    try {
      const r = await asDev(`{ person(hmppsId: "${person('linked').crn!}") { firstName caseNotes { totalCount } contactEvents { totalCount } } }`);
      expect(r.status).toBe(200);
      const p = r.body.data?.person as Record<string, unknown>;
      expect(p.firstName).toEqual(expect.any(String));
      expect(p.caseNotes).toBeNull();
      expect(p.contactEvents).toEqual({ totalCount: 0 });
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors?.[0]).toMatchObject({ path: ['person', 'caseNotes'], extensions: { code: 'UPSTREAM_UNAVAILABLE', area: 'prison' } });
    } finally {
      await stack.sims.setFault('caseNotes', {});
    }
  });

  it('a lying case notes service is UPSTREAM_INVALID_RESPONSE at the field, never an empty list', async () => {
    await stack.sims.setFault('caseNotes', { drift: 'types' });
    try {
      const r = await asDev(`{ person(hmppsId: "${person('linked').crn!}") { firstName caseNotes { totalCount } } }`);
      expect((r.body.data?.person as Record<string, unknown>).caseNotes).toBeNull();
      expect(r.body.errors?.[0]).toMatchObject({ path: ['person', 'caseNotes'], extensions: { code: 'UPSTREAM_INVALID_RESPONSE' } });
    } finally {
      await stack.sims.setFault('caseNotes', {});
    }
  });
});

describe('full profile with every case-record area, for the well-known people', () => {
  it('answers without an error for every well-known person (abridged answer printed)', async () => {
    const query = `query Full($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName lastName knownToPrison knownToProbation
      limitedAccess { excluded restricted details { exclusionMessage excludedFrom restrictionMessage restrictedTo } }
      caseNotes(first: 2, includeSensitive: true) { totalCount nodes { type { code } subType { code } occurredAt sensitive text } }
      contactEvents(first: 2) { totalCount nodes { id contactDate type { code } outcome { code } notes } } } }`;
    const ids = people.people.map((p) => p.crn ?? p.prisonNumber!);
    const r = await asDev(query, { ids });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const answers = r.body.data?.persons as Array<Record<string, any>>;
    const abridged = answers.map((p) => ({
      who: `${p.hmppsId} ${p.firstName} ${p.lastName}`,
      limitedAccess: p.limitedAccess,
      caseNotes: p.caseNotes ? { totalCount: p.caseNotes.totalCount, first: p.caseNotes.nodes[0] ?? null } : null,
      contactEvents: p.contactEvents ? { totalCount: p.contactEvents.totalCount, first: p.contactEvents.nodes[0] ?? null } : null,
    }));
    console.log(JSON.stringify(abridged, null, 1));
    expect(abridged.find((p) => p.who.startsWith(person('long-lists').crn!))?.caseNotes?.totalCount).toBeGreaterThan(300);
  });
});
