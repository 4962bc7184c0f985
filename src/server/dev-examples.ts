import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Development only: the consumer guide's example operations (docs/consumers.md, ```graphql blocks, checked
 * against the schema by tests/delivery/docs.test.ts), preloaded into Apollo Sandbox and GraphiQL on the
 * development listener. Variables: the guide's example id (its first curl) for every id variable.
 */
export interface DevExamples {
  /** One document per example, in the guide's order, with the example values of the variables it declares. */
  operations: Array<{ name: string; document: string; variables: Record<string, unknown> }>;
  /** Every example value (for a document holding all the operations). */
  variables: Record<string, unknown>;
}

const GUIDE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'consumers.md');

export function developmentExamples(guideFile = GUIDE): DevExamples {
  if (!existsSync(guideFile)) return { operations: [], variables: {} };
  const guide = readFileSync(guideFile, 'utf8');
  const id = /"variables":\{"id":"([A-Z0-9]+)"\}/.exec(guide)?.[1];
  const variables: Record<string, unknown> = id ? { hmppsId: id, id, ids: [id] } : {};
  const operations = [...guide.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => {
    const document = (m[1] as string).trim();
    const declared = new Set([...document.matchAll(/\$(\w+)\s*:/g)].map((d) => d[1] as string));
    return {
      name: /^\s*query\s+(\w+)/.exec(document)?.[1] ?? `Example${i + 1}`,
      document,
      variables: Object.fromEntries(Object.entries(variables).filter(([name]) => declared.has(name))),
    };
  });
  return { operations, variables };
}
