/**
 * `npm run schema:check`: lists the changes from the released snapshot (schema/released/schema.graphql) to the
 * SDL in schema/*.graphql by criticality, says which consumers' granted coordinates each touches, composes
 * Person Graph as a Federation v2 subgraph with the test subgraph (local-stack/federation/hearings.graphql),
 * writes the subgraph SDL and the supergraph to dist/schema/, and exits 1 on a breaking change or a
 * composition error. CI runs it (.ci/run; on pull requests .github/workflows/ci.yml writes `--summary` to
 * the job summary). Usage: `npm run schema:check -- --help`.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from './cli.js';

const USAGE = `Compares schema/*.graphql with the released snapshot and lists the changes by criticality, with the
consumers whose granted coordinates each change touches and the consumers' trusted documents it breaks; composes Person Graph as a Federation v2 subgraph
with the test subgraph and writes the subgraph SDL and the supergraph as build artefacts.

usage: npm run schema:check [-- options]

options:
  --schema <dir>          SDL folder (default schema)
  --snapshot <file>       released snapshot (default schema/released/schema.graphql)
  --policy <dir>          policy files whose consumers are named, and their trusted documents in <dir>/documents
                          (each validated against the new schema; default policy)
  --test-subgraph <file>  the subgraph to compose with (default local-stack/federation/hearings.graphql)
  --artefacts <dir>       where the subgraph SDL and supergraph are written (default dist/schema)
  --summary <file>        also append the report as Markdown to <file> (e.g. "$GITHUB_STEP_SUMMARY")
  -h, --help              this text

exit codes: 0 no breaking change, 1 breaking changes, a broken trusted document or a composition error, 2 usage error or
unreadable schema`;

const { values } = commandLine(process.argv.slice(2), {
  command: 'npm run schema:check',
  usage: USAGE,
  options: {
    schema: { type: 'string' },
    snapshot: { type: 'string' },
    policy: { type: 'string' },
    'test-subgraph': { type: 'string' },
    artefacts: { type: 'string' },
    summary: { type: 'string' },
  },
});
const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
// Loaded once the command line is understood: --help and usage errors answer without the schema toolchain.
const { checkSchema, DEFAULT_ARTEFACT_DIR } = await import('./schema-lib.js');

try {
  const result = await checkSchema({ schemaDir: str('schema'), snapshot: str('snapshot'), policyDir: str('policy'), testSubgraph: str('test-subgraph') });
  process.stdout.write(`${result.report}\n`);
  const summary = str('summary');
  if (summary) appendFileSync(summary, `${result.markdown}\n`);
  // Build artefacts: the subgraph SDL a router composes (schema:release keeps the released one beside the
  // released schema), and the supergraph with the test subgraph.
  const artefacts = str('artefacts') ?? DEFAULT_ARTEFACT_DIR;
  mkdirSync(artefacts, { recursive: true });
  writeFileSync(join(artefacts, 'person-graph.subgraph.graphql'), result.composition.subgraphSdl);
  if (result.composition.supergraphSdl) writeFileSync(join(artefacts, 'supergraph-with-test-subgraph.graphql'), result.composition.supergraphSdl);
  process.stdout.write(`\nWrote ${artefacts}/person-graph.subgraph.graphql${result.composition.supergraphSdl ? ` and ${artefacts}/supergraph-with-test-subgraph.graphql` : ''}.\n`);
  process.exitCode = result.breaking.length > 0 || result.documents.broken.length > 0 || result.composition.errors.length > 0 ? 1 : 0;
} catch (e) {
  process.stderr.write(`schema:check: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
