/**
 * The schema contract: `npm run schema:check` passes on main, fails for a removed field, a type change and a
 * new required argument, passes for an added field and for removing a field deprecated in the released
 * snapshot, and names the consumers whose grants a change touches. Works on temporary copies only: the
 * real schema/ and snapshot are never modified.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatAST, Kind, parse, print, visit, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { checkSchema, loadSchema, printSnapshot, readSdlFiles } from '../../scripts/schema-lib.js';
import { ROOT } from './support.js';

/** The current SDL source (schema/*.graphql: the federation link, `Person @key`) as one canonical document. */
const currentSdl = print(concatAST(readSdlFiles(join(ROOT, 'schema')).map((sdl) => parse(sdl))));
/** The released form of the current SDL (the same text a release writes). */
const currentSnapshot = printSnapshot(loadSchema(join(ROOT, 'schema')));

interface Workspace {
  schemaDir: string;
  snapshot: string;
  policyDir: string;
}

/** A released snapshot of `released`, the SDL `next` as schema/, and a policy granting `grants` to consumer `acme`. */
function workspace(released: string, next: string, grants: string[] = ['Query.*', 'Person.*']): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'pg-schema-'));
  const w = { schemaDir: join(dir, 'schema'), snapshot: join(dir, 'schema', 'released', 'schema.graphql'), policyDir: join(dir, 'policy') };
  mkdirSync(join(dir, 'schema', 'released'), { recursive: true });
  mkdirSync(w.policyDir);
  writeFileSync(w.snapshot, released);
  writeFileSync(join(w.schemaDir, 'person.graphql'), next);
  writeFileSync(
    join(w.policyDir, 'test.yaml'),
    `roles:\n  everything:\n    grants: [${grants.join(', ')}]\n  names:\n    grants: [Query.person, Person.hmppsId]\nconsumers:\n  acme:\n    roles: [everything]\n  narrow:\n    roles: [names]\n`,
  );
  return w;
}

/** Edits one object type of an SDL document. */
function editType(sdl: string, typeName: string, edit: (node: ObjectTypeDefinitionNode) => ObjectTypeDefinitionNode): string {
  const doc: DocumentNode = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      return node.name.value === typeName ? edit(node) : undefined;
    },
  });
  return print(doc);
}

const personFields = (sdl: string): readonly FieldDefinitionNode[] =>
  (parse(sdl).definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Person') as ObjectTypeDefinitionNode).fields ?? [];
/** A Person field that is a plain nullable String in the current schema (there are several). */
const stringField = personFields(currentSdl).find((f) => f.type.kind === Kind.NAMED_TYPE && f.type.name.value === 'String' && !f.directives?.length)!;
const firstQueryField = (parse(currentSdl).definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query') as ObjectTypeDefinitionNode).fields![0]!;

describe('npm run schema:check', () => {
  it('passes on main: the committed snapshot is compatible with schema/*.graphql (exit code 0)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema-check.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^OK/m);
    expect(run.status).toBe(0);
  });

  it('fails (exit code 1) for a removed field, and names the consumers granted it', async () => {
    const w = workspace(currentSnapshot, editType(currentSdl, 'Person', (n) => ({ ...n, fields: n.fields!.filter((f) => f.name.value !== stringField.name.value) })));
    const result = await checkSchema(w);
    expect(result.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', `Person.${stringField.name.value}`]]);
    expect(result.report).toMatch(/not deprecated in the released snapshot/);
    expect(result.report).toContain(`acme (`);
    expect(result.report).toMatch(new RegExp(`BREAKING Person\\.${stringField.name.value}: .*\\(granted by Person\\.\\*\\)`));
    expect(result.report).not.toMatch(/^ {2}narrow /m); // its grants are untouched

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema-check.ts', '--schema', w.schemaDir, '--snapshot', w.snapshot, '--policy', w.policyDir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/^Breaking \(fails the check\): 1$/m);
    expect(cli.stdout).toMatch(/^FAILED: 1 breaking change/m);
  });

  it('fails for a type change', async () => {
    const next = editType(currentSdl, 'Person', (n) => ({
      ...n,
      fields: n.fields!.map((f) => (f.name.value === stringField.name.value ? { ...f, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'Int' } } } : f)),
    }));
    const result = await checkSchema(workspace(currentSnapshot, next));
    expect(result.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_TYPE_CHANGED', `Person.${stringField.name.value}`]]);
  });

  it('fails for a new required argument', async () => {
    const next = editType(currentSdl, 'Query', (n) => ({
      ...n,
      fields: n.fields!.map((f) =>
        f.name.value === firstQueryField.name.value
          ? {
              ...f,
              arguments: [
                ...(f.arguments ?? []),
                { kind: Kind.INPUT_VALUE_DEFINITION, name: { kind: Kind.NAME, value: 'reason' }, type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } } },
              ],
            }
          : f,
      ),
    }));
    const result = await checkSchema(workspace(currentSnapshot, next));
    expect(result.breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_ARGUMENT_ADDED', `Query.${firstQueryField.name.value}.reason`]]);
  });

  it('passes for an added field, and reports it as newly visible to consumers granted Type.*', async () => {
    const next = `${currentSdl}\nextend type Person {\n  "A name the person prefers to be called by."\n  preferredName: String\n}\n`;
    const result = await checkSchema(workspace(currentSnapshot, next));
    expect(result.breaking).toEqual([]);
    expect(result.changes.map((c) => [c.level, c.type, c.path])).toEqual([['NON_BREAKING', 'FIELD_ADDED', 'Person.preferredName']]);
    expect(result.report).toMatch(/NON_BREAKING Person\.preferredName: .*\(granted by Person\.\*\)/);
  });

  it('allows removing a field only when the released snapshot already deprecated it', async () => {
    const name = stringField.name.value;
    const deprecated = editType(currentSdl, 'Person', (n) => ({
      ...n,
      fields: n.fields!.map((f) =>
        f.name.value === name
          ? { ...f, directives: [{ kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'deprecated' }, arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'reason' }, value: { kind: Kind.STRING, value: 'Use something else.' } }] }] }
          : f,
      ),
    }));
    const removed = editType(currentSdl, 'Person', (n) => ({ ...n, fields: n.fields!.filter((f) => f.name.value !== name) }));
    // Deprecating is not breaking; removing after a release that deprecated it is allowed (dangerous).
    expect((await checkSchema(workspace(currentSnapshot, deprecated))).breaking).toEqual([]);
    const result = await checkSchema(workspace(printSnapshot(loadSchemaFromSdl(deprecated)), removed));
    expect(result.breaking).toEqual([]);
    expect(result.changes.filter((c) => c.type === 'FIELD_REMOVED').map((c) => [c.level, c.path])).toEqual([['DANGEROUS', `Person.${name}`]]);
    expect(result.report).toMatch(/allowed: deprecated in the released snapshot/);
  });

  it("names the consumers' trusted documents a change breaks (validated against the new schema), and fails for them even when the change is allowed", async () => {
    const name = stringField.name.value;
    const deprecated = editType(currentSdl, 'Person', (n) => ({
      ...n,
      fields: n.fields!.map((f) =>
        f.name.value === name
          ? { ...f, directives: [{ kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'deprecated' }, arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'reason' }, value: { kind: Kind.STRING, value: 'Use something else.' } }] }] }
          : f,
      ),
    }));
    const removed = editType(currentSdl, 'Person', (n) => ({ ...n, fields: n.fields!.filter((f) => f.name.value !== name) }));
    const w = workspace(printSnapshot(loadSchemaFromSdl(deprecated)), removed);
    const register = (consumer: string, file: string, text: string) => {
      mkdirSync(join(w.policyDir, 'documents', consumer), { recursive: true });
      writeFileSync(join(w.policyDir, 'documents', consumer, file), text);
    };
    register('acme', 'UsesIt.graphql', `query UsesIt($id: ID!) { person(hmppsId: $id) { hmppsId ${name} } }`);
    register('acme', 'Other.graphql', 'query Other($id: ID!) { person(hmppsId: $id) { hmppsId } }');
    register('narrow', 'NarrowName.graphql', 'query NarrowName($id: ID!) { person(hmppsId: $id) { hmppsId } }');

    const result = await checkSchema(w);
    expect(result.breaking).toEqual([]); // allowed by the deprecation policy...
    expect(result.documents.checked).toBe(3);
    expect(result.documents.broken.map((d) => [d.consumer, d.operations])).toEqual([['acme', ['UsesIt']]]); // ...but it breaks acme's UsesIt
    expect(result.documents.broken[0]!.errors.join()).toContain(`Cannot query field "${name}" on type "Person"`);
    expect(result.report).toMatch(new RegExp(`BROKEN acme: UsesIt \\(.*UsesIt\\.graphql, sha256:[0-9a-f]{64}\\)`));
    expect(result.report).toMatch(/FAILED: the change breaks 1 trusted document\(s\) of acme/);
    expect(result.markdown).toContain('| acme | UsesIt |');

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema-check.ts', '--schema', w.schemaDir, '--snapshot', w.snapshot, '--policy', w.policyDir, '--artefacts', join(w.policyDir, 'out')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('BROKEN acme: UsesIt');
  });
});

describe('npm run schema:check: Person Graph must compose as a Federation v2 subgraph', () => {
  it('fails (exit code 1) when the subgraph no longer composes with the test subgraph, and says why', () => {
    // Dropping the key: the test subgraph's Person @key(fields: "hmppsId") can no longer be resolved from Person Graph.
    const w = workspace(currentSnapshot, currentSdl.replace('@key(fields: "hmppsId")', ''));
    const artefacts = mkdtempSync(join(tmpdir(), 'pg-schema-artefacts-'));
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/schema-check.ts', '--schema', w.schemaDir, '--snapshot', w.snapshot, '--policy', w.policyDir, '--artefacts', artefacts],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(cli.stdout).toMatch(/composition error/);
    expect(cli.stdout).toMatch(/^FAILED: Person Graph no longer composes/m);
    expect(cli.status).toBe(1);
  });

  it('writes the subgraph SDL and the supergraph as build artefacts', () => {
    const artefacts = mkdtempSync(join(tmpdir(), 'pg-schema-artefacts-'));
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema-check.ts', '--artefacts', artefacts], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(cli.status).toBe(0);
    expect(readFileSync(join(artefacts, 'person-graph.subgraph.graphql'), 'utf8')).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.3"/);
    expect(readFileSync(join(artefacts, 'supergraph-with-test-subgraph.graphql'), 'utf8')).toMatch(/nextHearing/);
  });
});

describe('npm run schema:check: one line per deprecation, and a Markdown job summary', () => {
  const deprecate = (sdl: string) =>
    editType(sdl, 'Person', (n) => ({
      ...n,
      fields: n.fields!.map((f) =>
        f.name.value === stringField.name.value
          ? { ...f, directives: [{ kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'deprecated' }, arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'reason' }, value: { kind: Kind.STRING, value: 'Use something else.' } }] }] }
          : f,
      ),
    }));

  it('reports one deprecation once (graphql-inspector gives the deprecation, the directive and its argument)', async () => {
    const result = await checkSchema(workspace(currentSnapshot, deprecate(currentSdl)));
    expect(result.changes.map((c) => [c.type, c.path])).toEqual([['FIELD_DEPRECATION_ADDED', `Person.${stringField.name.value}.@deprecated`]]);
    expect(result.report.split('\n').filter((l) => l.includes(`Person.${stringField.name.value}`))).toHaveLength(2); // the change, and acme's line
  });

  it('writes the per-consumer impact as Markdown with --summary (appended, as $GITHUB_STEP_SUMMARY expects)', () => {
    const w = workspace(currentSnapshot, editType(currentSdl, 'Person', (n) => ({ ...n, fields: n.fields!.filter((f) => f.name.value !== stringField.name.value) })));
    const summary = join(w.policyDir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema-check.ts', '--schema', w.schemaDir, '--snapshot', w.snapshot, '--policy', w.policyDir, '--summary', summary], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(cli.status).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^# earlier step\n## Schema check: FAILED$/m);
    expect(md).toContain(`| BREAKING | \`Person.${stringField.name.value}\` |`);
    expect(md).toMatch(new RegExp(`^\\| acme \\| \`[^\`]+test\\.yaml\` \\| BREAKING \\| \`Person\\.${stringField.name.value}\` \\| .* \\| \`Person\\.\\*\` \\|$`, 'm'));
    expect(md).not.toMatch(/^\| narrow /m);
    expect(md).toMatch(/\*\*FAILED: 1 breaking change/);
  });
});

describe('npm run schema:release', () => {
  const release = (w: Workspace) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/schema-release.ts', '--schema', w.schemaDir, '--snapshot', w.snapshot, '--policy', w.policyDir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('writes the new snapshot and a changelog entry for a compatible change, and refuses a breaking one', () => {
    const added = `${currentSdl}\nextend type Person {\n  "A name the person prefers to be called by."\n  preferredName: String\n}\n`;
    const w = workspace(currentSnapshot, added);
    const ok = release(w);
    expect(ok.status).toBe(0);
    expect(readFileSync(w.snapshot, 'utf8')).toBe(printSnapshot(loadSchemaFromSdl(added)));
    expect(readFileSync(join(w.snapshot, '..', 'CHANGELOG.md'), 'utf8')).toMatch(/NON_BREAKING `Person\.preferredName`/);
    // The released subgraph SDL beside it: Person is an entity keyed by hmppsId (ADR 11).
    expect(readFileSync(join(w.snapshot, '..', 'subgraph.graphql'), 'utf8')).toMatch(/type Person\s+@key\(fields: "hmppsId"\)/);

    writeFileSync(join(w.schemaDir, 'person.graphql'), currentSdl); // preferredName removed again: breaking now
    const refused = release(w);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/refused: breaking changes/);
    expect(readFileSync(w.snapshot, 'utf8')).toBe(printSnapshot(loadSchemaFromSdl(added))); // unchanged
  });
});

function loadSchemaFromSdl(sdl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pg-schema-sdl-'));
  writeFileSync(join(dir, 'schema.graphql'), sdl);
  return loadSchema(dir);
}
