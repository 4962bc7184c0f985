/**
 * The operation gate in process, through the real Apollo server, schema and sample policy, with
 * loaders that fail the test if anything executes: the full leak matrix (every ungranted coordinate
 * x every way of writing it x every consumer), introspection, and the query limits.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { pino } from 'pino';
import { createAuditSink } from '../../src/observability/audit-sink.js';
import { Security, type Consumer } from '../../src/auth/index.js';
import { securityConfig } from '../../src/config/security.js';
import { createApollo, type GatewayContext } from '../../src/server/apollo.js';
import { buildSchema } from '../../src/server/schema.js';
import { INTROSPECTION_PROBES, probesFor, VARIANTS, type Probe } from './support/matrix.js';

const logger = pino({ level: 'silent' });
const config = securityConfig({ AUDIT_SINK: 'off' }, 'test', []);
const baseSchema = buildSchema();
const security = new Security({ ...config, policyWatch: false, policyFile: 'policy/sample.yaml', mode: 'test' }, baseSchema, logger);
const audit = createAuditSink('off');
const apollo = createApollo(security.schema, logger, {
  sandbox: false,
  security: { limits: config.limits, maxTokens: config.limits.maxTokens, audit },
});
await apollo.start();

let executed = 0;
const explodingLoaders = new Proxy({}, {
  get() {
    executed++;
    throw new Error('an upstream loader was used by an operation that should have been refused');
  },
});

/** A consumer of the policy in force, as identity would give it. */
function consumerNamed(name: string): Consumer {
  const grant = security.policy.consumer(name);
  if (!grant) throw new Error(`no consumer ${name}`);
  return { name, grant, policy: security.policy };
}

function contextFor(consumer: string): GatewayContext {
  return { ...security.contextFor(consumerNamed(consumer)), requestId: 'test', loaders: explodingLoaders as GatewayContext['loaders'], partialErrors: [] };
}

async function run(consumer: string, query: string, variables?: Record<string, unknown>, operationName?: string) {
  const response = await apollo.executeOperation({ query, variables, operationName }, { contextValue: contextFor(consumer) });
  const body = response.body.kind === 'single' ? response.body.singleResult : null;
  return { status: response.http.status ?? 200, body };
}

afterAll(async () => {
  await apollo.stop();
  security.close();
});

const CONSUMERS = ['prison-operator', 'police-force', 'probation-partner', 'schema-explorer'];

describe('leak matrix (in process): every ungranted coordinate, every variant, every consumer', () => {
  const policy = security.policy;
  const probes: Probe[] = CONSUMERS.flatMap((c) => probesFor(baseSchema, c, policy.consumer(c)!.coordinates));

  it(`covers every variant and thousands of probes (${probes.length})`, () => {
    const variants = new Set(probes.map((p) => p.variant));
    expect([...variants].sort()).toEqual([...VARIANTS].sort());
    expect(probes.length).toBeGreaterThan(2000);
  });

  it('refuses every probe before execution with 403 FORBIDDEN naming the coordinate', async () => {
    const failures: string[] = [];
    for (const probe of probes) {
      const { status, body } = await run(probe.consumer, probe.query, probe.variables, probe.operationName);
      const error = body?.errors?.[0];
      const coordinates = (error?.extensions?.coordinates as string[] | undefined) ?? [];
      if (status !== 403 || error?.extensions?.code !== 'FORBIDDEN' || body?.data !== undefined || !coordinates.includes(probe.target)) {
        failures.push(`${probe.consumer} ${probe.target} ${probe.variant}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(executed).toBe(0);
  }, 120_000);
});

describe('introspection', () => {
  it.each(INTROSPECTION_PROBES)('refused without the policy flag: %s', async (query) => {
    const { status, body } = await run('police-force', query);
    expect(status).toBe(403);
    expect(body?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', coordinates: ['__schema'] });
  });

  it('allowed for a consumer whose policy says so (the schema only: no person data)', async () => {
    const { status, body } = await run('schema-explorer', INTROSPECTION_PROBES[1]!);
    expect(status).toBe(200);
    expect(body?.data?.__type).toMatchObject({ name: 'Person' });
  });

  it('allowed on the development listener whatever the policy flag says', async () => {
    const contextValue = { ...security.contextFor(consumerNamed('police-force'), { introspectionAllowed: true }), requestId: 't', loaders: explodingLoaders as GatewayContext['loaders'], partialErrors: [] };
    const response = await apollo.executeOperation({ query: INTROSPECTION_PROBES[0]! }, { contextValue });
    expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('the full introspection query that tools send is answered; nesting beyond it is refused (ofType chains too)', async () => {
    const full = await run('schema-explorer', getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(full.status).toBe(200);
    expect((full.body?.data as { __schema?: { queryType?: { name: string } } } | undefined)?.__schema?.queryType).toMatchObject({ name: 'Query' });
    const ofTypes = (n: number) => `${'ofType { '.repeat(n)}name${' }'.repeat(n)}`;
    const deepOfType = `{ __type(name: "Person") { fields { type { ${ofTypes(60)} } } } }`;
    const deepFields = '{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }';
    for (const query of [deepOfType, deepFields]) {
      const { status, body } = await run('schema-explorer', query);
      expect({ status, code: body?.errors?.[0]?.extensions?.code, data: body?.data }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: undefined });
    }
    expect((await run('schema-explorer', `{ __type(name: "Person") { fields { type { ${ofTypes(10)} } } } }`)).status).toBe(200);
  });

  it('__typename alone is harmless and allowed for everyone', async () => {
    const before = executed;
    for (const c of CONSUMERS) expect((await run(c, '{ __typename t: __typename }')).body?.data).toEqual({ __typename: 'Query', t: 'Query' });
    expect(executed).toBe(before);
  }, 30_000);
});

describe('query limits: QUERY_TOO_COMPLEX (HTTP 400) before execution, naming the limit', () => {
  const expectLimit = async (query: string, limit: string, variables?: Record<string, unknown>, consumer = 'police-force') => {
    const { status, body } = await run(consumer, query, variables);
    expect({ status, code: body?.errors?.[0]?.extensions?.code, limit: body?.errors?.[0]?.extensions?.limit }).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', limit });
  };

  it('depth, counted through fragments where they are spread (the schema has no cycles, so a small limit shows it)', async () => {
    const strict = createApollo(security.schema, logger, {
      sandbox: false,
      security: { limits: { ...config.limits, maxDepth: 2 }, maxTokens: config.limits.maxTokens, audit },
    });
    await strict.start();
    try {
      const response = await strict.executeOperation(
        { query: '{ ...Q } fragment Q on Query { persons(hmppsIds: ["A1234BC"]) { ...P } } fragment P on Person { aliases { firstName } }' },
        { contextValue: contextFor('police-force') },
      );
      expect(response.http.status).toBe(400);
      const error = response.body.kind === 'single' ? response.body.singleResult.errors?.[0] : undefined;
      expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 2, actual: 3 });
    } finally {
      await strict.stop();
    }
  });

  it('aliases, counting a fragment once per spread', async () => {
    const fields = Array.from({ length: 6 }, (_, i) => `a${i}: hmppsId`).join(' ');
    const spreads = Array.from({ length: 5 }, (_, i) => `p${i}: person(hmppsId: "A1234BC") { ...F }`).join(' ');
    await expectLimit(`{ ${spreads} } fragment F on Person { ${fields} }`, 'aliases');
  });

  it('root fields', async () => {
    await expectLimit(`{ ${Array.from({ length: 26 }, () => 'person(hmppsId: "A1234BC") { hmppsId }').join(' ')} }`, 'rootFields');
  });

  it('directives', async () => {
    await expectLimit(`{ person(hmppsId: "A1234BC") { ${Array.from({ length: 21 }, () => 'hmppsId @include(if: true)').join(' ')} } }`, 'directives');
  });

  it('cost counts list sizes: ids asked for, page sizes (also from variables), plain lists', async () => {
    const ids = Array.from({ length: 100 }, () => 'A1234BC');
    const wide = 'hmppsId firstName lastName dateOfBirth identifiers { crn prisonNumber pncNumber } aliases { firstName lastName dateOfBirth } addresses { street town postcode types { code } } offences { code description }';
    // One persons(100) with this selection costs about 11,400; ten of them exceed the default 100,000.
    const tenTimes = Array.from({ length: 10 }, (_, i) => `p${i}: persons(hmppsIds: $ids) { ${wide} }`).join(' ');
    await expectLimit(`query Q($ids: [ID!]!) { ${tenTimes} }`, 'cost', { ids });
    await expectLimit('query Q($n: Int) { searchPersons(criteria: {lastName: "x"}, first: $n) { nodes { hmppsId } } }', 'cost', { n: 1_000_000 });
  });

  it('tokens (the parser stops early: a huge document is not even parsed)', async () => {
    const { status, body } = await run('police-force', `{ ${'__typename '.repeat(5000)} }`);
    expect(status).toBe(400);
    expect(body?.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens' });
  });

  it('a fragment bomb is measured in linear time', async () => {
    const before = executed;
    // Each fragment spreads the previous one twice: 2^40 expanded fields from a tiny document. An
    // expanding measure would never finish (2^20 already takes seconds), so a generous bound that
    // a loaded machine cannot reach still tells linear from exponential.
    const frags = ['fragment F0 on Person { hmppsId }', ...Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Person { ...F${i} ...F${i} }`)];
    const started = performance.now();
    const { status, body } = await run('police-force', `{ person(hmppsId: "A1234BC") { ...F40 } } ${frags.join(' ')}`);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(status).toBe(400);
    expect(body?.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
    expect(executed).toBe(before);
  }, 30_000);
});
