/**
 * The bench runs outside jest (`npm run bench:*` is plain Node with tsx), yet borrows test support modules
 * (certificates, clients, a PostgreSQL starter). A support module that imports `@jest/globals` cannot load
 * there: `npm run bench:side-channels` failed that way once. Every test module a bench file imports must
 * load in a plain Node process.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './support.js';

const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const borrowed = [
  ...new Set(
    readdirSync(join(ROOT, 'bench'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join(ROOT, 'bench', f), 'utf8').matchAll(/from '(\.\.\/tests\/[^']+)\.js'/g)].map((m) => resolve(ROOT, 'bench', `${m[1]!}.ts`))),
  ),
].sort();

function loads(file: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)});`], { cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
}

describe('test modules the bench borrows', () => {
  it('are found (the bench imports some)', () => {
    expect(borrowed.map((f) => f.slice(ROOT.length + 1))).toEqual(expect.arrayContaining(['tests/security/support/harness.ts']));
  });

  it.each(borrowed.map((f) => [f.slice(ROOT.length + 1), f] as const))('%s loads outside jest', async (_name, file) => {
    const r = await loads(file);
    expect([r.code, r.stderr.split('\n').find((l) => /Error/.test(l)) ?? '']).toEqual([0, '']);
  }, 60_000);
});
