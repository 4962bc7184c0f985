/**
 * The schema contract: the SDL in schema/*.graphql is the source of truth, schema/released/schema.graphql is
 * the snapshot of what consumers were last promised. Shared by `npm run schema:check`, `npm run schema:release`
 * and `npm run docs:schema`. Policy (docs/adr/0003-schema-contract-and-delivery.md): a change that would break a consumer
 * fails the check; a field, argument, input field or enum value may be removed only when it was already
 * deprecated in the released snapshot.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import {
  buildSchema,
  parse as parseSdl,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
} from 'graphql';
import { parse as parseYaml } from 'yaml';
import { NAMED_ONLY_COORDINATES } from '../src/auth/policy.js';
import { readDocuments, validationErrors } from '../src/auth/trusted-documents.js';
import { subgraphSchema, subgraphSdl } from '../src/server/federation.js';

export const DEFAULT_SCHEMA_DIR = 'schema';
export const DEFAULT_SNAPSHOT = 'schema/released/schema.graphql';
export const DEFAULT_POLICY_DIR = 'policy';

export const SNAPSHOT_HEADER = [
  '# Released schema snapshot: what consumers were last promised.',
  '# Written by `npm run schema:release` from schema/*.graphql; do not edit by hand.',
  '# `npm run schema:check` compares schema/*.graphql against it (docs/adr/0003-schema-contract-and-delivery.md).',
  '',
  '',
].join('\n');

/** The SDL files of one directory (not its subdirectories), in file-name order, as the gateway loads them. */
export function readSdlFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`schema directory ${dir} does not exist`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
  if (files.length === 0) throw new Error(`no .graphql files in ${dir}`);
  return files.map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** The schema exactly as the gateway builds it (the Federation v2 subgraph schema of the SDL files), without resolvers. */
export function loadSchema(dir: string): GraphQLSchema {
  return subgraphSchema(readSdlFiles(dir));
}

/** The test subgraph every check composes Person Graph with (it extends Person as another team would). */
export const DEFAULT_TEST_SUBGRAPH = 'local-stack/federation/hearings.graphql';
/** Where `schema:check` writes the federation artefacts of the current SDL (git-ignored build output). */
export const DEFAULT_ARTEFACT_DIR = 'dist/schema';
/** The released subgraph SDL, written by `schema:release` beside the released schema. */
export const SUBGRAPH_SNAPSHOT_NAME = 'subgraph.graphql';

export interface Composition {
  /** Person Graph's subgraph SDL: what `_service { sdl }` answers and what a router composes. */
  subgraphSdl: string;
  /** The supergraph of Person Graph and the test subgraph, when they compose. */
  supergraphSdl: string | null;
  errors: string[];
}

/**
 * Composes Person Graph's subgraph (from `schemaDir`) with the test subgraph, as a router's composition
 * would (@theguild/federation-composition, Federation v2 rules). Errors are composition errors.
 */
export function composeWithTestSubgraph(schemaDir: string, testSubgraphFile = DEFAULT_TEST_SUBGRAPH): Composition {
  const sdl = subgraphSdl(loadSchema(schemaDir));
  const result = composeServices([
    { name: 'person-graph', typeDefs: parseSdl(sdl), url: 'https://person-graph.invalid/graphql' },
    { name: 'court-hearings', typeDefs: parseSdl(readFileSync(testSubgraphFile, 'utf8')), url: 'http://court-hearings.invalid/graphql' },
  ]);
  if (compositionHasErrors(result)) return { subgraphSdl: sdl, supergraphSdl: null, errors: result.errors.map((e) => e.message) };
  return { subgraphSdl: sdl, supergraphSdl: result.supergraphSdl, errors: [] };
}

export function loadSnapshot(file: string): GraphQLSchema {
  if (!existsSync(file)) {
    throw new Error(`no released schema snapshot at ${file}: run \`npm run schema:release\` to write the first one`);
  }
  return buildSchema(readFileSync(file, 'utf8'));
}

/** Canonical, sorted SDL: the snapshot's form, so that its diffs in review show only real changes. */
export function printSnapshot(schema: GraphQLSchema): string {
  return `${SNAPSHOT_HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}

export type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

export interface ClassifiedChange {
  level: Level;
  type: string;
  message: string;
  /** Schema path as graphql-inspector gives it: `Type`, `Type.field`, `Type.field.argument`. */
  path: string | null;
  /** The `Type.field` coordinate the change is about, or `Type` for a change to a whole type. */
  coordinate: string | null;
  /** Why the level differs from graphql-inspector's, when the deprecation policy changed it. */
  note?: string;
}

function isDeprecatedInSnapshot(old: GraphQLSchema, path: string, type: string): boolean {
  const [typeName, member, argument] = path.split('.');
  const t = typeName ? old.getType(typeName) : undefined;
  if (!t || !member) return false;
  if (type === 'ENUM_VALUE_REMOVED' && 'getValue' in t) {
    return Boolean((t as { getValue(n: string): { deprecationReason?: string | null } | undefined }).getValue(member)?.deprecationReason);
  }
  if (isInputObjectType(t)) return Boolean(t.getFields()[member]?.deprecationReason);
  if (isObjectType(t) || isInterfaceType(t)) {
    const field = t.getFields()[member];
    if (!field) return false;
    if (type === 'FIELD_ARGUMENT_REMOVED') return Boolean(field.args.find((a) => a.name === argument)?.deprecationReason);
    return Boolean(field.deprecationReason);
  }
  return false;
}

/**
 * Types removed from the schema may go only when nothing live in the snapshot led to them: every field,
 * argument and input field of the snapshot that uses the type is deprecated or belongs to a type that is
 * itself removed.
 */
function removableTypes(old: GraphQLSchema, current: GraphQLSchema): Set<string> {
  const removed = new Set(Object.keys(old.getTypeMap()).filter((n) => !n.startsWith('__') && !current.getType(n)));
  const uses = new Map<string, Array<{ owner: string; deprecated: boolean }>>();
  const use = (target: string, owner: string, deprecated: boolean) => {
    const list = uses.get(target) ?? [];
    list.push({ owner, deprecated });
    uses.set(target, list);
  };
  for (const t of Object.values(old.getTypeMap())) {
    if (t.name.startsWith('__')) continue;
    if (isObjectType(t) || isInterfaceType(t)) {
      for (const f of Object.values(t.getFields())) {
        use(getNamedType(f.type).name, t.name, Boolean(f.deprecationReason));
        for (const a of f.args) use(getNamedType(a.type).name, t.name, Boolean(f.deprecationReason || a.deprecationReason));
      }
    } else if (isInputObjectType(t)) {
      for (const f of Object.values(t.getFields())) use(getNamedType(f.type).name, t.name, Boolean(f.deprecationReason));
    }
  }
  let ok = new Set(removed);
  for (;;) {
    const next = new Set([...ok].filter((name) => (uses.get(name) ?? []).every((u) => u.deprecated || ok.has(u.owner))));
    if (next.size === ok.size) return next;
    ok = next;
  }
}

const ADDITIONS = new Set(['TYPE_ADDED', 'FIELD_ADDED', 'INPUT_FIELD_ADDED', 'ENUM_VALUE_ADDED', 'FIELD_ARGUMENT_ADDED']);

/**
 * Drops the non-breaking details of something added in the same diff (the description of a new field, the
 * fields of a new type): one line per addition. Breaking and dangerous changes are never dropped.
 */
function simplify(changes: Change[]): Change[] {
  const added = new Set(changes.filter((c) => ADDITIONS.has(String(c.type)) && c.path).map((c) => c.path as string));
  const underAddition = (path: string) => {
    for (let p = path; p.includes('.'); ) {
      p = p.slice(0, p.lastIndexOf('.'));
      if (added.has(p)) return true;
    }
    return false;
  };
  return changes.filter((c) => {
    if (c.criticality.level !== CriticalityLevel.NonBreaking || !c.path) return true;
    if (ADDITIONS.has(String(c.type))) return !underAddition(c.path);
    return !(added.has(c.path) || underAddition(c.path));
  });
}

/**
 * graphql-inspector reports one deprecation up to three times: the deprecation itself, the `@deprecated`
 * directive being added, and its `reason` argument. Keeps one line per deprecated (or undeprecated) member:
 * the deprecation change when there is one (fields, enum values), else the directive change (input fields,
 * arguments); the directive's argument changes go.
 */
function oneLinePerDeprecation(changes: Change[]): Change[] {
  const directivePath = (path: string | undefined) => (path && /\.@deprecated(\.|$)/.test(path) ? path.slice(0, path.indexOf('.@deprecated')) : null);
  const withDeprecationChange = new Set(changes.filter((c) => String(c.type).includes('DEPRECATION')).map((c) => directivePath(c.path) ?? c.path));
  return changes.filter((c) => {
    const member = directivePath(c.path);
    if (member === null || !String(c.type).startsWith('DIRECTIVE_USAGE_')) return true;
    if (String(c.type).startsWith('DIRECTIVE_USAGE_ARGUMENT_')) return false;
    return !withDeprecationChange.has(member);
  });
}

const REMOVALS = new Set(['FIELD_REMOVED', 'ENUM_VALUE_REMOVED', 'INPUT_FIELD_REMOVED', 'FIELD_ARGUMENT_REMOVED']);

/** Every change from the snapshot to the current SDL, with the deprecation policy applied. */
export async function classifyChanges(old: GraphQLSchema, current: GraphQLSchema): Promise<ClassifiedChange[]> {
  const typesThatMayGo = removableTypes(old, current);
  return oneLinePerDeprecation(simplify(await diff(old, current))).map((c) => {
    const path = c.path ?? null;
    const parts = path ? path.split('.') : [];
    const coordinate = parts.length >= 2 ? `${parts[0]}.${parts[1]}` : (parts[0] ?? null);
    const base: ClassifiedChange = { level: c.criticality.level as Level, type: String(c.type), message: c.message, path, coordinate };
    if (c.criticality.level !== CriticalityLevel.Breaking || !path) return base;
    if (REMOVALS.has(base.type)) {
      return isDeprecatedInSnapshot(old, path, base.type)
        ? { ...base, level: 'DANGEROUS', note: 'allowed: deprecated in the released snapshot' }
        : { ...base, note: 'not deprecated in the released snapshot: deprecate it, release, and remove it in a later release' };
    }
    if (base.type === 'TYPE_REMOVED' && typesThatMayGo.has(parts[0] ?? '')) {
      return { ...base, level: 'DANGEROUS', note: 'allowed: only deprecated fields of the released snapshot used it' };
    }
    return base;
  });
}

export interface ConsumerGrants {
  file: string;
  consumer: string;
  roles: string[];
  /** Coordinates as written in the policy: `Type.field` or `Type.*`. */
  grants: string[];
}

/**
 * Every consumer of every policy file (policy/*.yaml): its roles and the coordinates they grant. Read loosely
 * (the gateway validates policies strictly at start-up): unknown keys are ignored, and a consumer's own
 * `grants`, if the policy model has them, count too.
 */
export function readPolicyGrants(dir: string): ConsumerGrants[] {
  if (!existsSync(dir)) return [];
  const out: ConsumerGrants[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const doc = (parseYaml(readFileSync(join(dir, file), 'utf8')) ?? {}) as {
      roles?: Record<string, { grants?: unknown } | null>;
      consumers?: Record<string, { roles?: unknown; grants?: unknown } | null>;
    };
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    for (const [consumer, def] of Object.entries(doc.consumers ?? {})) {
      const roles = strings(def?.roles);
      const grants = new Set(strings(def?.grants));
      for (const role of roles) strings(doc.roles?.[role]?.grants).forEach((g) => grants.add(g));
      out.push({ file: join(dir, file), consumer, roles, grants: [...grants].sort() });
    }
  }
  return out;
}

/** The granted coordinates (as written in the policy: `Type.field`, `Type.*` or `*`) that a change touches. */
export function grantsTouched(change: ClassifiedChange, grants: string[]): string[] {
  if (!change.coordinate) return [];
  const [typeName, field] = change.coordinate.split('.');
  // The federation fields are granted only by name (src/auth/policy.ts): no wildcard reaches them.
  const namedOnly = NAMED_ONLY_COORDINATES.has(change.coordinate);
  return grants.filter((g) => {
    if (namedOnly) return g === change.coordinate;
    if (g === '*') return true; // full access: everything, now and later
    const [gType, gField] = g.split('.');
    if (gType !== typeName) return false;
    return field === undefined || gField === '*' || gField === field;
  });
}

export interface ConsumerImpact extends ConsumerGrants {
  hits: Array<{ change: ClassifiedChange; grants: string[] }>;
}

/** A consumer's trusted document (policy/documents/<consumer>/) that no longer validates against the new schema. */
export interface BrokenDocument {
  consumer: string;
  id: string;
  file: string;
  operations: string[];
  errors: string[];
}

/**
 * The registered documents (docs/adr/0020-trusted-documents.md) that the schema in `schema` breaks: each
 * document is validated against it, as the gateway would on the first request after the release.
 */
export function brokenDocuments(schema: GraphQLSchema, policyDir: string): { checked: number; broken: BrokenDocument[]; unreadable: string[] } {
  const { documents, problems } = readDocuments(join(policyDir, 'documents'));
  const broken = documents
    .map((d) => ({ consumer: d.consumer, id: d.id, file: join(policyDir, d.file), operations: d.operationNames, errors: validationErrors(schema, d.text) }))
    .filter((d) => d.errors.length > 0);
  return { checked: documents.length, broken, unreadable: problems };
}

export interface CheckResult {
  changes: ClassifiedChange[];
  breaking: ClassifiedChange[];
  /** Trusted documents the new schema breaks (they fail the check too: the consumer's operation would stop working). */
  documents: { checked: number; broken: BrokenDocument[] };
  /** Person Graph as a subgraph, composed with the test subgraph; its errors fail the check too. */
  composition: Composition;
  /** Consumers with at least one granted coordinate a relevant change touches. */
  impact: ConsumerImpact[];
  /** Plain-text report (the CLI's standard output). */
  report: string;
  /** The same as Markdown, for a CI job summary (`--summary <file>`). */
  markdown: string;
}

const ORDER: Level[] = ['BREAKING', 'DANGEROUS', 'NON_BREAKING'];
const TITLE: Record<Level, string> = {
  BREAKING: 'Breaking (fails the check)',
  DANGEROUS: 'Dangerous (allowed; tell the consumers concerned)',
  NON_BREAKING: 'Non-breaking',
};

function verdict(breaking: number, changes: number): string {
  return breaking > 0
    ? `FAILED: ${breaking} breaking change(s). Keep the old field beside the new one and deprecate it (@deprecated(reason: "...")), release, and remove it in a later release: docs/adr/0003-schema-contract-and-delivery.md.`
    : changes > 0
      ? 'OK: no breaking changes. After review, `npm run schema:release` updates the snapshot.'
      : 'OK.';
}

/** Compares the SDL in `schemaDir` with the snapshot and says, per consumer, which of its grants are touched. */
export async function checkSchema(
  options: { schemaDir?: string; snapshot?: string; policyDir?: string; testSubgraph?: string } = {},
): Promise<CheckResult> {
  const schemaDir = options.schemaDir ?? DEFAULT_SCHEMA_DIR;
  const snapshotFile = options.snapshot ?? DEFAULT_SNAPSHOT;
  const policyDir = options.policyDir ?? DEFAULT_POLICY_DIR;
  // Compared in the snapshot's printed form on both sides: directive applications the snapshot cannot hold
  // (the federation `@link` on the schema, `@key` on Person) are not API changes a consumer sees.
  const nextSchema = loadSchema(schemaDir);
  const changes = await classifyChanges(loadSnapshot(snapshotFile), buildSchema(printSnapshot(nextSchema)));
  const breaking = changes.filter((c) => c.level === 'BREAKING');
  const documents = brokenDocuments(nextSchema, policyDir);
  const consumers = readPolicyGrants(policyDir);
  // Besides breaking and dangerous changes, consumers care about additions (a `Type.*` grant makes a new field
  // visible to them at once) and deprecations (they must move off the field before it goes).
  const relevant = changes.filter(
    (c) =>
      c.level !== 'NON_BREAKING' || (c.type.endsWith('_ADDED') && !c.type.includes('DESCRIPTION')) || c.type.includes('DEPRECATION') || Boolean(c.path?.includes('.@deprecated')),
  );
  const impact: ConsumerImpact[] = consumers
    .map((consumer) => ({
      ...consumer,
      hits: relevant
        .map((change) => ({ change, grants: grantsTouched(change, consumer.grants) }))
        .filter((h) => h.grants.length > 0)
        .sort((a, b) => ORDER.indexOf(a.change.level) - ORDER.indexOf(b.change.level)),
    }))
    .filter((c) => c.hits.length > 0);

  const lines: string[] = [`Schema check: ${schemaDir}/*.graphql against the released snapshot ${snapshotFile}`];
  if (changes.length === 0) lines.push('', 'No changes.');
  for (const level of ORDER) {
    const group = changes.filter((c) => c.level === level);
    if (group.length === 0) continue;
    lines.push('', `${TITLE[level]}: ${group.length}`);
    for (const c of group) lines.push(`  - ${c.path ?? '(schema)'}: ${c.message}${c.note ? ` [${c.note}]` : ''}`);
  }
  if (consumers.length > 0 && changes.length > 0) {
    lines.push('', `Consumers whose granted coordinates a change touches (${policyDir}/*.yaml):`);
    for (const consumer of impact) {
      lines.push(`  ${consumer.consumer} (${consumer.file}; roles: ${consumer.roles.join(', ') || 'none'})`);
      for (const { change: c, grants } of consumer.hits) lines.push(`    - ${c.level} ${c.path}: ${c.message} (granted by ${grants.join(', ')})`);
    }
    if (impact.length === 0) lines.push('  none');
  }
  const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const mdLines: string[] = [
    `## Schema check: ${breaking.length > 0 ? 'FAILED' : 'OK'}`,
    '',
    `\`${schemaDir}/*.graphql\` against the released snapshot \`${snapshotFile}\`: ${changes.length === 0 ? 'no changes.' : ORDER.map((l) => `${changes.filter((c) => c.level === l).length} ${l.toLowerCase().replace('_', '-')}`).join(', ')}.`,
  ];
  if (changes.length > 0) {
    mdLines.push('', '| level | path | change |', '|---|---|---|');
    for (const level of ORDER) {
      for (const c of changes.filter((x) => x.level === level)) mdLines.push(`| ${level} | \`${c.path ?? '(schema)'}\` | ${md(c.message)}${c.note ? ` (${md(c.note)})` : ''} |`);
    }
    mdLines.push('', `### Consumers affected (${policyDir}/*.yaml)`, '');
    if (impact.length === 0) mdLines.push('None: no change touches a coordinate any consumer is granted.');
    else {
      mdLines.push('| consumer | policy | level | path | change | granted by |', '|---|---|---|---|---|---|');
      for (const consumer of impact) {
        for (const { change: c, grants } of consumer.hits) {
          mdLines.push(`| ${consumer.consumer} | \`${consumer.file}\` | ${c.level} | \`${c.path ?? '(schema)'}\` | ${md(c.message)} | ${grants.map((g) => `\`${g}\``).join(', ')} |`);
        }
      }
    }
  }
  lines.push('', `Trusted documents (${policyDir}/documents/): ${documents.checked} checked against the new schema`);
  mdLines.push('', `### Trusted documents (\`${policyDir}/documents/\`)`, '');
  if (documents.broken.length === 0) {
    lines.push(`  none broken`);
    mdLines.push(`${documents.checked} checked against the new schema: none broken.`);
  } else {
    mdLines.push('| consumer | operations | document | why |', '|---|---|---|---|');
    for (const d of documents.broken) {
      lines.push(`  BROKEN ${d.consumer}: ${d.operations.join(', ') || '(anonymous)'} (${d.file}, ${d.id})`);
      for (const e of d.errors) lines.push(`    - ${e}`);
      mdLines.push(`| ${d.consumer} | ${d.operations.join(', ')} | \`${d.file}\` | ${md(d.errors.join('; '))} |`);
    }
  }
  for (const u of documents.unreadable) lines.push(`  unreadable: ${u}`);
  const composition = composeWithTestSubgraph(schemaDir, options.testSubgraph);
  lines.push('', `Federation: Person Graph's subgraph composed with the test subgraph ${options.testSubgraph ?? DEFAULT_TEST_SUBGRAPH}`);
  if (composition.errors.length === 0) lines.push('  composes (Federation v2)');
  for (const e of composition.errors) lines.push(`  - composition error: ${e}`);
  const composes = composition.errors.length === 0;
  const final = !composes
    ? `FAILED: Person Graph no longer composes as a Federation v2 subgraph (${composition.errors.length} error(s)); routers could not load it: docs/adr/0011-federation-subgraph.md.`
    : documents.broken.length > 0 && breaking.length === 0
      ? `FAILED: the change breaks ${documents.broken.length} trusted document(s) of ${[...new Set(documents.broken.map((d) => d.consumer))].join(', ')}: agree a new document with the consumer and register it (npm run documents) before the old one stops working.`
      : verdict(breaking.length, changes.length);
  lines.push('', final);
  mdLines.push('', `### Federation`, '', composes ? 'Composes with the test subgraph (Federation v2).' : composition.errors.map((e) => `- composition error: ${md(e)}`).join('\n'));
  mdLines.push('', `**${final}**`, '');
  return {
    changes,
    breaking,
    documents: { checked: documents.checked, broken: documents.broken },
    composition,
    impact,
    report: lines.join('\n'),
    markdown: mdLines.join('\n'),
  };
}
