/**
 * `npm run schema:check`: lists the changes from the released snapshot (schema/released/schema.graphql) to the
 * SDL in schema/*.graphql by criticality, says which consumers' granted coordinates each touches, and exits 1
 * on a breaking change. CI runs it (.ci/run; on pull requests .github/workflows/ci.yml writes `--summary` to
 * the job summary). Usage: `npm run schema:check -- --help`.
 */
import { appendFileSync } from 'node:fs';
import { commandLine } from './cli.js';
import { checkSchema } from './schema-lib.js';

const USAGE = `Compares schema/*.graphql with the released snapshot and lists the changes by criticality, with the
consumers whose granted coordinates each change touches.

usage: npm run schema:check [-- options]

options:
  --schema <dir>       SDL folder (default schema)
  --snapshot <file>    released snapshot (default schema/released/schema.graphql)
  --policy <dir>       policy files whose consumers are named (default policy)
  --summary <file>     also append the report as Markdown to <file> (e.g. "$GITHUB_STEP_SUMMARY")
  -h, --help           this text

exit codes: 0 no breaking change, 1 breaking changes, 2 usage error or unreadable schema`;

const { values } = commandLine(process.argv.slice(2), {
  command: 'npm run schema:check',
  usage: USAGE,
  options: { schema: { type: 'string' }, snapshot: { type: 'string' }, policy: { type: 'string' }, summary: { type: 'string' } },
});
const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

try {
  const result = await checkSchema({ schemaDir: str('schema'), snapshot: str('snapshot'), policyDir: str('policy') });
  process.stdout.write(`${result.report}\n`);
  const summary = str('summary');
  if (summary) appendFileSync(summary, `${result.markdown}\n`);
  process.exitCode = result.breaking.length > 0 ? 1 : 0;
} catch (e) {
  process.stderr.write(`schema:check: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
