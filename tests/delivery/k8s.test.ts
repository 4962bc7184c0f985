/**
 * Every overlay rendered with `kubectl kustomize`, every object validated offline against the Kubernetes
 * OpenAPI schemas bundled in `kubernetes-models` (ServiceMonitor and PrometheusRule against the
 * prometheus-operator CRD schemas in `@kubernetes-models/prometheus-operator`), then the operational rules
 * checked for every workload, and the alert rules and dashboard checked against the metrics the code exports.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitoringCoreosCom } from '@kubernetes-models/prometheus-operator';
import * as kubernetesModels from 'kubernetes-models';
import { parse as parseYaml } from 'yaml';
import { CONFIGMAP_TEXT_BUDGET, documentBytes, documentKey, documentsKustomization, refreshDocumentsKustomization } from '../../scripts/documents-lib.js';
import { loadSchema, readPolicyGrants } from '../../scripts/schema-lib.js';
import { documentsDirFor, readDocuments, TrustedDocuments } from '../../src/auth/trusted-documents.js';
import {
  ENVIRONMENTS,
  EXTERNAL_METRICS,
  PLANNED_VARIABLES,
  ROOT,
  RUNTIME_VARIABLES,
  TARGET_LABELS,
  appMetrics,
  configReads,
  configVariables,
  defaultProcessMetrics,
  dummyPem,
  managementRoutes,
  markdownAnchors,
  parsePromql,
  read,
  renderOverlay,
  strictFieldErrors,
  tempFile,
  type Environment,
  type K8sObject,
} from './support.js';

// ---------------------------------------------------------------------------------------------------------
// Offline schema validation: a model class per apiVersion/kind, each with the OpenAPI schema compiled in.

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

/** Model classes in an export namespace: groups hold versions hold classes; the core group is `v1` directly. */
function modelsOf(namespace: Record<string, unknown>, into: Map<string, ModelClass>, depth = 0): void {
  for (const candidate of Object.values(namespace)) {
    const model = candidate as Partial<ModelClass>;
    if (typeof candidate === 'function' && typeof model.apiVersion === 'string' && typeof model.kind === 'string') {
      into.set(`${model.apiVersion}/${model.kind}`, candidate as ModelClass);
    } else if (candidate && typeof candidate === 'object' && depth < 2) {
      modelsOf(candidate as Record<string, unknown>, into, depth + 1);
    }
  }
}
const MODELS = new Map<string, ModelClass>();
modelsOf(kubernetesModels as Record<string, unknown>, MODELS);
modelsOf(monitoringCoreosCom as unknown as Record<string, unknown>, MODELS);

function schemaErrors(object: K8sObject): string | null {
  const Model = MODELS.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return null;
  } catch (e) {
    return `${object.kind}/${object.metadata.name}: ${(e as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shapes of the objects the checks read (validated above against the real schemas).

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
}
interface Probe {
  httpGet?: { path: string; port: number | string };
}
interface Volume {
  name: string;
  secret?: { secretName: string };
  configMap?: { name: string; items?: Array<{ key: string; path: string }> };
  projected?: { sources: Array<{ secret?: { name: string }; configMap?: { name: string; optional?: boolean; items?: Array<{ key: string; path: string }> } }> };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  topologySpreadConstraints?: Array<{ topologyKey: string; maxSkew: number; labelSelector?: { matchLabels?: Record<string, string> } }>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: PodSpec;
}
type Deployment = K8sObject & {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; strategy: { type: string; rollingUpdate?: { maxUnavailable?: number | string } }; template: PodTemplate };
};
type CronJob = K8sObject & { spec: { schedule: string; concurrencyPolicy?: string; jobTemplate: { spec: { template: PodTemplate } } } };
type Service = K8sObject & { spec: { selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: number | string }> } };
type ConfigMap = K8sObject & { data?: Record<string, string> };
type NetworkPolicyPeer = { namespaceSelector?: { matchLabels?: Record<string, string> }; podSelector?: { matchLabels?: Record<string, string> }; ipBlock?: { cidr: string } };
type NetworkPolicy = K8sObject & {
  spec: {
    podSelector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values: string[] }> };
    policyTypes: string[];
    ingress?: Array<{ from?: NetworkPolicyPeer[]; ports?: Array<{ port: number; protocol?: string }> }>;
    egress?: Array<{ to?: NetworkPolicyPeer[]; ports?: Array<{ port: number; protocol?: string }> }>;
  };
};
type PrometheusRule = K8sObject & {
  spec: { groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }> };
};

/** Replicas each environment runs (issue: 2 in dev and preprod, 4 in prod). */
const REPLICAS: Record<Environment, number> = { dev: 2, preprod: 2, prod: 4 };

/** The runbook's alerts (docs/runbook.md): each must exist in every environment. */
const REQUIRED_ALERTS = [
  'PersonGraphErrorRateHigh', // 5xx rate
  'PersonGraphLatencyHigh',
  'PersonGraphRateLimitRefusalsSpike', // spikes of refused requests
  'PersonGraphAuthRefusalsSpike',
  'PersonGraphCpuHigh', // > 80%
  'PersonGraphMemoryHigh', // > 80%
  'PersonGraphReplicasLow', // < 2 available
  'PersonGraphHeartbeatFailing',
  'PersonGraphClientCertificateExpiring', // within 30 days
  'PersonGraphCircuitOpen',
];

/**
 * The Secrets the workloads must reference (never committed; created per environment, see the runbook).
 * API key hashes are not among them: they are part of the policy file (salted SHA-256 of random 256-bit keys,
 * src/auth/api-keys.ts) and travel with it in the policy ConfigMap (docs/adr/0003-schema-contract-and-delivery.md).
 */
const REQUIRED_SECRETS = {
  serverTls: 'person-graph-server-tls',
  consumerCa: 'person-graph-consumer-ca',
  upstreamCredentials: 'person-graph-upstream-credentials',
  redis: 'person-graph-redis',
  audit: 'person-graph-audit',
  heartbeat: 'person-graph-heartbeat',
  imageLinks: 'person-graph-image-links',
};

/** Parts the manifests rely on that other work has not delivered yet: printed once, after the suite. */
const PENDING = new Set<string>();
afterAll(() => {
  if (PENDING.size > 0) process.stdout.write(`delivery: not delivered yet (the manifests already reference them): ${[...PENDING].join('; ')}\n`);
});

const rendered = new Map<Environment, K8sObject[]>();

const of = <T extends K8sObject>(env: Environment, kind: string): T[] => (rendered.get(env) ?? []).filter((o) => o.kind === kind) as T[];
const one = <T extends K8sObject>(env: Environment, kind: string, name?: string): T => {
  const found = of<T>(env, kind).filter((o) => name === undefined || o.metadata.name === name);
  if (found.length !== 1) throw new Error(`${env}: expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0]!;
};
const gatewayOf = (env: Environment) => one<Deployment>(env, 'Deployment', 'person-graph');
const gatewayContainer = (env: Environment) => gatewayOf(env).spec.template.spec.containers.find((c) => c.name === 'gateway')!;

/** Every pod template of an environment: the Deployment's and each CronJob's. */
function workloads(env: Environment): Array<{ name: string; pod: PodTemplate }> {
  return [
    ...of<Deployment>(env, 'Deployment').map((d) => ({ name: `Deployment/${d.metadata.name}`, pod: d.spec.template })),
    ...of<CronJob>(env, 'CronJob').map((c) => ({ name: `CronJob/${c.metadata.name}`, pod: c.spec.jobTemplate.spec.template })),
  ];
}

/** The gateway container's environment: literal values, ConfigMap entries resolved, secret references marked. */
function effectiveEnv(env: Environment, container: Container): Map<string, { value?: string; secret?: { name: string; key: string } }> {
  const out = new Map<string, { value?: string; secret?: { name: string; key: string } }>();
  for (const from of container.envFrom ?? []) {
    if (from.secretRef) throw new Error('envFrom secretRef hides which variables are set: use env[].valueFrom.secretKeyRef');
    const cm = one<ConfigMap>(env, 'ConfigMap', from.configMapRef!.name);
    for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, { value: v });
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom?.secretKeyRef) out.set(e.name, { secret: e.valueFrom.secretKeyRef });
    else if (e.valueFrom?.configMapKeyRef) out.set(e.name, { value: one<ConfigMap>(env, 'ConfigMap', e.valueFrom.configMapKeyRef.name).data?.[e.valueFrom.configMapKeyRef.key] });
    else out.set(e.name, { value: e.value ?? '' });
  }
  return out;
}

/**
 * The files a ConfigMap-backed volume shows in the pod (path inside the mount -> content): a ConfigMap's keys, or
 * a projected volume's ConfigMap sources with their `items` paths; null for a volume with a Secret in it.
 */
function volumeFiles(env: Environment, volume: Volume): Map<string, string> | null {
  const sources = volume.configMap ? [{ configMap: volume.configMap }] : volume.projected?.sources ?? [];
  if (sources.length === 0 || sources.some((s) => !s.configMap)) return null;
  const files = new Map<string, string>();
  for (const { configMap } of sources) {
    const data = one<ConfigMap>(env, 'ConfigMap', configMap!.name).data ?? {};
    const items = configMap!.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const { key, path } of items) {
      expect([configMap!.name, key, key in data]).toEqual([configMap!.name, key, true]);
      expect([path, files.has(path)]).toEqual([path, false]); // two sources must not write the same file
      files.set(path, data[key]!);
    }
  }
  return files;
}

/** The volume mounted where `path` is, and the path inside it. */
function mountedAt(env: Environment, path: string): { volume: Volume; inside: string; mountPath: string } {
  const mount = (gatewayContainer(env).volumeMounts ?? []).find((m) => path.startsWith(`${m.mountPath}/`));
  expect([path, mount?.mountPath]).toEqual([path, expect.any(String)]);
  const volume = gatewayOf(env).spec.template.spec.volumes!.find((v) => v.name === mount!.name)!;
  return { volume, inside: path.slice(mount!.mountPath.length + 1), mountPath: mount!.mountPath };
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

const durationSeconds = (command: string[] | undefined): number => {
  const text = (command ?? []).join(' ');
  const m = /sleep\s+(\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
};

/** Unknown-field and type errors of every rendered object, by environment (one TypeScript program for all). */
const strictErrors = new Map<Environment, string[]>();

beforeAll(() => {
  for (const env of ENVIRONMENTS) rendered.set(env, renderOverlay(env));
  const all = ENVIRONMENTS.flatMap((env) => rendered.get(env)!.map((object) => ({ label: `${env} ${object.kind}/${object.metadata.name}`, object })));
  const errors = strictFieldErrors(all);
  for (const env of ENVIRONMENTS) strictErrors.set(env, errors.filter((e) => e.startsWith(`${env} `) || !ENVIRONMENTS.some((x) => e.startsWith(`${x} `))));
}, 60_000);

describe.each(ENVIRONMENTS)('k8s/overlays/%s', (env) => {
  it('renders with kubectl kustomize, and every object is valid against its Kubernetes / CRD schema', () => {
    const objects = rendered.get(env)!;
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.map(schemaErrors).filter((e) => e !== null)).toEqual([]);
    for (const o of objects) expect(o.metadata.namespace).toBe(`person-graph-${env}`);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'ConfigMap', 'ServiceMonitor', 'PrometheusRule', 'CronJob', 'ServiceAccount']) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
    // No Secret objects in the repository: they are only referenced.
    expect(kinds.has('Secret')).toBe(false);
  });

  it('has no unknown (misspelt) fields: every object type-checks against its model interface', () => {
    expect(strictErrors.get(env)).toEqual([]);
  });

  it('has a validator that rejects what the API server would reject (the check above is not vacuous)', () => {
    const d = structuredClone(gatewayOf(env)) as Deployment;
    (d.spec as unknown as Record<string, unknown>).replicas = 'two';
    expect(schemaErrors(d)).toMatch(/replicas must be integer/);
    const rule = structuredClone(one<PrometheusRule>(env, 'PrometheusRule'));
    (rule.spec.groups[0] as unknown as Record<string, unknown>).rules = 'none';
    expect(schemaErrors(rule)).toMatch(/rules must be array/);
    expect(schemaErrors({ apiVersion: 'example.invalid/v1', kind: 'Unknown', metadata: { name: 'x' } })).toMatch(/no schema/);
  });

  it(`runs ${REPLICAS[env]} replicas with zero-downtime rolling updates, spread across zones`, () => {
    const d = gatewayOf(env);
    expect(d.spec.replicas).toBe(REPLICAS[env]);
    expect(d.spec.strategy.type).toBe('RollingUpdate');
    expect(d.spec.strategy.rollingUpdate?.maxUnavailable).toBe(0);
    const spread = d.spec.template.spec.topologySpreadConstraints ?? [];
    const zone = spread.find((t) => t.topologyKey === 'topology.kubernetes.io/zone');
    expect(zone).toBeDefined();
    expect(matches(zone!.labelSelector?.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
  });

  it('probes the management port: liveness /health/liveness, readiness /health/readiness (routes the code serves)', () => {
    const c = gatewayContainer(env);
    const vars = effectiveEnv(env, c);
    const managementPort = Number(vars.get('MANAGEMENT_PORT')?.value ?? 9090);
    const portOf = (p: number | string) => (typeof p === 'number' ? p : c.ports?.find((x) => x.name === p)?.containerPort);
    const routes = managementRoutes();
    for (const [probe, path] of [['livenessProbe', '/health/liveness'], ['readinessProbe', '/health/readiness']] as const) {
      const get = c[probe]?.httpGet;
      expect([probe, get?.path, portOf(get?.port ?? '')]).toEqual([probe, path, managementPort]);
      expect(routes).toContain(path);
    }
    if (c.startupProbe) expect(portOf(c.startupProbe.httpGet?.port ?? '')).toBe(managementPort);
    const consumerPort = Number(vars.get('CONSUMER_PORT')?.value ?? 8443);
    expect(c.ports?.map((p) => p.containerPort).sort()).toEqual([consumerPort, managementPort].sort());
  });

  it('gives preStop and the grace period room for SHUTDOWN_TIMEOUT_MS', () => {
    const d = gatewayOf(env);
    const c = gatewayContainer(env);
    // Set explicitly, so that the grace period below is computed from the value the gateway really uses.
    const shutdownMs = Number(effectiveEnv(env, c).get('SHUTDOWN_TIMEOUT_MS')?.value);
    expect(shutdownMs).toBeGreaterThan(0);
    expect(configReads({}).read).toContain('SHUTDOWN_TIMEOUT_MS');
    const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? durationSeconds(c.lifecycle?.preStop?.exec?.command);
    expect(preStop).toBeGreaterThanOrEqual(5);
    const grace = d.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    // Kubernetes kills the pod at grace seconds after it starts terminating: preStop runs first, then SIGTERM
    // starts the gateway's drain, which may take SHUTDOWN_TIMEOUT_MS; keep a margin for exit.
    expect(grace).toBeGreaterThanOrEqual(preStop + Math.ceil(shutdownMs / 1000) + 5);
    expect(grace).toBeLessThanOrEqual(preStop + Math.ceil(shutdownMs / 1000) + 30);
  });

  it('locks every workload down: non-root, read-only root filesystem, no privilege escalation, no capabilities, no token, requests and limits', () => {
    const list = workloads(env);
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const { name, pod } of list) {
      expect([name, pod.spec.automountServiceAccountToken]).toEqual([name, false]);
      expect([name, pod.spec.securityContext?.runAsNonRoot]).toEqual([name, true]);
      expect([name, pod.spec.securityContext?.seccompProfile?.type]).toEqual([name, 'RuntimeDefault']);
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
        const sc = c.securityContext ?? {};
        const id = `${name} ${c.name}`;
        expect([id, sc.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot]).toEqual([id, true]);
        expect([id, (sc.runAsUser ?? pod.spec.securityContext?.runAsUser ?? 0) > 0]).toEqual([id, true]);
        expect([id, sc.readOnlyRootFilesystem, sc.allowPrivilegeEscalation, sc.privileged ?? false]).toEqual([id, true, false, false]);
        expect([id, sc.capabilities?.drop, sc.capabilities?.add ?? []]).toEqual([id, ['ALL'], []]);
        for (const kind of ['requests', 'limits'] as const) {
          expect([id, kind, Object.keys(c.resources?.[kind] ?? {}).sort()]).toEqual([id, kind, ['cpu', 'memory']]);
        }
        // A pinned image from the registry, the same build for every workload.
        expect(c.image).toMatch(/^[a-z0-9.-]+\/[a-z0-9/_-]+:[A-Za-z0-9._-]+$/);
        expect(c.image).not.toMatch(/:latest$/);
        expect(c.image).toBe(gatewayContainer(env).image);
      }
    }
  });

  it('sets only variables src/config reads, every one it requires, and a configuration it accepts in production', () => {
    const c = gatewayContainer(env);
    const vars = effectiveEnv(env, c);
    const { read: readByConfig, required } = configVariables();
    const resolved: Record<string, string> = {};
    const pem = dummyPem();
    for (const [name, v] of vars) {
      if (v.secret) {
        // A stand-in of the shape the gateway validates (URLs, keys of at least 32 characters).
        resolved[name] = name.endsWith('_URL') ? 'rediss://:secret@redis.invalid:6379' : 's'.repeat(48);
        continue;
      }
      let value = v.value ?? '';
      if (value.startsWith('/')) {
        // A file: it must be inside a mounted volume; a ConfigMap's file is used as it is, a Secret's is a dummy.
        const { volume, inside } = mountedAt(env, value);
        const files = volumeFiles(env, volume);
        if (files) {
          expect([name, files.has(inside)]).toEqual([name, true]);
          value = tempFile(inside.split('/').pop()!, files.get(inside)!);
        } else {
          expect([name, !!volume.secret]).toEqual([name, true]);
          value = pem;
        }
      }
      resolved[name] = value;
    }
    const { read: readHere, problems, config } = configReads(resolved);
    const known = new Set([...readByConfig, ...readHere, ...RUNTIME_VARIABLES, ...PLANNED_VARIABLES]);
    expect([...vars.keys()].filter((n) => !known.has(n))).toEqual([]);
    expect([...required].filter((n) => !vars.has(n))).toEqual([]);
    expect(problems).toEqual([]);
    expect(config!.mode).toBe('production');
    expect(config!.devListener.enabled).toBe(false);
  });

  it('mounts the policy from a ConfigMap, and the policy names only schema coordinates that exist', () => {
    const c = gatewayContainer(env);
    const policyPath = effectiveEnv(env, c).get('POLICY_FILE')?.value ?? '';
    const { volume, inside } = mountedAt(env, policyPath);
    const files = volumeFiles(env, volume);
    expect(files).not.toBeNull(); // ConfigMaps only
    expect((c.volumeMounts ?? []).find((m) => m.name === volume.name)?.readOnly).toBe(true);
    const policy = files!.get(inside)!;
    const dir = join(tempFile('policy.yaml', policy), '..');
    const schema = loadSchema(join(ROOT, 'schema'));
    const doc = parseYaml(policy) as { roles?: Record<string, unknown>; consumers?: Record<string, unknown> };
    expect(doc).toEqual(expect.objectContaining({ roles: expect.any(Object), consumers: expect.any(Object) }));
    for (const consumer of readPolicyGrants(dir)) {
      for (const grant of consumer.grants.filter((g) => g !== '*')) {
        const [type, field] = grant.split('.');
        const t = schema.getType(type ?? '') as { getFields?: () => Record<string, unknown> } | undefined;
        expect([grant, !!t?.getFields && (field === '*' || field! in t.getFields())]).toEqual([grant, true]);
      }
    }
  });

  it('ships every consumer\'s trusted documents where the gateway reads them (documents/ beside POLICY_FILE), read-only', () => {
    const c = gatewayContainer(env);
    const vars = effectiveEnv(env, c);
    const policyPath = vars.get('POLICY_FILE')?.value ?? '';
    const documentsDir = documentsDirFor(policyPath);
    const { volume, inside, mountPath } = mountedAt(env, policyPath);
    expect(documentsDir.startsWith(`${mountPath}/`)).toBe(true); // the same volume as the policy
    expect((c.volumeMounts ?? []).find((m) => m.name === volume.name)?.readOnly).toBe(true);
    const files = volumeFiles(env, volume)!;
    // The pod's folder, materialised, read by the gateway's own reader: the same documents as the repository's.
    const pod = mkdtempSync(join(tmpdir(), 'pg-delivery-pod-'));
    for (const [path, content] of files) {
      mkdirSync(join(pod, dirname(path)), { recursive: true });
      writeFileSync(join(pod, path), content);
    }
    const inPod = new TrustedDocuments(documentsDirFor(join(pod, inside)));
    const inRepo = readDocuments(join(ROOT, 'policy', 'documents'));
    expect(inRepo.problems).toEqual([]);
    expect(inPod.problems).toEqual([]);
    const idsOf = (docs: Array<{ consumer: string; id: string; file: string }>) => docs.map((d) => `${d.consumer} ${d.file} ${d.id}`).sort();
    expect(idsOf(inPod.all())).toEqual(idsOf(inRepo.documents));
    expect(inRepo.documents.length).toBeGreaterThan(0);
    // Every consumer folder of the repository is there.
    const consumers = readdirSync(join(ROOT, 'policy', 'documents'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect([...new Set(inPod.all().map((d) => d.consumer))].sort()).toEqual(consumers);
    // Nothing else under documents/ (a stray key would be read as a consumer's document).
    expect([...files.keys()].filter((p) => p.startsWith('documents/')).sort()).toEqual(inRepo.documents.map((d) => d.file).sort());
    rmSync(pod, { recursive: true, force: true });
    // The ConfigMaps that carry them are hash-named (generated), so that a change rolls the pods.
    for (const source of volume.projected?.sources ?? [volume]) {
      const name = source.configMap!.name;
      expect([name, /-[a-z0-9]{10}$/.test(name)]).toEqual([name, true]);
    }
  });

  it('references the Secrets it needs (server TLS, consumer CA, upstream credentials, Redis, audit key, heartbeat client)', () => {
    const referenced = new Set<string>();
    for (const { pod } of workloads(env)) {
      for (const v of pod.spec.volumes ?? []) {
        if (v.secret) referenced.add(v.secret.secretName);
        for (const s of v.projected?.sources ?? []) if (s.secret) referenced.add(s.secret.name);
      }
      for (const c of pod.spec.containers) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) referenced.add(e.valueFrom.secretKeyRef.name);
    }
    expect([...referenced].sort()).toEqual(Object.values(REQUIRED_SECRETS).sort());
    const runbook = read('docs/runbook.md');
    for (const name of referenced) expect([name, runbook.includes(name)]).toEqual([name, true]);
    const vars = effectiveEnv(env, gatewayContainer(env));
    expect(vars.get('CLIENT_SECRET')?.secret?.name).toBe(REQUIRED_SECRETS.upstreamCredentials);
    expect(vars.get('REDIS_URL')?.secret?.name).toBe(REQUIRED_SECRETS.redis);
  });

  it('has a Service, a PodDisruptionBudget and an autoscaler that fit the Deployment', () => {
    const d = gatewayOf(env);
    const labels = d.spec.template.metadata.labels;
    const c = gatewayContainer(env);
    const service = one<Service>(env, 'Service', 'person-graph');
    expect(matches(service.spec.selector, labels)).toBe(true);
    for (const p of service.spec.ports) {
      const target = typeof p.targetPort === 'number' ? p.targetPort : c.ports?.find((x) => x.name === p.targetPort)?.containerPort;
      expect([p.name, target]).toEqual([p.name, p.port]);
    }
    const pdb = one<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable?: number; minAvailable?: number } }>(env, 'PodDisruptionBudget');
    expect(matches(pdb.spec.selector.matchLabels, labels)).toBe(true);
    const keeps = pdb.spec.minAvailable ?? d.spec.replicas - (pdb.spec.maxUnavailable ?? 0);
    expect(keeps).toBeGreaterThanOrEqual(1);
    expect(keeps).toBeLessThan(d.spec.replicas); // a drain can make progress
    const hpa = one<K8sObject & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } }>(env, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual(expect.objectContaining({ kind: 'Deployment', name: d.metadata.name }));
    expect(hpa.spec.minReplicas).toBe(d.spec.replicas);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  });

  it('lets consumer traffic in only from the ingress namespace and metrics scrapes only from monitoring; egress only DNS, HTTPS upstreams and Redis', () => {
    const labels = gatewayOf(env).spec.template.metadata.labels;
    const vars = effectiveEnv(env, gatewayContainer(env));
    const consumerPort = Number(vars.get('CONSUMER_PORT')?.value ?? 8443);
    const managementPort = Number(vars.get('MANAGEMENT_PORT')?.value ?? 9090);
    const policies = of<NetworkPolicy>(env, 'NetworkPolicy').filter((p) => matches(p.spec.podSelector.matchLabels, labels));
    expect(policies.some((p) => p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress'))).toBe(true);
    const ingress = policies.flatMap((p) => p.spec.ingress ?? []);
    expect(ingress).toHaveLength(2);
    const fromNamespace = (rule: (typeof ingress)[number]) => rule.from?.map((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']);
    const byPort = (port: number) => ingress.filter((r) => r.ports?.some((p) => p.port === port));
    expect(byPort(consumerPort).map(fromNamespace)).toEqual([['ingress-controllers']]);
    expect(byPort(managementPort).map(fromNamespace)).toEqual([['monitoring']]);
    for (const rule of ingress) {
      expect(rule.ports).toHaveLength(1);
      expect(rule.from?.every((f) => !f.ipBlock && !!f.namespaceSelector)).toBe(true);
    }
    const egress = policies.flatMap((p) => p.spec.egress ?? []);
    const egressPorts = new Set(egress.flatMap((r) => (r.ports ?? []).map((p) => p.port)));
    expect([...egressPorts].sort((a, b) => a - b)).toEqual([53, 443, 6379, 6380]);
    for (const rule of egress) expect((rule.ports ?? []).length).toBeGreaterThan(0); // no "any port" rule
    const dns = egress.filter((r) => r.ports?.some((p) => p.port === 53));
    expect(dns.flatMap((r) => r.to ?? []).map((t) => t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])).toEqual(['kube-system']);
    // Upstreams are reached over HTTPS on 443: the only upstream port the policy opens.
    for (const [name, v] of vars) {
      if (!name.endsWith('_URL') || v.secret) continue;
      const url = new URL(v.value!);
      expect([name, url.protocol, url.port]).toEqual([name, 'https:', '']);
    }
    // Every pod of the app is covered by a default-deny policy.
    expect(of<NetworkPolicy>(env, 'NetworkPolicy').some((p) => matches(p.spec.podSelector.matchLabels, { 'app.kubernetes.io/name': 'person-graph' })
      && Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 1 && !p.spec.ingress && !p.spec.egress)).toBe(true);
  });

  it('is scraped by a ServiceMonitor on the management port at /metrics (a route the code serves)', () => {
    const service = one<Service>(env, 'Service', 'person-graph');
    const sm = one<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> } }>(env, 'ServiceMonitor');
    expect(matches(sm.spec.selector.matchLabels, service.metadata.labels ?? {})).toBe(true);
    expect(sm.spec.endpoints).toHaveLength(1);
    const port = service.spec.ports.find((p) => p.name === sm.spec.endpoints[0]!.port);
    expect(port?.port).toBe(Number(effectiveEnv(env, gatewayContainer(env)).get('MANAGEMENT_PORT')?.value ?? 9090));
    expect(sm.spec.endpoints[0]!.path).toBe('/metrics');
    expect(managementRoutes()).toContain('/metrics');
  });

  it('runs the heartbeat and the certificate-expiry check as CronJobs from the gateway image', () => {
    const heartbeat = one<CronJob>(env, 'CronJob', 'person-graph-heartbeat');
    const hb = heartbeat.spec.jobTemplate.spec.template.spec.containers[0]!;
    const names = new Set((hb.env ?? []).map((e) => e.name));
    for (const v of ['SERVICE_URL', 'API_KEY', 'MTLS_CERT', 'MTLS_KEY']) expect([v, names.has(v)]).toEqual([v, true]);
    for (const v of ['API_KEY', 'MTLS_CERT', 'MTLS_KEY']) {
      expect([v, hb.env!.find((e) => e.name === v)!.valueFrom?.secretKeyRef?.name]).toEqual([v, REQUIRED_SECRETS.heartbeat]);
    }
    const serviceUrl = new URL(hb.env!.find((e) => e.name === 'SERVICE_URL')!.value!);
    expect(serviceUrl.protocol).toBe('https:');
    expect(serviceUrl.hostname).not.toMatch(/\.invalid$/); // each overlay sets its own ingress host
    const cert = one<CronJob>(env, 'CronJob', 'person-graph-certificate-expiry');
    for (const job of [heartbeat, cert]) {
      expect(job.spec.concurrencyPolicy).toBe('Forbid');
      expect(job.spec.schedule.split(' ')).toHaveLength(5);
      const command = job.spec.jobTemplate.spec.template.spec.containers[0]!.command ?? [];
      expect(command[0]).toBe('node');
      // The compiled CLI comes from scripts/<name>.ts (the Dockerfile compiles it into dist/scripts/).
      const compiled = command.find((a) => a.startsWith('dist/'))!;
      expect(compiled).toMatch(/^dist\/scripts\/[a-z-]+\.js$/);
      const source = compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(read('Dockerfile')).toContain(source);
      if (!existsSync(join(ROOT, source))) {
        PENDING.add(`${source} (run by CronJob ${job.metadata.name})`);
        continue;
      }
      // Every variable the job sets is one the CLI reads.
      const cli = read(source);
      for (const e of job.spec.jobTemplate.spec.template.spec.containers[0]!.env ?? []) {
        expect([source, e.name, RUNTIME_VARIABLES.has(e.name) || cli.includes(e.name)]).toEqual([source, e.name, true]);
      }
    }
  });

  it('alerts on everything the runbook lists, with expressions that parse and select metrics and labels that exist', async () => {
    const rule = one<PrometheusRule>(env, 'PrometheusRule');
    const alerts = rule.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    const app = appMetrics();
    const defaults = await defaultProcessMetrics();
    const anchors = markdownAnchors(read('docs/runbook.md'));
    const cronJobs = new Set(of<CronJob>(env, 'CronJob').map((c) => c.metadata.name));
    for (const a of alerts) {
      const { errors, selectors } = parsePromql(a.expr);
      expect([a.alert, errors]).toEqual([a.alert, []]);
      for (const s of selectors) {
        const known = app.has(s.metric) || defaults.has(s.metric) || EXTERNAL_METRICS.has(s.metric);
        expect([a.alert, s.metric, known]).toEqual([a.alert, s.metric, true]);
        const def = app.get(s.metric);
        if (def) for (const l of s.labels) expect([a.alert, s.metric, l, def.labels.includes(l) || TARGET_LABELS.has(l)]).toEqual([a.alert, s.metric, l, true]);
      }
      for (const m of a.expr.matchAll(/cronjob="([^"]+)"/g)) expect(cronJobs).toContain(m[1]);
      expect(['critical', 'warning']).toContain(a.labels?.severity);
      expect(a.annotations?.summary).toBeTruthy();
      const anchor = /#([a-z0-9-]+)$/.exec(a.annotations?.runbook_url ?? '')?.[1];
      expect([a.alert, anchor && anchors.has(anchor)]).toEqual([a.alert, true]);
    }
  });

  it('ships a Grafana dashboard whose queries parse and select metrics that exist', async () => {
    const cm = of<ConfigMap>(env, 'ConfigMap').find((c) => c.metadata.labels?.grafana_dashboard === '1')!;
    expect(cm).toBeDefined();
    const dashboard = JSON.parse(Object.values(cm.data ?? {})[0] ?? '{}') as { uid: string; panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    expect(dashboard.uid).toBe('person-graph');
    const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(targets.length).toBeGreaterThanOrEqual(15);
    const app = appMetrics();
    const defaults = await defaultProcessMetrics();
    for (const t of targets) {
      const { errors, selectors } = parsePromql(t.expr.replaceAll('$__rate_interval', '5m').replaceAll('$namespace', 'ns'));
      expect([t.panel, errors]).toEqual([t.panel, []]);
      for (const s of selectors) expect([t.panel, s.metric, app.has(s.metric) || defaults.has(s.metric) || EXTERNAL_METRICS.has(s.metric)]).toEqual([t.panel, s.metric, true]);
    }
  });
});

describe('policy/documents (the trusted documents Component every overlay includes)', () => {
  it('is the Component `npm run documents` generates from the folder\'s files (add and remove rewrite it)', () => {
    const dir = join(ROOT, 'policy', 'documents');
    expect(read('policy/documents/kustomization.yaml')).toBe(documentsKustomization(dir));
    for (const env of ENVIRONMENTS) expect([env, read(`k8s/overlays/${env}/kustomization.yaml`)]).toEqual([env, expect.stringContaining('- ../../../policy/documents')]);
  });

  it('carries no more document text than one ConfigMap can (Kubernetes refuses one over 1 MiB)', () => {
    expect(documentBytes(join(ROOT, 'policy', 'documents'))).toBeLessThanOrEqual(CONFIGMAP_TEXT_BUDGET);
  });

  it('rolls the pods when a document is added: the ConfigMap gets a new name, and the Deployment points at it', () => {
    const copy = mkdtempSync(join(tmpdir(), 'pg-delivery-roll-'));
    try {
      for (const dir of ['k8s', 'policy']) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
      const volumeSources = (objects: K8sObject[]) => {
        const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'person-graph') as Deployment;
        return d.spec.template.spec.volumes!.find((v) => v.name === 'policy')!.projected!.sources.map((s) => s.configMap!.name);
      };
      const before = volumeSources(renderOverlay('dev', copy));
      mkdirSync(join(copy, 'policy', 'documents', 'delivery-test'));
      writeFileSync(join(copy, 'policy', 'documents', 'delivery-test', 'Name.graphql'), 'query Name { __typename }\n');
      expect(refreshDocumentsKustomization(join(copy, 'policy', 'documents'))).toBe(true);
      const afterObjects = renderOverlay('dev', copy);
      const after = volumeSources(afterObjects);
      expect(after[0]).toBe(before[0]); // the policy did not change
      expect(after[1]).not.toBe(before[1]);
      const cm = afterObjects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === after[1]) as ConfigMap;
      expect(cm.data?.[documentKey('delivery-test', 'Name.graphql')]).toBe('query Name { __typename }\n');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
