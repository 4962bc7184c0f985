/**
 * A moved, misrouted or impostor upstream is seen at once (issue 12, health side). For each of the 7
 * upstreams and the token endpoint, and each of: 404 on every path, 301 elsewhere, 200 HTML, 200 JSON
 * of another shape, connection refused (and, for the token endpoint, a wrong CLIENT_SECRET): `/health`
 * shows that component DOWN, with the reason in its details, within one check interval, and
 * `gateway_upstream_up` for it goes to 0. Checks also run on demand (`/health?refresh=true`).
 *
 * The consumer side (typed errors at the affected paths, no field silently empty, the contract-violation
 * counter) belongs to the datasource-boundary half of the issue and is added to this file with it.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loggedLine, type GatewayHandle } from '../../local-stack/gateway.js';
import { UPSTREAM_NAMES, type FaultConfig } from '../../local-stack/simulators.js';
import { scrape } from '../ops/support.js';
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

const stack = useGatewayStack({
  population: 500,
  env: { HEALTH_CHECK_TIMEOUT_MS: String(CHECK_TIMEOUT_MS) },
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
    violation: 'wrong_shape',
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
