/**
 * Trusted documents (issue 15 part 1, docs/adr/0020-trusted-documents.md) through the real gateway process
 * over mutual TLS: a document named by `documentId` or by Apollo's persisted-query hash, over POST and GET;
 * each consumer mode (`enforce`, `log-unknown`, `off`); an unregistered document refused in `enforce` before
 * anything parses it; unknown ids; operation names of trusted documents in logs and metrics, others only as
 * a hash; the ledger's record of a refused document; a per-request purpose (`requestPurposes`, `x-purpose`) where the
 * policy requires one, and `x-on-behalf-of` as the policy says (record, ignore, require).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, hashApiKey } from '../../src/auth/api-keys.js';
import { documentIdOf } from '../../src/auth/trusted-documents.js';
import { httpsExchange, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { scrape } from '../ops/support.js';
import { useGatewayStack } from '../support/stack.js';

const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
const PERSON_NAME = 'query TrustedPersonName($id: ID!) {\n  person(hmppsId: $id) {\n    hmppsId\n    firstName\n  }\n}\n';
const POLICE_NAME = 'query PoliceName($id: ID!) { person(hmppsId: $id) { lastName } }\n';
const UNREGISTERED = 'query ChosenByTheClient($id: ID!) { person(hmppsId: $id) { firstName } }';
const keys = { 'dev-consumer': generateApiKey(), 'police-dev': generateApiKey() };

const work = mkdtempSync(join(tmpdir(), 'pg-trusted-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A policy in its own folder, with dev-consumer in `devMode` and police-dev in `log-unknown` (the default), and their documents. */
function writePolicy(name: string, devMode: string, policeExtra: string[] = []): string {
  const folder = join(work, name);
  mkdirSync(join(folder, 'documents', 'dev-consumer'), { recursive: true });
  mkdirSync(join(folder, 'documents', 'police-dev'), { recursive: true });
  writeFileSync(join(folder, 'documents', 'dev-consumer', 'TrustedPersonName.graphql'), PERSON_NAME);
  writeFileSync(join(folder, 'documents', 'police-dev', 'PoliceName.graphql'), POLICE_NAME);
  const file = join(folder, 'policy.yaml');
  writeFileSync(
    file,
    [
      'roles:',
      '  everything:',
      "    grants: ['*']",
      'consumers:',
      '  dev-consumer:',
      '    roles: [everything]',
      `    apiKeys: ["${hashApiKey(keys['dev-consumer'])}"]`,
      `    trustedDocuments: ${devMode}`,
      '  police-dev:',
      '    roles: [everything]',
      `    apiKeys: ["${hashApiKey(keys['police-dev'])}"]`,
      ...policeExtra,
      '',
    ].join('\n'),
  );
  return file;
}

const enforcing = writePolicy('enforce', 'enforce', ['    onBehalfOf: ignore']);
// On this gateway police-dev must also state a per-request purpose (ledger: requestPurposes / x-purpose).
const off = writePolicy('off', 'off', ['    requestPurposes: [safeguarding, crime-prevention]', '    onBehalfOf: require']);

const stack = useGatewayStack({
  population: 300,
  timeoutMs: 60_000,
  policy: () => ({ file: enforcing }),
  env: { AUDIT_SINK: 'stdout' },
  gateways: [{ ALLOW_GET_OPERATIONS: 'true' }, { POLICY_FILE: off }],
});

type Who = 'devConsumer' | 'policeDev';
const CN: Record<Who, 'dev-consumer' | 'police-dev'> = { devConsumer: 'dev-consumer', policeDev: 'police-dev' };

function post(who: Who, body: unknown, gateway = 0, headers: Record<string, string> = {}): Promise<GraphQLResult> {
  const gw = stack.gateways[gateway]!;
  return httpsExchange(`${gw.consumerUrl}/graphql`, {
    tls: { ca: stack.certs.ca, ...stack.certs.client[who], apiKey: keys[CN[who]] },
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function get(who: Who, params: Record<string, string>, gateway = 0, headers: Record<string, string> = {}): Promise<GraphQLResult> {
  const gw = stack.gateways[gateway]!;
  return httpsExchange(`${gw.consumerUrl}/graphql?${new URLSearchParams(params).toString()}`, {
    method: 'GET',
    tls: { ca: stack.certs.ca, ...stack.certs.client[who], apiKey: keys[CN[who]] },
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
}

const codeOf = (r: GraphQLResult) => r.body.errors?.[0]?.extensions?.code;
const logLines = (gateway = 0) =>
  stack.gateways[gateway]!.logs.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
const accessLine = (requestId: string, gateway = 0) => logLines(gateway).find((l) => l.event === 'access' && l.requestId === requestId);
const settle = () => new Promise((r) => setTimeout(r, 150));
const variables = { id: linked.crn };

describe('a consumer that enforces trusted documents', () => {
  const id = documentIdOf(PERSON_NAME);

  it('runs its registered document named by documentId, by Apollo persisted-query hash, or sent as text; over POST and GET', async () => {
    const answers = await Promise.all([
      post('devConsumer', { documentId: id, variables }),
      post('devConsumer', { extensions: { persistedQuery: { version: 1, sha256Hash: id.slice('sha256:'.length) } }, variables }),
      post('devConsumer', { query: PERSON_NAME, variables }),
      post('devConsumer', { query: PERSON_NAME, documentId: id, variables }),
      get('devConsumer', { documentId: id, variables: JSON.stringify(variables) }),
      get('devConsumer', { extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: id.slice(7) } }), variables: JSON.stringify(variables) }),
    ]);
    for (const r of answers) {
      expect({ status: r.status, errors: r.body.errors }).toEqual({ status: 200, errors: undefined });
      expect(r.body.data).toEqual({ person: { hmppsId: linked.crn, firstName: linked.firstName } });
    }
  });

  it('refuses an unregistered document with 403 DOCUMENT_NOT_TRUSTED, before parsing: an unparseable text gets the same answer, not a syntax error', async () => {
    const [unregistered, unparseable, sameForLogUnknown] = await Promise.all([
      post('devConsumer', { query: UNREGISTERED, variables }),
      post('devConsumer', { query: '{{{ this is not GraphQL' }),
      post('policeDev', { query: '{{{ this is not GraphQL' }),
    ]);
    expect([unregistered.status, codeOf(unregistered)]).toEqual([403, 'DOCUMENT_NOT_TRUSTED']);
    expect([unparseable.status, codeOf(unparseable)]).toEqual([403, 'DOCUMENT_NOT_TRUSTED']);
    expect(unregistered.body.data).toBeUndefined();
    // The same body from a consumer that does not enforce reaches the parser.
    expect([sameForLogUnknown.status, codeOf(sameForLogUnknown)]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
    expect(await scrape(stack.gateway.managementUrl, 'gateway_untrusted_documents_total', { consumer: 'dev-consumer', action: 'refused' })).toBe(2);
  });

  it('answers an id that names none of its documents with 404 PERSISTED_QUERY_NOT_FOUND (another consumer\'s document included); a mismatched or malformed id with 400', async () => {
    const [unknown, othersDocument, apolloUnknown, mismatch, malformed] = await Promise.all([
      post('devConsumer', { documentId: `sha256:${'0'.repeat(64)}` }),
      post('devConsumer', { documentId: documentIdOf(POLICE_NAME), variables }),
      post('devConsumer', { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
      post('devConsumer', { documentId: id, query: UNREGISTERED, variables }),
      post('devConsumer', { documentId: 'md5:abc' }),
    ]);
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    expect([othersDocument.status, codeOf(othersDocument)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    expect([apolloUnknown.status, codeOf(apolloUnknown)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    expect([mismatch.status, codeOf(mismatch)]).toEqual([400, 'BAD_REQUEST']);
    expect([malformed.status, codeOf(malformed)]).toEqual([400, 'BAD_REQUEST']);
  });

  it('logs and counts a trusted document by its operation name; the ledger records a refused document with its id', async () => {
    const trustedRun = await post('devConsumer', { documentId: id, variables }, 0, { 'x-request-id': `trusted-${Date.now()}` });
    const refusedRun = await post('devConsumer', { query: UNREGISTERED, variables }, 0, { 'x-request-id': `refused-${Date.now()}` });
    await settle();
    expect(accessLine(String(trustedRun.headers['x-request-id']))).toMatchObject({ operationName: 'TrustedPersonName', operationHash: id.slice(7), outcome: 'ok' });
    expect(accessLine(String(refusedRun.headers['x-request-id']))).toMatchObject({ operationName: null, status: 403, errorCodes: ['DOCUMENT_NOT_TRUSTED'] });
    expect(await scrape(stack.gateway.managementUrl, 'gateway_requests_total', { consumer: 'dev-consumer', operation: 'TrustedPersonName', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    const ledger = logLines().filter((l) => l.event === 'disclosure-ledger').map((l) => l.record as Record<string, unknown>);
    expect(ledger.find((r) => r.requestId === refusedRun.headers['x-request-id'])).toMatchObject({
      kind: 'refusal',
      consumer: 'dev-consumer',
      errorCodes: ['DOCUMENT_NOT_TRUSTED'],
      documentHash: documentIdOf(UNREGISTERED),
      documentTrusted: false,
      httpStatus: 403,
    });
    expect(ledger.find((r) => r.requestId === trustedRun.headers['x-request-id'])).toMatchObject({
      kind: 'disclosure',
      operationName: 'TrustedPersonName',
      documentHash: id,
      documentTrusted: true,
    });
  });
});

describe('a consumer in log-unknown mode (the default)', () => {
  it('serves an unregistered document, logs its hash (never its text or name) once and counts it; names and metric labels only as a hash', async () => {
    const requestId = `unknown-${Date.now()}`;
    const counted = () => scrape(stack.gateway.managementUrl, 'gateway_untrusted_documents_total', { consumer: 'police-dev', action: 'served' });
    const before = await counted();
    const served = await post('policeDev', { query: UNREGISTERED, variables }, 0, { 'x-request-id': requestId });
    await post('policeDev', { query: UNREGISTERED, variables });
    expect([served.status, served.body.errors]).toEqual([200, undefined]);
    expect(served.body.data).toEqual({ person: { firstName: linked.firstName } });
    await settle();
    const id = documentIdOf(UNREGISTERED);
    const lines = logLines();
    expect(lines.filter((l) => l.event === 'untrusted-document' && l.documentId === id)).toEqual([
      expect.objectContaining({ consumer: 'police-dev', documentId: id, mode: 'log-unknown' }),
    ]);
    expect(accessLine(requestId)).toMatchObject({ consumer: 'police-dev', operationName: null, operationHash: id.slice(7), outcome: 'ok' });
    const everything = stack.gateway.logs.join('\n');
    expect(everything).not.toContain('ChosenByTheClient');
    expect(everything).not.toContain(UNREGISTERED);
    const m = (labels: Record<string, string>) => scrape(stack.gateway.managementUrl, 'gateway_requests_total', labels);
    expect(await m({ consumer: 'police-dev', operation: id.slice(0, 19) })).toBe(2);
    expect(await m({ operation: 'ChosenByTheClient' })).toBe(0);
    expect((await counted()) - before).toBe(2);
  });

  it('runs its own registered documents by id', async () => {
    const r = await post('policeDev', { documentId: documentIdOf(POLICE_NAME), variables });
    expect([r.status, r.body.data]).toEqual([200, { person: { lastName: linked.lastName } }]);
  });
});

describe('a consumer with trusted documents off', () => {
  it('serves any document without counting it, and still resolves its registered ids (over GET only where GET operations are allowed)', async () => {
    const before = await scrape(stack.gateways[1]!.managementUrl, 'gateway_untrusted_documents_total');
    const [text, byId, overGet] = await Promise.all([
      post('devConsumer', { query: UNREGISTERED, variables }, 1),
      post('devConsumer', { documentId: documentIdOf(PERSON_NAME), variables }, 1),
      get('devConsumer', { documentId: documentIdOf(PERSON_NAME), variables: JSON.stringify(variables) }, 1),
    ]);
    expect([text.status, text.body.data]).toEqual([200, { person: { firstName: linked.firstName } }]);
    expect([byId.status, byId.body.data]).toEqual([200, { person: { hmppsId: linked.crn, firstName: linked.firstName } }]);
    expect([overGet.status, codeOf(overGet)]).toEqual([405, 'BAD_REQUEST']);
    expect(await scrape(stack.gateways[1]!.managementUrl, 'gateway_untrusted_documents_total')).toBe(before);
  });
});

describe('a per-request purpose, when the policy requires one (requestPurposes)', () => {
  it('refuses a request without x-purpose, or with one the policy does not list, with 403 PURPOSE_NOT_ALLOWED; records the purpose given', async () => {
    const user = { 'x-on-behalf-of': 'officer-4711' };
    const [missing, notListed, given] = await Promise.all([
      post('policeDev', { query: UNREGISTERED, variables }, 1, { ...user, 'x-request-id': `no-purpose-${Date.now()}` }),
      post('policeDev', { query: UNREGISTERED, variables }, 1, { ...user, 'x-purpose': 'marketing' }),
      post('policeDev', { query: UNREGISTERED, variables }, 1, { ...user, 'x-purpose': 'safeguarding', 'x-request-id': `purpose-${Date.now()}` }),
    ]);
    for (const r of [missing, notListed]) {
      expect([r.status, codeOf(r), r.body.errors?.[0]?.extensions?.allowedPurposes]).toEqual([403, 'PURPOSE_NOT_ALLOWED', ['safeguarding', 'crime-prevention']]);
    }
    expect([given.status, given.body.data]).toEqual([200, { person: { firstName: linked.firstName } }]);
    await settle();
    const ledger = logLines(1).filter((l) => l.event === 'disclosure-ledger').map((l) => l.record as Record<string, unknown>);
    expect(ledger.find((r) => r.requestId === missing.headers['x-request-id'])).toMatchObject({ kind: 'refusal', errorCodes: ['PURPOSE_NOT_ALLOWED'], httpStatus: 403, requestPurpose: null });
    expect(ledger.find((r) => r.requestId === given.headers['x-request-id'])).toMatchObject({ kind: 'disclosure', requestPurpose: 'safeguarding', onBehalfOf: 'officer-4711', outcome: 'ok' });
    // dev-consumer's policy lists no purposes: nothing asked of it.
    expect((await post('devConsumer', { query: UNREGISTERED, variables }, 1)).status).toBe(200);
  });
});

describe('x-on-behalf-of, as the policy says (onBehalfOf: record by default, ignore, require)', () => {
  it('require: a request without it is refused with 403 ON_BEHALF_OF_REQUIRED (and recorded); ignore: never recorded; record: recorded as sent', async () => {
    const [without, ignored, recorded] = await Promise.all([
      post('policeDev', { query: UNREGISTERED, variables }, 1, { 'x-purpose': 'safeguarding', 'x-request-id': `no-user-${Date.now()}` }),
      post('policeDev', { query: UNREGISTERED, variables }, 0, { 'x-on-behalf-of': 'officer-9', 'x-request-id': `ignored-${Date.now()}` }),
      post('devConsumer', { documentId: documentIdOf(PERSON_NAME), variables }, 0, { 'x-on-behalf-of': 'analyst-12', 'x-request-id': `recorded-${Date.now()}` }),
    ]);
    expect([without.status, codeOf(without)]).toEqual([403, 'ON_BEHALF_OF_REQUIRED']);
    expect([ignored.status, recorded.status]).toEqual([200, 200]);
    await settle();
    const records = (gateway: number) => logLines(gateway).filter((l) => l.event === 'disclosure-ledger').map((l) => l.record as Record<string, unknown>);
    expect(records(1).find((r) => r.requestId === without.headers['x-request-id'])).toMatchObject({ kind: 'refusal', errorCodes: ['ON_BEHALF_OF_REQUIRED'], onBehalfOf: null });
    expect(records(0).find((r) => r.requestId === ignored.headers['x-request-id'])).toMatchObject({ kind: 'disclosure', consumer: 'police-dev', onBehalfOf: null });
    expect(records(0).find((r) => r.requestId === recorded.headers['x-request-id'])).toMatchObject({ kind: 'disclosure', consumer: 'dev-consumer', onBehalfOf: 'analyst-12' });
  });
});
