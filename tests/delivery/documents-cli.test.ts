/**
 * `npm run documents -- add|list|remove` (scripts/documents.ts) as a real process against a policy of its own:
 * a document is registered only when it validates against the schema and passes the consumer's grants (the
 * gateway's operation gate), under its `sha256:` id; listed; checked again; removed.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { documentIdOf } from '../../src/auth/trusted-documents.js';
import { CONFIGMAP_TEXT_BUDGET, documentKey, documentsKustomization } from '../../scripts/documents-lib.js';
import { ROOT } from './support.js';

const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const work = mkdtempSync(join(tmpdir(), 'pg-documents-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const policy = join(work, 'policy.yaml');
writeFileSync(
  policy,
  [
    'roles:',
    '  names:',
    '    grants: [Query.person, Person.hmppsId, Person.firstName, Person.lastName]',
    'consumers:',
    '  police-test:',
    '    roles: [names]',
    '    trustedDocuments: enforce',
    '',
  ].join('\n'),
);
const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};
const GOOD = 'query PersonName($id: ID!) {\n  person(hmppsId: $id) { hmppsId firstName lastName }\n}\n';

function documents(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, join(ROOT, 'scripts', 'documents.ts'), ...args, '--policy', policy, '--schema', join(ROOT, 'schema')],
      { cwd: work, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('npm run documents', () => {
  const id = documentIdOf(GOOD);
  const stored = join(work, 'documents', 'police-test', 'PersonName.graphql');

  it('add checks the document and stores it byte for byte under the consumer, named for its operation, and prints its id', async () => {
    const r = await documents('add', 'police-test', file('good.graphql', GOOD));
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`registered ${id}`);
    expect(readFileSync(stored, 'utf8')).toBe(GOOD);
    const again = await documents('add', 'police-test', file('good.graphql', GOOD));
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining(`already registered: ${id}`)]);
  }, 60_000);

  it('add refuses a document the gate would refuse, one that does not fit the schema, an anonymous operation and an unknown consumer', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['add', 'police-test', file('wide.graphql', 'query Wide($id: ID!) { person(hmppsId: $id) { firstName dateOfBirth } }')], /FORBIDDEN: Your access policy does not allow: Person\.dateOfBirth/],
      [['add', 'police-test', file('typo.graphql', 'query Typo($id: ID!) { person(hmppsId: $id) { fistName } }')], /not valid against the schema: Cannot query field "fistName"/],
      [['add', 'police-test', file('anon.graphql', '{ person(hmppsId: "X123456") { firstName } }')], /needs a name/],
      [['add', 'police-test', file('syntax.graphql', 'query {{')], /not GraphQL/],
      [['add', 'nobody', file('good2.graphql', GOOD)], /nobody is not a consumer/],
    ];
    for (const [args, message] of cases) {
      const r = await documents(...args);
      expect([args[2], r.code]).toEqual([args[2], 1]);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(join(work, 'documents', 'police-test'))).toEqual(['PersonName.graphql']);
  }, 120_000);

  it('add refuses a document that would take the documents over what one ConfigMap can carry (1 MiB), and writes nothing', async () => {
    const big = `# ${'x'.repeat(CONFIGMAP_TEXT_BUDGET)}\nquery Big($id: ID!) { person(hmppsId: $id) { firstName } }\n`;
    const r = await documents('add', 'police-test', file('big.graphql', big));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/would bring the documents to [\d,]+ bytes, over the 1,000,000 one ConfigMap can carry/);
    expect(readdirSync(join(work, 'documents', 'police-test'))).toEqual(['PersonName.graphql']);
  }, 60_000);

  it('list shows id, consumer, file and operation; --check passes, and fails once a document no longer fits the grants', async () => {
    const listed = await documents('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}  police-test  .*PersonName\\.graphql  PersonName$`, 'm'));
    expect(listed.stdout).toContain(`1 document(s), ${Buffer.byteLength(GOOD)} bytes: 0.0% of what the documents ConfigMap can carry`);
    expect((await documents('list', 'police-test', '--check')).stdout).toContain('1 of 1 document(s) pass');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace(', Person.lastName', ''));
    const failing = await documents('list', '--check');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/FAILS [\s\S]*Person\.lastName/);
  }, 60_000);

  it('remove takes the id or the file name; an unknown one exits 1', async () => {
    const missing = await documents('remove', 'police-test', `sha256:${'0'.repeat(64)}`);
    expect(missing.code).toBe(1);
    const removed = await documents('remove', 'police-test', id);
    expect([removed.code, removed.stdout]).toEqual([0, expect.stringContaining(`removed ${id}`)]);
    expect(existsSync(stored)).toBe(false);
    expect((await documents('list', 'police-test')).stdout).toContain('no trusted documents for police-test');
  }, 60_000);

  it('add and remove rewrite the folder\'s kustomize Component (the ConfigMap the overlays deploy) where there is one', async () => {
    const component = join(work, 'documents', 'kustomization.yaml');
    writeFileSync(component, '# placeholder\n');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('Person.firstName]', 'Person.firstName, Person.lastName]'));
    const added = await documents('add', 'police-test', file('good3.graphql', GOOD));
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(readFileSync(component, 'utf8')).toBe(documentsKustomization(join(work, 'documents')));
    expect(readFileSync(component, 'utf8')).toContain(`- ${documentKey('police-test', 'PersonName.graphql')}=police-test/PersonName.graphql`);
    expect((await documents('remove', 'police-test', 'PersonName')).code).toBe(0);
    expect(readFileSync(component, 'utf8')).toBe(documentsKustomization(join(work, 'documents')));
    expect(readFileSync(component, 'utf8')).not.toContain('police-test');
  }, 60_000);
});
