/**
 * Errors operators can act on (issue 12 item 11): every warning and error line written while serving a
 * request carries that request's id and trace id, whoever writes it (the upstream client, the circuit
 * breaker, the GraphQL error formatter's "internal error in GraphQL execution", auth), so an operator
 * given a request id by a consumer finds every line about it. And 4 concurrent 10-person profiles with
 * queued upstream calls do not pile abort listeners on one request's signal (no MaxListenersExceededWarning).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loggedLine } from '../../local-stack/gateway.js';
import { wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { asConsumer, writeTestPolicy } from './support.js';

const people = wellKnownPeople().people;
const linked = people.find((p) => p.key === 'linked')!;

const stack = useGatewayStack({
  policy: (dir) => writeTestPolicy(dir),
  gateways: [
    {
      HEALTH_CHECK_INTERVAL_MS: '600000',
      // Few slots: calls of concurrent requests queue in the bulkhead.
      UPSTREAM_MAX_IN_FLIGHT: '2',
      UPSTREAM_MAX_QUEUE: '1000',
    },
  ],
});
const gql = () => asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy);

type Line = Record<string, unknown>;
const parsed = (from: number): Line[] =>
  stack.gateway.logs.slice(from).flatMap((l) => {
    try {
      return [JSON.parse(l) as Line];
    } catch {
      return [];
    }
  });

describe('request log lines', () => {
  it('every warning and error line of a request carries its request id and trace id', async () => {
    await stack.sims.setFault('probationSearch', { outage: true });
    await stack.sims.setFault('prisonerSearch', { respondWith: 'otherJson' });
    const requestId = `log-context-${randomBytes(4).toString('hex')}`;
    const traceId = randomBytes(16).toString('hex');
    const from = stack.gateway.logs.length;
    try {
      await gql()(
        `query LogContext($id: ID!) { person(hmppsId: $id) { firstName prison { prisonId } alerts(first: 1) { totalCount } } }`,
        { id: linked.prisonNumber },
        { 'x-request-id': requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      );
      expect(await loggedLine(stack.gateway, (l) => l.includes('"event":"access"') && l.includes(requestId))).toBeDefined();
    } finally {
      await stack.sims.clearFaults();
    }
    const problems = parsed(from).filter((l) => l.level === 'warn' || l.level === 'error');
    // Connection failures of probation search (warn) at least; today also prisoner search's answer of another
    // shape as "internal error in GraphQL execution" (error), until the datasource checks classify it.
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((l) => l.msg)).toContain('upstream call failed');
    for (const line of problems) expect([line.msg, line.requestId, line.traceId]).toEqual([line.msg, requestId, traceId]);
  });

  it("a line written through the request's own logger (an auth refusal) carries its request id and trace id", async () => {
    const requestId = `log-context-refused-${randomBytes(4).toString('hex')}`;
    const traceId = randomBytes(16).toString('hex');
    const from = stack.gateway.logs.length;
    const result = await gql()(`{ person(hmppsId: "${linked.prisonNumber}") { firstName } }`, undefined, {
      'x-api-key': 'not-the-consumers-key',
      'x-request-id': requestId,
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(result.status).toBe(401);
    expect(await loggedLine(stack.gateway, (l) => l.includes('"event":"access"') && l.includes(requestId))).toBeDefined();
    const refused = parsed(from).filter((l) => l.event === 'auth-refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const line of refused) expect([line.requestId, line.traceId]).toEqual([requestId, traceId]);
    const access = parsed(from).filter((l) => l.event === 'access' && l.requestId === requestId);
    expect(access.map((l) => l.traceId)).toEqual([traceId]);
  });

  it('lines written outside any request carry no request id', async () => {
    const from = stack.gateway.logs.length;
    await fetch(`${stack.gateway.managementUrl}/health?refresh=true`);
    await stack.sims.setFault('alerts', { outage: true });
    await fetch(`${stack.gateway.managementUrl}/health?refresh=true`);
    await stack.sims.clearFaults();
    const down = await loggedLine(stack.gateway, (l) => l.includes('"event":"dependency"') && l.includes('"dependency":"alerts"'));
    expect(down).toBeDefined();
    const line = parsed(from).find((l) => l.event === 'dependency' && l.dependency === 'alerts')!;
    expect(line.requestId).toBeUndefined();
    await fetch(`${stack.gateway.managementUrl}/health?refresh=true`);
  });
});

describe('bulkhead abort listeners', () => {
  it('4 concurrent 10-person profiles with queued upstream calls: no MaxListenersExceededWarning, every answer whole', async () => {
    const ids = people.slice(0, 10).map((p) => p.crn ?? p.prisonNumber);
    const query = `query Ten($ids: [ID!]!) { persons(hmppsIds: $ids) { firstName addresses { postcode } offences { description } alerts(first: 5) { totalCount } images { id } sentenceKeyDates { releaseDate } responsibleOfficer { prisonOffenderManager { forename } communityManager { forename } } probation { dynamicRisks { code } } } }`;
    const from = stack.gateway.logs.length;
    const results = await Promise.all(Array.from({ length: 4 }, () => gql()(query, { ids })));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect((r.body.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND' && e.extensions?.code !== 'FORBIDDEN')).toEqual([]);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(stack.gateway.logs.slice(from).filter((l) => l.includes('MaxListenersExceededWarning'))).toEqual([]);
  }, 60_000);
});
