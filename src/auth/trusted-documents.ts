/**
 * Trusted documents (issue 15 part 1, docs/adr/0020-trusted-documents.md): the operations each consumer
 * registered, kept in the repository next to the policy (`policy/documents/<consumer>/*.graphql`) and
 * identified by `sha256:<hex of the document text>`. The request path asks only "is this id one of this
 * consumer's documents" (a map lookup, no parsing); registration (`npm run documents -- add`) checks a
 * document against the schema and the consumer's grants with the same operation gate every request meets.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Kind, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Logger } from '../observability/logger.js';
import { watchDebounced, type DebouncedWatch } from './file-watch.js';
import { operationRefusal, type QueryLimits } from './gate.js';
import type { ConsumerGrant } from './policy.js';

/** A document id as sent: `sha256:` and 64 lower-case hex digits. */
export const DOCUMENT_ID_PATTERN = /^sha256:[0-9a-f]{64}$/;

export interface TrustedDocument {
  /** `sha256:<hex>` of `text`, byte for byte. */
  id: string;
  consumer: string;
  /** Where it is kept (relative to the documents folder's parent, e.g. `documents/police-dev/PersonName.graphql`). */
  file: string;
  text: string;
  /** Names of the operations it holds (registered documents name every operation). */
  operationNames: string[];
}

/** The id of a document text: `sha256:` and the hex SHA-256 of its UTF-8 bytes (what Apollo calls the query hash). */
export function documentIdOf(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** The folder of trusted documents that goes with a policy file: `documents/` beside it. */
export function documentsDirFor(policyFile: string): string {
  return join(dirname(policyFile), 'documents');
}

/** Consumer names are certificate CNs; a folder name must not climb out of the documents folder. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isSafeConsumerFolder(name: string): boolean {
  return SAFE_NAME.test(name) && name !== '.' && name !== '..';
}

/**
 * Every consumer's registered documents, read from `dir` (a missing folder means none). At start-up a file
 * that cannot be read as a document is left out (and named in `problems`); a reload that finds any such file
 * keeps the set in force as a whole, like a policy file that does not load (src/auth/policy-store.ts).
 */
export class TrustedDocuments {
  private byConsumer = new Map<string, Map<string, TrustedDocument>>();
  /** Files that could not be read as GraphQL at the last read (logged by the caller; never served). */
  problems: string[] = [];
  /** The ids in force, per consumer, as one string: a reload that changes nothing is not news. */
  private fingerprint = '';

  constructor(readonly dir: string) {
    const { documents, problems } = readDocuments(dir);
    this.replace(documents);
    this.problems = problems;
  }

  /** Re-reads the folder: `applied` (a new set in force), `unchanged`, or `rejected` (`problems` say why; the old set stays). */
  reload(): 'applied' | 'unchanged' | 'rejected' {
    const { documents, problems } = readDocuments(this.dir);
    this.problems = problems;
    if (problems.length > 0) return 'rejected';
    return this.replace(documents) ? 'applied' : 'unchanged';
  }

  private replace(documents: TrustedDocument[]): boolean {
    const next = new Map<string, Map<string, TrustedDocument>>();
    for (const d of documents) {
      let own = next.get(d.consumer);
      if (!own) next.set(d.consumer, (own = new Map()));
      own.set(d.id, d);
    }
    const fingerprint = documents.map((d) => `${d.consumer} ${d.id} ${d.file}`).sort().join('\n');
    if (fingerprint === this.fingerprint) return false;
    this.byConsumer = next;
    this.fingerprint = fingerprint;
    return true;
  }

  /** The consumer's document with this id, if it registered one. */
  find(consumer: string, id: string): TrustedDocument | undefined {
    return this.byConsumer.get(consumer)?.get(id);
  }

  forConsumer(consumer: string): TrustedDocument[] {
    return [...(this.byConsumer.get(consumer)?.values() ?? [])];
  }

  all(): TrustedDocument[] {
    return [...this.byConsumer.values()].flatMap((m) => [...m.values()]);
  }

  get size(): number {
    return [...this.byConsumer.values()].reduce((n, m) => n + m.size, 0);
  }
}

/**
 * Keeps the documents in force current: re-read on SIGHUP and, with `watch` (POLICY_WATCH, as the policy),
 * when a file under the folder changes (debounced; the folder and its parent are watched, so a folder created
 * later or a Kubernetes `..data` swap is seen). A rejected set is logged with every problem and counted; the
 * previous set stays in force. Logs name files and counts, never document text.
 */
export function keepTrustedDocumentsCurrent(
  documents: TrustedDocuments,
  opts: { logger: Logger; watch: boolean; onReload?: (outcome: 'applied' | 'rejected') => void },
): { close(): void } {
  const log = opts.logger.child({ component: 'trusted-documents' });
  const reload = (trigger: 'start' | 'file' | 'signal') => {
    const outcome = trigger === 'start' ? 'applied' : documents.reload();
    for (const problem of documents.problems) log.error({ event: 'trusted-documents', trigger, outcome, problem }, 'a trusted document cannot be read');
    if (outcome === 'rejected') {
      opts.onReload?.('rejected');
      log.error({ event: 'trusted-documents', trigger, outcome, dir: documents.dir, documents: documents.size }, 'trusted documents rejected; the previous set stays in force');
    } else if (outcome === 'applied') {
      if (trigger !== 'start') opts.onReload?.('applied');
      log.info({ event: 'trusted-documents', trigger, outcome, dir: documents.dir, documents: documents.size }, 'trusted documents loaded');
    }
  };
  reload('start');
  const onSighup = () => reload('signal');
  process.on('SIGHUP', onSighup);
  let parentWatch: DebouncedWatch | null = null;
  let folderWatch: DebouncedWatch | null = null;
  const dir = documents.dir;
  const watchFolder = () => {
    if (!folderWatch && existsSync(dir)) folderWatch = watchDebounced(dir, { event: 'trusted-documents-watch', logger: log, recursive: true }, () => reload('file'));
  };
  if (opts.watch) {
    const name = basename(dir);
    // The parent: the folder appearing or being replaced, or a ConfigMap's `..data` swap; the folder itself, recursively.
    parentWatch = watchDebounced(dirname(dir), { event: 'trusted-documents-watch', logger: log, relevant: (c) => !c || c === name || c.startsWith('..') }, () => {
      watchFolder();
      reload('file');
    });
    watchFolder();
  }
  return {
    close() {
      process.off('SIGHUP', onSighup);
      parentWatch?.close();
      folderWatch?.close();
    },
  };
}

/** Reads `dir/<consumer>/*.graphql`. A file that does not parse is a problem, not a document. */
export function readDocuments(dir: string): { documents: TrustedDocument[]; problems: string[] } {
  const documents: TrustedDocument[] = [];
  const problems: string[] = [];
  if (!existsSync(dir)) return { documents, problems };
  for (const consumer of readdirSync(dir).sort()) {
    // Hidden entries are not consumers: a Kubernetes volume keeps its `..data` generations there.
    if (consumer.startsWith('.')) continue;
    const folder = join(dir, consumer);
    if (!isDirectory(folder)) continue;
    if (!isSafeConsumerFolder(consumer)) {
      problems.push(`${consumer}: not a consumer name`);
      continue;
    }
    for (const name of readdirSync(folder).filter((f) => f.endsWith('.graphql')).sort()) {
      const file = join('documents', consumer, name);
      let text: string;
      try {
        text = readFileSync(join(folder, name), 'utf8');
      } catch (e) {
        // Removed or replaced while the folder was read (an editor, a sync): the next change event reads it again.
        problems.push(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        continue;
      }
      let document: DocumentNode;
      try {
        document = parse(text);
      } catch (e) {
        problems.push(`${file}: not GraphQL (${(e as Error).message.split('\n')[0]})`);
        continue;
      }
      documents.push({ id: documentIdOf(text), consumer, file, text, operationNames: operationsOf(document).map((o) => o.name?.value ?? '') });
    }
  }
  return { documents, problems };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // removed since the folder was listed
  }
}

function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

/**
 * Why `text` cannot be one of the consumer's trusted documents, against `schema` (empty when it can): it
 * must parse, validate against the schema, name each of its operations, and pass the operation gate for
 * this consumer (grants, search criteria, limits; variables are not known at registration, so a cost that
 * depends on them is checked again on every request).
 */
export function documentProblems(schema: GraphQLSchema, text: string, grant: ConsumerGrant, limits: QueryLimits): string[] {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (e) {
    return [`not GraphQL: ${(e as Error).message.split('\n')[0]}`];
  }
  const invalid = validate(schema, document, specifiedRules);
  if (invalid.length > 0) return invalid.map((e) => `not valid against the schema: ${e.message}`);
  const operations = operationsOf(document);
  if (operations.length === 0) return ['no operation in the document'];
  const problems: string[] = [];
  for (const operation of operations) {
    if (!operation.name) problems.push('every operation of a trusted document needs a name (it is what logs and metrics show)');
    const refusal = operationRefusal(schema, document, operation, {}, limits, { grant, introspectionAllowed: false });
    if (refusal) problems.push(`${String(refusal.extensions.code)}: ${refusal.message}`);
  }
  return [...new Set(problems)];
}

/** Whether a document (already parsed and valid) still validates against another schema: the schema check's question. */
export function validationErrors(schema: GraphQLSchema, text: string): string[] {
  try {
    return validate(schema, parse(text), specifiedRules).map((e) => e.message);
  } catch (e) {
    return [(e as Error).message.split('\n')[0] ?? 'not GraphQL'];
  }
}
