/** Command-line handling of simulators/main.ts: bad options fail fast and clearly (exit 2, scripts/cli.ts's convention). */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../local-stack/simulators.js';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'simulators', 'main.ts'), ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('simulators/main.ts options', () => {
  it('bad options exit 2 with a clear message and no ready line', async () => {
    const cases: [string[], RegExp][] = [
      [['--population', 'lots'], /--population must be an integer/],
      [['--population', '3'], /--population must be an integer between \d+ and 1000000/],
      [['--port-base', '70000'], /--port-base must be an integer/],
      [['--fault', 'nowhere:hang=true'], /unknown upstream "nowhere"/],
      [['--fault', 'alerts:errorRate=5'], /errorRate must be a number between 0 and 1/],
      [['--faults', '/no/such/file.json'], /--faults: cannot read JSON/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--population=3'], /--population must be an integer/],
      [['--fault'], /--fault <value>' argument missing/],
    ];
    const results = await Promise.all(cases.map(([args]) => run(args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect([args, r.code, r.stdout]).toEqual([args, 2, '']);
      expect(r.stderr).toMatch(message);
    });
  }, 60_000);

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--port-base/);
  }, 20_000);
});
