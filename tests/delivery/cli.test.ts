/**
 * One command-line convention for every npm script that runs a file of scripts/, bench/ or simulators/
 * (scripts/cli.ts): `--help`
 * prints the usage and touches nothing (no file, no folder, no process), an unknown option exits 2 with a
 * message and the usage, and every command's usage is in the README. Each script runs as a real process in
 * an empty folder, which must still be empty afterwards (`npm run certs -- --help` used to make a folder
 * named `--help` holding a new CA; `npm run bench -- --help` started a benchmark). The bench scripts are only
 * ever run here with `--help` or a bad option: never a benchmark.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, read } from './support.js';

const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
/** Scripts not on the convention yet, each named with why (none today). An npm script missing from both lists fails below. */
const NOT_YET: Record<string, string> = {};
/** npm script name -> <folder>/<file>.ts, for every npm script that runs a file of scripts/, bench/ or simulators/. */
const ALL = Object.entries(pkg.scripts)
  .map(([name, command]) => [name, /^tsx ((?:scripts|bench|simulators)\/[\w-]+\.ts)$/.exec(command)?.[1]] as const)
  .filter((e): e is readonly [string, string] => e[1] !== undefined);
const SCRIPTS = ALL.filter(([name]) => !(name in NOT_YET));
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const work = mkdtempSync(join(tmpdir(), 'pg-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the run left in its (empty) working folder. */
  created: string[];
}

/** At most this many scripts at once: each is a tsx process loading its imports, on a machine of 2 cores. */
const AT_ONCE = 4;
let running = 0;
const waiting: Array<() => void> = [];

/** Runs <folder>/<file> with `args` in a fresh empty folder, with no environment beyond PATH. */
async function run(file: string, args: string[]): Promise<Run> {
  if (running >= AT_ONCE) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await runNow(file, args);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runNow(file: string, args: string[]): Promise<Run> {
  const cwd = mkdtempSync(join(work, 'run-'));
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, join(ROOT, file), ...args], { cwd, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, created: readdirSync(cwd) });
    });
  });
}

describe('the npm scripts of scripts/, bench/ and simulators/ (one command-line convention)', () => {
  const rootBefore = readdirSync(ROOT).sort();
  /** `--help` of every script, run once (the README test reads the same output). */
  let helps: Promise<Run[]> | undefined;
  const helpRuns = () => (helps ??= Promise.all(SCRIPTS.map(([, file]) => run(file, ['--help']))));

  it('covers every such npm script', () => {
    expect(SCRIPTS.map(([name]) => name).sort()).toEqual([
      'api-key', 'bench', 'bench:auth', 'bench:federation', 'bench:ledger', 'bench:ledger-throughput', 'bench:profile', 'bench:side-channels',
      'certs', 'dev', 'docs:policy', 'docs:schema', 'documents', 'heartbeat', 'ledger', 'schema:check', 'schema:release', 'simulators',
    ]);
    expect(ALL.map(([name]) => name).filter((n) => n in NOT_YET)).toEqual(Object.keys(NOT_YET));
  });

  it('--help prints the usage, exits 0 and creates nothing (certs: no "--help" folder with a new CA)', async () => {
    const cases: Array<[string, string, string[]]> = [
      ...SCRIPTS.map(([name, file]): [string, string, string[]] => [name, file, ['--help']]),
      ['certs', 'scripts/certs.ts', ['-h']],
      ['certs', 'scripts/certs.ts', ['sign', '--help']],
      ['certs', 'scripts/certs.ts', ['issue', 'acme', '--help']],
      ['bench', 'bench/run.ts', ['--quick', '--help']],
      ['bench', 'bench/run.ts', ['--side-channels', '--help']],
    ];
    const runs = [...(await helpRuns()), ...(await Promise.all(cases.slice(SCRIPTS.length).map(([, file, args]) => run(file, args))))];
    cases.forEach(([name, , args], i) => {
      const r = runs[i]!;
      expect({ name, args, code: r.code, stderr: r.stderr, created: r.created }).toEqual({ name, args, code: 0, stderr: '', created: [] });
      expect(r.stdout).toMatch(/^usage:/m);
      expect(r.stdout).toMatch(new RegExp(`npm run (-s )?${name}`));
    });
    expect(readdirSync(ROOT).sort()).toEqual(rootBefore);
  }, 300_000);

  it('an unknown option or argument exits 2 with a message and the usage, and creates nothing', async () => {
    const cases: Array<[string, string, string[], RegExp]> = [
      ...SCRIPTS.map(([name, file]): [string, string, string[], RegExp] => [name, file, ['--no-such-option'], /Unknown option '--no-such-option'/]),
      ['certs', 'scripts/certs.ts', ['sign', '--csr', 'x.csr'], /sign needs --csr and --consumer/],
      ['certs', 'scripts/certs.ts', ['sign', '--csr', 'x.csr', '--consumer', 'acme', '--days', 'ten'], /--days must be a whole number/],
      ['certs', 'scripts/certs.ts', ['a', 'b'], /unexpected argument: b/],
      ['schema:check', 'scripts/schema-check.ts', ['--summary'], /--summary/],
      ['api-key', 'scripts/api-key.ts', ['rotate'], /unknown command rotate/],
      ['ledger', 'scripts/ledger.ts', ['consumer', 'acme'], /--from is required/],
      ['documents', 'scripts/documents.ts', ['add', 'police-dev'], /add takes 2 argument/],
      ['bench', 'bench/run.ts', ['--seconds', 'ten'], /--seconds must be a number/],
      ['bench', 'bench/run.ts', ['--quick', '--only', 'S9'], /--only takes S1, S2, S3 or S4/],
      ['bench', 'bench/run.ts', ['--quick', 'S2'], /unexpected argument: S2/],
      ['bench', 'bench/run.ts', ['--side-channels', '--rounds', '-1'], /--rounds/],
      ['bench:side-channels', 'bench/side-channels.ts', ['--latency-ms', 'x'], /--latency-ms must be a number/],
      ['bench:profile', 'bench/profile.ts', ['--scenario', 'S4'], /--scenario must be S1, S2 or S3/],
      ['bench:auth', 'bench/auth-overhead.ts', ['--part', 'both'], /--part must be http, inprocess or all/],
      ['bench:federation', 'bench/federation.ts', ['--no-build', '--population'], /--population/],
      ['bench:ledger', 'bench/ledger-overhead.ts', ['--s1-rate', '1e3'], /--s1-rate must be a number/],
      ['bench:ledger-throughput', 'bench/ledger-throughput.ts', ['lots'], /RECORDS must be a whole number/],
      ['simulators', 'simulators/main.ts', ['--population', 'lots'], /--population must be an integer/],
      ['simulators', 'simulators/main.ts', ['--fault', 'nowhere:hang=true'], /unknown upstream "nowhere"/],
    ];
    const runs = await Promise.all(cases.map(([, file, args]) => run(file, args)));
    cases.forEach(([name, , args, message], i) => {
      const r = runs[i]!;
      expect({ name, args, code: r.code, stdout: r.stdout, created: r.created }).toEqual({ name, args, code: 2, stdout: '', created: [] });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^usage:/m);
    });
    expect(readdirSync(ROOT).sort()).toEqual(rootBefore);
  }, 300_000);

  it("every command's usage line is in the README", async () => {
    const readme = read('README.md');
    const runs = await helpRuns();
    const synopses = runs.flatMap((r) =>
      r.stdout
        .split('\n')
        .map((line) => /^(?:usage:)?\s*(npm run \S+(?: (?:-- )?\S+)*?)(?:\s{2,}.*)?$/.exec(line)?.[1]?.trim())
        .filter((s): s is string => s !== undefined),
    );
    expect(synopses.length).toBeGreaterThanOrEqual(SCRIPTS.length + 3);
    for (const synopsis of synopses) expect([synopsis, readme.includes(synopsis)]).toEqual([synopsis, true]);
  }, 300_000);
});
