/**
 * What the benchmark scripts share: the operations, process start/stop by PID, /proc sampling, the
 * benchmark policy and consumers, one autocannon run, and the whole stack (simulators + built gateway).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseAllDocuments } from 'yaml';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { constantArrival } from './arrival.js';
import { hashApiKey } from '../src/auth/api-keys.js';
import { ensureDevCertificates, type DevCertificates } from '../scripts/certs.js';
import { commandLine, numberOption, usageFailure, type Options } from '../scripts/cli.js';
import { serverCertificates } from '../local-stack/certs.js';
import { gatewayEnv } from '../local-stack/gateway.js';
import { startSimulators, type SimulatorHandle } from '../local-stack/simulators.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// The operations.

export const FULL_PROFILE = `hmppsId firstName middleNames lastName dateOfBirth gender ethnicity knownToPrison knownToProbation supervisionStatus
  identifiers { crn prisonNumber pncNumber croNumber } aliases { firstName lastName dateOfBirth }
  limitedAccess { excluded restricted } contactDetails { phoneNumbers { number type } emails }
  prison { inPrison status prisonId prisonName cellLocation receptionDate category csra
    physicalCharacteristics { heightCentimetres build distinguishingMarks { kind bodyPart } }
    languages { code primary } personalCareNeeds { code description } }
  probation { underActiveSupervision dynamicRisks { code startDate } mappa { level category } statusInformation { code } }
  addresses { sources number street town postcode startDate types { code } }
  offences { source description code offenceDate courtName }
  sentences { source description dateOfSentencing length }
  sentenceKeyDates { releaseDate conditionalReleaseDate licenceExpiryDate }
  alerts(first: 20) { totalCount nodes { code active createdAt } }
  images { id capturedAt }
  responsibleOfficer { prisonOffenderManager { surname } communityManager { surname team { description } } }
  protectedCharacteristics { age religion maritalStatus reasonableAdjustments { treatmentCode } }`;

export const S1 = `query S1($id: ID!) { person(hmppsId: $id) { ${FULL_PROFILE} } }`;
/**
 * The areas added after FULL_PROFILE (issues 17 and 18): risks, needs and licences; case records; prison
 * life; visits. With FULL_PROFILE: a profile with every area selected (S1A).
 */
export const NEWER_AREAS = `riskScores(first: 5) { totalCount nodes { completedAt outputVersion } }
  riskOfSeriousHarm { assessedAt overallLevel } riskManagementPlans(first: 5) { totalCount nodes { assessmentId completedAt } }
  criminogenicNeeds { assessedAt } licences { id type status }
  caseNotes(first: 5) { totalCount nodes { id occurredAt } } contactEvents(first: 5) { totalCount nodes { id contactDate } }
  movements { kind direction date } sentenceAdjustments { kind days fromDate }
  adjudications(first: 5) { totalCount nodes { chargeNumber status } }
  incentiveLevel { level code reviewedOn reviews { level reviewedOn } }
  healthAndDiet { smoker dietRecorded foodAllergies { code } }
  nonAssociations { id role } contacts(first: 5) { totalCount nodes { firstName lastName } } numberOfChildren
  futureVisits { reference startAt } recentVisits(first: 5) { totalCount nodes { reference startAt } }
  visitBalance { remainingVisitOrders } visitRestrictions { code startDate }`;
export const S1A = `query S1A($id: ID!) { person(hmppsId: $id) { ${FULL_PROFILE} ${NEWER_AREAS} } }`;
export const S2 = `query S2($c: PersonSearchCriteria!) { searchPersons(criteria: $c, first: 50) { totalCount
  nodes { hmppsId firstName lastName alerts(first: 10) { totalCount nodes { code active } } offences { source description offenceDate } } } }`;
export const S3 = `query S3($id: ID!) { person(hmppsId: $id) { firstName } }`;

// ---------------------------------------------------------------------------------------------
// Processes.

export interface Proc {
  child: ChildProcess;
  ready: Record<string, unknown>;
}

export function startProcess(args: string[], env: NodeJS.ProcessEnv, isReady: (line: Record<string, unknown>) => boolean, cwd = ROOT): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} not ready in 60 s:\n${tail.join('\n')}`));
    }, 60_000);
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (isReady(parsed)) {
          clearTimeout(timer);
          resolve({ child, ready: parsed });
        }
      } catch {
        /* not JSON */
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const message = `${args.join(' ')} exited (code ${code}, signal ${signal}):\n${tail.join('\n')}`;
      if (!stopping.has(child)) process.stderr.write(`${message}\n`);
      reject(new Error(message));
    });
  });
}

/** Children being stopped on purpose (their exit is not news). */
const stopping = new WeakSet<ChildProcess>();

export async function stop(proc: Proc | null): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  stopping.add(proc.child);
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) and current RSS of a process, from /proc. */
export function sample(pid: number): { cpuMs: number; rssMb: number } {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    throw new Error(`process ${pid} is gone (it exited during the benchmark: see its output above)`);
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: (ticks * 1000) / 100, rssMb: rssKb / 1024 };
}

// ---------------------------------------------------------------------------------------------
// Policy, consumers, certificates.

export const CONSUMERS = ['bench-full', 'bench-prison', 'bench-police', 'bench-allow-all'] as const;
export type ConsumerName = (typeof CONSUMERS)[number];
export const apiKey = (name: string) => `${name}-api-key-for-benchmarks-only-0123456789`;

export function writePolicy(dir: string): string {
  const file = join(dir, 'policy.yaml');
  const consumer = (name: ConsumerName, roles: string, extra = '') =>
    `  ${name}:\n    roles: [${roles}]\n    rateLimit: {perSecond: 100000, burst: 100000}\n    apiKeys: ['${hashApiKey(apiKey(name))}']\n${extra}`;
  writeFileSync(
    file,
    [
      'roles:',
      '  everything:',
      "    grants: ['*']",
      '  full-profile:',
      '    grants: [Query.*, Person.*, Identifiers.*, Alias.*, LimitedAccess.*, ContactDetails.*, PhoneNumber.*, PrisonDetails.*,',
      '      PhysicalCharacteristics.*, DistinguishingMark.*, Language.*, PersonalCareNeed.*, ProbationDetails.*, RiskFlag.*, Mappa.*,',
      '      Address.*, CodeDescription.*, Offence.*, Sentence.*, SentenceKeyDates.*, AlertPage.*, Alert.*, PageInfo.*, ImageMetadata.*,',
      '      ResponsibleOfficer.*, PrisonOffenderManager.*, CommunityManager.*, Team.*, ProtectedCharacteristics.*, Disability.*,',
      '      ReasonableAdjustment.*, PersonSearchResults.*]',
      '    redactions:',
      '      - {field: Identifiers.pncNumber, action: mask}',
      '      - {field: Person.dateOfBirth, action: remove, limitedAccessOnly: true}',
      '  prison-custody:',
      '    grants: [Query.person, Person.hmppsId, Person.firstName, Person.lastName, Person.prison, PrisonDetails.*, Person.alerts, AlertPage.*, Alert.*, PageInfo.*]',
      '    filters: {alertCodes: [HA, XA, XEL, XSA, RCON, XCU]}',
      '  police:',
      '    grants: [Query.person, Person.hmppsId, Person.firstName, Person.lastName, Person.dateOfBirth, Person.addresses, Address.*, CodeDescription.*, Person.offences, Offence.*]',
      '    filters: {supervisionStatuses: [PRISONS, PROBATION]}',
      '    redactions: [{field: Address.street, action: mask, limitedAccessOnly: true}]',
      'consumers:',
      consumer('bench-full', 'full-profile'),
      consumer('bench-prison', 'prison-custody', '    filters: {prisons: ["*"]}\n'),
      consumer('bench-police', 'police'),
      consumer('bench-allow-all', 'everything'),
    ].join('\n'),
  );
  return file;
}

// ---------------------------------------------------------------------------------------------
// Load.

export interface LoadSpec {
  url: string;
  certs: DevCertificates;
  consumer: string;
  body: string;
  /** Closed loop: connections kept busy. With `overallRate`: the most connections the open-loop pool opens. */
  connections: number;
  /** Requests per second at constant arrival (bench/arrival.ts) instead of a closed loop. */
  overallRate?: number;
  seconds: number;
  /** More request headers (closed loop only), e.g. a forwarded identity for a router on plain HTTP. */
  headers?: Record<string, string>;
}

export interface LoadResult {
  total: number;
  averagePerSecond: number;
  /** Milliseconds per answered request (open loop: from its scheduled start). */
  latencies: number[];
  errors: number;
  non2xx: number;
  graphqlErrors: number;
}

/**
 * One load run: constant arrival when `overallRate` is set, else autocannon's closed loop. Every
 * response time is kept so percentiles are exact (p95 included).
 */
export function load(spec: LoadSpec): Promise<LoadResult> {
  if (spec.overallRate) {
    return constantArrival({ ...spec, apiKey: apiKey(spec.consumer), rate: spec.overallRate, maxConnections: spec.connections });
  }
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${spec.url}/graphql`,
        method: 'POST',
        connections: spec.connections,
        duration: spec.seconds,
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey(spec.consumer), ...spec.headers },
        body: spec.body,
        // A GraphQL error rides in a 200: such responses are counted as mismatches.
        verifyBody: (body: string) => !body.includes('"errors"'),
        // Plain HTTP only for a loopback router (bench/federation.ts); the gateway is always mutual TLS.
        ...(spec.url.startsWith('https:')
          ? {
              servername: 'localhost',
              tlsOptions: {
                ca: readFileSync(spec.certs.ca.cert),
                cert: readFileSync(spec.certs.clients[spec.consumer]!.cert),
                key: readFileSync(spec.certs.clients[spec.consumer]!.key),
              },
            }
          : {}),
      },
      (err, result) =>
        err
          ? reject(err)
          : resolve({
              total: result.requests.total,
              averagePerSecond: result.requests.average,
              latencies,
              errors: result.errors + result.timeouts,
              non2xx: result.non2xx,
              graphqlErrors: result.mismatches,
            }),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 10) / 10;
}


/**
 * The Node.js options production runs the gateway with: `NODE_OPTIONS` of the gateway container in
 * k8s/base/deployment.yaml (the Dockerfile sets the same; tests/delivery holds them together). V8
 * sizes its heap growth by the heap limit, so a benchmark without them measures another RSS.
 */
export function productionNodeOptions(): string {
  for (const doc of parseAllDocuments(readFileSync(join(ROOT, 'k8s', 'base', 'deployment.yaml'), 'utf8'))) {
    const d = doc.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: Array<{ name: string; env?: Array<{ name: string; value?: string }> }> } } } };
    if (d?.kind !== 'Deployment') continue;
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      const value = c.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
      if (value) return value;
    }
  }
  throw new Error('k8s/base/deployment.yaml sets no NODE_OPTIONS for the gateway container');
}

export interface Stack {
  dir: string;
  certs: DevCertificates;
  sims: SimulatorHandle;
  gateway: Proc;
  gatewayUrl: string;
  /** The gateway's environment (also used for the bare Apollo ceiling's TLS files). */
  env: NodeJS.ProcessEnv;
  /** Stops the gateway and the simulators by PID and removes the working directory. */
  close(): Promise<void>;
}

/**
 * The simulators and the built gateway (`dist/`, production mode and production Node.js options,
 * mutual TLS, the benchmark policy, audit to a file), on loopback with random ports. `gatewayNodeArgs` go before the script (e.g.
 * `--cpu-prof`).
 */
export async function startStack(opts: {
  population: number;
  latencyMs: number;
  gatewayNodeArgs?: string[];
  logLevel?: string;
  say?: (line: string) => void;
  /** Client certificates beside the consumers' (e.g. a federation router's own). */
  extraClients?: string[];
  /** More gateway environment (e.g. TRUSTED_PROXY_CNS). */
  env?: Record<string, string>;
}): Promise<Stack> {
  const say = opts.say ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
  let sims: SimulatorHandle | null = null;
  try {
    const certs = ensureDevCertificates(join(dir, 'certs'), [...CONSUMERS, ...(opts.extraClients ?? [])]);
    const policyFile = writePolicy(dir);
    say(`- starting simulators (population ${opts.population}, latency ${opts.latencyMs} ms) ...`);
    sims = await startSimulators({ population: opts.population, latencyMs: opts.latencyMs, timeoutMs: 60_000 });
    say(`  ready in ${sims.startupMs} ms`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...gatewayEnv(sims, serverCertificates(certs)),
      NODE_ENV: 'production',
      NODE_OPTIONS: productionNodeOptions(),
      LOG_LEVEL: opts.logLevel ?? 'info',
      POLICY_FILE: policyFile,
      AUDIT_SINK: `file:${join(dir, 'audit.jsonl')}`,
      AUDIT_HASH_KEY: 'bench-audit-hash-key-0123456789abcdef',
      ...opts.env,
    };
    say('- starting the gateway (dist, production mode) ...');
    // As the container starts it (Dockerfile CMD), with production's NODE_OPTIONS.
    const gateway = await startProcess([...(opts.gatewayNodeArgs ?? []), '--enable-source-maps', 'dist/src/main.js'], env, (l) => l.event === 'ready');
    const gatewayUrl = String(gateway.ready.consumerUrl).replace('127.0.0.1', 'localhost');
    const started = sims;
    return {
      dir,
      certs,
      sims,
      gateway,
      gatewayUrl,
      env,
      async close() {
        await stop(gateway);
        await started.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await sims?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A bench script's command line on the project's convention (scripts/cli.ts): `--help` prints `usage` and
 * exits 0 before anything starts, an unknown option or a bad value exits 2. `numbers` are `--name N` options
 * (a number >= 0, decimals allowed), `flags` are boolean, `strings` take any value.
 */
export function benchCommandLine(argv: string[], spec: { command: string; usage: string; numbers?: string[]; flags?: string[]; strings?: string[]; maxPositionals?: number }) {
  const options: Options = {};
  for (const name of [...(spec.numbers ?? []), ...(spec.strings ?? [])]) options[name] = { type: 'string' };
  for (const name of spec.flags ?? []) options[name] = { type: 'boolean' };
  const { values, positionals } = commandLine(argv, { command: spec.command, usage: spec.usage, options, maxPositionals: spec.maxPositionals ?? 0 });
  return {
    positionals,
    /** `--name N`, or `fallback` when absent; below `min` (default 0) is a usage failure. */
    number: (name: string, fallback: number, min = 0): number => numberOption(spec, name, values[name], min) ?? fallback,
    flag: (name: string): boolean => values[name] === true,
    string: (name: string): string | undefined => values[name] as string | undefined,
    /** A usage failure (exit 2) for a value the parser cannot judge, e.g. `--only S9`. */
    fail: (message: string): never => usageFailure(spec, message),
  };
}

/** A JSON request body. */
export const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

/**
 * How much more CPU the same work costs on this machine when it comes one piece at a time than back
 * to back (frequency scaling, cold caches, virtualisation): a fixed JSON job run back to back, then
 * once every 40 ms. Read unloaded rows' CPU per request (and part of their latency) through it.
 */
export async function idleCostRatio(): Promise<{ backToBackMs: number; spacedMs: number; ratio: number }> {
  const job = () => {
    const rows: Array<{ a: number; b: string }> = [];
    for (let i = 0; i < 2000; i++) rows.push({ a: i, b: `x${i}` });
    return JSON.stringify(rows).length;
  };
  const perJob = async (n: number, gapMs: number) => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      job();
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n / 1000;
  };
  await perJob(1000, 0); // warm-up (JIT)
  const backToBackMs = await perJob(1000, 0);
  const spacedMs = await perJob(60, 40);
  return { backToBackMs: Math.round(backToBackMs * 1000) / 1000, spacedMs: Math.round(spacedMs * 1000) / 1000, ratio: Math.round((spacedMs / backToBackMs) * 100) / 100 };
}

/**
 * A last name with at least 50 prisoners (S2 must return 50 people) and no more than the search
 * takes from either side (500): names come from the population itself.
 */
export async function commonLastName(sims: SimulatorHandle): Promise<string> {
  const token = await sims.token();
  const post = async (url: string, body: unknown) =>
    (await (await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
      totalElements?: number;
      content?: Array<{ lastName?: string }>;
    };
  const prisonCount = (lastName: string) =>
    post(`${sims.urls.prisonerSearch}/attribute-search?page=0&size=1`, {
      joinType: 'AND',
      queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'lastName', condition: 'IS', searchTerm: lastName }] }],
      pagination: { page: 0, size: 1 },
    }).then((r) => r.totalElements ?? 0);
  const probationCount = (surname: string) => post(`${sims.urls.probationSearch}/search/people?page=0&size=1`, { surname }).then((r) => r.totalElements ?? 0);
  const sample = await post(`${sims.urls.prisonerSearch}/attribute-search?page=0&size=40`, {
    joinType: 'AND',
    queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'status', condition: 'IS', searchTerm: 'ACTIVE IN' }] }],
    pagination: { page: 0, size: 40 },
  });
  for (const name of new Set((sample.content ?? []).map((p) => p.lastName).filter((n): n is string => !!n && /^[A-Za-z]+$/.test(n)))) {
    const [prison, probation] = await Promise.all([prisonCount(name), probationCount(name)]);
    if (prison >= 50 && prison <= 500 && probation <= 500) return name;
  }
  throw new Error('no last name with 50-500 prisoners in this population: use --population between 20000 and 100000');
}
