/**
 * The execution-time layer (src/auth/shield.ts) in process, on a small schema shaped like ours, with
 * the operation gate deliberately bypassed: what would happen if a forbidden selection ever reached
 * execution. Nothing default-resolved may leak; people outside the filters look like unknown ids;
 * redactions apply wherever a field appears; pre-authorised fields stay synchronous.
 */
import { describe, expect, it } from '@jest/globals';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, execute, parse, type ExecutionResult } from 'graphql';
import { applyMiddlewareToDeclaredResolvers } from 'graphql-middleware';
import { rule, shield } from 'graphql-shield';
import { pino } from 'pino';
import { AuditCollector } from '../../src/auth/audit.js';
import { buildPolicy, MASK, type ConsumerGrant } from '../../src/auth/policy.js';
import { applyAuthorisation, needsLimitedAccessTracking, preAuthorisedFor, schemaSecurityFacts, type SecurityContext } from '../../src/auth/shield.js';
import { UpstreamError } from '../../src/datasources/index.js';

const typeDefs = /* GraphQL */ `
  type Query {
    person(id: ID!): Person
    people(ids: [ID!]!): [Person]!
    search: Results!
  }
  type Results { nodes: [Person!]! total: Int! }
  type Person {
    hmppsId: ID!
    firstName: String
    dateOfBirth: String
    secret: String
    aliases: [Alias!]!
    details: Details
  }
  type Alias { firstName: String, lastName: String }
  type Details { note: String, codes: [String!]! }
`;

interface FakePerson {
  crn: string;
  prisonNumber: string | null;
  requestedPrisonNumber: null;
  prison: { prisonId: string; status: string } | null;
  probation: { underActiveSupervision: boolean; currentExclusion: boolean; currentRestriction: boolean } | null;
  combined: { firstName: string };
  hmppsId: string;
  firstName: string;
  dateOfBirth: string;
  secret: string;
  aliases: Array<{ firstName: string; lastName: string }>;
  details: { note: string; codes: string[] };
}

const fake = (crn: string, prisonId: string, limited = false): FakePerson => ({
  crn,
  prisonNumber: null,
  requestedPrisonNumber: null,
  prison: { prisonId, status: 'ACTIVE IN' },
  probation: { underActiveSupervision: true, currentExclusion: limited, currentRestriction: false },
  combined: { firstName: `First-${crn}` },
  hmppsId: crn,
  firstName: `First-${crn}`,
  dateOfBirth: '1980-01-01',
  secret: `secret-of-${crn}`,
  aliases: [{ firstName: `Alias-${crn}`, lastName: 'Other' }],
  details: { note: `note-of-${crn}`, codes: ['A', 'B'] },
});

const PEOPLE: Record<string, FakePerson & { probationUnavailable?: Error }> = {
  X000001: fake('X000001', 'MDI'),
  X000002: fake('X000002', 'LEI'),
  X000003: fake('X000003', 'MDI', true),
  // Released, and probation search failed: whether a supervision filter hides them cannot be told.
  X000004: { ...fake('X000004', 'OUT'), prison: { prisonId: 'OUT', status: 'INACTIVE OUT' }, probation: null, probationUnavailable: new UpstreamError('probationSearch', '/search', 'unavailable', 503, 'test') },
};

const notFound = () => new GraphQLError('No person was found for this hmppsId.', { extensions: { code: 'NOT_FOUND' } });

// Resolvers that forget the row filters on purpose: the guard must catch what they let through.
const resolvers = {
  Query: {
    person: (_: unknown, { id }: { id: string }) => PEOPLE[id] ?? Promise.reject(notFound()),
    people: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => PEOPLE[id] ?? notFound()),
    search: () => ({ nodes: ['X000001', 'X000002', 'X000003'].map((id) => PEOPLE[id]!), total: 3 }),
  },
  Person: { hmppsId: (p: FakePerson) => p.crn, firstName: (p: FakePerson) => p.combined.firstName },
};

const baseSchema = makeExecutableSchema({ typeDefs, resolvers });
const silent = pino({ level: 'silent' });
const schema = applyAuthorisation(baseSchema, { logger: silent });
const facts = schemaSecurityFacts(baseSchema);

function grantFor(yaml: Record<string, unknown>): ConsumerGrant {
  const policy = buildPolicy('test', { roles: { r: yaml }, consumers: { c: { roles: ['r'] } } }, baseSchema);
  return policy.consumer('c')!;
}

function context(grant: ConsumerGrant): SecurityContext {
  return {
    consumer: { name: 'c', grant, policy: undefined as never },
    rowFilters: grant.rowFilters,
    security: {
      preAuthorised: preAuthorisedFor(grant, facts),
      introspectionAllowed: false,
      audit: new AuditCollector(Buffer.from('k'.repeat(32))),
      limitedAccessByPath: needsLimitedAccessTracking(grant) ? new Map() : null,
    },
  };
}

async function run(query: string, grant: ConsumerGrant, on = schema): Promise<ExecutionResult> {
  return JSON.parse(JSON.stringify(await execute({ schema: on, document: parse(query), contextValue: context(grant) })));
}

const ALL = ['Query.*', 'Person.*', 'Alias.*', 'Details.*', 'Results.*'];

describe('execution-time authorisation with the operation gate bypassed', () => {
  it('the trap it avoids: declared-resolvers-only shield leaks a denied default-resolved field', async () => {
    const trap = applyMiddlewareToDeclaredResolvers(
      baseSchema,
      shield({ Person: { secret: rule()(() => false) } }, { fallbackRule: rule()(() => true) }),
    );
    const result = await execute({ schema: trap, document: parse('{ person(id: "X000001") { secret } }') });
    expect((result.data?.person as { secret: string }).secret).toBe('secret-of-X000001');
  });

  it('a denied default-resolved field is null with FORBIDDEN, at every depth', async () => {
    const grant = grantFor({ grants: ['Query.person', 'Person.hmppsId', 'Person.details', 'Person.aliases', 'Alias.lastName'] });
    const result = await run('{ person(id: "X000001") { hmppsId secret details { note codes } aliases { firstName lastName } } }', grant);
    expect(result.data?.person).toEqual({ hmppsId: 'X000001', secret: null, details: null, aliases: [{ firstName: null, lastName: 'Other' }] });
    const forbidden = (result.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.'));
    // details.codes is non-null, so its denial nulls details as a whole.
    expect(forbidden.sort()).toEqual(['person.aliases.0.firstName', 'person.details.codes', 'person.details.note', 'person.secret'].sort());
    expect(JSON.stringify(result)).not.toMatch(/secret-of|note-of|Alias-X/);
  });

  it('an ungranted root field does not run its resolver', async () => {
    const grant = grantFor({ grants: ['Person.*'] });
    const result = await run('{ person(id: "X000001") { hmppsId } }', grant);
    expect(result.data).toEqual({ person: null });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a person outside the filters is reported exactly like an unknown id, on every path', async () => {
    const grant = grantFor({ grants: ALL, filters: { prisons: ['MDI'] } });
    const outside = await run('{ person(id: "X000002") { hmppsId firstName } }', grant);
    const unknown = await run('{ person(id: "X999999") { hmppsId firstName } }', grant);
    expect(outside).toEqual(unknown);
    expect(outside.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const list = await run('{ people(ids: ["X000001", "X000002", "X999999"]) { hmppsId } }', grant);
    expect(list.data?.people).toEqual([{ hmppsId: 'X000001' }, null, null]);
    expect(list.errors?.map((e) => [e.path, e.message, e.extensions])).toEqual([
      [['people', 1], 'No person was found for this hmppsId.', { code: 'NOT_FOUND' }],
      [['people', 2], 'No person was found for this hmppsId.', { code: 'NOT_FOUND' }],
    ]);

    // `[Person!]!` cannot hold a null: the person is left out rather than the whole result failing.
    const search = await run('{ search { nodes { hmppsId } } }', grant);
    expect(search.data?.search).toEqual({ nodes: [{ hmppsId: 'X000001' }, { hmppsId: 'X000003' }] });
    expect(JSON.stringify(search)).not.toContain('X000002');
  });

  it('a person whose visibility cannot be told (the deciding half failed) is withheld with that failure, never shown or NOT_FOUND', async () => {
    const grant = grantFor({ grants: ALL, filters: { supervisionStatuses: ['NONE'] } });
    const single = await run('{ person(id: "X000004") { hmppsId firstName } }', grant);
    expect(single.data).toEqual({ person: null });
    expect(single.errors?.map((e) => [e.path, e.extensions])).toEqual([[['person'], { code: 'UPSTREAM_UNAVAILABLE', area: 'probation', retryable: true }]]);
    const list = await run('{ people(ids: ["X000004"]) { hmppsId } }', grant);
    expect(list.data?.people).toEqual([null]);
    expect(list.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(JSON.stringify([single, list])).not.toContain('First-X000004');
  });

  it('redactions apply wherever the field appears: aliases, fragments, lists, nested types', async () => {
    const grant = grantFor({
      grants: ALL,
      redactions: [
        { field: 'Person.dateOfBirth', action: 'remove' },
        { field: 'Person.firstName', action: 'mask', limitedAccessOnly: true },
        { field: 'Alias.firstName', action: 'mask', limitedAccessOnly: true },
        { field: 'Details.codes', action: 'mask' },
        { field: 'Person.aliases', action: 'remove', limitedAccessOnly: true },
      ],
    });
    const query = `{
      people(ids: ["X000001", "X000003"]) { ...P }
      search { nodes { a: firstName ... on Person { dob: dateOfBirth } aliases { firstName } } }
      one: person(id: "X000003") { firstName details { codes } }
    }
    fragment P on Person { hmppsId firstName dateOfBirth aliases { firstName lastName } details { codes } }`;
    const result = await run(query, grant);
    expect(result.errors).toBeUndefined();
    const data = result.data as Record<string, any>;
    expect(data.people[0]).toEqual({
      hmppsId: 'X000001', firstName: 'First-X000001', dateOfBirth: null,
      aliases: [{ firstName: 'Alias-X000001', lastName: 'Other' }], details: { codes: [MASK, MASK] },
    });
    // X000003 has limited access: its name is masked and its aliases removed (non-null list -> []).
    expect(data.people[1]).toEqual({ hmppsId: 'X000003', firstName: MASK, dateOfBirth: null, aliases: [], details: { codes: [MASK, MASK] } });
    expect(data.search.nodes.map((n: any) => n.a)).toEqual(['First-X000001', 'First-X000002', MASK]);
    expect(data.search.nodes.every((n: any) => n.dob === null)).toBe(true);
    expect(data.one).toEqual({ firstName: MASK, details: { codes: [MASK, MASK] } });
  });

  it('LAO-only redactions below Person follow the person each value belongs to', async () => {
    const grant = grantFor({ grants: ALL, redactions: [{ field: 'Alias.firstName', action: 'mask', limitedAccessOnly: true }] });
    const result = await run('{ x: people(ids: ["X000003", "X000001"]) { aliases { firstName } } y: search { nodes { aliases { n: firstName } } } }', grant);
    const data = result.data as Record<string, any>;
    expect(data.x.map((p: any) => p.aliases[0].firstName)).toEqual([MASK, 'Alias-X000001']);
    expect(data.y.nodes.map((p: any) => p.aliases[0].n)).toEqual(['Alias-X000001', 'Alias-X000002', MASK]);
  });

  it('granted fields skip shield and stay synchronous (redacted on the way out); root and people fields go through it', () => {
    const grant = grantFor({ grants: ALL, redactions: [{ field: 'Person.dateOfBirth', action: 'remove' }] });
    const pre = preAuthorisedFor(grant, facts);
    expect(pre.get('Alias.firstName')).toBeNull();
    expect(pre.get('Person.secret')).toBeNull();
    expect(pre.get('Person.dateOfBirth')).toEqual({ action: 'remove', limitedAccessOnly: false });
    expect(pre.has('Query.person')).toBe(false); // root field
    expect(pre.has('Results.nodes')).toBe(false); // returns people
    const info = (type: string, field: string) => ({ parentType: { name: type }, fieldName: field, path: { key: field, typename: type } });
    const resolveOf = (type: string, field: string) => (schema.getType(type) as any).getFields()[field].resolve;
    expect(resolveOf('Alias', 'firstName')({ firstName: 'x' }, {}, context(grant), info('Alias', 'firstName'))).toBe('x');
    expect(resolveOf('Person', 'dateOfBirth')(PEOPLE.X000001, {}, context(grant), info('Person', 'dateOfBirth'))).toBeNull();
    const root = resolveOf('Query', 'person')(undefined, { id: 'X000001' }, context(grant), info('Query', 'person'));
    expect(typeof root.then).toBe('function');
    // Without the grant, the same field is decided by shield: denied.
    const none = grantFor({ grants: ['Query.person'] });
    return expect(resolveOf('Alias', 'firstName')({ firstName: 'x' }, {}, context(none), info('Alias', 'firstName'))).resolves.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('records the people returned for the audit event', async () => {
    const grant = grantFor({ grants: ALL, filters: { prisons: ['MDI'] } });
    const ctx = context(grant);
    await execute({ schema, document: parse('{ people(ids: ["X000001", "X000002"]) { hmppsId } }'), contextValue: ctx });
    expect(ctx.security.audit.event().returnedHmppsIds).toEqual(['X000001']);
  });
});
