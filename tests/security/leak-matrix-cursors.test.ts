/**
 * Issue 14 item 4, cursors: an identifier a consumer may not see must not come back inside an
 * `endCursor`. Cursors used to be base64url(`<offset>:` + the first 12 characters of an unkeyed
 * SHA-256 of the question), and the question holds the person's prison number or CRN: a consumer
 * with that id removed could compute the hash of every possible prison number offline and find the
 * one that matches. Now the digest is keyed (HMAC under a server-side secret), so it is not a function
 * a consumer can compute; the cursor's guarantees stay (it pages its list, on every replica sharing
 * the key, and a cursor from another question is refused).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { client, createSecurityCertificates, type Client } from '../../local-stack/consumer-identities.js';
import { useConsumerClients } from './support/consumer-clients.js';

type Json = any;
const people = wellKnownPeople().people;
const wk = (key: string) => people.find((p) => p.key === key)!;

/** police-force: the prison number removed; probation-partner: the CRN removed (neither is granted hmppsId). */
function writePolicy(dir: string): { file: string } {
  const sample = parse(readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8')) as Json;
  const keys = (name: string) => sample.consumers[name].apiKeys;
  const grants = ['Query.person', 'Person.identifiers', 'Identifiers.*', 'Person.alerts', 'AlertPage.*', 'Alert.code', 'PageInfo.*',
    'Person.riskManagementPlans', 'RiskManagementPlanPage.*'];
  const doc = {
    roles: {
      'no-prison-number': { grants, redactions: [{ field: 'Identifiers.prisonNumber', action: 'remove' }] },
      'no-crn': { grants, redactions: [{ field: 'Identifiers.crn', action: 'remove' }] },
    },
    consumers: {
      'police-force': { roles: ['no-prison-number'], apiKeys: keys('police-force') },
      'probation-partner': { roles: ['no-crn'], apiKeys: keys('probation-partner') },
    },
  };
  const file = join(dir, 'cursor-policy.yaml');
  writeFileSync(file, stringify(doc));
  return { file };
}

// Two replicas sharing the configured key, as in every deployed environment.
const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: writePolicy,
  env: { IMAGE_LINK_KEY: 'a-test-image-link-key-long-enough-0123456789', HEALTH_CHECK_INTERVAL_MS: '3600000' },
  gateways: [{}, {}],
});
const as = useConsumerClients(stack, ['police-force', 'probation-partner']);

/** The cursor the old code made: base64url(`<offset>:` + 12 characters of the unkeyed SHA-256 of the question). */
const unkeyed = (offset: number, question: unknown) =>
  Buffer.from(`${offset}:${createHash('sha256').update(JSON.stringify(question)).digest('base64url').slice(0, 12)}`).toString('base64url');

const ALERTS = 'query A($id: ID!, $after: String) { person(hmppsId: $id) { identifiers { prisonNumber crn } alerts(first: 2, after: $after) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } } }';
const PLANS = 'query P($id: ID!, $after: String) { person(hmppsId: $id) { identifiers { prisonNumber crn } riskManagementPlans(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } } } }';

describe('cursors: no hidden identifier can be worked out from an endCursor', () => {
  it('alerts (keyed by the prison number): with the prison number removed, the cursor is not the unkeyed hash of it', async () => {
    const p = wk('linked');
    const r = await as('police-force').gql(ALERTS, { id: p.crn });
    const person = (r.body.data as Json).person;
    expect(person.identifiers).toEqual({ prisonNumber: null, crn: p.crn });
    expect(person.alerts.pageInfo.hasNextPage).toBe(true);
    const cursor = person.alerts.pageInfo.endCursor as string;
    expect(cursor).not.toEqual(unkeyed(2, ['alerts', p.prisonNumber, false, null]));
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain(p.prisonNumber!);
  });

  it('risk management plans (keyed by the CRN): with the CRN removed, the cursor is not the unkeyed hash of it', async () => {
    const p = wk('linked');
    const r = await as('probation-partner').gql(PLANS, { id: p.prisonNumber });
    const person = (r.body.data as Json).person;
    expect(person.identifiers).toEqual({ prisonNumber: p.prisonNumber, crn: null });
    expect(person.riskManagementPlans.totalCount).toBeGreaterThan(1);
    const cursor = person.riskManagementPlans.pageInfo.endCursor as string;
    expect(cursor).not.toEqual(unkeyed(1, ['riskManagementPlans', p.crn]));
  });

  it('the keyed cursor still pages its list, on another replica too, and is refused for another person', async () => {
    const p = wk('linked');
    const first = await as('police-force').gql(ALERTS, { id: p.crn });
    const all = (first.body.data as Json).person.alerts;
    const cursor = all.pageInfo.endCursor as string;
    const other: Client = client(stack.gateways[1]!.consumerUrl, { ca: stack.certs.ca, identity: stack.certs.consumers['police-force']! });
    try {
      for (const c of [as('police-force'), other]) {
        const next = await c.gql(ALERTS, { id: p.crn, after: cursor });
        expect(next.body.errors).toBeUndefined();
        const page = (next.body.data as Json).person.alerts;
        expect(page.totalCount).toBe(all.totalCount);
        expect(page.nodes.length).toBeGreaterThan(0);
      }
    } finally {
      other.close();
    }
    const elsewhere = await as('police-force').gql(ALERTS, { id: wk('aliases').crn, after: cursor });
    expect(elsewhere.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
