/**
 * scripts/promotion-gate.sh, the deploy pipeline's heartbeat gate, run for real with `kubectl` answered by a
 * recording stand-in on PATH (there is no cluster here): the commands it sends, and its exit code for each verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './support.js';

const GATE = join(ROOT, 'scripts', 'promotion-gate.sh');
let bin: string;

/** A kubectl that logs its arguments and answers `get job` with the next of KUBE_STATES (space-separated). */
const FAKE_KUBECTL = `#!/bin/sh
echo "$*" >> "$KUBE_LOG"
case "$*" in
  *"create job"*) [ "\${KUBE_CREATE_FAILS:-}" = 1 ] && { echo 'Error from server (Forbidden)' >&2; exit 1; }; exit 0 ;;
  *"get job"*)
    n=$(cat "$KUBE_COUNT" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$KUBE_COUNT"
    set -- $KUBE_STATES; i=1; state=/
    for s in "$@"; do [ "$i" -le "$n" ] && state=$s; i=$((i + 1)); done
    [ "$state" = "-" ] && state=/
    printf '%s' "$state"; exit 0 ;;
  *logs*) echo '{"ok":true,"status":200}'; exit 0 ;;
esac
exit 0
`;

function runGate(args: string[], states: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gate-'));
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    KUBE_LOG: join(dir, 'log'),
    KUBE_COUNT: join(dir, 'count'),
    KUBE_STATES: states,
    PROMOTION_GATE_POLL_SECONDS: '0',
    ...extra,
  };
  const r = spawnSync('sh', [GATE, ...args], { env, encoding: 'utf8', timeout: 10_000 });
  const calls = existsSync(env.KUBE_LOG) ? readFileSync(env.KUBE_LOG, 'utf8').trim().split('\n') : [];
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'fake-kubectl-'));
  writeFileSync(join(bin, 'kubectl'), FAKE_KUBECTL);
  chmodSync(join(bin, 'kubectl'), 0o755);
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('promotion gate', () => {
  it('makes a Job from the CronJob the base deploys, waits, prints its JSON line and exits 0 when it succeeded', () => {
    const cronJob = parseYaml(readFileSync(join(ROOT, 'k8s', 'base', 'cronjob-heartbeat.yaml'), 'utf8')) as {
      kind: string;
      metadata: { name: string };
    };
    expect(cronJob.kind).toBe('CronJob');
    const r = runGate(['person-graph-dev'], '- - 1/');
    expect(r.status).toBe(0);
    expect(r.calls[0]).toMatch(new RegExp(`^-n person-graph-dev create job --from=cronjob/${cronJob.metadata.name} heartbeat-gate-\\d+$`));
    const job = r.calls[0]!.split(' ').pop();
    expect(r.calls.filter((c) => c.startsWith(`-n person-graph-dev get job ${job}`))).toHaveLength(3);
    expect(r.calls.at(-1)).toBe(`-n person-graph-dev logs job/${job}`);
    expect(r.stdout.trim()).toBe('{"ok":true,"status":200}');
    expect(r.stderr).toContain('PASSED');
  });

  it('exits 1 when the heartbeat Job failed', () => {
    const r = runGate(['ns'], '- /1');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAILED');
    expect(r.stdout).toContain('"status"');
  });

  it('exits 3 with no verdict within the timeout, and when the Job cannot be created', () => {
    const slow = runGate(['ns', '0'], '- - - -');
    expect(slow.status).toBe(3);
    expect(slow.stderr).toContain('no verdict');
    const refused = runGate(['ns'], '1/', { KUBE_CREATE_FAILS: '1' });
    expect(refused.status).toBe(3);
    expect(refused.calls.some((c) => c.includes('get job'))).toBe(false);
  });

  it('--help prints usage and calls nothing; a missing namespace or a bad timeout exits 2', () => {
    const help = runGate(['--help'], '1/');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: scripts/promotion-gate.sh');
    expect(help.calls).toEqual([]);
    expect(runGate([], '1/').status).toBe(2);
    expect(runGate(['ns', 'soon'], '1/').status).toBe(2);
    expect(runGate(['ns', '5', 'extra'], '1/').status).toBe(2);
  });
});
