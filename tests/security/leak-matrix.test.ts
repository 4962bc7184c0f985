/**
 * End to end against the real gateway process, real client certificates and the real simulators,
 * with the sample policy (policy/sample.yaml, five roles): the leak matrix generated from the live
 * schema (refused, and the simulators saw nothing), people outside a consumer's filters through
 * person / persons / searchPersons (byte-for-byte like an unknown id), redactions on every path, and
 * the audit events those requests leave.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadPolicy } from '../../src/auth/policy.js';
import { MASK } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';
import { REPO_ROOT, wellKnownPeople, wellKnownPerson } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates, type Client } from '../../local-stack/consumer-identities.js';
import { upstreamCalls } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';
import { INTROSPECTION_PROBES, probesFor, VARIANTS, type Probe } from './support/matrix.js';

const POLICY_FILE = join(REPO_ROOT, 'policy', 'sample.yaml');
const people = wellKnownPeople();
const person = wellKnownPerson;
const unknown = people.unknown;

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: () => ({ file: POLICY_FILE }),
  // The background health checks (a real token request every 15 s by default) are not requests a probe
  // caused: with more coordinates the matrix outlasts one interval, so they are kept out of its window.
  env: { AUDIT_HASH_KEY: 'a-test-audit-key-that-is-long-enough-0123', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'police-force', 'probation-partner', 'schema-explorer']);

describe('leak matrix over HTTPS: nothing a policy does not grant can be selected, however it is written', () => {
  const schema = buildSchema();
  const policy = loadPolicy(POLICY_FILE, schema);
  // Every ungranted coordinate of every consumer, plainly and in one more variant (rotating, so every
  // variant is used on every consumer); the in-process matrix (gate.test.ts) runs all combinations.
  const probes: Probe[] = [];
  for (const name of ['prison-operator', 'police-force', 'probation-partner', 'schema-explorer']) {
    const all = probesFor(schema, name, policy.consumer(name)!.coordinates);
    const targets = [...new Set(all.map((p) => p.target))];
    targets.forEach((target, i) => {
      const mine = all.filter((p) => p.target === target);
      const rotating = VARIANTS[1 + (i % (VARIANTS.length - 1))];
      probes.push(...mine.filter((p) => p.variant === 'plain' || p.variant === rotating));
    });
  }

  it('every probe is refused with 403 FORBIDDEN naming the coordinate, no data, and no upstream request', async () => {
    expect(new Set(probes.map((p) => p.variant)).size).toBe(VARIANTS.length);
    expect(probes.length).toBeGreaterThan(500);
    await stack.sims.resetCounters();
    const failures: string[] = [];
    const queue = [...probes];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let probe = queue.shift(); probe; probe = queue.shift()) {
          const r = await as(probe.consumer).gql(probe.query, probe.variables, probe.operationName);
          const error = r.body.errors?.[0];
          const ok = r.status === 403 && error?.extensions?.code === 'FORBIDDEN' && r.body.data === undefined
            && ((error.extensions.coordinates as string[]) ?? []).includes(probe.target);
          if (!ok) failures.push(`${probe.consumer} ${probe.target} ${probe.variant}: ${r.status} ${r.raw.slice(0, 200)}`);
        }
      }),
    );
    for (const query of INTROSPECTION_PROBES) {
      const r = await as('police-force').gql(query);
      if (r.status !== 403 || r.body.errors?.[0]?.extensions?.code !== 'FORBIDDEN') failures.push(`introspection ${query}: ${r.status}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  }, 120_000);

  it('a consumer allowed to introspect may (the schema, never data), and nobody else may', async () => {
    const r = await as('schema-explorer').gql('{ __schema { queryType { name } } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('people outside a consumer’s filters look exactly like people who do not exist', () => {
  const PERSON = 'query P($id: ID!) { person(hmppsId: $id) { hmppsId firstName lastName } }';
  const PERSONS = 'query P($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName } }';
  const SEARCH = 'query S($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount nodes { hmppsId firstName } pageInfo { hasNextPage endCursor } } }';

  it('person: a prisoner in another prison is byte-for-byte an unknown id (prison filter)', async () => {
    const visible = await as('prison-operator').gql(PERSON, { id: person('linked').prisonNumber });
    expect(visible.body.data?.person).toMatchObject({ firstName: person('linked').firstName });
    for (const id of [person('other-prison').prisonNumber, person('other-prison').crn]) {
      const outside = await as('prison-operator').gql(PERSON, { id });
      const nobody = await as('prison-operator').gql(PERSON, { id: unknown.prisonNumber });
      expect(outside.status).toBe(nobody.status);
      expect(outside.raw).toBe(nobody.raw);
      expect(outside.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('person: a probation-only person is invisible to a prisons-only consumer; a prisoner to a probation-only consumer', async () => {
    const [a, b] = await Promise.all([
      as('prison-operator').gql(PERSON, { id: person('probation-only').crn }),
      as('prison-operator').gql(PERSON, { id: unknown.crn }),
    ]);
    expect(a.raw).toBe(b.raw);
    const [c, d] = await Promise.all([
      as('probation-partner').gql(PERSON, { id: person('prison-only').prisonNumber }),
      as('probation-partner').gql(PERSON, { id: unknown.prisonNumber }),
    ]);
    expect(c.raw).toBe(d.raw);
  });

  it('persons: the out-of-scope entry is null with NOT_FOUND at its position, as an unknown id would be', async () => {
    const outside = await as('prison-operator').gql(PERSONS, { ids: [person('linked').prisonNumber, person('other-prison').prisonNumber] });
    const nobody = await as('prison-operator').gql(PERSONS, { ids: [person('linked').prisonNumber, unknown.prisonNumber] });
    expect(outside.raw).toBe(nobody.raw);
    expect((outside.body.data?.persons as unknown[])[1]).toBeNull();
  });

  it('searchPersons: an out-of-scope person is not found, counted or paged, as if no one matched', async () => {
    const other = person('other-prison');
    const outside = await as('prison-operator').gql(SEARCH, { c: { lastName: other.lastName, dateOfBirth: other.dateOfBirth } });
    const nobody = await as('prison-operator').gql(SEARCH, { c: { lastName: 'Zzyzzyxx', dateOfBirth: other.dateOfBirth } });
    expect(outside.body.errors).toBeUndefined();
    expect(outside.raw).toBe(nobody.raw);
    const inScope = person('linked');
    const found = await as('prison-operator').gql(SEARCH, { c: { lastName: inScope.lastName, dateOfBirth: inScope.dateOfBirth } });
    expect((found.body.data?.searchPersons as { nodes: Array<{ hmppsId: string }> }).nodes.map((n) => n.hmppsId)).toContain(inScope.crn);
  });

  it('searchPersons: the supervision-status filter hides prisoners from a probation-only consumer, count included', async () => {
    const prisoner = person('prison-only');
    const outside = await as('probation-partner').gql(SEARCH, { c: { lastName: prisoner.lastName, dateOfBirth: prisoner.dateOfBirth } });
    const nobody = await as('probation-partner').gql(SEARCH, { c: { lastName: 'Zzyzzyxx', dateOfBirth: prisoner.dateOfBirth } });
    expect(outside.raw).toBe(nobody.raw);
  });

  it('alerts: only the codes the consumer may see, whatever it asks for', async () => {
    const query = 'query A($id: ID!, $codes: [String!]) { person(hmppsId: $id) { alerts(first: 100, codes: $codes) { totalCount nodes { code } } } }';
    const all = await as('prison-operator').gql(query, { id: person('many-alerts').prisonNumber });
    expect(all.body.errors).toBeUndefined();
    const page = (all.body.data?.person as { alerts: { totalCount: number; nodes: Array<{ code: string }> } }).alerts;
    expect(page.totalCount).toBeGreaterThan(0);
    expect(new Set(page.nodes.map((n) => n.code))).toEqual(new Set(page.nodes.map((n) => n.code).filter((c) => ['HA', 'XA', 'XEL', 'XSA'].includes(c))));
    const asked = await as('prison-operator').gql(query, { id: person('many-alerts').prisonNumber, codes: ['MAS', 'RDV'] });
    expect((asked.body.data?.person as { alerts: { totalCount: number } }).alerts.totalCount).toBe(0);
  });
});

describe('federation: Query._entities (what a router asks) follows exactly the rules of Query.person', () => {
  const ENTITIES = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Person { hmppsId firstName lastName } } }';
  const ref = (hmppsId: string) => ({ __typename: 'Person', hmppsId });

  it('filtered: a person outside the consumer’s filters is byte-for-byte an unknown one (null + NOT_FOUND at its position)', async () => {
    const visible = await as('prison-operator').gql(ENTITIES, { r: [ref(person('linked').prisonNumber!)] });
    expect(visible.body.errors).toBeUndefined();
    expect((visible.body.data?._entities as Array<{ firstName: string }>)[0]!.firstName).toBe(person('linked').firstName);
    for (const id of [person('other-prison').prisonNumber!, person('other-prison').crn!, person('probation-only').crn!]) {
      const outside = await as('prison-operator').gql(ENTITIES, { r: [ref(person('linked').prisonNumber!), ref(id)] });
      const nobody = await as('prison-operator').gql(ENTITIES, { r: [ref(person('linked').prisonNumber!), ref(unknown.prisonNumber)] });
      expect(outside.status).toBe(nobody.status);
      expect(outside.raw).toBe(nobody.raw);
    }
  });

  it('unknown: null with the NOT_FOUND error of person(hmppsId), at _entities.<i>', async () => {
    const r = await as('prison-operator').gql(ENTITIES, { r: [ref(unknown.prisonNumber), ref(person('linked').prisonNumber!)] });
    const direct = await as('prison-operator').gql('query P($id: ID!) { person(hmppsId: $id) { hmppsId } }', { id: unknown.prisonNumber });
    expect(r.status).toBe(200);
    const entities = r.body.data?._entities as unknown[];
    expect(entities[0]).toBeNull();
    expect(entities[1]).toMatchObject({ firstName: person('linked').firstName });
    expect(r.body.errors).toHaveLength(1);
    const { path, locations: _l, ...error } = r.body.errors![0]! as Record<string, unknown>;
    const { path: _p, locations: _l2, ...directError } = direct.body.errors![0]! as Record<string, unknown>;
    expect(path).toEqual(['_entities', 0]);
    expect(error).toEqual(directError);
  });

  it('redacted: limited-access people are masked and removed through _entities as through person', async () => {
    for (const key of ['restricted', 'excluded']) {
      const p = person(key);
      const r = await as('police-force').gql(
        'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Person { firstName dateOfBirth identifiers { pncNumber } contactDetails { emails } } } }',
        { r: [ref(p.crn!)] },
      );
      expect({ key, errors: r.body.errors }).toEqual({ key, errors: undefined });
      const got = (r.body.data?._entities as Array<Record<string, unknown>>)[0]!;
      const { identifiers, ...rest } = got as { identifiers: { pncNumber: string | null } };
      expect({ key, rest }).toEqual({ key, rest: { firstName: MASK, dateOfBirth: null, contactDetails: null } });
      expect([null, MASK]).toContain(identifiers.pncNumber);
      expect(r.raw).not.toContain(p.firstName);
    }
  });

  it('ungranted field: refused before anything runs (403 naming it), the simulators see nothing', async () => {
    await stack.sims.resetCounters();
    const r = await as('police-force').gql('query E($r: [_Any!]!) { _entities(representations: $r) { ... on Person { firstName prison { prisonId } } } }', {
      r: [ref(person('linked').prisonNumber!)],
    });
    expect(r.status).toBe(403);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors?.[0]?.extensions?.coordinates).toEqual(['Person.prison', 'PrisonDetails.prisonId']);
    const ungranted = await as('probation-partner').gql(ENTITIES, { r: [ref(person('linked').crn!)] });
    expect(ungranted.status).toBe(403);
    expect(ungranted.body.errors?.[0]?.extensions?.coordinates).toEqual(['Query._entities']);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  });

  it('_service is served only to a consumer granted it, and gives the subgraph SDL with the Person key', async () => {
    const denied = await as('police-force').gql('{ _service { sdl } }');
    expect(denied.status).toBe(403);
    expect(denied.body.errors?.[0]?.extensions?.coordinates).toEqual(['Query._service', '_Service.sdl']);
    const granted = await as('schema-explorer').gql('{ _service { sdl } }');
    expect(granted.status).toBe(200);
    expect((granted.body.data?._service as { sdl: string }).sdl).toMatch(/type Person\s+@key\(fields: "hmppsId"\)/);
  });

  it('no federated trace (ftv1) for anyone who asks: field timings and error details stay inside', async () => {
    const r = await as('police-force').gql(ENTITIES, { r: [ref(person('linked').crn!), ref(unknown.crn)] }, undefined, { 'apollo-federation-include-trace': 'ftv1' });
    expect(r.status).toBe(200);
    expect((r.body as { extensions?: unknown }).extensions).toBeUndefined();
    expect(r.raw).not.toContain('ftv1');
  });

  it('limits: representations count like ids (cost), and more than the cost limit allows is refused', async () => {
    const selection = '... on Person { firstName a: aliases { firstName middleNames lastName dateOfBirth gender } b: aliases { firstName middleNames lastName dateOfBirth gender } c: aliases { firstName middleNames lastName dateOfBirth gender } d: aliases { firstName middleNames lastName dateOfBirth gender } }';
    const query = `query E($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;
    const one = await as('police-force').gql(query, { r: [ref(person('linked').prisonNumber!)] });
    expect(one.status).toBe(200);
    // 1,000 representations x (1 + 1 + 4 x 5 x 6) = 122,000 > MAX_QUERY_COST 100,000.
    const r = await as('police-force').gql(query, { r: Array.from({ length: 1000 }, () => ref(person('linked').prisonNumber!)) });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
  });
});

describe('what you may not read, you may not search by', () => {
  const SEARCH = 'query S($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount nodes { hmppsId lastName } } }';

  it.each<[string, string, Record<string, unknown>, string]>([
    ['a criterion on an always-masked field (PNC number)', 'police-force', { pncNumber: '2011/5485768H' }, 'PersonSearchCriteria.pncNumber'],
    ['a criterion on a field not granted (date of birth)', 'schema-explorer', { lastName: 'Quennell', dateOfBirth: '1984-03-12' }, 'PersonSearchCriteria.dateOfBirth'],
    ['a criterion on a field not granted (PNC number)', 'schema-explorer', { pncNumber: '2011/5485768H' }, 'PersonSearchCriteria.pncNumber'],
    ['an alias criterion on alias fields not granted', 'schema-explorer', { lastName: 'Quennell', includeAliases: true }, 'PersonSearchCriteria.lastName'],
  ])('%s is refused with 403 FORBIDDEN naming it, before any upstream call', async (_label, consumer, criteria, named) => {
    await stack.sims.resetCounters();
    for (const r of [
      await as(consumer).gql(SEARCH, { c: criteria }),
      // Inline, through a fragment: the same.
      await as(consumer).gql(`{ ...Q } fragment Q on Query { searchPersons(criteria: ${JSON.stringify(criteria).replace(/"([a-zA-Z]+)":/g, '$1:')}) { totalCount } }`),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.body.errors?.[0]?.extensions?.coordinates).toContain(named);
    }
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  });

  it('the same criteria are served to a consumer that may read the field', async () => {
    const p = person('linked');
    const r = await as('prison-operator').gql(SEARCH, { c: { lastName: p.lastName, dateOfBirth: p.dateOfBirth } });
    expect(r.body.errors).toBeUndefined();
  });

  it.each(['restricted', 'excluded'])('%s (limited access): a criterion on a field masked for them neither finds nor counts them', async (key) => {
    const p = person(key);
    // police-force masks first names of limited-access people: searching by the real one must not confirm it.
    const right = await as('police-force').gql(SEARCH, { c: { firstName: p.firstName, lastName: p.lastName } });
    const wrong = await as('police-force').gql(SEARCH, { c: { firstName: 'Zzyzzyxx', lastName: p.lastName } });
    expect(right.body.errors).toBeUndefined();
    expect(right.raw).toBe(wrong.raw);
    expect(right.raw).not.toContain(p.crn!);
    // By the last name alone (not redacted for them) they are found, their first name masked.
    const byLastName = await as('police-force').gql('query S($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { nodes { hmppsId firstName } } }', { c: { lastName: p.lastName } });
    const nodes = (byLastName.body.data?.searchPersons as { nodes: Array<{ hmppsId: string; firstName: string }> }).nodes;
    expect(nodes.find((n) => n.hmppsId === p.crn)?.firstName).toBe(MASK);
  });
});

describe('redactions apply on every path to a field', () => {
  const FIELDS = 'hmppsId firstName dateOfBirth identifiers { pncNumber } aliases { firstName lastName dateOfBirth } addresses { street town postcode } contactDetails { emails }';
  const lao = ['restricted', 'excluded'];

  type P = { firstName: string | null; dateOfBirth: string | null; identifiers: { pncNumber: string | null }; aliases: Array<{ firstName: string | null; dateOfBirth: string | null }>; addresses: Array<{ street: string | null; postcode: string | null }> | null; contactDetails: unknown };
  const expectRedacted = (p: P, limited: boolean, label: string) => {
    expect({ label, pnc: p.identifiers.pncNumber === null || p.identifiers.pncNumber === MASK }).toEqual({ label, pnc: true });
    if (!limited) {
      expect({ label, firstName: p.firstName }).not.toEqual({ label, firstName: MASK });
      return;
    }
    expect({ label, firstName: p.firstName, dateOfBirth: p.dateOfBirth, contactDetails: p.contactDetails }).toEqual({ label, firstName: MASK, dateOfBirth: null, contactDetails: null });
    for (const a of p.aliases) expect({ label, alias: [a.firstName === null || a.firstName === MASK, a.dateOfBirth] }).toEqual({ label, alias: [true, null] });
    for (const a of p.addresses ?? []) expect({ label, address: [a.street === null || a.street === MASK, a.postcode] }).toEqual({ label, address: [true, null] });
  };

  it.each(lao)('%s (limited access): masked and removed through person, persons, search, aliases and fragments', async (key) => {
    const p = person(key);
    const id = p.crn!;
    const police = as('police-force');
    const paths: Array<[string, Promise<ReturnType<Client['gql']> extends Promise<infer R> ? R : never>, (d: Record<string, any>) => P[]]> = [
      ['person', police.gql(`query($id: ID!) { person(hmppsId: $id) { ${FIELDS} } }`, { id }), (d) => [d.person]],
      ['persons', police.gql(`query($ids: [ID!]!) { persons(hmppsIds: $ids) { ${FIELDS} } }`, { ids: [id] }), (d) => d.persons],
      ['alias + named fragment', police.gql(`query($id: ID!) { who: person(hmppsId: $id) { ...F } } fragment F on Person { ${FIELDS} }`, { id }), (d) => [d.who]],
      ['inline fragment', police.gql(`query($id: ID!) { person(hmppsId: $id) { ... on Person { ${FIELDS} } } }`, { id }), (d) => [d.person]],
      ['search', police.gql(`query($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { nodes { hmppsId firstName } } }`, { c: { lastName: p.lastName } }),
        (d) => d.searchPersons.nodes.filter((n: { hmppsId: string }) => n.hmppsId === id).map((n: P) => ({ ...n, dateOfBirth: null, identifiers: { pncNumber: null }, aliases: [], addresses: [], contactDetails: null }))],
    ];
    for (const [label, pending, pick] of paths) {
      const r = await pending;
      expect({ label, errors: r.body.errors }).toEqual({ label, errors: undefined });
      const found = pick(r.body.data as Record<string, any>);
      expect({ label, found: found.length }).toEqual({ label, found: 1 });
      expectRedacted(found[0]!, true, label);
    }
    expect(JSON.stringify(await Promise.all(paths.map(([, pending]) => pending)))).not.toContain(p.firstName);
  });

  it('a person without limited access is not masked, except the always-masked PNC number', async () => {
    const p = person('linked');
    const r = await as('police-force').gql(`query($id: ID!) { person(hmppsId: $id) { ${FIELDS} } }`, { id: p.crn });
    const got = r.body.data?.person as P;
    expect(got.firstName).toBe(p.firstName);
    expect(got.dateOfBirth).toBe(p.dateOfBirth);
    expectRedacted(got, false, 'linked');
    if (p.pncNumber) expect(got.identifiers.pncNumber).toBe(MASK);
  });

  it('the same people through a consumer without those redactions are not masked', async () => {
    const p = person('restricted');
    const r = await as('probation-partner').gql('query($id: ID!) { person(hmppsId: $id) { firstName dateOfBirth } }', { id: p.crn });
    if (r.body.data?.person) expect(r.body.data.person).toEqual({ firstName: p.firstName, dateOfBirth: p.dateOfBirth });
  });
});

describe('audit', () => {
  it('one event per request that touched person data: consumer, operation (by hash: not trusted documents), ids; search criteria hashed, never names', async () => {
    const before = stack.gateway.logs.length;
    const p = person('linked');
    const documents = {
      search: 'query FindPerson($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { nodes { hmppsId } } }',
      one: 'query One($id: ID!) { person(hmppsId: $id) { hmppsId } }',
      nothing: 'query Nothing { __typename }',
      typo: 'query Typo($id: ID!) { person(hmppsId: $id) { hmppsId } }',
      entities: 'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on Person { hmppsId } } }',
    };
    const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
    await as('police-force').gql(documents.search, { c: { firstName: p.firstName, lastName: p.lastName, dateOfBirth: p.dateOfBirth } });
    await as('police-force').gql(documents.one, { id: p.crn });
    await as('police-force').gql(documents.nothing);
    await as('police-force').gql(documents.typo, { id: 'John Smith' });
    await as('police-force').gql(documents.entities, { r: [{ __typename: 'Person', hmppsId: p.crn }, { __typename: 'Person', hmppsId: 'John Smith' }] });
    // Log lines reach us a moment after the responses they describe.
    // (Lines of earlier tests may still arrive: only this test's operations count, found by their document hash.)
    const wanted = [documents.search, documents.one, documents.typo, documents.entities].map(hashOf);
    const auditLines = () =>
      stack.gateway.logs
        .slice(before)
        .filter((l) => l.includes('"log":"audit"') && l.includes('"event":"person-data-access"'))
        .map((l) => JSON.parse(l) as Record<string, any>)
        .filter((e) => wanted.includes(e.operationHash))
        .sort((a, b) => wanted.indexOf(a.operationHash) - wanted.indexOf(b.operationHash));
    for (const until = Date.now() + 5000; auditLines().length < 4 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    const events = auditLines();
    expect(events).toHaveLength(4);
    expect(stack.gateway.logs.slice(before).some((l) => l.includes('"log":"audit"') && l.includes(hashOf(documents.nothing)))).toBe(false);
    // None of these is one of police-force's trusted documents: its (consumer-chosen) name stays out of the log.
    expect(stack.gateway.logs.slice(before).filter((l) => /FindPerson|"One"|Typo|"Entities"/.test(l))).toEqual([]);
    const [search, one, typo, entities] = events as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
    expect(search).toMatchObject({ event: 'person-data-access', consumer: 'police-force', operationName: null, operationHash: hashOf(documents.search), outcome: 'ok' });
    expect(search.rootFields[0].field).toBe('Query.searchPersons');
    expect(search.rootFields[0].criteria.criteria).toEqual({
      firstName: expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      lastName: expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      dateOfBirth: expect.stringMatching(/^hmac:[0-9a-f]{32}$/),
      includeAliases: false,
    });
    expect(search.returnedHmppsIds).toContain(p.crn);
    expect(one).toMatchObject({ operationName: null, rootFields: [{ field: 'Query.person', requestedHmppsIds: [p.crn] }], returnedHmppsIds: [p.crn] });
    expect(typo).toMatchObject({ rootFields: [{ requestedHmppsIds: [], malformedIds: 1 }], outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
    // A router's entity request is audited like persons: the ids asked for (a malformed one counted, never written) and returned.
    expect(entities).toMatchObject({
      rootFields: [{ field: 'Query._entities', requestedHmppsIds: [p.crn], malformedIds: 1, criteria: {} }],
      returnedHmppsIds: [p.crn],
      outcome: 'partial',
      errorCodes: ['BAD_USER_INPUT'],
    });
    const text = events.map((e) => JSON.stringify(e)).join('\n');
    for (const secret of [p.firstName, p.lastName, p.dateOfBirth, 'John Smith']) expect(text).not.toContain(secret);
  });
});
