/**
 * What authorisation costs.
 *
 * Part 1 (http): one real gateway process over HTTPS with real client certificates against the
 * simulators (population 20,000), serving two consumers from one policy: `bench-allow-all` (grants
 * `*`, no filters, no redactions) and `bench-restricted` (a realistic policy: exact grants from three
 * roles, row filters that are active on every person, an always-applied mask on the PNC number and
 * LAO-only redactions). Both run the same 100-person search with nested fields
 * (`searchPersons(first: 100)`); phases alternate (allow-all, restricted, ...) so drift hits both
 * alike. Reported: requests per second of each and the ratio restricted / allow-all (budget: at
 * least 0.90, i.e. at most 10% throughput loss).
 *
 * Part 2 (in process): the cost of the execution-time layer itself on a 2,000-person x 10-field
 * response (no I/O): no authorisation, graphql-shield on every field (applyMiddleware, the trap
 * measured in graphql-landscape.md §3), and ours (shield + pre-authorised fast path).
 *
 * Run: npm run bench:auth -- [--seconds 8] [--rounds 3] [--concurrency 4] [--warmup 10] [--part http|inprocess|all] (`--help`: the usage)
 * The gateway's CPU time per request (from its /metrics) is reported too: on a machine shared with
 * other work it is a steadier measure than throughput.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { rule, shield } from 'graphql-shield';
import { pino } from 'pino';
import { hashApiKey } from '../src/auth/api-keys.js';
import { AuditCollector } from '../src/auth/audit.js';
import { buildPolicy } from '../src/auth/policy.js';
import { applyAuthorisation, preAuthorisedFor, schemaSecurityFacts } from '../src/auth/shield.js';
import { ensureDevCertificates } from '../scripts/certs.js';
import { serverCertificates } from '../local-stack/certs.js';
import { gatewayEnv, startGatewayProcess } from '../local-stack/gateway.js';
import { startSimulators } from '../local-stack/simulators.js';
import { benchCommandLine } from './lib.js';

const USAGE = `What authorisation costs: part 1 (http) a real gateway serving an allow-all and a restricted consumer the same
100-person search, phases alternating; part 2 (inprocess) the execution-time layer alone on a 2,000-person response.

usage: npm run bench:auth -- [--seconds N] [--rounds N] [--concurrency N] [--warmup N] [--part http|inprocess|all]

  --seconds N      seconds per measured phase (default 8)
  --rounds N       rounds of alternating phases (default 3)
  --concurrency N  requests in flight per phase (default 4)
  --warmup N       seconds of discarded warm-up per consumer (default 10)
  --part P         http, inprocess or all (default all)`;
const cli = benchCommandLine(process.argv.slice(2), { command: 'npm run bench:auth', usage: USAGE, numbers: ['seconds', 'rounds', 'concurrency', 'warmup'], strings: ['part'] });
const SECONDS = cli.number('seconds', 8);
const ROUNDS = cli.number('rounds', 3);
const CONCURRENCY = cli.number('concurrency', 4, 1);
const WARMUP = cli.number('warmup', 10);
const PART = cli.string('part') ?? 'all';
if (!['http', 'inprocess', 'all'].includes(PART)) cli.fail('--part must be http, inprocess or all');
const out = (line: string) => process.stdout.write(`${line}\n`);

const SEARCH = `query Bench($c: PersonSearchCriteria!) {
  searchPersons(criteria: $c, first: 100) {
    totalCount
    nodes {
      hmppsId firstName middleNames lastName dateOfBirth gender
      identifiers { crn prisonNumber pncNumber croNumber }
      aliases { firstName lastName dateOfBirth }
      prison { prisonId status cellLocation }
      addresses { town postcode }
    }
  }
}`;

const RESTRICTED_ROLES = `
  identity:
    grants: [Query.searchPersons, PersonSearchResults.*, Person.hmppsId, Person.firstName, Person.middleNames, Person.lastName,
      Person.dateOfBirth, Person.gender, Person.identifiers, Identifiers.*, Person.aliases, Alias.*]
    redactions:
      - {field: Identifiers.pncNumber, action: mask}
      - {field: Person.firstName, action: mask, limitedAccessOnly: true}
      - {field: Person.dateOfBirth, action: remove, limitedAccessOnly: true}
      - {field: Alias.firstName, action: mask, limitedAccessOnly: true}
  custody:
    grants: [Person.prison, PrisonDetails.prisonId, PrisonDetails.status, PrisonDetails.cellLocation]
    filters: {supervisionStatuses: [PRISONS, PROBATION, NONE]}
  intelligence:
    grants: [Person.addresses, Address.town, Address.postcode]
    redactions: [{field: Address.postcode, action: remove, limitedAccessOnly: true}]`;

async function httpPart(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
  const certs = ensureDevCertificates(dir, ['bench-allow-all', 'bench-restricted']);
  const keys = { 'bench-allow-all': 'bench-allow-all-api-key-for-benchmarks-only', 'bench-restricted': 'bench-restricted-api-key-for-benchmarks-only' };
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(
    policyFile,
    `roles:\n  everything:\n    grants: ['*']\n${RESTRICTED_ROLES}\nconsumers:\n` +
      `  bench-allow-all:\n    roles: [everything]\n    rateLimit: {perSecond: 100000, burst: 100000}\n    apiKeys: ['${hashApiKey(keys['bench-allow-all'])}']\n` +
      `  bench-restricted:\n    roles: [identity, custody, intelligence]\n    rateLimit: {perSecond: 100000, burst: 100000}\n    apiKeys: ['${hashApiKey(keys['bench-restricted'])}']\n`,
  );
  const sims = await startSimulators({ population: 20_000, timeoutMs: 60_000 });
  const gateway = await startGatewayProcess({
    ...gatewayEnv(sims, serverCertificates(certs)),
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUDIT_HASH_KEY: 'bench-audit-hash-key-0123456789abcdef',
    AUDIT_SINK: `file:${join(dir, 'audit.jsonl')}`,
    POLICY_FILE: policyFile,
  });
  try {
    const ca = readFileSync(certs.ca.cert, 'utf8');
    const consumers = (['bench-allow-all', 'bench-restricted'] as const).map((name) => ({
      name,
      apiKey: keys[name],
      agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca, key: readFileSync(certs.clients[name]!.key), cert: readFileSync(certs.clients[name]!.cert) }),
    }));
    const body = JSON.stringify({ query: SEARCH, variables: { c: { lastName: 'Smith' } } });
    const post = (c: (typeof consumers)[number]) =>
      new Promise<{ status: number; nodes: number; errors: number }>((resolve, reject) => {
        const req = request(`${gateway.consumerUrl}/graphql`, {
          method: 'POST', agent: c.agent, servername: 'localhost',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': c.apiKey },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => {
            const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { data?: { searchPersons?: { nodes: unknown[] } }; errors?: unknown[] };
            resolve({ status: res.statusCode ?? 0, nodes: parsed.data?.searchPersons?.nodes.length ?? 0, errors: parsed.errors?.length ?? 0 });
          });
        });
        req.on('error', reject);
        req.end(body);
      });

    for (const c of consumers) {
      const first = await post(c);
      out(`${c.name}: HTTP ${first.status}, ${first.nodes} people, ${first.errors} errors`);
      if (first.status !== 200 || first.nodes !== 100 || first.errors !== 0) throw new Error(`${c.name} did not get 100 people without errors`);
    }
    const phase = async (c: (typeof consumers)[number], seconds: number) => {
      const until = performance.now() + seconds * 1000;
      const latencies: number[] = [];
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const r = await post(c);
          if (r.status !== 200 || r.errors) throw new Error(`${c.name}: HTTP ${r.status}, ${r.errors} errors`);
          latencies.push(performance.now() - t0);
        }
      }));
      return latencies;
    };
    for (const c of consumers) await phase(c, WARMUP); // warm-up (JIT, connection pools), discarded
    // The gateway's own CPU time per request (prom-client's process_cpu_seconds_total): less sensitive
    // than throughput to other work on the machine.
    const cpuSeconds = async () => {
      const text = await (await fetch(`${gateway.managementUrl}/metrics`)).text();
      return Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1] ?? NaN);
    };
    const totals: Record<string, { requests: number; seconds: number; latencies: number[]; cpu: number }> = {};
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of round % 2 === 1 ? consumers : [...consumers].reverse()) {
        const cpu0 = await cpuSeconds();
        const t0 = performance.now();
        const latencies = await phase(c, SECONDS);
        const seconds = (performance.now() - t0) / 1000;
        const cpu = (await cpuSeconds()) - cpu0;
        const t = (totals[c.name] ??= { requests: 0, seconds: 0, latencies: [], cpu: 0 });
        t.requests += latencies.length;
        t.seconds += seconds;
        t.cpu += cpu;
        t.latencies.push(...latencies);
        out(`round ${round}  ${c.name.padEnd(17)} ${(latencies.length / seconds).toFixed(1).padStart(7)} req/s`);
      }
    }
    const rate = (name: string) => totals[name]!.requests / totals[name]!.seconds;
    const p = (name: string, q: number) => {
      const sorted = [...totals[name]!.latencies].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length * q)]!.toFixed(1);
    };
    out('');
    const cpuPerRequest = (name: string) => (totals[name]!.cpu * 1000) / totals[name]!.requests;
    for (const name of Object.keys(totals)) {
      out(`${name.padEnd(17)} ${rate(name).toFixed(1).padStart(7)} req/s  p50 ${p(name, 0.5)} ms  p95 ${p(name, 0.95)} ms  gateway CPU ${cpuPerRequest(name).toFixed(1)} ms/request  (${totals[name]!.requests} requests)`);
    }
    const ratio = rate('bench-restricted') / rate('bench-allow-all');
    out(`throughput ratio restricted / allow-all: ${ratio.toFixed(3)} (${((1 - ratio) * 100).toFixed(1)}% loss; budget <= 10%)`);
    out(`gateway CPU per request, restricted / allow-all: ${(cpuPerRequest('bench-restricted') / cpuPerRequest('bench-allow-all')).toFixed(3)}`);
    for (const c of consumers) c.agent.destroy();
  } finally {
    await gateway.stop();
    await sims.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inProcessPart(): Promise<void> {
  const typeDefs = `type Query { people: [Person!]! }
    type Person { hmppsId: ID! f1: String f2: String f3: String f4: String f5: String f6: String f7: String f8: String f9: String }`;
  const row = (i: number) => ({
    crn: `X${String(i).padStart(6, '0')}`, prisonNumber: null, requestedPrisonNumber: null, prison: null,
    probation: { underActiveSupervision: true, currentExclusion: false, currentRestriction: false },
    combined: {}, hmppsId: `X${i}`, f1: 'a', f2: 'b', f3: 'c', f4: 'd', f5: 'e', f6: 'f', f7: 'g', f8: 'h', f9: 'i',
  });
  const rows = Array.from({ length: 2000 }, (_, i) => row(i));
  const base = makeExecutableSchema({ typeDefs, resolvers: { Query: { people: () => rows } } });
  const naive = applyMiddleware(base, shield({ Query: { people: rule({ cache: 'contextual' })(() => true) }, Person: rule({ cache: 'contextual' })(() => true) }, { fallbackRule: rule()(() => false) }));
  const ours = applyAuthorisation(base, { logger: pino({ level: 'silent' }) });
  const facts = schemaSecurityFacts(base);
  const grantOf = (doc: unknown) => buildPolicy('bench', doc, base).consumer('c')!;
  const allowAll = grantOf({ roles: { r: { grants: ['*'] } }, consumers: { c: { roles: ['r'] } } });
  const restricted = grantOf({ roles: { r: { grants: ['*'], filters: { supervisionStatuses: ['PROBATION'] }, redactions: [{ field: 'Person.f1', action: 'mask', limitedAccessOnly: true }] } }, consumers: { c: { roles: ['r'] } } });
  const ctx = (grant: typeof allowAll) => ({
    consumer: { name: 'c', grant, policy: undefined as never }, rowFilters: grant.rowFilters,
    security: { preAuthorised: preAuthorisedFor(grant, facts), introspectionAllowed: false, audit: new AuditCollector(Buffer.alloc(32)), limitedAccessByPath: null },
  });
  const document = parse('{ people { hmppsId f1 f2 f3 f4 f5 f6 f7 f8 f9 } }');
  const measure = async (label: string, schema: typeof base, context: () => object) => {
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const result = await execute({ schema, document, contextValue: context() });
      if (result.errors) throw new Error(`${label}: ${result.errors[0]!.message}`);
      if (i >= 10) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { label, median: times[Math.floor(times.length / 2)]! };
  };
  {
    const results = [
      await measure('no authorisation', base, () => ({})),
      await measure('shield on every field (applyMiddleware)', naive, () => ({})),
      await measure('ours, allow-all policy', ours, () => ctx(allowAll)),
      await measure('ours, restricted (filter + redaction)', ours, () => ctx(restricted)),
    ];
    const baseline = results[0]!.median;
    out('\nin process: 2,000 people x 10 fields, median of 50 executions');
    for (const r of results) out(`${r.label.padEnd(42)} ${r.median.toFixed(1).padStart(7)} ms  x${(r.median / baseline).toFixed(2)}`);
  }
}

if (PART === 'inprocess' || PART === 'all') await inProcessPart();
if (PART === 'http' || PART === 'all') await httpPart();
