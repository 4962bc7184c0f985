/**
 * The bench runs outside jest (`npm run bench:*` is plain Node with tsx) and shares its helpers with the
 * tests through `local-stack/` (certificates, clients, processes, a PostgreSQL starter), never by importing
 * `tests/`: a test support module may import `@jest/globals`, which cannot load there
 * (`npm run bench:side-channels` failed that way once). So no bench file imports from `../tests/`, and every
 * local-stack module a bench file imports loads in a plain Node process.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './support.js';

const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const benchFiles = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => [f, readFileSync(join(ROOT, 'bench', f), 'utf8')] as const);
/** Every module specifier of a file: static imports, re-exports and dynamic `import()`. */
const specifiers = (text: string) => [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
const borrowed = [
  ...new Set(benchFiles.flatMap(([, text]) => specifiers(text).filter((s) => s.startsWith('../local-stack/')).map((s) => resolve(ROOT, 'bench', s.replace(/\.js$/, '.ts'))))),
].sort();

function loads(file: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)});`], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
}

describe('what the bench imports', () => {
  it('sees every kind of import (the check below can fail)', () => {
    expect(specifiers(`import a from '../tests/x.js';\nexport { b } from "../tests/y.js";\nawait import('../tests/z.js');`)).toEqual(['../tests/x.js', '../tests/y.js', '../tests/z.js']);
  });

  it('is nothing from tests/ (shared helpers live in local-stack/)', () => {
    const offenders = benchFiles.flatMap(([file, text]) => specifiers(text).filter((s) => /(^|\/)tests\//.test(s)).map((s) => `bench/${file}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('includes the moved helpers (consumer identities, the PostgreSQL starter)', () => {
    expect(borrowed.map((f) => f.slice(ROOT.length + 1))).toEqual(expect.arrayContaining(['local-stack/consumer-identities.ts', 'local-stack/postgres.ts']));
  });

  it.each(borrowed.map((f) => [f.slice(ROOT.length + 1), f] as const))('%s loads outside jest', async (_name, file) => {
    const r = await loads(file);
    expect([r.code, r.stderr.split('\n').find((l) => /Error/.test(l)) ?? '']).toEqual([0, '']);
  }, 60_000);
});
