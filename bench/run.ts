/**
 * `npm run bench [-- --quick] [--seconds N] [--latency-ms N] [--population N] [--rate N] [--no-build]`
 *
 * The reproducible benchmark (see bench/README.md). Starts the upstream simulators (population
 * 100,000, fixed upstream latency), the built gateway in production mode with mutual TLS and a
 * real policy, and a bare Apollo Server with constant resolvers for the ceiling; drives them with
 * autocannon presenting client certificates; loopback only; every phase bounded in time; every
 * process stopped by PID. Writes bench/results/<stamp>.json and prints a table.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { upstreamUrlEnv } from '../src/config/index.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { hashApiKey } from '../src/auth/api-keys.js';
import { ensureDevCertificates, type DevCertificates } from '../scripts/certs.js';
import { startSimulators, wellKnownPeople, type SimulatorHandle } from '../tests/support/simulators.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
};

const QUICK = flag('quick');
const SECONDS = option('seconds', QUICK ? 4 : 20);
const LATENCY_MS = option('latency-ms', 10);
const POPULATION = option('population', 100_000);
const S1_RATE = option('rate', 200);
const CONNECTIONS = option('connections', 32);
/** Below saturation: the gateway's own latency over the floor when CPU is not the bottleneck. */
const S1_LIGHT_RATE = option('light-rate', 40);
const SOAK_SECONDS = option('soak', 0);
const say = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// The operations.

const FULL_PROFILE = `hmppsId firstName middleNames lastName dateOfBirth gender ethnicity knownToPrison knownToProbation supervisionStatus
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

const S1 = `query S1($id: ID!) { person(hmppsId: $id) { ${FULL_PROFILE} } }`;
const S2 = `query S2($c: PersonSearchCriteria!) { searchPersons(criteria: $c, first: 50) { totalCount
  nodes { hmppsId firstName lastName alerts(first: 10) { totalCount nodes { code active } } offences { source description offenceDate } } } }`;
const S3 = `query S3($id: ID!) { person(hmppsId: $id) { firstName } }`;

// ---------------------------------------------------------------------------------------------
// Processes.

interface Proc {
  child: ChildProcess;
  ready: Record<string, unknown>;
}

function startProcess(args: string[], env: NodeJS.ProcessEnv, isReady: (line: Record<string, unknown>) => boolean): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function stop(proc: Proc | null): Promise<void> {
  if (!proc || proc.child.exitCode !== null) return;
  stopping.add(proc.child);
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) and current RSS of a process, from /proc. */
function sample(pid: number): { cpuMs: number; rssMb: number } {
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

const CONSUMERS = ['bench-full', 'bench-prison', 'bench-police', 'bench-allow-all'] as const;
type ConsumerName = (typeof CONSUMERS)[number];
const apiKey = (name: string) => `${name}-api-key-for-benchmarks-only-0123456789`;

function writePolicy(dir: string): string {
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

interface Measured {
  scenario: string;
  mode: string;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  upstreamRequestsPerOperation: number | null;
  cpuMsPerRequest: number | null;
  peakRssMb: number | null;
  floorMs: number | null;
}

interface LoadSpec {
  url: string;
  certs: DevCertificates;
  consumer: string;
  body: string;
  connections: number;
  overallRate?: number;
  seconds: number;
}

interface LoadResult {
  total: number;
  averagePerSecond: number;
  latencies: number[];
  errors: number;
  non2xx: number;
  graphqlErrors: number;
}

/** One autocannon run; every response time is kept so percentiles are exact (p95 included). */
function load(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${spec.url}/graphql`,
        method: 'POST',
        connections: spec.connections,
        duration: spec.seconds,
        overallRate: spec.overallRate,
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey(spec.consumer) },
        body: spec.body,
        servername: 'localhost',
        // A GraphQL error rides in a 200: such responses are counted as mismatches.
        verifyBody: (body: string) => !body.includes('"errors"'),
        tlsOptions: {
          ca: readFileSync(spec.certs.ca.cert),
          cert: readFileSync(spec.certs.clients[spec.consumer]!.cert),
          key: readFileSync(spec.certs.clients[spec.consumer]!.key),
        },
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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 10) / 10;
}

async function measure(
  scenario: string,
  mode: string,
  gatewayPid: number | null,
  sims: SimulatorHandle | null,
  floorMs: number | null,
  specs: LoadSpec[],
): Promise<Measured> {
  if (sims) await sims.resetCounters();
  const before = gatewayPid ? sample(gatewayPid) : null;
  let peakRss = before?.rssMb ?? 0;
  const sampler = gatewayPid
    ? setInterval(() => {
        try {
          peakRss = Math.max(peakRss, sample(gatewayPid).rssMb);
        } catch {
          /* reported by the sample after the run */
        }
      }, 200)
    : null;
  const results = await Promise.all(specs.map(load));
  if (sampler) clearInterval(sampler);
  const after = gatewayPid ? sample(gatewayPid) : null;
  const requests = results.reduce((n, r) => n + r.total, 0);
  const latencies = results[0]!.latencies.sort((a, b) => a - b);
  let upstream: number | null = null;
  if (sims) {
    const counters = await sims.counters();
    upstream = Object.entries(counters)
      .filter(([u]) => !u.startsWith('_') && u !== 'auth')
      .reduce((n, [, routes]) => n + Object.values(routes).reduce((a, b) => a + b, 0), 0);
  }
  return {
    scenario,
    mode,
    requests,
    requestsPerSecond: Math.round(results.reduce((n, r) => n + r.averagePerSecond, 0)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    graphqlErrors: results.reduce((n, r) => n + r.graphqlErrors, 0),
    upstreamRequestsPerOperation: upstream !== null && requests > 0 ? Math.round((upstream / requests) * 10) / 10 : null,
    cpuMsPerRequest: before && after && requests > 0 ? Math.round(((after.cpuMs - before.cpuMs) / requests) * 100) / 100 : null,
    peakRssMb: gatewayPid ? Math.round(peakRss) : null,
    floorMs,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  say(`Person Graph benchmark${QUICK ? ' (quick)' : ''}: population ${POPULATION}, upstream latency ${LATENCY_MS} ms, ${SECONDS} s per phase`);
  if (!flag('no-build')) {
    say('- building (npm run build) ...');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
  let sims: SimulatorHandle | null = null;
  let gateway: Proc | null = null;
  let bare: Proc | null = null;
  const rows: Measured[] = [];
  let soak: Soak | null = null;
  try {
    const certs = ensureDevCertificates(join(dir, 'certs'), [...CONSUMERS]);
    const policyFile = writePolicy(dir);
    say(`- starting simulators (population ${POPULATION}, latency ${LATENCY_MS} ms) ...`);
    sims = await startSimulators({ population: POPULATION, latencyMs: LATENCY_MS, timeoutMs: 60_000 });
    say(`  ready in ${sims.startupMs} ms`);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      CONSUMER_HOST: '127.0.0.1',
      CONSUMER_PORT: '0',
      MANAGEMENT_HOST: '127.0.0.1',
      MANAGEMENT_PORT: '0',
      TLS_KEY_FILE: certs.server.key,
      TLS_CERT_FILE: certs.server.cert,
      CONSUMER_CA_FILE: certs.ca.cert,
      POLICY_FILE: policyFile,
      AUDIT_SINK: `file:${join(dir, 'audit.jsonl')}`,
      AUDIT_HASH_KEY: 'bench-audit-hash-key-0123456789abcdef',
      HMPPS_AUTH_URL: sims.urls.auth,
      CLIENT_ID: sims.clientId,
      CLIENT_SECRET: sims.clientSecret,
      ...upstreamUrlEnv(sims.urls),
    };
    say('- starting the gateway (dist, production mode) ...');
    gateway = await startProcess(['dist/src/main.js'], env, (l) => l.event === 'ready');
    const gatewayUrl = String(gateway.ready.consumerUrl).replace('127.0.0.1', 'localhost');
    say('- starting bare Apollo Server (constant resolvers, same TLS) ...');
    bare = await startProcess(['--import', 'tsx', 'bench/bare-apollo.ts'], { ...env, BENCH_PORT: '0' }, (l) => l.event === 'ready');
    const bareUrl = String(bare.ready.url).replace('127.0.0.1', 'localhost');

    const people = wellKnownPeople();
    const linked = people.people.find((p) => p.key === 'linked')!;
    const base = { certs, seconds: SECONDS };
    const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
    const s1Body = body(S1, { id: linked.crn });
    const s3Body = body(S3, { id: linked.prisonNumber });
    const s2Body = body(S2, { c: { lastName: await commonLastName(sims) } });

    // Warm-up: token, reference data, JIT.
    await load({ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: 4, seconds: 2 });
    await load({ ...base, url: bareUrl, consumer: 'bench-full', body: s3Body, connections: 4, seconds: 1 });
    const gw = gateway.child.pid!;

    // Floors: upstream round trips on the critical path x latency (bench/README.md explains each).
    const floors = { S1: 3 * LATENCY_MS, S2: 3 * LATENCY_MS, S3: 1 * LATENCY_MS };
    say('- S1 full profile, one request at a time (unloaded) ...');
    rows.push(await measure('S1 full profile', '1 conn (unloaded)', gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: 1, seconds: Math.min(SECONDS, 5) }]));
    say(`- S1 full profile at ${S1_LIGHT_RATE} req/s (below saturation) ...`);
    rows.push(await measure('S1 full profile', `${S1_LIGHT_RATE} req/s`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: rateConnections(S1_LIGHT_RATE), overallRate: S1_LIGHT_RATE }]));
    say(`- S1 full profile at ${S1_RATE} req/s ...`);
    rows.push(await measure('S1 full profile', `${S1_RATE} req/s`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: rateConnections(S1_RATE), overallRate: S1_RATE }]));
    say('- S1 full profile, max throughput ...');
    rows.push(await measure('S1 full profile', `max (${CONNECTIONS} conn)`, gw, sims, floors.S1, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: CONNECTIONS }]));
    say('- S2 search, 50 people with alerts and offences ...');
    rows.push(await measure('S2 search 50', `max (8 conn)`, gw, sims, floors.S2, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s2Body, connections: 8 }]));
    say('- S3 person { firstName }, one request at a time (unloaded) ...');
    rows.push(await measure('S3 firstName', '1 conn (unloaded)', gw, sims, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: 1, seconds: Math.min(SECONDS, 5) }]));
    say('- S3 person { firstName }, real policy ...');
    rows.push(await measure('S3 firstName', `max (${CONNECTIONS} conn), real policy`, gw, sims, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-full', body: s3Body, connections: CONNECTIONS }]));
    say('- S3 person { firstName }, allow-all policy ...');
    rows.push(await measure('S3 firstName', `max (${CONNECTIONS} conn), allow-all`, gw, sims, floors.S3, [{ ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: CONNECTIONS }]));
    say('- S3 against bare Apollo (ceiling) ...');
    rows.push(await measure('S3 bare Apollo', `max (${CONNECTIONS} conn)`, bare.child.pid!, null, null, [{ ...base, url: bareUrl, consumer: 'bench-full', body: s3Body, connections: CONNECTIONS }]));
    say('- S4 mix of consumers ...');
    const mixConnections = Math.max(2, Math.round(CONNECTIONS / 4));
    rows.push(
      await measure('S4 consumer mix', `4 consumers x ${mixConnections} conn`, gw, sims, null, [
        { ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: mixConnections },
        { ...base, url: gatewayUrl, consumer: 'bench-prison', body: body(`query P($id: ID!) { person(hmppsId: $id) { firstName prison { prisonId cellLocation } alerts { totalCount } } }`, { id: linked.prisonNumber }), connections: mixConnections },
        { ...base, url: gatewayUrl, consumer: 'bench-police', body: body(`query P($id: ID!) { person(hmppsId: $id) { firstName dateOfBirth addresses { town } offences { description } } }`, { id: linked.crn }), connections: mixConnections },
        { ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: mixConnections },
      ]),
    );
    if (SOAK_SECONDS > 0) {
      say(`- soak: S4 mix for ${SOAK_SECONDS} s, RSS sampled ...`);
      soak = await runSoak(gw, SOAK_SECONDS, [
        { ...base, url: gatewayUrl, consumer: 'bench-full', body: s1Body, connections: 4, overallRate: 60, seconds: SOAK_SECONDS },
        { ...base, url: gatewayUrl, consumer: 'bench-allow-all', body: s3Body, connections: 4, overallRate: 200, seconds: SOAK_SECONDS },
      ]);
    }
  } finally {
    await stop(gateway);
    await stop(bare);
    await sims?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  report(rows, soak, Date.now() - started);
}

interface Soak {
  seconds: number;
  requests: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  /** RSS after the first minute (warm) and at the end, MB. */
  rssWarmMb: number;
  rssEndMb: number;
  rssGrowthPercent: number;
}

/** A long steady load; RSS compared between the end of the first minute and the end. */
async function runSoak(pid: number, seconds: number, specs: LoadSpec[]): Promise<Soak> {
  const samples: Array<{ t: number; rss: number }> = [];
  const started = Date.now();
  const timer = setInterval(() => {
    try {
      samples.push({ t: Date.now() - started, rss: sample(pid).rssMb });
    } catch {
      /* the gateway is gone: the load reports errors */
    }
  }, 1000);
  const results = await Promise.all(specs.map(load));
  clearInterval(timer);
  const warmAt = Math.min(60_000, (seconds * 1000) / 5);
  const warm = samples.find((x) => x.t >= warmAt)?.rss ?? samples[0]?.rss ?? 0;
  const end = samples.at(-1)?.rss ?? 0;
  return {
    seconds,
    requests: results.reduce((n, r) => n + r.total, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    graphqlErrors: results.reduce((n, r) => n + r.graphqlErrors, 0),
    rssWarmMb: Math.round(warm),
    rssEndMb: Math.round(end),
    rssGrowthPercent: warm > 0 ? round(((end - warm) / warm) * 100) : 0,
  };
}

/**
 * A last name with at least 50 prisoners (S2 must return 50 people) and no more than the search
 * takes from either side (500): names come from the population itself.
 */
async function commonLastName(sims: SimulatorHandle): Promise<string> {
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

function report(rows: Measured[], soak: Soak | null, elapsedMs: number): void {
  const header = ['scenario', 'mode', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'floor ms', 'upstream/op', 'CPU ms/req', 'peak RSS MB', 'errors'];
  const lines = rows.map((r) => [
    r.scenario, r.mode, String(r.requestsPerSecond), String(r.p50), String(r.p95), String(r.p99), r.floorMs === null ? '-' : String(r.floorMs),
    r.upstreamRequestsPerOperation === null ? '-' : String(r.upstreamRequestsPerOperation), r.cpuMsPerRequest === null ? '-' : String(r.cpuMsPerRequest),
    r.peakRssMb === null ? '-' : String(r.peakRssMb), `${r.errors}/${r.non2xx}/${r.graphqlErrors}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  say('');
  say(fmt(header));
  for (const l of lines) say(fmt(l));
  say('(errors = transport errors+timeouts / non-2xx / responses with GraphQL errors)');

  const get = (scenario: string, mode: string) => rows.find((r) => r.scenario === scenario && r.mode.startsWith(mode));
  const s1 = get('S1 full profile', `${S1_RATE} `);
  const s1Light = get('S1 full profile', `${S1_LIGHT_RATE} `);
  const s1Unloaded = get('S1 full profile', '1 conn');
  const s3Unloaded = get('S3 firstName', '1 conn');
  const real = get('S3 firstName', `max (${CONNECTIONS} conn), real`);
  const allow = get('S3 firstName', `max (${CONNECTIONS} conn), allow-all`);
  const ceiling = get('S3 bare Apollo', 'max');
  const over = (r: Measured | undefined, p: 'p50' | 'p99') => (r && r.floorMs !== null ? round(r[p] - r.floorMs) : null);
  const targets = {
    s1P50OverFloorMs: over(s1, 'p50'),
    s1P99OverFloorMs: over(s1, 'p99'),
    s1LightP50OverFloorMs: over(s1Light, 'p50'),
    s1LightP99OverFloorMs: over(s1Light, 'p99'),
    s1UnloadedP50OverFloorMs: over(s1Unloaded, 'p50'),
    s3UnloadedP50OverFloorMs: over(s3Unloaded, 'p50'),
    authorisationThroughputRatio: real && allow ? round(real.requestsPerSecond / allow.requestsPerSecond) : null,
    s3OverBareApollo: real && ceiling ? round(real.requestsPerSecond / ceiling.requestsPerSecond) : null,
    peakRssMb: Math.max(...rows.filter((r) => r.scenario !== 'S3 bare Apollo').map((r) => r.peakRssMb ?? 0)),
  };
  say('');
  say(`S1 at ${S1_RATE} req/s: p50 = floor + ${targets.s1P50OverFloorMs} ms (target <= 3), p99 = floor + ${targets.s1P99OverFloorMs} ms (target <= 15)`);
  say(`S1 at ${S1_LIGHT_RATE} req/s (below saturation): p50 = floor + ${targets.s1LightP50OverFloorMs} ms, p99 = floor + ${targets.s1LightP99OverFloorMs} ms`);
  say(`unloaded (one request at a time): S1 p50 = floor + ${targets.s1UnloadedP50OverFloorMs} ms, S3 p50 = floor + ${targets.s3UnloadedP50OverFloorMs} ms`);
  say(`authorisation: real policy / allow-all throughput = ${targets.authorisationThroughputRatio} (target >= 0.90)`);
  say(`S3 / bare Apollo ceiling = ${targets.s3OverBareApollo} (target >= 0.5)`);
  say(`peak gateway RSS = ${targets.peakRssMb} MB (target <= 250)`);
  if (soak) {
    say(`soak ${soak.seconds} s: ${soak.requests} requests, errors ${soak.errors}/${soak.non2xx}/${soak.graphqlErrors}, RSS ${soak.rssWarmMb} -> ${soak.rssEndMb} MB (${soak.rssGrowthPercent}%, target < 5%)`);
  }

  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30) };
  const out = {
    date: new Date().toISOString(),
    quick: QUICK,
    settings: { seconds: SECONDS, latencyMs: LATENCY_MS, population: POPULATION, s1Rate: S1_RATE, connections: CONNECTIONS },
    machine,
    note: 'load generator (autocannon), gateway and simulators share the same cores; loopback only',
    rows,
    targets,
    soak,
    elapsedMs,
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${out.date.replace(/[:.]/g, '-')}${QUICK ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  say(`\nresult: ${file} (${Math.round(elapsedMs / 1000)} s)`);
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Connections for a fixed-rate phase. autocannon gives each connection a quota per second and sends
 * it as fast as answers come back, so many connections mean a burst at every second boundary. Just
 * enough connections that each is kept busy by its quota (about 15 full profiles a second each at
 * ~60 ms) spread the requests over the second instead.
 */
function rateConnections(rate: number): number {
  return Math.max(2, Math.ceil(rate / 15));
}

main().catch((e: unknown) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
