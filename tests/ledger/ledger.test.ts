/**
 * The disclosure ledger against a real PostgreSQL and real gateway processes: records whose
 * disclosed coordinates are exactly the fields present in each response (walked here, by
 * __typename, apart from the gateway's own walk), refused requests recorded, a totalCount-only
 * search recording the subjects it confirmed, `ledger verify` passing and then failing at an
 * altered row, and the database stopped mid-run (spool: nothing lost; closed: requests refused).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Chain, type DisclosureBody } from '../../src/ledger/record.js';
import { insertRecords } from '../../src/ledger/store.js';
import { createTestCertificates, type TestCertificates } from '../../local-stack/certs.js';
import { gatewayEnv, startGatewayProcess, type GatewayHandle } from '../../local-stack/gateway.js';
import { httpsExchange, postGraphQL } from '../../local-stack/https.js';
import { startSimulators, wellKnownPeople, type SimulatorHandle } from '../../local-stack/simulators.js';
import { asConsumer, scrape, writeTestPolicy, type TestPolicy } from '../ops/support.js';
import { startPostgres, type PostgresHandle } from '../../local-stack/postgres.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const people = wellKnownPeople().people;
const linked = people.find((p) => p.key === 'linked')!;
const aliases = people.find((p) => p.key === 'aliases')!;
const restricted = people.find((p) => p.key === 'restricted')!;

let certs: TestCertificates;
let sims: SimulatorHandle;
let db: PostgresHandle;
let policy: TestPolicy;
let dir: string;
let client: pg.Client;
let spoolGw: GatewayHandle;
let closedGw: GatewayHandle;

const PERSON_FIELDS = `__typename hmppsId firstName middleNames lastName dateOfBirth gender knownToPrison
  identifiers { __typename crn prisonNumber pncNumber croNumber mergedFromPrisonNumber }
  aliases { __typename firstName lastName dateOfBirth }`;

async function start(extra: Record<string, string>): Promise<GatewayHandle> {
  return startGatewayProcess(
    {
    ...gatewayEnv(sims, certs),
    POLICY_FILE: policy.file,
    AUDIT_SINK: 'off',
    LEDGER_DATABASE_URL: db.url,
    LEDGER_FLUSH_INTERVAL_MS: '50',
    ...extra,
    },
    60_000,
  );
}

async function drained(gw: GatewayHandle): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await scrape(gw.managementUrl, 'gateway_ledger_backlog_records')) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('ledger backlog did not drain');
}

async function recordOf(requestId: string): Promise<DisclosureBody | undefined> {
  const rows = await client.query<{ body: DisclosureBody }>("SELECT body FROM ledger_records WHERE body->>'requestId' = $1", [requestId]);
  expect(rows.rows.length).toBeLessThanOrEqual(1);
  return rows.rows[0]?.body;
}

/** What the response shows about each person: `Type.field` of every non-null value, by hmppsId, nested objects included. */
function walk(value: unknown, into: Map<string, Set<string>>, current: Set<string> | null): void {
  if (Array.isArray(value)) {
    value.forEach((v) => walk(v, into, current));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  let subject = current;
  if (obj.__typename === 'Person') {
    const id = String(obj.hmppsId);
    subject = into.get(id) ?? new Set();
    into.set(id, subject);
  }
  for (const [key, v] of Object.entries(obj)) {
    if (key === '__typename' || v === null || v === undefined) continue;
    if (obj.__typename && subject) subject.add(`${String(obj.__typename)}.${key}`);
    walk(v, into, subject);
  }
}

const cli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'ledger.ts'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', LEDGER_DATABASE_URL: db.url },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

beforeAll(async () => {
  certs = createTestCertificates();
  dir = mkdtempSync(join(tmpdir(), 'pg-ledger-test-'));
  // dev-consumer (also the development listener's consumer) masks or removes a limited-access person's name and birth date.
  policy = writeTestPolicy(dir, {}, { policeDev: ['Query._entities'] }, {}, {
    devConsumer: ['{field: Person.firstName, action: mask, limitedAccessOnly: true}', '{field: Person.dateOfBirth, action: remove, limitedAccessOnly: true}'],
  });
  [sims, db] = await Promise.all([startSimulators({ population: 500 }), startPostgres()]);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  client.on('error', () => undefined);
  [spoolGw, closedGw] = await Promise.all([
    start({ LEDGER_ON_ERROR: 'spool', LEDGER_SPOOL_FILE: join(dir, 'spool.jsonl'), LEDGER_REPLICA: 'spool', DEV_LISTENER: 'true', MAX_REQUEST_BYTES: '4096', LEDGER_ANCHOR_INTERVAL_MS: '1000' }),
    start({ LEDGER_ON_ERROR: 'closed', LEDGER_SPOOL_FILE: join(dir, 'closed.jsonl'), LEDGER_REPLICA: 'closed' }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([spoolGw?.stop(), closedGw?.stop(), sims?.stop()]);
  await client?.end().catch(() => undefined);
  db?.destroy();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('disclosure ledger on PostgreSQL', () => {
  it('records per subject exactly the coordinates present in each response, with consumer, serial, access path and on-behalf-of', async () => {
    const ask = asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev');
    const queries = [
      `{ person(hmppsId: "${linked.crn}") { ${PERSON_FIELDS} } }`,
      `{ persons(hmppsIds: ["${linked.crn}", "${aliases.crn ?? aliases.prisonNumber}"]) { ${PERSON_FIELDS} } }`,
      `{ a: person(hmppsId: "${aliases.crn ?? aliases.prisonNumber}") { __typename hmppsId lastName } }`,
    ];
    const results = await Promise.all(queries.map((q) => ask(q, undefined, { 'x-on-behalf-of': 'officer-4711' })));
    await drained(spoolGw);
    for (const r of results) {
      expect(r.status).toBe(200);
      const expected = new Map<string, Set<string>>();
      walk(r.body.data, expected, null);
      expect(expected.size).toBeGreaterThan(0);
      const record = await recordOf(String(r.headers['x-request-id']));
      expect(record).toBeDefined();
      expect(record!).toMatchObject({ kind: 'disclosure', consumer: 'police-dev', accessPath: 'direct-mtls', onBehalfOf: 'officer-4711', outcome: 'ok' });
      expect(record!.certificateSerial).toMatch(/^[0-9A-F]+$/);
      expect(record!.documentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      const recorded = new Map(record!.subjects.map((s) => [s.hmppsId, new Set(s.disclosed)]));
      expect(recorded).toEqual(expected);
    }
  });

  it('finds a subject by any identifier the gateway resolved: a person asked for by prison number is recorded under the CRN, and `ledger subject <prison number>` finds it', async () => {
    const ask = asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev');
    const r = await ask(`{ person(hmppsId: "${linked.prisonNumber}") { __typename hmppsId firstName } }`);
    expect(r.status).toBe(200);
    await drained(spoolGw);
    const record = await recordOf(String(r.headers['x-request-id']));
    expect(record!.subjects).toEqual([{ hmppsId: linked.crn, alsoKnownAs: [linked.prisonNumber], disclosed: ['Person.firstName', 'Person.hmppsId'], redacted: [] }]);
    const byNumber = await cli('subject', linked.prisonNumber!, '--json');
    const found = byNumber.stdout.trim().split('\n').map((l) => JSON.parse(l) as DisclosureBody & { chain: string; seq: number });
    expect(found.map((b) => b.requestId)).toContain(String(r.headers['x-request-id']));
    for (const b of found) expect(b.subjects.every((s) => s.hmppsId === linked.crn && s.alsoKnownAs?.includes(linked.prisonNumber!))).toBe(true);
  }, 60_000);

  it('a federation router\'s _entities request is recorded like person: per subject, the coordinates in the response', async () => {
    const ask = asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev');
    const representations = [linked.crn, 'A9999ZZ'].map((hmppsId) => ({ __typename: 'Person', hmppsId }));
    const r = await ask(`query E($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${PERSON_FIELDS} } } }`, {
      r: representations,
    });
    expect(r.status).toBe(200);
    const entities = (r.body.data as { _entities: unknown[] })._entities;
    expect(entities[0]).not.toBeNull();
    expect(entities[1]).toBeNull();
    const expected = new Map<string, Set<string>>();
    walk(r.body.data, expected, null);
    expect([...expected.keys()]).toEqual([linked.crn]);
    await drained(spoolGw);
    const record = await recordOf(String(r.headers['x-request-id']));
    expect(record).toMatchObject({ kind: 'disclosure', consumer: 'police-dev', outcome: 'partial', errorCodes: ['NOT_FOUND'] });
    expect(new Map(record!.subjects.map((s) => [s.hmppsId, new Set(s.disclosed)]))).toEqual(expected);
  });

  it('a totalCount-only search records every subject it confirmed (found by any of their identifiers), and hashed criteria', async () => {
    const ask = asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev');
    const r = await ask(`{ searchPersons(criteria: { lastName: "${linked.lastName}" }) { totalCount } }`);
    expect(r.status).toBe(200);
    const total = (r.body.data as { searchPersons: { totalCount: number } }).searchPersons.totalCount;
    expect(total).toBeGreaterThan(0);
    await drained(spoolGw);
    const record = await recordOf(String(r.headers['x-request-id']));
    expect(record!.subjects).toEqual([]);
    expect(record!.searches).toHaveLength(1);
    expect(record!.searches[0]!.confirmed.length).toBe(total);
    expect(JSON.stringify(record!.searches[0]!.criteria)).not.toContain(linked.lastName);
    expect(record!.searches[0]!.criteria).toMatchObject({ criteria: { lastName: expect.stringMatching(/^hmac:/) } });
    // The linked person is confirmed under the CRN; a subject access request by the prison number finds the search too.
    expect(record!.searches[0]!.confirmed).toContain(linked.crn);
    expect(record!.searches[0]!.confirmedAlsoKnownAs).toContain(linked.prisonNumber);
    const byNumber = await cli('subject', linked.prisonNumber!, '--json');
    const found = byNumber.stdout.trim().split('\n').map((l) => JSON.parse(l) as DisclosureBody);
    expect(found.find((b) => b.requestId === String(r.headers['x-request-id']))?.searches).toHaveLength(1);
  }, 60_000);

  it('records refused requests: identity (no API key) and the operation gate', async () => {
    const noKey = await postGraphQL(spoolGw.consumerUrl, { query: `{ person(hmppsId: "${linked.crn}") { hmppsId } }` }, { ca: certs.ca, ...certs.client.policeDev });
    expect(noKey.status).toBe(401);
    const deep = await asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev')(`{ person(hmppsId: "${linked.crn}") { hmppsId nope } }`);
    expect(deep.status).toBe(400);
    await drained(spoolGw);
    expect(await recordOf(String(noKey.headers['x-request-id']))).toMatchObject({ kind: 'refusal', outcome: 'refused', httpStatus: 401, errorCodes: ['UNAUTHENTICATED'], subjects: [] });
    expect(await recordOf(String(deep.headers['x-request-id']))).toMatchObject({ kind: 'refusal', outcome: 'refused', consumer: 'police-dev', subjects: [] });
  });

  it('records refusals made before GraphQL ran, with the refusing step\'s own code: a malformed or mismatched documentId, a body without a query, a body over the limit, an operation over GET', async () => {
    const tls = { ca: certs.ca, ...certs.client.policeDev, apiKey: policy.apiKeys.policeDev };
    const send = (body: string) => httpsExchange(`${spoolGw.consumerUrl}/graphql`, { tls, body });
    const malformed = await send(JSON.stringify({ documentId: 'sha256:not-hex' }));
    const mismatched = await send(JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}`, query: '{ __typename }' }));
    const noQuery = await send(JSON.stringify({ variables: {} }));
    const tooLarge = await send(JSON.stringify({ query: `{ __typename }${' '.repeat(5000)}` }));
    const overGet = await httpsExchange(`${spoolGw.consumerUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`, { tls, method: 'GET' });
    const expected: Array<[typeof malformed, number]> = [[malformed, 400], [mismatched, 400], [noQuery, 400], [tooLarge, 413], [overGet, 405]];
    for (const [r, status] of expected) {
      expect(r.status).toBe(status);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    }
    await drained(spoolGw);
    for (const [r, status] of expected) {
      expect(await recordOf(String(r.headers['x-request-id']))).toMatchObject({
        kind: 'refusal',
        outcome: 'refused',
        consumer: 'police-dev',
        accessPath: 'direct-mtls',
        httpStatus: status,
        errorCodes: ['BAD_REQUEST'],
        subjects: [],
        searches: [],
      });
    }
  });

  it('records the coordinates a redaction masked or removed as redacted, never as disclosed (a limited-access person); a person without limited access has none', async () => {
    const ask = asConsumer(spoolGw.consumerUrl, certs, policy, 'devConsumer');
    const fields = '__typename hmppsId firstName lastName dateOfBirth';
    const limited = await ask(`{ person(hmppsId: "${restricted.crn ?? restricted.prisonNumber}") { ${fields} } }`);
    const open = await ask(`{ person(hmppsId: "${linked.crn}") { ${fields} } }`);
    expect(limited.status).toBe(200);
    const shown = (limited.body.data as { person: Record<string, unknown> }).person;
    expect(shown.firstName).toBe('**REDACTED**');
    expect(shown.dateOfBirth).toBeNull();
    await drained(spoolGw);
    const record = await recordOf(String(limited.headers['x-request-id']));
    expect(record!.subjects).toHaveLength(1);
    const [subject] = record!.subjects;
    expect(subject!.hmppsId).toBe(shown.hmppsId);
    expect(subject!.redacted).toEqual(['Person.dateOfBirth', 'Person.firstName']);
    expect(subject!.disclosed).toEqual(['Person.hmppsId', 'Person.lastName']);
    const other = (await recordOf(String(open.headers['x-request-id'])))!.subjects[0]!;
    expect(other.redacted).toEqual([]);
    expect(other.disclosed).toEqual(['Person.dateOfBirth', 'Person.firstName', 'Person.hmppsId', 'Person.lastName']);
  });

  it('records the development listener\'s requests, served and refused, with access path development-listener', async () => {
    const post = (body: unknown) =>
      fetch(`${spoolGw.devUrl!}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const served = await post({ query: `{ person(hmppsId: "${linked.crn}") { __typename hmppsId } }` });
    const refused = await post({ documentId: 'sha256:not-hex' });
    expect(served.status).toBe(200);
    expect(refused.status).toBe(400);
    await drained(spoolGw);
    expect(await recordOf(String(served.headers.get('x-request-id')))).toMatchObject({
      kind: 'disclosure',
      consumer: 'dev-consumer',
      certificateSerial: null,
      accessPath: 'development-listener',
      subjects: [{ hmppsId: linked.crn, disclosed: ['Person.hmppsId'], redacted: [] }],
    });
    expect(await recordOf(String(refused.headers.get('x-request-id')))).toMatchObject({
      kind: 'refusal',
      consumer: 'dev-consumer',
      accessPath: 'development-listener',
      httpStatus: 400,
      errorCodes: ['BAD_REQUEST'],
    });
  });

  it('verify passes, and reports the altered record after a row is changed in the database', async () => {
    await drained(spoolGw);
    const ok = await cli('verify');
    expect(ok.stdout).toMatch(/^OK: \d+ chain\(s\), \d+ record\(s\) verified/m);
    expect(ok.code).toBe(0);
    const victim = (await client.query<{ chain: string; seq: string }>("SELECT chain, seq FROM ledger_records WHERE kind = 'disclosure' ORDER BY chain, seq LIMIT 1 OFFSET 1")).rows[0]!;
    await client.query(`UPDATE ledger_records SET body = jsonb_set(body, '{onBehalfOf}', '"someone-else"') WHERE chain = $1 AND seq = $2`, [victim.chain, victim.seq]);
    const broken = await cli('verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN chain ${victim.chain} at record ${victim.seq}: its content does not match its hash`);
    await client.query(`UPDATE ledger_records SET body = jsonb_set(body, '{onBehalfOf}', '"officer-4711"') WHERE chain = $1 AND seq = $2`, [victim.chain, victim.seq]);
    expect((await cli('verify')).code).toBe(0);
    const subject = await cli('subject', linked.crn!);
    expect(subject.stdout).toContain('consumer=police-dev');
    expect(subject.stdout).toContain(`${linked.crn}: disclosed`);
    const consumer = await cli('consumer', 'police-dev', '--from', '2000-01-01', '--to', '2100-01-01');
    expect(consumer.stdout).toMatch(/\d+ record\(s\)/);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:$/m);
    expect(help.stdout).toContain('npm run ledger -- verify');
  }, 60_000);

  it('anchors on a timer: records followed by no request are anchored within LEDGER_ANCHOR_INTERVAL_MS', async () => {
    const r = await asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev')(`{ person(hmppsId: "${linked.crn}") { __typename hmppsId } }`);
    expect(r.status).toBe(200);
    await drained(spoolGw);
    const row = (await client.query<{ chain: string; seq: string }>("SELECT chain, seq FROM ledger_records WHERE body->>'requestId' = $1", [String(r.headers['x-request-id'])])).rows[0]!;
    const deadline = Date.now() + 10_000;
    let anchor: { seq: string; records: string } | undefined;
    while (!anchor && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 250));
      anchor = (
        await client.query<{ seq: string; records: string }>(
          "SELECT seq, body->>'records' AS records FROM ledger_records WHERE chain = $1 AND kind = 'anchor' AND seq > $2 ORDER BY seq LIMIT 1",
          [row.chain, row.seq],
        )
      ).rows[0];
    }
    expect(anchor).toBeDefined();
    expect(Number(anchor!.records)).toBe(Number(anchor!.seq));
  }, 30_000);

  it('prune deletes whole chains whose newest record is older than the retention (dry run: counts only); the rest is kept and verifies', async () => {
    await drained(spoolGw);
    const days = 30;
    const old = new Chain('retired/2020-01-01T00:00:00.000Z');
    const at = (day: number) => new Date(Date.UTC(2020, 0, day)).toISOString();
    const refusal = (day: number): DisclosureBody => ({
      kind: 'refusal', at: at(day), requestId: `old-${day}`, consumer: 'police-dev', certificateSerial: null, accessPath: 'direct-mtls',
      onBehalfOf: null, purpose: null, operationName: null, documentHash: null, outcome: 'refused', httpStatus: 401, errorCodes: ['UNAUTHENTICATED'], subjects: [], searches: [],
    });
    await insertRecords(client, [old.append(refusal(1)), old.append(refusal(2)), old.append({ kind: 'anchor', at: at(3), records: 3 })]);
    const count = async (where = 'TRUE') => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ledger_records WHERE ${where}`)).rows[0]!.n);
    const before = await count();
    const kept = before - 3;
    const oldestKept = (await client.query<{ at: Date }>("SELECT min(at) AS at FROM ledger_records WHERE chain <> $1", [old.id])).rows[0]!.at;
    const prune = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'ledger.ts'), 'prune', ...args], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', LEDGER_DATABASE_URL: db.url, LEDGER_RETENTION_DAYS: String(days) },
      });

    const dry = await prune('--dry-run');
    expect(dry.stdout).toContain('dry run: would prune 1 chain(s), 3 record(s)');
    expect(dry.stdout).toContain(`oldest record kept: ${oldestKept.toISOString()}`);
    expect(await count()).toBe(before);

    const done = await prune();
    expect(done.stdout).toContain('pruned 1 chain(s), 3 record(s)');
    expect(done.stdout).toContain(`oldest record kept: ${oldestKept.toISOString()}`);
    expect(await count(`chain = '${old.id}'`)).toBe(0);
    expect(await count()).toBe(kept);
    expect(kept).toBeGreaterThan(0);
    expect((await cli('verify')).code).toBe(0);
    // Nothing else is old enough: a second run prunes nothing.
    expect((await prune()).stdout).toContain('pruned 0 chain(s), 0 record(s)');
  }, 60_000);

  it('database stopped mid-run: spool mode loses nothing, closed mode refuses requests', async () => {
    const askSpool = asConsumer(spoolGw.consumerUrl, certs, policy, 'policeDev');
    const askClosed = asConsumer(closedGw.consumerUrl, certs, policy, 'policeDev');
    const query = `{ person(hmppsId: "${linked.crn}") { __typename hmppsId firstName } }`;
    db.stop();
    try {
      const served = [];
      for (let i = 0; i < 6; i++) served.push(await askSpool(query));
      for (const r of served) expect(r.status).toBe(200);
      // Closed mode notices within its probe interval and refuses.
      let refused = null;
      const deadline = Date.now() + 10_000;
      while (!refused && Date.now() < deadline) {
        const r = await askClosed(query);
        if (r.status === 503) refused = r;
        else await new Promise((res) => setTimeout(res, 200));
      }
      expect(refused?.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(await scrape(spoolGw.managementUrl, 'gateway_ledger_backlog_records')).toBeGreaterThan(0);
      db.start();
      await drained(spoolGw);
      await client.end().catch(() => undefined);
      client = new pg.Client({ connectionString: db.url });
      await client.connect();
      for (const r of served) expect(await recordOf(String(r.headers['x-request-id']))).toMatchObject({ kind: 'disclosure', outcome: 'ok' });
      // Closed mode serves again once the database answers; its refusals are recorded too.
      const deadline2 = Date.now() + 10_000;
      let again = await askClosed(query);
      while (again.status !== 200 && Date.now() < deadline2) {
        await new Promise((res) => setTimeout(res, 200));
        again = await askClosed(query);
      }
      expect(again.status).toBe(200);
      await drained(closedGw);
      expect(await recordOf(String(refused!.headers['x-request-id']))).toMatchObject({ kind: 'refusal', httpStatus: 503 });
      expect((await cli('verify')).code).toBe(0);
    } finally {
      try {
        db.start();
      } catch {
        // already running
      }
    }
  }, 60_000);
});
