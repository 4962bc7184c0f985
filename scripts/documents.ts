/**
 * `npm run documents`: a consumer's trusted documents (docs/adr/0020-trusted-documents.md), kept beside the
 * policy in `policy/documents/<consumer>/*.graphql` and identified by `sha256:<hex of the document text>`.
 * `add` checks a document against the schema and the consumer's grants with the gateway's own operation gate
 * before it writes it; add and remove also rewrite the folder's kustomize Component (scripts/documents-lib.ts)
 * when it has one, so the overlays deploy exactly the registered documents. Usage: `npm run documents -- --help`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'graphql';
import { loadPolicy, PolicyError } from '../src/auth/policy.js';
import { documentIdOf, documentProblems, documentsDirFor, isSafeConsumerFolder, readDocuments, type TrustedDocument } from '../src/auth/trusted-documents.js';
import { securityConfig } from '../src/config/security.js';
import { commandLine, usageFailure, type CommandLine } from './cli.js';
import { CONFIGMAP_TEXT_BUDGET, documentBytes, DOCUMENTS_KUSTOMIZATION, refreshDocumentsKustomization } from './documents-lib.js';
import { DEFAULT_SCHEMA_DIR, loadSchema } from './schema-lib.js';

const USAGE = `A consumer's trusted documents: the operations it registered, kept beside the policy in
<policy folder>/documents/<consumer>/*.graphql, each identified by sha256:<hex of the document text>.

usage:
  npm run documents -- add <consumer> <file.graphql> [--name <name>]   check the document against the schema and
                                                                      the consumer's grants, then register it
  npm run documents -- list [<consumer>] [--check]                    registered documents: id, consumer, file,
                                                                      operations (--check: each one checked again)
  npm run documents -- remove <consumer> <id-or-name>                 unregister a document (by id or file name)

options:
  --policy <file>   the policy file whose consumers these are (default policy/development.yaml); the
                    documents are in the documents/ folder beside it
  --schema <dir>    SDL folder (default schema)
  --name <name>     file name for add (default: the document's first operation name)
  --check           with list: check every document again; exit 1 when one no longer passes
  -h, --help        this text

exit codes: 0 done, 1 failed (a document that does not pass, an unknown consumer or document), 2 usage error`;

const spec: CommandLine = {
  command: 'npm run documents',
  usage: USAGE,
  options: { policy: { type: 'string' }, schema: { type: 'string' }, name: { type: 'string' }, check: { type: 'boolean' } },
  maxPositionals: 3,
};
const { values, positionals } = commandLine(process.argv.slice(2), spec);
const [command, ...args] = positionals;
const expected: Record<string, [number, number]> = { add: [2, 2], list: [0, 1], remove: [2, 2] };
if (command === undefined || !(command in expected)) usageFailure(spec, command === undefined ? 'add, list or remove?' : `unknown command ${command}`);
const [min, max] = expected[command]!;
if (args.length < min || args.length > max) usageFailure(spec, `${command} takes ${min === max ? min : `${min} to ${max}`} argument(s)`);
if (command !== 'add' && values.name !== undefined) usageFailure(spec, '--name goes with add');
if (command !== 'list' && values.check !== undefined) usageFailure(spec, '--check goes with list');

const policyFile = typeof values.policy === 'string' ? values.policy : join('policy', 'development.yaml');
const schemaDir = typeof values.schema === 'string' ? values.schema : DEFAULT_SCHEMA_DIR;
const dir = documentsDirFor(policyFile);

class Failure extends Error {}

function context() {
  const schema = loadSchema(schemaDir);
  const policy = loadPolicy(policyFile, schema);
  const problems: string[] = [];
  const limits = securityConfig({}, 'development', problems).limits;
  const grantOf = (consumer: string) => {
    const grant = policy.consumer(consumer);
    if (!grant) throw new Failure(`${consumer} is not a consumer in ${policyFile} (consumers: ${policy.consumerNames.join(', ')})`);
    return grant;
  };
  return { schema, limits, grantOf };
}

function show(d: TrustedDocument): string {
  return `${d.id}  ${d.consumer}  ${join(relative('.', dir), d.consumer, d.file.split('/').pop()!)}  ${d.operationNames.join(', ')}`;
}

function add(consumer: string, file: string): void {
  const { schema, limits, grantOf } = context();
  const grant = grantOf(consumer);
  if (!isSafeConsumerFolder(consumer)) throw new Failure(`${consumer} cannot be a folder name`);
  const text = readFileSync(file, 'utf8');
  const problems = documentProblems(schema, text, grant, limits);
  if (problems.length > 0) throw new Failure(`${file} cannot be a trusted document of ${consumer}:\n  - ${problems.join('\n  - ')}`);
  const id = documentIdOf(text);
  const existing = readDocuments(dir).documents.find((d) => d.consumer === consumer && d.id === id);
  if (existing) {
    process.stdout.write(`already registered: ${show(existing)}\n`);
    return;
  }
  const firstOperation = parse(text).definitions.find((d) => d.kind === 'OperationDefinition');
  const name = typeof values.name === 'string' ? values.name.replace(/\.graphql$/, '') : (firstOperation?.kind === 'OperationDefinition' ? firstOperation.name?.value : undefined);
  if (!name || !/^[A-Za-z0-9_-]{1,100}$/.test(name)) throw new Failure(`a file name is needed (--name; letters, digits, _ and -), got ${JSON.stringify(name ?? '')}`);
  const target = join(dir, consumer, `${name}.graphql`);
  const bytes = documentBytes(dir) + Buffer.byteLength(text, 'utf8');
  if (bytes > CONFIGMAP_TEXT_BUDGET) {
    throw new Failure(
      `${file} would bring the documents to ${bytes.toLocaleString('en-GB')} bytes, over the ${CONFIGMAP_TEXT_BUDGET.toLocaleString('en-GB')} one ConfigMap can carry ` +
        `(Kubernetes refuses a ConfigMap over 1 MiB): remove documents nobody sends (list shows them), or split the documents into per-environment Components`,
    );
  }
  if (existsSync(target)) throw new Failure(`${target} exists and holds another document: remove it first, or give --name`);
  mkdirSync(join(dir, consumer), { recursive: true });
  writeFileSync(target, text);
  if (refreshDocumentsKustomization(dir)) process.stdout.write(`updated ${join(dir, DOCUMENTS_KUSTOMIZATION)} (the documents ConfigMap the overlays deploy)\n`);
  process.stdout.write(`registered ${id}\n  consumer  ${consumer}\n  file      ${target}\nSend {"documentId": "${id}"} (or the text itself) with the variables.\n`);
}

function list(consumer: string | undefined): number {
  const { documents, problems } = readDocuments(dir);
  const shown = documents.filter((d) => consumer === undefined || d.consumer === consumer);
  for (const d of shown) process.stdout.write(`${show(d)}\n`);
  if (shown.length === 0) process.stdout.write(`no trusted documents${consumer ? ` for ${consumer}` : ''} in ${dir}\n`);
  else if (consumer === undefined) {
    const bytes = documentBytes(dir);
    process.stdout.write(`${documents.length} document(s), ${bytes.toLocaleString('en-GB')} bytes: ${((bytes / CONFIGMAP_TEXT_BUDGET) * 100).toFixed(1)}% of what the documents ConfigMap can carry\n`);
  }
  for (const p of problems) process.stderr.write(`unreadable: ${p}\n`);
  if (values.check !== true) return problems.length > 0 ? 1 : 0;
  const { schema, limits, grantOf } = context();
  let failed = 0;
  for (const d of shown) {
    let found: string[];
    try {
      found = documentProblems(schema, d.text, grantOf(d.consumer), limits);
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      found = [e.message];
    }
    if (found.length > 0) {
      failed++;
      process.stderr.write(`FAILS ${d.id} (${d.consumer}, ${d.file}):\n  - ${found.join('\n  - ')}\n`);
    }
  }
  process.stdout.write(`${shown.length - failed} of ${shown.length} document(s) pass\n`);
  return failed > 0 || problems.length > 0 ? 1 : 0;
}

function remove(consumer: string, which: string): void {
  const own = readDocuments(dir).documents.filter((d) => d.consumer === consumer);
  const name = which.replace(/\.graphql$/, '');
  const found = own.find((d) => d.id === which || d.file.endsWith(`/${name}.graphql`));
  if (!found) throw new Failure(`${consumer} has no registered document ${which} in ${dir}`);
  rmSync(join(dir, consumer, found.file.split('/').pop()!));
  process.stdout.write(`removed ${show(found)}\n`);
  if (refreshDocumentsKustomization(dir)) process.stdout.write(`updated ${join(dir, DOCUMENTS_KUSTOMIZATION)} (the documents ConfigMap the overlays deploy)\n`);
}

try {
  if (command === 'add') add(args[0]!, args[1]!);
  else if (command === 'list') process.exitCode = list(args[0]);
  else remove(args[0]!, args[1]!);
} catch (e) {
  const message = e instanceof PolicyError || e instanceof Failure ? e.message : (e as NodeJS.ErrnoException).code === 'ENOENT' ? (e as Error).message : null;
  if (message === null) throw e;
  process.stderr.write(`documents: ${message}\n`);
  process.exit(1);
}
