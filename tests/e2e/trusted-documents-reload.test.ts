/**
 * Trusted documents change without a restart (issue 15): the real gateway process watches the documents folder
 * beside its policy (POLICY_WATCH, on by default) as it watches the policy. A document file added is served by
 * its id on the next request; removed, it is refused again in `enforce`; a document set with a file that is not
 * GraphQL is rejected as a whole (the previous set stays in force, the reason logged and counted); a consumer
 * folder created after start-up is seen too. No SIGHUP is sent anywhere here.
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
const FIRST = 'query ReloadFirstName($id: ID!) { person(hmppsId: $id) { firstName } }\n';
const LAST = 'query ReloadLastName($id: ID!) { person(hmppsId: $id) { lastName } }\n';
const keys = { 'dev-consumer': generateApiKey(), 'police-dev': generateApiKey() };

const work = mkdtempSync(join(tmpdir(), 'pg-documents-reload-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const documentsDir = join(work, 'documents');
mkdirSync(join(documentsDir, 'dev-consumer'), { recursive: true });
const policyFile = join(work, 'policy.yaml');
writeFileSync(
  policyFile,
  [
    'roles:',
    '  everything:',
    "    grants: ['*']",
    'consumers:',
    '  dev-consumer:',
    '    roles: [everything]',
    `    apiKeys: ["${hashApiKey(keys['dev-consumer'])}"]`,
    '    trustedDocuments: enforce',
    '  police-dev:',
    '    roles: [everything]',
    `    apiKeys: ["${hashApiKey(keys['police-dev'])}"]`,
    '    trustedDocuments: enforce',
    '',
  ].join('\n'),
);

const stack = useGatewayStack({ population: 200, timeoutMs: 60_000, policy: () => ({ file: policyFile }), env: { POLICY_WATCH: 'true' } });

type Who = 'devConsumer' | 'policeDev';
const CN: Record<Who, keyof typeof keys> = { devConsumer: 'dev-consumer', policeDev: 'police-dev' };
function post(who: Who, documentId: string): Promise<GraphQLResult> {
  return httpsExchange(`${stack.gateway.consumerUrl}/graphql`, {
    tls: { ca: stack.certs.ca, ...stack.certs.client[who], apiKey: keys[CN[who]] },
    body: JSON.stringify({ documentId, variables: { id: linked.crn } }),
  });
}
const codeOf = (r: GraphQLResult) => r.body.errors?.[0]?.extensions?.code;
const reloads = (outcome: 'applied' | 'rejected') => scrape(stack.gateway.managementUrl, 'gateway_trusted_document_reloads_total', { outcome });

/** Polls until `check` holds (the watcher debounces 100 ms; a loaded machine takes longer), at most 10 s. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('trusted documents reload when their files change (no restart, no SIGHUP)', () => {
  const first = documentIdOf(FIRST);
  const last = documentIdOf(LAST);

  it('serves a document added after start-up by its id on the next request', async () => {
    const before = await post('devConsumer', first);
    expect([before.status, codeOf(before)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    writeFileSync(join(documentsDir, 'dev-consumer', 'ReloadFirstName.graphql'), FIRST);
    const after = await eventually(() => post('devConsumer', first), (r) => r.status === 200);
    expect({ status: after.status, errors: after.body.errors, data: after.body.data }).toEqual({ status: 200, errors: undefined, data: { person: { firstName: linked.firstName } } });
    expect(await reloads('applied')).toBeGreaterThanOrEqual(1);
  });

  it('keeps the set in force when a file of the new set is not GraphQL: logged with the reason, counted', async () => {
    const rejectedBefore = await reloads('rejected');
    writeFileSync(join(documentsDir, 'dev-consumer', 'ReloadLastName.graphql'), LAST);
    writeFileSync(join(documentsDir, 'dev-consumer', 'Broken.graphql'), 'query Broken { person(hmppsId: "x") { firstName }\n');
    await eventually(() => reloads('rejected'), (n) => n > rejectedBefore);
    expect(await reloads('rejected')).toBeGreaterThan(rejectedBefore);
    // Neither the new good document nor the broken one is served; the old one still is.
    const [added, old] = await Promise.all([post('devConsumer', last), post('devConsumer', first)]);
    expect([added.status, codeOf(added)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    expect(old.status).toBe(200);
    const rejection = stack.gateway.logs.find((l) => l.includes('"event":"trusted-documents"') && l.includes('"outcome":"rejected"') && l.includes('Broken.graphql'));
    expect(rejection).toBeDefined();
    expect(rejection).not.toContain('hmppsId: \\"x\\"'); // the reason names the file, never the text
    // Fixed, the whole new set applies.
    rmSync(join(documentsDir, 'dev-consumer', 'Broken.graphql'));
    const fixed = await eventually(() => post('devConsumer', last), (r) => r.status === 200);
    expect(fixed.body.data).toEqual({ person: { lastName: linked.lastName } });
  });

  it('refuses a removed document again in enforce mode: its id is unknown, its text DOCUMENT_NOT_TRUSTED', async () => {
    rmSync(join(documentsDir, 'dev-consumer', 'ReloadFirstName.graphql'));
    const byId = await eventually(() => post('devConsumer', first), (r) => r.status !== 200);
    expect([byId.status, codeOf(byId)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    const byText = await httpsExchange(`${stack.gateway.consumerUrl}/graphql`, {
      tls: { ca: stack.certs.ca, ...stack.certs.client.devConsumer, apiKey: keys['dev-consumer'] },
      body: JSON.stringify({ query: FIRST, variables: { id: linked.crn } }),
    });
    expect([byText.status, codeOf(byText)]).toEqual([403, 'DOCUMENT_NOT_TRUSTED']);
    // The other document of the set is untouched.
    expect((await post('devConsumer', last)).status).toBe(200);
  });

  it('sees a consumer folder created after start-up', async () => {
    mkdirSync(join(documentsDir, 'police-dev'));
    writeFileSync(join(documentsDir, 'police-dev', 'ReloadFirstName.graphql'), FIRST);
    const served = await eventually(() => post('policeDev', first), (r) => r.status === 200);
    expect(served.body.data).toEqual({ person: { firstName: linked.firstName } });
  });
});
