/**
 * The PrometheusRule's alerts fire, proven with `promtool test rules` (Debian package `prometheus`;
 * `.ci/run` installs it) on input series shaped exactly as the gateway emits them
 * (src/observability/metrics.ts: names and label sets; src/server/telemetry.ts and
 * src/observability/metrics.ts answerOutcome: the `outcome` values; src/server/health.ts: the health
 * gauge and the contract violations of the checks; src/datasources/http: upstream `status` values),
 * with the target labels a ServiceMonitor adds (job, namespace, pod, instance).
 *
 * Each scenario starts healthy for 5 minutes, then the fault begins: its alert must fire within 2
 * minutes and not before the fault. A burst of NOT_FOUND answers fires nothing, ever.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { answerOutcome } from '../../src/observability/metrics.js';
import { REPO_ROOT } from '../../local-stack/repo-root.js';
import { UPSTREAMS as CONFIGURED_UPSTREAMS } from '../../src/config/index.js';

const NS = 'person-graph-prod';
const PODS = ['person-graph-7d9f-a', 'person-graph-7d9f-b'];
const UPSTREAMS = [...CONFIGURED_UPSTREAMS];
/** 15 s between samples: 20 intervals are the healthy 5 minutes, the fault starts at 5m. */
const HEALTHY = 20;
const FAULT_AT_MIN = 5;
/** When each fault's alert must fire: 2 minutes after the fault began. */
const FIRED_BY = `${FAULT_AT_MIN + 2}m`;

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const ruleFile = parseYaml(readFileSync(join(REPO_ROOT, 'k8s/base/prometheusrule.yaml'), 'utf8')) as {
  spec: { groups: Array<{ name: string; rules: Rule[] }> };
};
/** The alerts on the gateway's own metrics (capacity and CronJob alerts read kube-state-metrics/cAdvisor series). */
const APP_ALERTS = ruleFile.spec.groups
  .flatMap((g) => g.rules)
  .filter((r) => r.alert && /gateway_/.test(r.expr))
  .map((r) => r.alert!);
const severity = (alert: string) => ruleFile.spec.groups.flatMap((g) => g.rules).find((r) => r.alert === alert)!.labels!.severity!;

type Labels = Record<string, string>;
interface Series {
  series: string;
  values: string;
}

function series(name: string, labels: Labels, values: string, pod = PODS[0]!): Series {
  const all: Labels = { job: 'person-graph', namespace: NS, pod, instance: `${pod}:9090`, ...labels };
  return { series: `${name}{${Object.entries(all).map(([k, v]) => `${k}="${v}"`).join(', ')}}`, values };
}

/** A counter growing by `perStep` every 15 s for the whole 10 minutes. */
const steady = (perStep: number) => `0+${perStep}x${HEALTHY * 2}`;
/** Grows while healthy, then stops (nothing more of that kind after the fault). */
const untilFault = (perStep: number) => `0+${perStep}x${HEALTHY} ${perStep * HEALTHY}+0x${HEALTHY}`;
/** Zero while healthy, then grows by `perStep` every 15 s. */
const fromFault = (perStep: number) => `0x${HEALTHY} 0+${perStep}x${HEALTHY}`;
/** Absent while healthy (the labels were never seen), then counts from 1. */
const appearsAtFault = (perStep: number) => `_x${HEALTHY} 1+${perStep}x${HEALTHY}`;

/** Every pod reports every dependency UP, except `down` from the fault on. */
function healthGauges(down: string[] = []): Series[] {
  return PODS.flatMap((pod) =>
    ['auth', ...UPSTREAMS].map((upstream) =>
      series('gateway_upstream_up', { upstream }, down.includes(upstream) ? `1x${HEALTHY} 0x${HEALTHY}` : `1x${HEALTHY * 2}`, pod),
    ),
  );
}

const closedCircuits = (): Series[] => UPSTREAMS.map((upstream) => series('gateway_circuit_state', { upstream }, `0x${HEALTHY * 2}`));
const requests = (outcome: string, values: string, operation = 'PersonProfile', consumer = 'police-force') =>
  series('gateway_requests_total', { consumer, operation, outcome }, values);
const upstreamCalls = (upstream: string, route: string, status: string, values: string) =>
  series('gateway_upstream_requests_total', { upstream, route, status }, values);

/** Background traffic of a healthy gateway: person lookups answered from every upstream. */
function healthyTraffic(except: string[] = []): Series[] {
  const routes: Record<string, string> = {
    prisonApi: 'GET /api/offenders/{offenderNo}/addresses',
    prisonerSearch: 'POST /prisoner-search/prisoner-numbers',
    alerts: 'POST /search/alerts/prison-numbers',
    managePom: 'GET /api/allocation/{nomsNumber}/primary_pom',
    probationSearch: 'POST /crns',
    deliusIntegration: 'GET /case/{crn}/supervisions',
    personRecord: 'GET /person/probation/{crn}',
    arns: 'GET /risks/rosh/{crn}',
    cvl: 'GET /public/licence-summaries/crn/{crn}',
    caseNotes: 'POST /search/case-notes/{personIdentifier}',
    adjudications: 'GET /reported-adjudications/prisoner/{prisonerNumber}',
    incentives: 'POST /incentive-reviews/bookings',
    healthAndMedication: 'GET /prisoners/{prisonerNumber}',
    nonAssociations: 'POST /non-associations/involving',
    personalRelationships: 'GET /prisoner/{prisonNumber}/contact',
    prisonVisits: 'GET /visits/search/future/{prisonerId}',
  };
  return UPSTREAMS.filter((u) => !except.includes(u)).map((u) => upstreamCalls(u, routes[u]!, '200', steady(60)));
}

interface ExpectedAlert {
  alert: string;
  labels: Labels;
}
interface Scenario {
  name: string;
  series: Series[];
  /** Alerts that must be firing 2 minutes after the fault began (and nothing of those names before it). */
  fires: ExpectedAlert[];
  /** Alerts that must not fire at all in this scenario. */
  silent?: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'an upstream fails (Prison API: 503 and refused connections)',
    series: [
      ...healthyTraffic(['prisonApi']),
      upstreamCalls('prisonApi', 'GET /api/offenders/{offenderNo}/addresses', '200', untilFault(60)),
      upstreamCalls('prisonApi', 'GET /api/offenders/{offenderNo}/addresses', '503', fromFault(40)),
      upstreamCalls('prisonApi', 'GET /api/offenders/{offenderNo}/addresses', 'connection_error', fromFault(20)),
      requests('ok', untilFault(60)),
      requests('partial', fromFault(60)),
      ...healthGauges(),
      ...closedCircuits(),
    ],
    fires: [
      { alert: 'PersonGraphUpstreamErrorRatioHigh', labels: { namespace: NS, upstream: 'prisonApi' } },
      { alert: 'PersonGraphPartialAnswers', labels: { namespace: NS } },
    ],
    silent: ['PersonGraphTokenFailing', 'PersonGraphUpstreamContractViolations', 'PersonGraphInternalErrors'],
  },
  {
    name: 'an upstream moved (Delius integration answers 404 everywhere: health DOWN on every pod, ping contract violations)',
    series: [
      ...healthyTraffic(['deliusIntegration']),
      upstreamCalls('deliusIntegration', 'GET /case/{crn}/supervisions', '200', untilFault(60)),
      upstreamCalls('deliusIntegration', 'GET /case/{crn}/supervisions', '404', fromFault(60)),
      ...PODS.map((pod) =>
        series('gateway_upstream_contract_violations_total', { upstream: 'deliusIntegration', route: 'GET /health/ping', reason: 'unexpected_status' }, appearsAtFault(1), pod),
      ),
      requests('ok', steady(60)),
      ...healthGauges(['deliusIntegration']),
      ...closedCircuits(),
    ],
    fires: [
      { alert: 'PersonGraphUpstreamDown', labels: { namespace: NS, upstream: 'deliusIntegration' } },
      {
        alert: 'PersonGraphUpstreamContractViolations',
        labels: { namespace: NS, upstream: 'deliusIntegration', route: 'GET /health/ping', reason: 'unexpected_status' },
      },
    ],
    silent: ['PersonGraphTokenFailing'],
  },
  {
    name: 'a wrong CLIENT_SECRET (token requests refused, every upstream call without a token)',
    series: [
      upstreamCalls('auth', 'POST /auth/oauth/token', '200', `1x${HEALTHY * 2}`),
      upstreamCalls('auth', 'POST /auth/oauth/token', '401', fromFault(3)),
      ...UPSTREAMS.map((u) => upstreamCalls(u, 'POST /some/route', '200', untilFault(60))),
      ...UPSTREAMS.map((u) => upstreamCalls(u, 'POST /some/route', 'token_unavailable', fromFault(60))),
      requests('ok', untilFault(60)),
      requests('error', fromFault(60)),
      ...healthGauges(['auth']),
      ...closedCircuits(),
    ],
    fires: [{ alert: 'PersonGraphTokenFailing', labels: { namespace: NS } }],
    // A token problem is one alert, not one per upstream.
    silent: ['PersonGraphUpstreamErrorRatioHigh', 'PersonGraphUpstreamDown'],
  },
  {
    name: 'partial answers (the alerts API times out: people come back without alerts)',
    series: [
      ...healthyTraffic(['alerts']),
      upstreamCalls('alerts', 'POST /search/alerts/prison-numbers', '200', steady(30)),
      upstreamCalls('alerts', 'POST /search/alerts/prison-numbers', 'timeout', fromFault(30)),
      requests('ok', `0+60x${HEALTHY} ${60 * HEALTHY}+40x${HEALTHY}`),
      requests('partial', fromFault(20)),
      series('gateway_graphql_errors_total', { code: 'UPSTREAM_TIMEOUT' }, fromFault(20)),
      ...healthGauges(),
      ...closedCircuits(),
    ],
    fires: [
      { alert: 'PersonGraphPartialAnswers', labels: { namespace: NS } },
      { alert: 'PersonGraphUpstreamErrorRatioHigh', labels: { namespace: NS, upstream: 'alerts' } },
    ],
    silent: ['PersonGraphInternalErrors', 'PersonGraphUpstreamDown'],
  },
  {
    name: 'a data route breaks its contract (prisoner search answers JSON of another shape)',
    series: [
      ...healthyTraffic(),
      series(
        'gateway_upstream_contract_violations_total',
        { upstream: 'prisonerSearch', route: 'POST /prisoner-search/prisoner-numbers', reason: 'shape' },
        appearsAtFault(2),
      ),
      requests('ok', steady(60)),
      ...healthGauges(),
      ...closedCircuits(),
    ],
    fires: [
      {
        alert: 'PersonGraphUpstreamContractViolations',
        labels: { namespace: NS, upstream: 'prisonerSearch', route: 'POST /prisoner-search/prisoner-numbers', reason: 'shape' },
      },
    ],
  },
];

/** A consumer's reconciliation job: 50 NOT_FOUND answers a second, for 10 minutes, on a healthy gateway. */
const NOT_FOUND_BURST: Series[] = [
  ...healthyTraffic(['personRecord', 'prisonerSearch']),
  upstreamCalls('personRecord', 'GET /person/probation/{crn}', '404', steady(750)),
  upstreamCalls('prisonerSearch', 'GET /prisoner/{id}', '404', steady(750)),
  upstreamCalls('probationSearch', 'POST /crns', '200', steady(750)),
  requests('ok', steady(150)),
  requests('not_found', steady(750), 'Reconcile', 'reconciliation-job'),
  series('gateway_graphql_errors_total', { code: 'NOT_FOUND' }, steady(750)),
  ...PODS.map((pod) => series('gateway_request_duration_seconds_bucket', { consumer: 'reconciliation-job', operation: 'Reconcile', outcome: 'not_found', le: '+Inf' }, steady(750), pod)),
  ...healthGauges(),
  ...closedCircuits(),
];

function promtoolTests(): unknown {
  const tests = SCENARIOS.map((s) => {
    const names = [...new Set([...s.fires.map((f) => f.alert), ...(s.silent ?? [])])];
    const alertTests = [
      // Nothing of these names before the fault (the healthy 5 minutes).
      ...s.fires.map((f) => ({ eval_time: `${FAULT_AT_MIN}m`, alertname: f.alert, exp_alerts: [] })),
      ...names.map((alertname) => ({
        eval_time: FIRED_BY,
        alertname,
        exp_alerts: s.fires
          .filter((f) => f.alert === alertname)
          .map((f) => ({ exp_labels: { ...f.labels, severity: severity(alertname) } })),
      })),
    ];
    return { name: s.name, interval: '15s', input_series: s.series, alert_rule_test: alertTests };
  });
  tests.push({
    name: 'a burst of NOT_FOUND answers fires nothing',
    interval: '15s',
    input_series: NOT_FOUND_BURST,
    alert_rule_test: ['2m', '5m', '10m'].flatMap((eval_time) => APP_ALERTS.map((alertname) => ({ eval_time, alertname, exp_alerts: [] }))),
  });
  tests.push(...ledgerBacklogTests());
  return { rule_files: ['rules.yaml'], evaluation_interval: '15s', tests };
}

/**
 * The disclosure ledger's backlog (records queued or spooled, not yet in PostgreSQL): its alert waits 5 minutes
 * (`for: 5m`), so it has timings of its own. PostgreSQL stops answering at 5m and the backlog grows by 500 every
 * 15 s on one pod: above 1,000 from 5m45s, firing 5 minutes later and not before. A 2-minute blip that drains
 * fires nothing.
 */
function ledgerBacklogTests(): Array<{
  name: string;
  interval: string;
  input_series: Series[];
  alert_rule_test: Array<{ eval_time: string; alertname: string; exp_alerts: Array<{ exp_labels: { severity: string } & Labels }> }>;
}> {
  const alertname = 'PersonGraphLedgerBacklog';
  const healthyPod = series('gateway_ledger_backlog_records', {}, `0x${HEALTHY * 4}`, PODS[1]);
  return [
    {
      name: 'the disclosure ledger cannot reach PostgreSQL: the backlog grows and the alert fires after 5 minutes above 1,000',
      interval: '15s',
      input_series: [series('gateway_ledger_backlog_records', {}, `0x${HEALTHY} 0+500x${HEALTHY * 3}`), healthyPod],
      alert_rule_test: [
        { eval_time: '5m', alertname, exp_alerts: [] },
        { eval_time: '10m', alertname, exp_alerts: [] },
        { eval_time: '12m', alertname, exp_alerts: [{ exp_labels: { namespace: NS, severity: severity(alertname) } }] },
      ],
    },
    {
      name: 'a 2-minute ledger backlog that drains fires nothing',
      interval: '15s',
      input_series: [series('gateway_ledger_backlog_records', {}, `0x${HEALTHY} 2000x8 0x${HEALTHY * 3 - 8}`), healthyPod],
      alert_rule_test: ['6m', '8m', '12m', '15m'].map((eval_time) => ({ eval_time, alertname, exp_alerts: [] })),
    },
  ];
}

type Groups = typeof ruleFile.spec.groups;

/**
 * The rules without their annotations: promtool compares annotations too, and the rendered texts are
 * for people (`promtool check rules` checks their templates, below); the tests are about which alert
 * fires, with which labels, when.
 */
const withoutAnnotations = (groups: Groups): Groups =>
  groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _annotations, ...rule }) => rule) }));

function promtool(args: string[], rules: Groups, tests?: unknown): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pg-alert-rules-'));
  try {
    writeFileSync(join(dir, 'rules.yaml'), toYaml({ groups: rules }));
    if (tests) writeFileSync(join(dir, 'tests.yaml'), toYaml(tests));
    const run = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (run.error) throw new Error(`promtool could not run (${run.error.message}): install the Debian package "prometheus" (.ci/run does)`);
    return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PrometheusRule person-graph under promtool test rules', () => {
  it('covers the alerts of issue 12 on the gateway metrics, and the ledger backlog of issue 15', () => {
    for (const a of ['PersonGraphUpstreamErrorRatioHigh', 'PersonGraphUpstreamDown', 'PersonGraphTokenFailing', 'PersonGraphPartialAnswers', 'PersonGraphUpstreamContractViolations', 'PersonGraphLedgerBacklog']) {
      expect(APP_ALERTS).toContain(a);
    }
  });

  it('is a valid rule file for Prometheus, annotation templates included (promtool check rules)', () => {
    const { status, output } = promtool(['check', 'rules', 'rules.yaml'], ruleFile.spec.groups);
    expect([status, output.trim()]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('each fault scenario fires its alert within 2 minutes (and not before the fault); a NOT_FOUND burst fires nothing; a growing ledger backlog fires after its 5 minutes, a drained one never', () => {
    const { status, output } = promtool(['test', 'rules', 'tests.yaml'], withoutAnnotations(ruleFile.spec.groups), promtoolTests());
    expect([status, output.trim()]).toEqual([0, expect.stringContaining('SUCCESS')]);
  }, 60_000);

  it('the ledger backlog scenario can fail: without `for: 5m` the alert fires before 10m and promtool says so', () => {
    const hasty = structuredClone(ruleFile.spec.groups);
    delete (hasty.flatMap((g) => g.rules).find((r) => r.alert === 'PersonGraphLedgerBacklog') as Rule & { for?: string }).for;
    const { status, output } = promtool(['test', 'rules', 'tests.yaml'], withoutAnnotations(hasty), promtoolTests());
    expect(status).not.toBe(0);
    expect(output).toContain('PersonGraphLedgerBacklog');
  }, 60_000);

  it('the harness can fail: an error-rate rule that counts NOT_FOUND (as it once did) fires on the burst and promtool says so', () => {
    const counting = structuredClone(ruleFile.spec.groups);
    const rule = counting.flatMap((g) => g.rules).find((r) => r.alert === 'PersonGraphErrorRateHigh')!;
    rule.expr = rule.expr.replaceAll('outcome=~"error|unavailable"', 'outcome=~"error|unavailable|not_found"');
    const { status, output } = promtool(['test', 'rules', 'tests.yaml'], withoutAnnotations(counting), promtoolTests());
    expect(status).not.toBe(0);
    expect(output).toContain('PersonGraphErrorRateHigh');
  }, 60_000);
});

describe('the outcome label the rules rely on (src/observability/metrics.ts answerOutcome)', () => {
  it('NOT_FOUND alone is not_found, never error; consumer-side codes are client_error; upstream failures are partial or error', () => {
    expect(answerOutcome([], true)).toBe('ok');
    expect(answerOutcome(['NOT_FOUND'], false)).toBe('not_found');
    expect(answerOutcome(['NOT_FOUND', 'NOT_FOUND'], true)).toBe('not_found');
    expect(answerOutcome(['FORBIDDEN'], true)).toBe('client_error');
    expect(answerOutcome(['BAD_USER_INPUT', 'NOT_FOUND'], false)).toBe('client_error');
    expect(answerOutcome(['UPSTREAM_UNAVAILABLE'], true)).toBe('partial');
    expect(answerOutcome(['NOT_FOUND', 'UPSTREAM_TIMEOUT'], true)).toBe('partial');
    expect(answerOutcome(['UPSTREAM_UNAVAILABLE'], false)).toBe('error');
    expect(answerOutcome(['INTERNAL_SERVER_ERROR'], true)).toBe('partial');
    // A code the contract does not know yet counts against the service.
    expect(answerOutcome(['SOMETHING_NEW'], true)).toBe('partial');
  });
});
