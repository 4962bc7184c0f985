/**
 * A moved, misrouted or impostor upstream is seen at once (issue 12, health side). For each of the 7
 * upstreams and the token endpoint, and each of: 404 on every path, 301 elsewhere, 200 HTML, 200 JSON
 * of another shape, connection refused (and, for the token endpoint, a wrong CLIENT_SECRET): `/health`
 * shows that component DOWN, with the reason in its details, within one check interval, and
 * `gateway_upstream_up` for it goes to 0. Checks also run on demand (`/health?refresh=true`).
 *
 * The consumer side (last describe): for every upstream and the token endpoint, and each of 404 on every
 * path (moved), 301 elsewhere, 200 HTML and 200 JSON of another shape, a whole-schema reading of
 * well-known people with data in every upstream is compared with the same reading on the healthy
 * stack: every value that differs (missing, null, emptied, changed) lies under an error path, every
 * error is a typed upstream error (UPSTREAM_UNAVAILABLE / UPSTREAM_INVALID_RESPONSE / UPSTREAM_TIMEOUT,
 * never INTERNAL_SERVER_ERROR or NOT_FOUND), at least one is there, and the upstream's
 * `gateway_upstream_contract_violations_total` moves. One gateway; faults switched per case.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { getNamedType, isInterfaceType, isLeafType, isNonNullType, isObjectType, type GraphQLInterfaceType, type GraphQLObjectType } from 'graphql';
import type { TestCertificates } from '../../local-stack/certs.js';
import { loggedLine, type GatewayHandle } from '../../local-stack/gateway.js';
import type { GraphQLResult } from '../../local-stack/https.js';
import { UPSTREAM_NAMES, wellKnownPeople, type FaultConfig } from '../../local-stack/simulators.js';
import { buildSchema } from '../../src/server/schema.js';
import { asConsumer, scrape, writeTestPolicy, type TestPolicy } from '../ops/support.js';
import { useGatewayStack } from '../support/stack.js';

const INTERVAL_MS = 1000;
const CHECK_TIMEOUT_MS = 500;
/**
 * A round already under way when the fault starts may still see the old answer; the next round, at most one
 * interval later and bounded by the check timeout, must not. Plus scheduling slack on a loaded machine.
 */
const WITHIN_MS = INTERVAL_MS + CHECK_TIMEOUT_MS + 1000;

interface Component {
  status: string;
  details: { reason?: string; httpStatus?: number; error?: string; circuit?: string };
}
interface HealthBody {
  status: string;
  components: Record<string, Component>;
}

/** Access tokens live 2 s (the gateway renews them after 1 s), so a broken token endpoint shows within the test. */
const TOKEN_TTL_SECONDS = 2;

const stack = useGatewayStack<TestCertificates, TestPolicy>({
  population: 500,
  policy: (dir) => writeTestPolicy(dir),
  simulatorArgs: ['--token-ttl-seconds', String(TOKEN_TTL_SECONDS)],
  // The breaker stays closed: each case must see its own fault's answers, not the previous case's open circuit.
  env: { HEALTH_CHECK_TIMEOUT_MS: String(CHECK_TIMEOUT_MS), BREAKER_MIN_CALLS: '1000000' },
  gateways: [{ HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS) }],
});

async function health(url: string, refresh = false): Promise<HealthBody> {
  return (await (await fetch(`${url}/health${refresh ? '?refresh=true' : ''}`)).json()) as HealthBody;
}

/** Polls /health until every named component matches, and says how long that took. */
async function until(url: string, names: readonly string[], status: 'UP' | 'DOWN', timeoutMs: number): Promise<{ body: HealthBody; ms: number }> {
  const started = Date.now();
  let body: HealthBody;
  do {
    body = await health(url);
    if (names.every((n) => body.components[n]?.status === status)) return { body, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 25));
  } while (Date.now() - started < timeoutMs);
  return { body, ms: Number.POSITIVE_INFINITY };
}

/** What each kind of fault must show as, in the component's details. */
const CASES: Array<{ name: string; fault: FaultConfig; violation: string | null; expect: (c: Component, upstream: string) => void }> = [
  {
    name: '404 on every path',
    fault: { respondWith: 'notFound' },
    violation: 'unexpected_status',
    expect: (c) => expect(c.details).toMatchObject({ httpStatus: 404, reason: expect.stringMatching(/^HTTP 404/) }),
  },
  {
    name: '301 elsewhere',
    fault: { respondWith: 'redirect' },
    violation: 'redirect',
    expect: (c) => expect(c.details).toMatchObject({ httpStatus: 301, reason: expect.stringMatching(/redirected elsewhere/) }),
  },
  {
    name: '200 HTML',
    fault: { respondWith: 'html' },
    violation: 'not_json',
    expect: (c) => expect(c.details).toMatchObject({ httpStatus: 200, reason: 'not JSON (content-type text/html)' }),
  },
  {
    name: '200 JSON of another shape',
    fault: { respondWith: 'otherJson' },
    violation: 'shape',
    expect: (c, upstream) =>
      expect(c.details).toMatchObject({
        httpStatus: 200,
        reason: upstream === 'auth' ? 'unexpected JSON (no access_token)' : 'unexpected JSON (no "status":"UP")',
      }),
  },
  {
    name: 'connection refused',
    fault: { outage: true },
    violation: null,
    expect: (c) => expect(c.details).toMatchObject({ error: 'ECONNREFUSED', reason: 'connection failed: ECONNREFUSED' }),
  },
];

describe('/health sees a moved or impostor upstream', () => {
  it('is UP on a healthy stack: every upstream answers its ping, the token endpoint gives a token', async () => {
    const { body, ms } = await until(stack.gateway.managementUrl, UPSTREAM_NAMES, 'UP', 5000);
    expect(ms).toBeLessThan(5000);
    expect(body.status).toBe('UP');
    for (const name of UPSTREAM_NAMES) {
      expect([name, body.components[name]?.details.reason, body.components[name]?.details.circuit]).toEqual([name, undefined, 'closed']);
      expect([name, await scrape(stack.gateway.managementUrl, 'gateway_upstream_up', { upstream: name })]).toEqual([name, 1]);
    }
  });

  const violations = (upstream: string, reason: string) =>
    scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total', {
      upstream,
      route: upstream === 'auth' ? 'POST /auth/oauth/token' : 'GET /health/ping',
      reason,
    });

  describe.each(CASES)('$name', ({ fault, violation, expect: expectDetails }) => {
    it(`every upstream and the token endpoint are DOWN within one check interval (${WITHIN_MS} ms), with the reason; gateway_upstream_up goes to 0${violation ? ', contract violations are counted' : ''}`, async () => {
      await until(stack.gateway.managementUrl, UPSTREAM_NAMES, 'UP', 5000);
      const before = violation ? await Promise.all(UPSTREAM_NAMES.map((n) => violations(n, violation))) : [];
      const totalBefore = await scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total');
      await Promise.all(UPSTREAM_NAMES.map((name) => stack.sims.setFault(name, fault)));
      try {
        const { body, ms } = await until(stack.gateway.managementUrl, UPSTREAM_NAMES, 'DOWN', WITHIN_MS);
        expect([ms <= WITHIN_MS, Object.fromEntries(Object.entries(body.components).map(([n, c]) => [n, c.status]))]).toEqual([
          true,
          Object.fromEntries(UPSTREAM_NAMES.map((n) => [n, 'DOWN'])),
        ]);
        expect(body.status).toBe('DEGRADED');
        for (const name of UPSTREAM_NAMES) {
          expectDetails(body.components[name]!, name);
          expect([name, await scrape(stack.gateway.managementUrl, 'gateway_upstream_up', { upstream: name })]).toEqual([name, 0]);
        }
        if (violation) {
          const after = await Promise.all(UPSTREAM_NAMES.map((n) => violations(n, violation)));
          UPSTREAM_NAMES.forEach((name, i) => expect([name, after[i]! > before[i]!]).toEqual([name, true]));
        } else {
          // Not answering is the upstream failing, not lying: no contract violation.
          expect(await scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total')).toBe(totalBefore);
        }
        // The URL of an upstream is not shown (the reason names only what went wrong).
        expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|moved\.example/);
      } finally {
        await stack.sims.clearFaults();
      }
      const { ms } = await until(stack.gateway.managementUrl, UPSTREAM_NAMES, 'UP', WITHIN_MS);
      expect(ms).toBeLessThanOrEqual(WITHIN_MS);
    }, 30_000);
  });
});

describe('the token endpoint with the wrong CLIENT_SECRET, and checks on demand', () => {
  let wrongSecret: GatewayHandle;

  beforeAll(async () => {
    wrongSecret = await stack.startGateway({
      CLIENT_SECRET: 'not-the-client-secret',
      // Long enough that only the first round and on-demand rounds run during the test.
      HEALTH_CHECK_INTERVAL_MS: '600000',
    });
  }, 30_000);

  it('is DOWN from the first check, saying the token request was refused, while the upstreams are UP', async () => {
    const { body, ms } = await until(wrongSecret.managementUrl, ['auth'], 'DOWN', WITHIN_MS);
    expect(ms).toBeLessThanOrEqual(WITHIN_MS);
    expect(body.components.auth?.details).toMatchObject({ httpStatus: 401, reason: expect.stringMatching(/token request refused \(wrong CLIENT_ID or CLIENT_SECRET\?\)/) });
    expect((await until(wrongSecret.managementUrl, UPSTREAM_NAMES.filter((n) => n !== 'auth'), 'UP', WITHIN_MS)).ms).toBeLessThanOrEqual(WITHIN_MS);
    expect(await scrape(wrongSecret.managementUrl, 'gateway_upstream_up', { upstream: 'auth' })).toBe(0);
    expect(await loggedLine(wrongSecret, (l) => l.includes('"dependency":"auth"') && l.includes('"status":"DOWN"'))).toBeDefined();
    // Never the secret itself.
    expect(wrongSecret.logs.join('\n')).not.toContain('not-the-client-secret');
  });

  it('/health?refresh=true checks now: a fault the last background round did not see shows at once', async () => {
    await stack.sims.setFault('alerts', { respondWith: 'notFound' });
    try {
      expect((await health(wrongSecret.managementUrl)).components.alerts?.status).toBe('UP');
      const started = Date.now();
      const fresh = await health(wrongSecret.managementUrl, true);
      expect(Date.now() - started).toBeLessThan(CHECK_TIMEOUT_MS + 1000);
      expect(fresh.components.alerts).toMatchObject({ status: 'DOWN', details: { httpStatus: 404 } });
      expect((await health(wrongSecret.managementUrl)).components.alerts?.status).toBe('DOWN');
    } finally {
      await stack.sims.clearFaults();
    }
    expect((await health(wrongSecret.managementUrl, true)).components.alerts?.status).toBe('UP');
  });
});

// ---------------------------------------------------------------------------------------------
// Consumer side

/** Every field of `Person` that takes no required argument, nested objects included (each type once per path). */
function everyField(type: GraphQLObjectType | GraphQLInterfaceType, path: readonly string[] = []): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if ((isObjectType(named) || isInterfaceType(named)) && !path.includes(named.name)) {
      const inner = everyField(named, [...path, named.name]);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

const PEOPLE = ['linked', 'released', 'long-lists', 'many-alerts'].map((key) => {
  const p = wellKnownPeople().people.find((x) => x.key === key)!;
  return p.crn ?? p.prisonNumber!;
});
const PERSON = buildSchema().getType('Person') as GraphQLObjectType;
const EVERYTHING = `query Everything($ids: [ID!]!) { persons(hmppsIds: $ids) { ${everyField(PERSON, ['Person'])} } }`;
const TYPED = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_INVALID_RESPONSE', 'UPSTREAM_TIMEOUT']);

type Leaves = Map<string, unknown>;

/** Signed image links are sealed with an expiry that moves with the clock: not compared. */
const VOLATILE = /\.images\.\d+\.(url|urlExpiresAt)$/;

/** Every value in the answer with its path (`persons.0.addresses.3.postcode`); empty lists and objects are values too. */
function leaves(value: unknown, path: string, out: Leaves = new Map()): Leaves {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => leaves(v, `${path}.${i}`, out));
  else if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}.${k}`, out);
  } else out.set(path, value);
  return out;
}

/**
 * Whether a value that differs from the healthy answer is accounted for by an error: one at its path
 * or above it, or - GraphQL's null propagation - one below the point where the answer turned null
 * (a failed non-null field nulls its nearest nullable parent; the error names the field itself).
 */
function explained(path: string, data: unknown, errorPaths: readonly string[]): boolean {
  if (errorPaths.some((e) => path === e || path.startsWith(`${e}.`))) return true;
  const keys = path.split('.').slice(1);
  let at: unknown = data;
  let prefix = 'data';
  for (const key of keys) {
    if (at === null || at === undefined) break;
    at = (at as Record<string, unknown>)[key];
    prefix = `${prefix}.${key}`;
    if (at === null) return errorPaths.some((e) => e.startsWith(`${prefix}.`));
  }
  return false;
}

function everything(): Promise<GraphQLResult> {
  return asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy)(EVERYTHING, { ids: PEOPLE });
}

describe('consumers of a moved or impostor upstream get typed errors, never silently missing data', () => {
  /** Values of the healthy answer that carry data (not null, not empty), minus those that differ between two healthy readings (signed image URLs). */
  let healthy: Leaves;

  beforeAll(async () => {
    await until(stack.gateway.managementUrl, UPSTREAM_NAMES, 'UP', 5000);
    const [first, second] = [await everything(), await everything()];
    expect(first.body.errors).toBeUndefined();
    const again = leaves(second.body.data, 'data');
    healthy = new Map(
      [...leaves(first.body.data, 'data')].filter(([path, v]) => v !== null && !(typeof v === 'object') && again.get(path) === v && !VOLATILE.test(path)),
    );
    expect(healthy.size).toBeGreaterThan(1000);
  }, 60_000);

  const faults: Array<[string, FaultConfig]> = [
    ['404 on every path (moved)', { respondWith: 'notFound' }],
    ['301 elsewhere', { respondWith: 'redirect' }],
    ['200 HTML', { respondWith: 'html' }],
    ['200 JSON of another shape', { respondWith: 'otherJson' }],
  ];
  // MOVED_UPSTREAMS=a,b runs only those upstreams' cases (while working on one).
  const only = process.env.MOVED_UPSTREAMS?.split(',');
  const upstreams = UPSTREAM_NAMES.filter((u) => !only || only.includes(u));
  const cases = upstreams.flatMap((upstream) => faults.map(([name, fault]) => ({ upstream, name, fault })));

  it(`${cases.length} cases (${upstreams.length} upstreams x ${faults.length} faults): typed errors, every lost value under an error, the violation counter moves`, async () => {
    const started = Date.now();
    const problems: string[] = [];
    for (const { upstream, name, fault } of cases) {
      const before = await scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total', { upstream });
      await stack.sims.setFault(upstream, fault);
      let result: GraphQLResult;
      try {
        // The gateway's cached token is still good for a second: wait until it must ask the token endpoint.
        if (upstream === 'auth') await new Promise((r) => setTimeout(r, (TOKEN_TTL_SECONDS * 1000) / 2 + 100));
        result = await everything();
      } finally {
        await stack.sims.clearFaults();
      }
      const label = `${upstream} / ${name}`;
      const errors = result.body.errors ?? [];
      for (const e of errors) {
        if (!TYPED.has(String(e.extensions?.code))) problems.push(`${label}: ${String(e.extensions?.code)} at ${(e.path ?? []).join('.')}`);
      }
      const got = leaves(result.body.data, 'data');
      const errorPaths = errors.map((e) => ['data', ...(e.path ?? [])].join('.'));
      const silent = [...healthy].filter(([path, v]) => got.get(path) !== v && !explained(path, result.body.data, errorPaths));
      if (silent.length > 0) problems.push(`${label}: ${silent.length} values lost without an error, e.g. ${silent.slice(0, 3).map(([p]) => p).join(', ')}`);
      else if (errors.length === 0 && [...healthy].some(([path, v]) => got.get(path) !== v)) problems.push(`${label}: the answer changed with no error`);
      const after = await scrape(stack.gateway.managementUrl, 'gateway_upstream_contract_violations_total', { upstream });
      if (!(after > before)) problems.push(`${label}: gateway_upstream_contract_violations_total{upstream="${upstream}"} did not move`);
    }
    const seconds = (Date.now() - started) / 1000;
    // The duration is part of the result: the loop must stay bounded (one gateway, faults switched per case).
    process.stdout.write(`moved-upstream consumer cases: ${cases.length} in ${seconds.toFixed(1)} s\n`);
    expect(problems).toEqual([]);
    // About 25-40 s here on the shared 2-core machine (target: under 60 s); the bound leaves room for a loaded CI run.
    expect(seconds).toBeLessThan(90);
  }, 120_000);
});
