/**
 * `npm run schema:check`: lists the changes from the released snapshot (schema/released/schema.graphql) to the
 * SDL in schema/*.graphql by criticality, says which consumers' granted coordinates each touches, and exits 1
 * on a breaking change. CI runs it (.ci/run). Options: --schema <dir> --snapshot <file> --policy <dir>.
 */
import { checkSchema, parseArgs } from './schema-lib.js';

try {
  const args = parseArgs(process.argv.slice(2), ['schema', 'snapshot', 'policy']);
  const result = await checkSchema({ schemaDir: args.schema, snapshot: args.snapshot, policyDir: args.policy });
  process.stdout.write(`${result.report}\n`);
  process.exitCode = result.breaking.length > 0 ? 1 : 0;
} catch (e) {
  process.stderr.write(`schema:check: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
