/**
 * `npm run schema:release`: the release step of the schema contract. Checks the SDL against the current
 * snapshot (as `npm run schema:check` does), refuses breaking changes unless `--allow-breaking "<reason>"` is
 * given (for an agreed, announced break), then writes schema/released/schema.graphql, the released
 * Federation subgraph SDL schema/released/subgraph.graphql (ADR 11), and adds an entry to
 * schema/released/CHANGELOG.md. Commit them with the release. Usage: `npm run schema:release -- --help`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { subgraphSdl } from '../src/server/federation.js';
import { commandLine } from './cli.js';

const CHANGELOG_HEADER = `# Released schema changes

Written by \`npm run schema:release\`, newest first. The snapshot beside this file is the released schema;
the policy for changing it is in docs/adr/0003-schema-contract-and-delivery.md.
`;

const USAGE = `The release step of the schema contract: checks schema/*.graphql against the released snapshot, refuses
breaking changes, then writes the snapshot, the released subgraph SDL and an entry in its CHANGELOG.md.

usage: npm run schema:release [-- options]

options:
  --schema <dir>               SDL folder (default schema)
  --snapshot <file>            released snapshot to write (default schema/released/schema.graphql)
  --policy <dir>               policy files whose consumers are named (default policy)
  --changelog <file>           changelog (default CHANGELOG.md beside the snapshot)
  --allow-breaking <reason>    release breaking changes anyway, for an agreed, announced break
  -h, --help                   this text; nothing is written

exit codes: 0 released (or nothing to release), 1 refused (breaking changes), 2 usage error or failure`;

const { values } = commandLine(process.argv.slice(2), {
  command: 'npm run schema:release',
  usage: USAGE,
  options: { schema: { type: 'string' }, snapshot: { type: 'string' }, policy: { type: 'string' }, changelog: { type: 'string' }, 'allow-breaking': { type: 'string' } },
});
const args = values as Partial<Record<'schema' | 'snapshot' | 'policy' | 'changelog' | 'allow-breaking', string>>;
// Loaded once the command line is understood: --help and usage errors answer without the schema toolchain.
const { DEFAULT_SCHEMA_DIR, DEFAULT_SNAPSHOT, SUBGRAPH_SNAPSHOT_NAME, checkSchema, loadSchema, printSnapshot } = await import('./schema-lib.js');

try {
  const schemaDir = args.schema ?? DEFAULT_SCHEMA_DIR;
  const snapshot = args.snapshot ?? DEFAULT_SNAPSHOT;
  const changelog = args.changelog ?? join(dirname(snapshot), 'CHANGELOG.md');
  const first = !existsSync(snapshot);
  const lines: string[] = [];
  if (first) {
    lines.push('- First released snapshot.');
  } else {
    const result = await checkSchema({ schemaDir, snapshot, policyDir: args.policy });
    process.stdout.write(`${result.report}\n\n`);
    if ((result.breaking.length > 0 || result.documents.broken.length > 0) && !args['allow-breaking']) {
      process.stderr.write('schema:release: refused: breaking changes or broken trusted documents (see above). Use --allow-breaking "<reason>" only for an agreed, announced break.\n');
      process.exit(1);
    }
    if (result.changes.length === 0) {
      process.stdout.write('schema:release: nothing to release (the snapshot already matches the SDL).\n');
      process.exit(0);
    }
    if (result.breaking.length > 0) lines.push(`- Breaking changes accepted: ${args['allow-breaking']}`);
    for (const c of result.changes) lines.push(`- ${c.level} \`${c.path ?? '(schema)'}\`: ${c.message}`);
  }
  mkdirSync(dirname(snapshot), { recursive: true });
  writeFileSync(snapshot, printSnapshot(loadSchema(schemaDir)));
  // The released subgraph SDL (what `_service { sdl }` answers): what other teams and routers compose against.
  writeFileSync(join(dirname(snapshot), SUBGRAPH_SNAPSHOT_NAME), subgraphSdl(loadSchema(schemaDir)));
  const previous = existsSync(changelog) ? readFileSync(changelog, 'utf8').replace(CHANGELOG_HEADER, '').trimStart() : '';
  const entry = `## ${new Date().toISOString().slice(0, 10)}\n\n${lines.join('\n')}\n`;
  writeFileSync(changelog, `${CHANGELOG_HEADER}\n${entry}${previous ? `\n${previous}` : ''}`);
  process.stdout.write(`schema:release: wrote ${snapshot}, ${join(dirname(snapshot), SUBGRAPH_SNAPSHOT_NAME)} and ${changelog}; commit them with the release.\n`);
} catch (e) {
  process.stderr.write(`schema:release: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
