/**
 * End to end: the real gateway process over HTTPS with real client certificates, against the real
 * simulator processes.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loggedLine } from '../../local-stack/gateway.js';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, wellKnownPerson } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

const people = wellKnownPeople();
const person = wellKnownPerson;

const PERSON_FIELDS = `hmppsId firstName middleNames lastName dateOfBirth gender knownToPrison knownToProbation
  identifiers { crn prisonNumber mergedFromPrisonNumber pncNumber croNumber }
  aliases { firstName lastName dateOfBirth }`;

const stack = useGatewayStack();

const asDev = (query: string, variables?: Record<string, unknown>) =>
  postGraphQL(stack.gateway.consumerUrl, { query, variables }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });

const personQuery = (id: string, fields = PERSON_FIELDS) => asDev(`query P($id: ID!) { person(hmppsId: $id) { ${fields} } }`, { id });

function personOf(result: GraphQLResult): Record<string, unknown> {
  expect(result.status).toBe(200);
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.person as Record<string, unknown>;
}

function totalCalls(counters: Record<string, Record<string, number>>): number {
  return Object.entries(counters)
    .filter(([upstream]) => !upstream.startsWith('_') && upstream !== 'auth')
    .reduce((sum, [, routes]) => sum + Object.values(routes).reduce((a, b) => a + b, 0), 0);
}

describe('a consumer with a valid client certificate', () => {
  it('gets a linked person by CRN and by prison number, with both identifiers and the same data', async () => {
    const linked = person('linked');
    const byCrn = personOf(await personQuery(linked.crn!));
    const byPrisonNumber = personOf(await personQuery(linked.prisonNumber!));
    expect(byCrn).toMatchObject({
      hmppsId: linked.crn,
      firstName: linked.firstName,
      lastName: linked.lastName,
      dateOfBirth: linked.dateOfBirth,
      knownToPrison: true,
      knownToProbation: true,
      identifiers: { crn: linked.crn, prisonNumber: linked.prisonNumber, mergedFromPrisonNumber: null },
    });
    expect(byPrisonNumber).toEqual(byCrn);
  });

  it('links a person the core person record does not know, through the source systems', async () => {
    const p = person('linked-no-cpr');
    for (const id of [p.crn!, p.prisonNumber!]) {
      const found = personOf(await personQuery(id));
      expect(found.identifiers).toMatchObject({ crn: p.crn, prisonNumber: p.prisonNumber });
      expect(found.firstName).toBe(p.firstName);
    }
  });

  it('finds prison-only and probation-only people, saying which service knows them', async () => {
    const prisonOnly = personOf(await personQuery(person('prison-only').prisonNumber!));
    expect(prisonOnly).toMatchObject({
      hmppsId: person('prison-only').prisonNumber,
      firstName: person('prison-only').firstName,
      knownToPrison: true,
      knownToProbation: false,
      identifiers: { crn: null },
    });
    const probationOnly = personOf(await personQuery(person('probation-only').crn!));
    expect(probationOnly).toMatchObject({
      hmppsId: person('probation-only').crn,
      firstName: person('probation-only').firstName,
      knownToPrison: false,
      knownToProbation: true,
      identifiers: { prisonNumber: null },
    });
  });

  it('finds the surviving record by a merged (old) prison number', async () => {
    const merged = person('merged');
    const old = merged.mergedPrisonNumbers[0]!;
    const found = personOf(await personQuery(old));
    expect(found.firstName).toBe(merged.firstName);
    expect(found.identifiers).toMatchObject({ prisonNumber: merged.prisonNumber, mergedFromPrisonNumber: old });
  });

  it('returns names with hyphens, apostrophes and non-ASCII letters exactly', async () => {
    for (const key of ['hyphen-name', 'apostrophe-name', 'non-ascii-name']) {
      const p = person(key);
      const found = personOf(await personQuery((p.crn ?? p.prisonNumber)!, 'firstName lastName'));
      expect(found).toEqual({ firstName: p.firstName, lastName: p.lastName });
    }
  });

  it('returns aliases from the records', async () => {
    const p = person('aliases');
    const found = personOf(await personQuery((p.crn ?? p.prisonNumber)!));
    expect((found.aliases as unknown[]).length).toBeGreaterThan(0);
  });

  it('refuses a malformed id with BAD_USER_INPUT before any upstream call', async () => {
    await stack.sims.resetCounters();
    for (const bad of ['X12345', 'DROP TABLE', '2012/0123456A', '']) {
      const result = await personQuery(bad);
      expect(result.status).toBe(200);
      expect(result.body.data?.person).toBeNull();
      expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(totalCalls(await stack.sims.counters())).toBe(0);
  });

  it('answers NOT_FOUND for well-formed ids nobody holds', async () => {
    for (const id of [people.unknown.crn, people.unknown.prisonNumber]) {
      const result = await personQuery(id);
      expect(result.body.data?.person).toBeNull();
      expect(result.body.errors).toHaveLength(1);
      expect(result.body.errors?.[0]).toMatchObject({ path: ['person'], extensions: { code: 'NOT_FOUND' } });
    }
  });

  it('rejects a GraphQL variable of the wrong type with a client error, not an internal one', async () => {
    const result = await asDev('query P($id: ID!) { person(hmppsId: $id) { firstName } }', { id: { nested: true } });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('batching', () => {
  it('20 aliased person fields cost at most one request per upstream batch route', async () => {
    const ids = people.people
      .filter((p) => p.key !== 'merged')
      .flatMap((p) => [p.crn, p.prisonNumber])
      .filter((id): id is string => id !== null)
      .slice(0, 20);
    expect(ids).toHaveLength(20);
    expect(ids.some((id) => /^[A-Z]\d{6}$/.test(id)) && ids.some((id) => /^[A-Z]\d{4}[A-Z]{2}$/.test(id))).toBe(true);
    const query = `{ ${ids.map((id, i) => `p${i}: person(hmppsId: "${id}") { hmppsId firstName identifiers { crn prisonNumber } }`).join('\n')} }`;
    await stack.sims.resetCounters();
    const result = await asDev(query);
    expect(result.body.errors).toBeUndefined();
    expect(Object.values(result.body.data ?? {}).every((p) => typeof (p as { firstName?: unknown }).firstName === 'string')).toBe(true);
    const counters = await stack.sims.counters();
    const batchRoutes = {
      prisonerSearch: 'POST /prisoner-search/prisoner-numbers',
      probationSearch: ['POST /crns', 'POST /nomsNumbers'],
    };
    expect(counters.prisonerSearch?.[batchRoutes.prisonerSearch]).toBe(1);
    for (const route of batchRoutes.probationSearch) expect(counters.probationSearch?.[route]).toBe(1);
    // Only the core person record has no batch route: one call per id, bounded concurrency.
    const cprCalls = Object.values(counters.personRecord ?? {}).reduce((a, b) => a + b, 0);
    expect(cprCalls).toBe(20);
    // The merged-record lookup is asked once for all, whether or not any number is merged (issue 14).
    expect(counters.prisonerSearch?.['POST /attribute-search']).toBe(1);
    expect(totalCalls(counters)).toBe(4 + 20);
  });
});

describe('refused connections', () => {
  const query = { query: `{ person(hmppsId: "${person('linked').crn}") { firstName } }` };

  it.each([
    ['no client certificate', () => ({ ca: stack.certs.ca }), 'NO_CLIENT_CERTIFICATE'],
    ['a certificate from another CA with a known CN', () => ({ ca: stack.certs.ca, ...stack.certs.foreignCa }), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['a self-signed certificate with a known CN', () => ({ ca: stack.certs.ca, ...stack.certs.selfSigned }), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])('%s -> 401 UNAUTHENTICATED, no data, reason logged', async (_name, tls, reason) => {
    await stack.sims.resetCounters();
    const result = await postGraphQL(stack.gateway.consumerUrl, query, tls());
    expect(result.status).toBe(401);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(totalCalls(await stack.sims.counters())).toBe(0);
    expect(await loggedLine(stack.gateway, (l) => l.includes('client certificate refused') && l.includes(reason))).toBeDefined();
  });

  it('a verified certificate with no policy gets nothing: FORBIDDEN, no upstream call', async () => {
    await stack.sims.resetCounters();
    const result = await postGraphQL(stack.gateway.consumerUrl, query, { ca: stack.certs.ca, ...stack.certs.client.noPolicy });
    expect(result.status).toBe(403);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(totalCalls(await stack.sims.counters())).toBe(0);
  });

  it('a consumer sees only the fields its policy grants: anything else refuses the whole operation, before any upstream call', async () => {
    const linked = person('linked');
    const police = { ca: stack.certs.ca, ...stack.certs.client.policeDev };
    const allowed = await postGraphQL(stack.gateway.consumerUrl, { query: `{ person(hmppsId: "${linked.crn}") { firstName } }` }, police);
    expect(allowed.body).toEqual({ data: { person: { firstName: linked.firstName } } });
    await stack.sims.resetCounters();
    const result = await postGraphQL(stack.gateway.consumerUrl, { query: `{ person(hmppsId: "${linked.crn}") { firstName dateOfBirth } }` }, police);
    expect(result.status).toBe(403);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'FORBIDDEN', coordinates: ['Person.dateOfBirth'] } }),
    ]);
    expect(totalCalls(await stack.sims.counters())).toBe(0);
  });
});

describe('upstream trouble', () => {
  afterAll(() => stack.sims.clearFaults());

  it('renews the upstream token once when upstreams stop accepting it', async () => {
    await stack.sims.expireTokens();
    const linked = person('linked');
    const found = personOf(await personQuery(linked.crn!, 'firstName'));
    expect(found.firstName).toBe(linked.firstName);
  });

  it('an outage gives a typed error naming the data area, never a host or URL', async () => {
    await stack.sims.setFault('probationSearch', { outage: true });
    try {
      const result = await personQuery(person('probation-only').crn!, 'firstName');
      expect(result.body.data?.person).toBeNull();
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', area: 'probation', retryable: true });
      expect(result.raw).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|http:/);
    } finally {
      await stack.sims.setFault('probationSearch', {});
    }
  });

  it('malformed upstream JSON is an upstream contract fault (UPSTREAM_INVALID_RESPONSE), not an internal error', async () => {
    await stack.sims.setFault('prisonerSearch', { malformedJson: true });
    try {
      const result = await personQuery(person('prison-only').prisonNumber!, 'firstName');
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', area: 'prison', retryable: false });
    } finally {
      await stack.sims.setFault('prisonerSearch', {});
    }
  });
});

describe('management listener', () => {
  it('answers liveness and readiness without a client certificate', async () => {
    await request(stack.gateway.managementUrl).get('/health/liveness').expect(200, { status: 'UP' });
    await request(stack.gateway.managementUrl).get('/health/readiness').expect(200, { status: 'UP' });
  });
});
