/**
 * A corpus of bad requests against the real gateway process: malformed documents, deep, wide,
 * alias and fragment bombs, huge strings, unicode tricks, NUL bytes, wrong variable types, broken
 * and oversized bodies. Each is refused with a 4xx and a stable code (never INTERNAL_SERVER_ERROR),
 * none reaches an upstream, and the process stays healthy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEV_API_KEYS } from '../../local-stack/certs.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { client, type Client } from '../../local-stack/consumer-identities.js';
import { upstreamCalls } from './support/harness.js';

/** The codes a refused request may carry (README, Security). */
const STABLE_4XX_CODES = new Set([
  'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX', 'FORBIDDEN',
  'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED', 'NOT_FOUND',
]);

interface Bad {
  name: string;
  /** A GraphQL payload (JSON-encoded for sending) or a raw body. */
  payload?: Record<string, unknown> | unknown[] | string | number | null;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  path?: string;
}

const ID = 'A1234BC';
const P = (query: string, variables?: unknown, operationName?: unknown): Bad['payload'] => ({ query, variables, operationName });
const nested = (n: number) => `${'{ a '.repeat(n)}${'}'.repeat(n)}`;

function corpus(): Bad[] {
  const malformed: Array<[string, string]> = [
    ['empty query', ''], ['blank query', '   '], ['comment only', '# nothing'], ['unclosed brace', '{'], ['stray closing brace', '}'],
    ['unclosed argument list', `{ person(hmppsId: "${ID}" { firstName } }`], ['unterminated string', '{ person(hmppsId: "A1234BC) { firstName } }'],
    ['single-quoted string', `{ person(hmppsId: '${ID}') { firstName } }`], ['trailing garbage', `{ __typename } garbage`],
    ['number as selection', '{ 123 }'], ['dangling directive', `{ person(hmppsId: "${ID}") { firstName @ } }`], ['empty spread', '{ ... }'],
    ['operation named twice', 'query Q Q { __typename }'], ['variable without name', 'query Q($: ID) { __typename }'],
    ['only a fragment', 'fragment F on Person { firstName }'], ['unterminated block string', '{ person(hmppsId: """A1234BC) { firstName } }'],
    ['nested braces without fields', nested(1).replace(/a /g, '')], ['keyword soup', 'query query query'], ['bad escape', '{ person(hmppsId: "\\x41") { firstName } }'],
    ['unicode letters in names', '{ pérson(hmppsId: "A1234BC") { firstName } }'], ['emoji as a field', '{ 😀 }'],
    ['zero-width space in a name', '{ person(hmppsId: "A1234BC") { first\u200bName } }'], ['right-to-left override', '{ \u202eperson(hmppsId: "A1234BC") { firstName } }'],
    ['NUL byte in the document', '{ person(hmppsId: "A1234BC") { firstName\u0000 } }'], ['NUL byte in a name', '{ per\u0000son(hmppsId: "A1234BC") { firstName } }'],
    ['full-width braces', '｛ __typename ｝'],
  ];
  const invalid: Array<[string, string, unknown?]> = [
    ['unknown field', `{ person(hmppsId: "${ID}") { shoeSize } }`], ['unknown root field', '{ everybody { firstName } }'],
    ['unknown argument', `{ person(hmppsId: "${ID}", all: true) { firstName } }`], ['missing required argument', '{ person { firstName } }'],
    ['wrong literal type', '{ person(hmppsId: true) { firstName } }'], ['object literal for an id', '{ person(hmppsId: {a: 1}) { firstName } }'],
    ['selection on a scalar', `{ person(hmppsId: "${ID}") { firstName { length } } }`], ['object without selection', `{ person(hmppsId: "${ID}") }`],
    ['fragment on an unknown type', `{ person(hmppsId: "${ID}") { ...F } } fragment F on Human { firstName }`],
    ['fragment cycle', `{ person(hmppsId: "${ID}") { ...A } } fragment A on Person { ...B } fragment B on Person { ...A }`],
    ['unused fragment', '{ __typename } fragment F on Person { firstName }'], ['unknown fragment', `{ person(hmppsId: "${ID}") { ...Nope } }`],
    ['duplicate operation names', 'query Q { __typename } query Q { __typename }'], ['anonymous operation among several', '{ __typename } query Q { __typename }'],
    ['undefined variable', `{ person(hmppsId: $id) { firstName } }`], ['unused variable', 'query Q($id: ID) { __typename }', { id: ID }],
    ['variable of the wrong declared type', 'query Q($id: Int!) { person(hmppsId: $id) { firstName } }', { id: 1 }],
    ['unknown directive', '{ __typename @leak }'], ['directive in the wrong place', 'query Q @include(if: true) { __typename }'],
    ['repeated non-repeatable directive', '{ __typename @skip(if: false) @skip(if: false) }'], ['mutation (there are none)', 'mutation { person }'],
    ['subscription (there are none)', 'subscription { person }'], ['conflicting aliases', `{ x: person(hmppsId: "${ID}") { firstName } x: persons(hmppsIds: ["${ID}"]) { lastName } }`],
    ['enum given as a string', `{ person(hmppsId: "${ID}") { alerts(activeOnly: "yes") { totalCount } } }`],
    ['deep introspection (introspection depth limit)', '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }'],
    ['unknown type in a variable', 'query Q($id: Identifier!) { person(hmppsId: $id) { firstName } }', { id: ID }],
    ['input object with an unknown field', `{ searchPersons(criteria: {shoeSize: 9}) { totalCount } }`],
  ];
  const variables: Array<[string, string, unknown]> = [
    ['object for ID!', 'query Q($id: ID!) { person(hmppsId: $id) { firstName } }', { id: { nested: true } }],
    ['array for ID!', 'query Q($id: ID!) { person(hmppsId: $id) { firstName } }', { id: [ID] }],
    ['boolean for ID!', 'query Q($id: ID!) { person(hmppsId: $id) { firstName } }', { id: true }],
    ['null for ID!', 'query Q($id: ID!) { person(hmppsId: $id) { firstName } }', { id: null }],
    ['missing ID!', 'query Q($id: ID!) { person(hmppsId: $id) { firstName } }', {}],
    ['float for ID!', 'query Q($id: ID!) { person(hmppsId: $id) { firstName } }', { id: 1.5 }],
    ['null inside [ID!]!', 'query Q($ids: [ID!]!) { persons(hmppsIds: $ids) { firstName } }', { ids: [ID, null] }],
    ['object for [ID!]!', 'query Q($ids: [ID!]!) { persons(hmppsIds: $ids) { firstName } }', { ids: { a: 1 } }],
    ['string for Int', `query Q($n: Int) { person(hmppsId: "${ID}") { alerts(first: $n) { totalCount } } }`, { n: '10' }],
    ['float for Int', `query Q($n: Int) { person(hmppsId: "${ID}") { alerts(first: $n) { totalCount } } }`, { n: 1.5 }],
    ['Int beyond 32 bits', `query Q($n: Int) { person(hmppsId: "${ID}") { alerts(first: $n) { totalCount } } }`, { n: 2 ** 40 }],
    ['huge number string for Int', `query Q($n: Int) { person(hmppsId: "${ID}") { alerts(first: $n) { totalCount } } }`, { n: '9'.repeat(5000) }],
    ['string for Boolean', `query Q($b: Boolean) { person(hmppsId: "${ID}") { alerts(activeOnly: $b) { totalCount } } }`, { b: 'true' }],
    ['NUL string for Boolean', `query Q($b: Boolean) { person(hmppsId: "${ID}") { alerts(activeOnly: $b) { totalCount } } }`, { b: '\u0000' }],
    ['string for an input object', 'query Q($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount } }', { c: 'Smith' }],
    ['unknown field in an input object', 'query Q($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount } }', { c: { lastName: 'Smith', shoeSize: 9 } }],
    ['number for a Date', 'query Q($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount } }', { c: { dateOfBirth: 19800101 } }],
    ['array for Date', 'query Q($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount } }', { c: { dateOfBirth: ['1980-01-01'] } }],
    ['a lone surrogate for Boolean', `query Q($b: Boolean) { person(hmppsId: "${ID}") { alerts(activeOnly: $b) { totalCount } } }`, { b: '\ud800' }],
    ['30 kB string for Boolean', `query Q($b: Boolean) { person(hmppsId: "${ID}") { alerts(activeOnly: $b) { totalCount } } }`, { b: 'x'.repeat(30_000) }],
  ];
  const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}: firstName`).join(' ');
  const bombs: Array<[string, string, unknown?]> = [
    ['3,000 repeated fields (tokens)', `{ person(hmppsId: "${ID}") { ${'firstName '.repeat(3000)} } }`],
    ['40 aliases', `{ person(hmppsId: "${ID}") { ${fields(40)} } }`],
    ['1,000 aliases (tokens)', `{ person(hmppsId: "${ID}") { ${fields(1000)} } }`],
    ['aliases multiplied by fragment spreads', `{ ${Array.from({ length: 6 }, (_, i) => `p${i}: person(hmppsId: "${ID}") { ...F }`).join(' ')} } fragment F on Person { ${fields(5)} }`],
    ['30 root fields', `{ ${Array.from({ length: 30 }, (_, i) => `r${i}: person(hmppsId: "${ID}") { firstName }`).join(' ')} }`],
    ['fragment bomb (2^20 fields)', `{ person(hmppsId: "${ID}") { ...F20 } } fragment F0 on Person { hmppsId } ${Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Person { ...F${i} ...F${i} }`).join(' ')}`],
    ['fragment bomb (2^40 fields)', `{ person(hmppsId: "${ID}") { ...F40 } } fragment F0 on Person { hmppsId } ${Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Person { ...F${i} ...F${i} }`).join(' ')}`],
    ['fragment bomb through aliases', `{ person(hmppsId: "${ID}") { ...G12 } } fragment G0 on Person { a: hmppsId b: firstName } ${Array.from({ length: 12 }, (_, i) => `fragment G${i + 1} on Person { ...G${i} ...G${i} }`).join(' ')}`],
    ['page size in the millions', `{ searchPersons(criteria: {lastName: "Smith"}, first: 5000000) { nodes { hmppsId } } }`],
    ['page size from a variable', `query Q($n: Int) { searchPersons(criteria: {lastName: "Smith"}, first: $n) { nodes { aliases { firstName } } } }`, { n: 100_000 }],
    ['nested lists multiplied', `query Q($ids: [ID!]!) { ${Array.from({ length: 20 }, (_, i) => `p${i}: persons(hmppsIds: $ids) { addresses { types { code } } aliases { firstName } offences { courtDates } }`).join(' ')} }`, { ids: Array(100).fill(ID) }],
    ['21 directives', `{ person(hmppsId: "${ID}") { ${Array.from({ length: 21 }, () => 'firstName @include(if: true)').join(' ')} } }`],
    ['deep nesting of selections (parser)', nested(400)],
    ['deep nesting of lists in an argument', `{ person(hmppsId: ${'['.repeat(300)}"${ID}"${']'.repeat(300)}) { firstName } }`],
    ['wide introspection fan-out', `{ ${Array.from({ length: 30 }, (_, i) => `t${i}: __type(name: "Person") { fields { name } }`).join(' ')} }`],
  ];
  const body: Bad[] = [
    { name: 'invalid JSON', raw: '{"query": "{ __typename }"' },
    { name: 'a raw NUL byte in the JSON', raw: Buffer.from('{"query": "{ __typename \u0000 }"}'.replace('\\u0000', '\u0000')) },
    { name: 'JSON array (HTTP batching)', payload: [{ query: '{ __typename }' }, { query: '{ __typename }' }] },
    { name: 'JSON string', payload: '{ __typename }' },
    { name: 'JSON number', payload: 42 },
    { name: 'JSON null', payload: null },
    { name: 'no query at all', payload: {} },
    { name: 'query is a number', payload: { query: 42 } },
    { name: 'query is an object', payload: { query: { kind: 'Document' } } },
    { name: 'variables is a string', payload: { query: '{ __typename }', variables: '{"a": 1}' } },
    { name: 'variables is an array', payload: { query: '{ __typename }', variables: [1, 2] } },
    { name: 'operationName is a number', payload: { query: '{ __typename }', operationName: 7 } },
    { name: 'operationName not in the document', payload: { query: 'query A { __typename }', operationName: 'B' } },
    { name: 'several operations without operationName', payload: { query: 'query A { __typename } query B { __typename }' } },
    { name: 'extensions is a string', payload: { query: '{ __typename }', extensions: 'x' } },
    { name: 'empty body', raw: '' },
    { name: 'text/plain (CSRF: a simple request)', raw: '{"query":"{ __typename }"}', headers: { 'content-type': 'text/plain' } },
    { name: 'form-encoded body', raw: 'query=%7B__typename%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { name: 'XML body', raw: '<query>{ __typename }</query>', headers: { 'content-type': 'application/xml' } },
    { name: 'body of 70 kB', payload: { query: `{ person(hmppsId: "${'A'.repeat(70_000)}") { firstName } }` } },
    { name: 'body of 1 MB', raw: `{"query": "${'x'.repeat(1024 * 1024)}"}` },
    { name: '60 kB string literal (tokens fine, body fine)', payload: { query: `query Q($b: Boolean) { __typename } # ${'x'.repeat(60_000)}` } },
    { name: 'GET without a CSRF preflight header', method: 'GET', path: '/graphql?query=%7B__typename%7D', headers: { 'content-type': '' } },
    { name: 'GET with a mutation', method: 'GET', path: '/graphql?query=mutation%7Bx%7D', headers: { 'apollo-require-preflight': 'true' } },
    { name: 'GET with a query and the preflight header (ids in URLs reach logs)', method: 'GET', path: '/graphql?query=%7B__typename%7D', headers: { 'apollo-require-preflight': 'true' } },
    { name: 'unknown path', path: '/graphql/../admin', payload: { query: '{ __typename }' } },
    { name: 'another unknown path', path: '/v1/persons/A1234BC', method: 'GET' },
  ];
  return [
    ...malformed.map(([name, query]): Bad => ({ name: `malformed: ${name}`, payload: P(query) })),
    ...invalid.map(([name, query, vars]): Bad => ({ name: `invalid: ${name}`, payload: P(query, vars) })),
    ...variables.map(([name, query, vars]): Bad => ({ name: `variables: ${name}`, payload: P(query, vars) })),
    ...bombs.map(([name, query, vars]): Bad => ({ name: `limits: ${name}`, payload: P(query, vars) })),
    ...body.map((b) => ({ ...b, name: `http: ${b.name}` })),
  ];
}

// No background health checks while calls are counted (the token component's check fetches a real token).
const stack = useGatewayStack({ env: { HEALTH_CHECK_INTERVAL_MS: '3600000' } });
let dev: Client;

beforeAll(() => {
  dev = client(stack.gateway.consumerUrl, { ca: stack.certs.ca, identity: { ...stack.certs.client.devConsumer, apiKey: DEV_API_KEYS['dev-consumer'] } });
});

afterAll(() => dev?.close());

describe('bad input corpus', () => {
  const cases = corpus();

  it('has more than 100 documents', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('refuses every one with a 4xx and a stable code; none reaches an upstream; the process stays healthy', async () => {
    await stack.sims.resetCounters();
    const logsBefore = stack.gateway.logs.length;
    const failures: string[] = [];
    const seen: Record<string, number> = {};
    for (const bad of cases) {
      const body = bad.raw ?? JSON.stringify(bad.payload);
      const r = await dev.send(body, bad.headers, bad.path, bad.method);
      const code = r.body.errors?.[0]?.extensions?.code as string | undefined;
      const key = `${r.status} ${code}`;
      seen[key] = (seen[key] ?? 0) + 1;
      if (r.status < 400 || r.status >= 500 || !code || !STABLE_4XX_CODES.has(code) || r.body.data) {
        failures.push(`${bad.name}: ${r.status} ${r.raw.slice(0, 160)}`);
      }
      if (/stacktrace|\n\s+at |node_modules|\/src\/|\.ts:\d+/.test(r.raw)) failures.push(`${bad.name}: internals in the response`);
      if (/Did you mean \\"/.test(r.raw)) failures.push(`${bad.name}: a field suggestion reveals the schema`);
    }
    process.stdout.write(`\nbad-input corpus: ${cases.length} documents; status and code: ${JSON.stringify(seen)}\n`);
    expect(failures).toEqual([]);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
    expect(stack.gateway.logs.slice(logsBefore).filter((l) => l.includes('"level":"error"') || l.includes('"level":"fatal"'))).toEqual([]);
    expect((await fetch(`${stack.gateway.managementUrl}/health/liveness`)).status).toBe(200);
    const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
    const ok = await dev.gql(`{ person(hmppsId: "${linked.crn}") { firstName } }`);
    expect(ok.body).toEqual({ data: { person: { firstName: linked.firstName } } });
  }, 120_000);

  it('ids that are not ids are refused as BAD_USER_INPUT before any upstream call (partial-result semantics: HTTP 200)', async () => {
    const ids = ['', ' ', 'x'.repeat(30_000), 'A12\u000034BC', 'A1234BC\u0000', '\u0000', 'Ａ1234ＢＣ', 'A1234BC; DROP TABLE', '../../etc/passwd', 'A1234BC\u202e', '😀', '\ud800', 'a1234bcd', '1234567'];
    await stack.sims.resetCounters();
    for (const id of ids) {
      const r = await dev.gql('query Q($id: ID!) { person(hmppsId: $id) { firstName } }', { id });
      expect({ id: id.slice(0, 20), status: r.status, code: r.body.errors?.[0]?.extensions?.code, person: r.body.data?.person }).toEqual({
        id: id.slice(0, 20), status: 200, code: 'BAD_USER_INPUT', person: null,
      });
    }
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  });

  it('a fragment bomb of free fields (2^40 __typename: nothing to refuse, the cost is 1) is answered, in linear time, like its one-spread form', async () => {
    const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
    const frags = ['fragment T0 on Person { __typename }', ...Array.from({ length: 40 }, (_, i) => `fragment T${i + 1} on Person { ...T${i} ...T${i} }`)];
    // Every walk of the selection (speculative lookups, the disclosure ledger, the ofType rule) used to expand each spread.
    const bomb = await dev.gql(`{ person(hmppsId: "${linked.crn}") { firstName ...T40 } } ${frags.join(' ')}`);
    expect(bomb.body).toEqual({ data: { person: { firstName: linked.firstName, __typename: 'Person' } } });
  }, 60_000);

  it('an unregistered persisted-query hash is answered as Apollo clients expect: PERSISTED_QUERY_NOT_FOUND (they resend the text; ADR 20)', async () => {
    const r = await dev.send(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }));
    expect({ status: r.status, code: r.body.errors?.[0]?.extensions?.code, data: r.body.data }).toEqual({ status: 404, code: 'PERSISTED_QUERY_NOT_FOUND', data: undefined });
  });
});
