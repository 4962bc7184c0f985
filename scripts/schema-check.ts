/**
 * `npm run schema:check`: lists the changes from the released snapshot (schema/released/schema.graphql) to the
 * SDL in schema/*.graphql by criticality, says which consumers' granted coordinates each touches, composes
 * Person Graph as a Federation v2 subgraph with the test subgraph (local-stack/federation/hearings.graphql),
 * writes the subgraph SDL and the supergraph to dist/schema/, and exits 1 on a breaking change or a
 * composition error. CI runs it (.ci/run). Options: --schema <dir> --snapshot <file> --policy <dir>
 * --test-subgraph <file> --artefacts <dir>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchema, DEFAULT_ARTEFACT_DIR, parseArgs } from './schema-lib.js';

try {
  const args = parseArgs(process.argv.slice(2), ['schema', 'snapshot', 'policy', 'test-subgraph', 'artefacts']);
  const result = await checkSchema({ schemaDir: args.schema, snapshot: args.snapshot, policyDir: args.policy, testSubgraph: args['test-subgraph'] });
  process.stdout.write(`${result.report}\n`);
  // Build artefacts: the subgraph SDL a router composes (schema:release keeps the released one beside the
  // released schema), and the supergraph with the test subgraph.
  const artefacts = args.artefacts ?? DEFAULT_ARTEFACT_DIR;
  mkdirSync(artefacts, { recursive: true });
  writeFileSync(join(artefacts, 'person-graph.subgraph.graphql'), result.composition.subgraphSdl);
  if (result.composition.supergraphSdl) writeFileSync(join(artefacts, 'supergraph-with-test-subgraph.graphql'), result.composition.supergraphSdl);
  process.stdout.write(`\nWrote ${artefacts}/person-graph.subgraph.graphql${result.composition.supergraphSdl ? ` and ${artefacts}/supergraph-with-test-subgraph.graphql` : ''}.\n`);
  process.exitCode = result.breaking.length > 0 || result.composition.errors.length > 0 ? 1 : 0;
} catch (e) {
  process.stderr.write(`schema:check: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
