/** Start-up refusals and the development listener. */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess } from '../../local-stack/gateway.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

/** No gateway up front: each test starts (or fails to start) its own. */
const stack = useGatewayStack({ gateways: [] });

async function refusal(env: Record<string, string>): Promise<{ code: number; logs: string }> {
  try {
    // The lower-level start, not stack.startGateway: these tests expect the process to exit before it is ready.
    const gw = await startGatewayProcess(env);
    await gw.stop();
    throw new Error('the gateway started but should have refused');
  } catch (e) {
    const err = e as { code?: number; logs?: string[] };
    if (err.code === undefined) throw e;
    return { code: err.code, logs: (err.logs ?? []).join('\n') };
  }
}

describe('start-up', () => {
  it('production mode refuses to start with the development listener', async () => {
    const { code, logs } = await refusal(stack.env({ NODE_ENV: 'production', DEV_LISTENER: 'true' }));
    expect(code).toBe(1);
    expect(logs).toContain('DEV_LISTENER must not be enabled in production');
  });

  it('a policy naming an unknown schema coordinate stops the process and names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'roles:\n  r:\n    grants: [Query.person, Person.shoeSize]\nconsumers:\n  c:\n    roles: [r]\n');
    const { code, logs } = await refusal(stack.env({ POLICY_FILE: file }));
    expect(code).toBe(1);
    expect(logs).toContain('Person.shoeSize');
  });

  it('the development listener serves the fixed consumer on loopback without a certificate', async () => {
    const gw = await stack.startGateway({ NODE_ENV: 'development', DEV_LISTENER: 'true' });
    try {
      expect(gw.devUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;
      const res = await request(gw.devUrl!)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: `{ person(hmppsId: "${linked.crn}") { firstName } }` })
        .expect(200);
      expect(res.body).toEqual({ data: { person: { firstName: linked.firstName } } });
      // The same request pipeline as the consumer listener: request id, the one error contract.
      expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]+$/);
      const unknownPath = await request(gw.devUrl!).get('/nothing-here').expect(404);
      expect(unknownPath.body).toEqual({ errors: [{ message: 'Not found. GraphQL is served at /graphql.', extensions: { code: 'NOT_FOUND' } }] });
    } finally {
      await gw.stop();
    }
  });

  it('the development listener answers only loopback Host and Origin, and its consumer\'s suspension applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-policy-'));
    const file = join(dir, 'policy.yaml');
    const policy = readFileSync(join(REPO_ROOT, 'policy', 'development.yaml'), 'utf8');
    writeFileSync(file, policy);
    const gw = await stack.startGateway({ NODE_ENV: 'development', DEV_LISTENER: 'true', POLICY_FILE: file });
    try {
      const query = { query: '{ __typename }' };
      const post = (headers: Record<string, string>) => request(gw.devUrl!).post('/graphql').set('content-type', 'application/json').set(headers).send(query);
      expect((await post({})).status).toBe(200);
      expect((await post({ origin: 'http://localhost:3000' })).status).toBe(200);
      const foreign: Record<string, string>[] = [{ host: 'attacker.example:4000' }, { host: 'rebound.example' }, { origin: 'https://attacker.example' }, { origin: 'null' }];
      for (const headers of foreign) {
        const r = await post(headers);
        expect({ headers, status: r.status, code: r.body.errors?.[0]?.extensions?.code, data: r.body.data }).toEqual({ headers, status: 403, code: 'FORBIDDEN', data: undefined });
      }
      // Suspending the development consumer in the policy in force refuses it at once (hot reload).
      writeFileSync(file, policy.replace(/(\n {2}dev-consumer:\n)/, '$1    suspended: true\n'));
      const deadline = Date.now() + 10_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        status = (await post({})).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 100));
      }
      const r = await post({});
      expect({ status: r.status, code: r.body.errors?.[0]?.extensions?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    } finally {
      await gw.stop();
    }
  });

  it('SIGTERM drains: readiness goes down and the process exits 0', async () => {
    const gw = await stack.startGateway();
    await request(gw.managementUrl).get('/health/readiness').expect(200);
    expect(await gw.stop()).toBe(0);
  });
});
