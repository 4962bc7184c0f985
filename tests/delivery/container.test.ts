/**
 * The Dockerfile and docker-compose.yml, checked against the code without a Docker engine: stages, base image,
 * user, production dependencies, health check, ports, the environment variables src/config really reads and
 * requires, and the commands and paths that must exist.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';
import { UPSTREAM_URL_VARS } from '../../src/config/index.js';
import { documentsDirFor, readDocuments } from '../../src/auth/trusted-documents.js';
import { PORT_OFFSETS } from '../../simulators/lib/http.js';
import { parseOptions } from '../../simulators/lib/options.js';
import { productionNodeOptions } from '../../bench/lib.js';
import { PLANNED_VARIABLES, RUNTIME_VARIABLES, ROOT, configReads, configVariables, dummyPem, managementRoutes, minimalEnv, read } from './support.js';

interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

const dockerfile = DockerfileParser.parse(read('Dockerfile'));
const globalArgs = new Map<string, string>();
const stages: Stage[] = [];
for (const instruction of dockerfile.getInstructions()) {
  const keyword = instruction.getKeyword();
  if (keyword === 'ARG' && stages.length === 0) {
    const [name, value] = (instruction.getArgumentsContent() ?? '').split('=');
    if (name && value !== undefined) globalArgs.set(name.trim(), value.trim());
  } else if (keyword === 'FROM') {
    const args = (instruction.getArgumentsContent() ?? '').split(/\s+/);
    const asIndex = args.findIndex((a) => a.toUpperCase() === 'AS');
    const base = (args[0] ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string, b: string) => globalArgs.get(a ?? b) ?? '');
    stages.push({ name: asIndex >= 0 ? (args[asIndex + 1] ?? '') : String(stages.length), base, instructions: [] });
  } else {
    stages.at(-1)?.instructions.push(instruction);
  }
}
const stage = (name: string) => stages.find((s) => s.name === name);
const final = stages.at(-1) as Stage;
const inFinal = (keyword: string) => final.instructions.filter((i) => i.getKeyword() === keyword);
/** The stages a stage builds on (FROM <stage>), itself included. */
const lineage = (s: Stage | undefined): Stage[] => (s ? [s, ...lineage(stage(s.base))] : []);
const runs = (s: Stage | undefined) => lineage(s).flatMap((x) => x.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? ''));
const jsonArgs = (i: Instruction): string[] => JSON.parse(i.getArgumentsContent() ?? '[]') as string[];
/** The stage a COPY takes its files from (`--from=`), or null for the build context. */
const copyFrom = (i: Instruction): string | null => (i as Copy).getFromFlag?.()?.getValue() ?? null;

const compose = parseYaml(read('docker-compose.yml')) as {
  services: Record<string, {
    build?: { context: string; target?: string };
    image?: string;
    command?: string[] | string;
    environment?: Record<string, string>;
    ports?: string[];
    volumes?: string[];
    healthcheck?: { test: string[] };
    depends_on?: Record<string, { condition: string }>;
    user?: string;
    read_only?: boolean;
    cap_drop?: string[];
  }>;
  volumes?: Record<string, unknown>;
};
const gateway = compose.services.gateway!;
const gatewayEnv = Object.fromEntries(Object.entries(gateway.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** Node.js release lines and the end of their support (nodejs.org release schedule). */
const NODE_LTS_END_OF_LIFE: Record<number, string> = { 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

describe('Dockerfile', () => {
  it('is multi-stage, and the production image comes from a Node.js LTS line that is still supported', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(final.name).toBe('runtime');
    const match = /^node:(\d+)(?:[.-]|$)/.exec(final.base);
    expect(match).not.toBeNull();
    const major = Number(match![1]);
    expect(Object.keys(NODE_LTS_END_OF_LIFE)).toContain(String(major));
    expect(new Date().toISOString().slice(0, 10) < NODE_LTS_END_OF_LIFE[major]!).toBe(true);
    // Every stage builds on the same Node line (what is built is what runs).
    for (const s of stages) expect(lineage(s).at(-1)!.base).toBe(final.base);
  });

  it('ships production dependencies only: node_modules comes from a stage that ran npm ci --omit=dev', () => {
    const modules = inFinal('COPY').filter((c) => /node_modules/.test(c.getArgumentsContent() ?? ''));
    expect(modules).toHaveLength(1);
    const source = stage(copyFrom(modules[0]!) ?? '');
    expect(source).toBeDefined();
    expect(runs(source).join('\n')).toMatch(/npm ci [^\n]*--omit=dev/);
    expect(runs(source).join('\n')).not.toMatch(/npm (ci|install)(?![^\n]*--omit=dev)/);
    expect(runs(final).join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a fixed non-root numeric user in production mode', () => {
    const user = inFinal('USER').at(-1)?.getArgumentsContent() ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    const env = inFinal('ENV').map((e) => e.getArgumentsContent() ?? '').join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
  });

  it('runs node with the heap limit of the Kubernetes deployment, which the benchmark measures with too', () => {
    const env = inFinal('ENV').map((e) => e.getArgumentsContent() ?? '').join(' ');
    const fromImage = /NODE_OPTIONS=(\S+)/.exec(env)?.[1];
    expect(fromImage).toMatch(/^--max-old-space-size=\d+$/);
    expect(productionNodeOptions()).toBe(fromImage);
  });

  it('checks health against the management listener liveness route, on the port config uses', () => {
    const healthchecks = inFinal('HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const text = healthchecks[0]!.getArgumentsContent() ?? '';
    expect(managementRoutes()).toContain('/health/liveness');
    expect(text).toContain('/health/liveness');
    const defaults = configReads({ ...minimalEnv(), NODE_ENV: 'production', DEV_LISTENER: 'false' }).config!;
    expect(text).toContain(String(defaults.managementListener.port));
    expect(text).toContain('MANAGEMENT_PORT');
  });

  it('exposes the consumer and management ports the configuration defaults to', () => {
    const config = configReads({ ...minimalEnv(), NODE_ENV: 'production', DEV_LISTENER: 'false' }).config!;
    const exposed = inFinal('EXPOSE').flatMap((e) => (e.getArgumentsContent() ?? '').split(/\s+/)).map((p) => Number(p.split('/')[0]));
    expect(exposed.sort()).toEqual([config.consumerListener.port, config.managementListener.port].sort());
  });

  it('starts node (not npm) on the compiled entry point of src/main.ts, as npm start does', () => {
    const cmd = jsonArgs(inFinal('CMD').at(-1)!);
    expect(cmd[0]).toBe('node');
    const entry = cmd.find((a) => a.endsWith('.js'))!;
    expect(entry).toBe('dist/src/main.js');
    expect(existsSync(join(ROOT, 'src/main.ts'))).toBe(true);
    expect(JSON.parse(read('tsconfig.build.json')).include).toContain('src');
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start).toContain(entry);
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const s of stages) {
      for (const copy of s.instructions.filter((i) => i.getKeyword() === 'COPY')) {
        if (copyFrom(copy) !== null) continue;
        const args = (copy.getArgumentsContent() ?? '').split(/\s+/);
        for (const source of args.slice(0, -1)) {
          expect(existsSync(join(ROOT, source))).toBe(true);
          expect(ignored).not.toContain(source);
        }
      }
    }
    // The schema the gateway loads at start-up is in the image; secrets and local certificates never are.
    expect(inFinal('COPY').map((c) => c.getArgumentsContent())).toContainEqual(expect.stringMatching(/^schema /));
    expect(ignored).toEqual(expect.arrayContaining(['.dev', '.git', 'node_modules']));
  });
});

describe('docker-compose.yml', () => {
  it('has the gateway, the simulators and Redis, each with a health check', () => {
    for (const name of ['gateway', 'simulators', 'redis']) {
      expect(compose.services[name]).toBeDefined();
      expect(compose.services[name]!.healthcheck?.test.length).toBeGreaterThan(0);
    }
    expect(gateway.depends_on?.simulators?.condition).toBe('service_healthy');
    expect(gateway.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('builds services from Dockerfile stages that exist; the gateway runs the production stage', () => {
    for (const service of Object.values(compose.services)) {
      if (!service.build) continue;
      expect(stages.map((s) => s.name)).toContain(service.build.target);
    }
    expect(gateway.build?.target).toBe(final.name);
  });

  it('sets only variables that src/config (or Node.js) reads, and every one it requires', () => {
    const { read: readByConfig, required } = configVariables();
    const { read: readWithThisEnv } = configReads(gatewayEnv);
    const known = new Set([...readByConfig, ...readWithThisEnv, ...RUNTIME_VARIABLES, ...PLANNED_VARIABLES]);
    expect(Object.keys(gatewayEnv).filter((name) => !known.has(name))).toEqual([]);
    expect([...required].filter((name) => !(name in gatewayEnv))).toEqual([]);
  });

  it('is a configuration the gateway accepts in production mode (mounted files resolved)', () => {
    const pem = dummyPem();
    const env = { ...gatewayEnv };
    for (const [name, value] of Object.entries(env)) {
      if (!value.startsWith('/')) continue;
      const bind = (gateway.volumes ?? []).map((v) => v.split(':')).find(([host, container]) => host?.startsWith('.') && value.startsWith(`${container}/`));
      if (bind) {
        const hostPath = join(ROOT, bind[0]!, value.slice(bind[1]!.length));
        expect(existsSync(hostPath)).toBe(true);
        env[name] = hostPath;
      } else {
        // A file of the generated TLS volume: the certs service writes it.
        expect((gateway.volumes ?? []).some((v) => value.startsWith(`${v.split(':')[1]}/`))).toBe(true);
        env[name] = pem;
      }
    }
    const { problems, config } = configReads(env);
    expect(problems).toEqual([]);
    expect(config!.mode).toBe('production');
    expect(config!.devListener.enabled).toBe(false);
  });

  it('publishes the consumer port and the management port (loopback only) the gateway listens on', () => {
    const consumerPort = gatewayEnv.CONSUMER_PORT ?? '8443';
    const managementPort = gatewayEnv.MANAGEMENT_PORT ?? '9090';
    expect(gateway.ports).toContain(`${consumerPort}:${consumerPort}`);
    expect(gateway.ports).toContain(`127.0.0.1:${managementPort}:${managementPort}`);
    const test = (gateway.healthcheck?.test ?? []).join(' ');
    expect(test).toContain(`:${managementPort}/health/liveness`);
  });

  it('points every upstream URL at the simulator listener for that upstream', () => {
    const sims = compose.services.simulators!;
    const command = Array.isArray(sims.command) ? sims.command : String(sims.command).split(/\s+/);
    const main = command.indexOf('simulators/main.ts');
    expect(main).toBeGreaterThan(0);
    expect(existsSync(join(ROOT, 'simulators/main.ts'))).toBe(true);
    const options = parseOptions(command.slice(main + 1));
    expect(options.host).toBe('0.0.0.0');
    const urlVars: Record<string, string> = { ...UPSTREAM_URL_VARS, auth: 'HMPPS_AUTH_URL' };
    for (const [upstream, variable] of Object.entries(urlVars)) {
      const url = new URL(gatewayEnv[variable]!);
      expect(`${variable}=${url.hostname}:${url.port}`).toBe(`${variable}=simulators:${options.portBase + PORT_OFFSETS[upstream as keyof typeof PORT_OFFSETS]}`);
    }
    expect(sims.healthcheck?.test.join(' ')).toContain(`:${options.portBase + PORT_OFFSETS.admin}/admin/health`);
    expect(new URL(gatewayEnv.REDIS_URL!).hostname).toBe('redis');
  });

  it('mounts the development policy and certificates the way the certificate script writes them', () => {
    expect(gateway.volumes).toContain('./policy:/app/policy:ro');
    expect(existsSync(join(ROOT, 'policy', 'development.yaml'))).toBe(true);
    const certs = compose.services.certs!;
    expect(String(certs.command)).toContain('scripts/certs.ts');
    expect(existsSync(join(ROOT, 'scripts/certs.ts'))).toBe(true);
    for (const file of ['server.key', 'server.crt', 'ca.crt']) expect(String(certs.command)).toContain(file);
    expect(gateway.depends_on?.certs?.condition).toBe('service_completed_successfully');
  });

  it('shows the gateway the trusted documents where it reads them (documents/ beside POLICY_FILE); the image bakes in none', () => {
    const policyFile = gatewayEnv.POLICY_FILE!;
    const documentsDir = documentsDirFor(policyFile);
    // The bind mount that holds the policy holds its documents folder too, read-only.
    const bind = (gateway.volumes ?? []).map((v) => v.split(':')).find(([host, container]) => host?.startsWith('.') && policyFile.startsWith(`${container}/`))!;
    expect(bind).toBeDefined();
    expect(bind[2]).toBe('ro');
    expect(documentsDir.startsWith(`${bind[1]}/`)).toBe(true);
    const onHost = join(ROOT, bind[0]!, documentsDir.slice(bind[1]!.length + 1));
    const { documents, problems } = readDocuments(onHost);
    expect(problems).toEqual([]);
    expect(documents.length).toBeGreaterThan(0);
    expect(onHost).toBe(join(ROOT, 'policy', 'documents')); // the folder npm run documents and the overlays use
    // No policy and no documents in the production image: both come from the mount (compose) or the ConfigMaps (k8s).
    for (const copy of inFinal('COPY')) {
      if (copyFrom(copy) !== null) continue;
      const sources = (copy.getArgumentsContent() ?? '').split(/\s+/).slice(0, -1);
      for (const source of sources) expect([source, /^policy(\/documents)?\/?$|\.graphql$|\.ya?ml$/.test(source)]).toEqual([source, false]);
    }
  });

  it('runs the gateway locked down: read-only, no capabilities, as the image user', () => {
    expect(gateway.read_only).toBe(true);
    expect(gateway.cap_drop).toEqual(['ALL']);
    expect(gateway.user).toBeUndefined();
  });
});

