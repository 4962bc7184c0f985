/**
 * Person Graph under a real federation router (issue 16): Hive Gateway from npm, its own process on
 * loopback, composing Person Graph (the real gateway process over mutual TLS, the real simulators, the
 * sample policy) with the court-hearings test subgraph (local-stack/federation/), composed by
 * @theguild/federation-composition. The router connects with its own client certificate (CN
 * federation-router, in TRUSTED_PROXY_CNS) and forwards the consumer's verified identity, as an
 * mTLS-terminating ingress in front of it set it (scripts/federation/hive-gateway.config.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { ensureDevCertificates, type KeyPair } from '../../scripts/certs.js';
import { loadSchema } from '../../scripts/schema-lib.js';
import { subgraphSdl } from '../../src/server/federation.js';
import { gatewayEnv, startGatewayProcess, type GatewayHandle } from '../../local-stack/gateway.js';
import { REPO_ROOT, startSimulators, wellKnownPeople, type SimulatorHandle } from '../../local-stack/simulators.js';
import { client, sampleApiKey, type Client } from '../../local-stack/consumer-identities.js';
import { resetCountersWhenQuiet, upstreamCalls } from '../security/support/harness.js';
import { HEARINGS_COURT, HEARINGS_SDL_FILE, hearingsFor, startHearingsSubgraph, type HearingsSubgraph } from '../../local-stack/federation/hearings-subgraph.js';
import { composeSupergraph, forwardedIdentity, startRouter, writeSupergraph, type RouterHandle } from '../../local-stack/federation/router.js';
import { startApolloGateway } from '../../local-stack/federation/apollo-gateway.js';

const ROUTER_CN = 'federation-router';
/**
 * A consumer served through the router whose policy requires what it declares about each request: a
 * purpose from its list (`x-purpose`) and the user it is made for (`x-on-behalf-of`). Its names only.
 */
const DECLARING = 'court-listing-desk';
const DECLARED_PURPOSE = 'court-listing';

/** The sample policy plus DECLARING (the API keys of test consumers are `sampleApiKey(name)`). */
function writePolicy(into: string): string {
  const policy = parseYaml(readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8')) as { consumers: Record<string, unknown> };
  policy.consumers[DECLARING] = {
    roles: ['person-identity', 'through-router'],
    requestPurposes: [DECLARED_PURPOSE],
    onBehalfOf: 'require',
    apiKeys: [hashApiKey(sampleApiKey(DECLARING))],
  };
  const file = join(into, 'policy.yaml');
  writeFileSync(file, toYaml(policy));
  return file;
}
const people = wellKnownPeople();
const wk = (key: string) => people.people.find((p) => p.key === key)!;

let dir: string;
let pki: ReturnType<typeof ensureDevCertificates>;
let sims: SimulatorHandle;
let gateway: GatewayHandle;
let hearings: HearingsSubgraph;
let router: RouterHandle;
/** The same supergraph behind Apollo's gateway (@apollo/gateway): a second, independent router and query planner. */
let apollo: Omit<RouterHandle, 'pid'>;
let direct: Record<string, Client>;
/** 20 people police-force may see, by their preferred hmppsId (what Person Graph answers as Person.hmppsId). */
let twenty: string[];

type Body = { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> };

/** A request to the router as the consumer `name`: the identity headers an mTLS-terminating ingress sets, and its API key. */
async function viaRouter(
  name: string | null,
  query: string,
  variables?: Record<string, unknown>,
  endpoint = `${router.url}/graphql`,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: Body }> {
  const identity = name ? { ...forwardedIdentity(pki.clients[name]!.cert), 'x-api-key': sampleApiKey(name) } : {};
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...identity, ...extraHeaders },
    body: JSON.stringify({ query, variables }),
  });
  return { status: r.status, body: (await r.json()) as Body };
}

/** Person Graph's access-log lines since `from` (one per request it served). */
const accessLines = (from: number) => gateway.logs.slice(from).filter((l) => l.includes('"event":"access"'));
async function settledAccessLines(from: number, atLeast: number): Promise<string[]> {
  for (const until = Date.now() + 3000; accessLines(from).length < atLeast && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  return accessLines(from);
}

const counts: Record<string, Record<string, number>> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'person-graph-federation-'));
  pki = ensureDevCertificates(dir, ['prison-operator', 'police-force', 'probation-partner', DECLARING, ROUTER_CN]);
  sims = await startSimulators({ population: 2000 });
  gateway = await startGatewayProcess({
    ...gatewayEnv(sims, { caFile: pki.ca.cert, serverKeyFile: pki.server.key, serverCertFile: pki.server.cert } as never),
    POLICY_FILE: writePolicy(dir),
    TRUSTED_PROXY_CNS: ROUTER_CN,
    // No background health checks while calls are counted: the token component fetches a real token,
    // which a file running past the 15 s default interval counted as an upstream call (as the leak matrix does).
    HEALTH_CHECK_INTERVAL_MS: '3600000',
  });
  const ca = readFileSync(pki.ca.cert, 'utf8');
  const tls = (name: string, pair: KeyPair) => client(gateway.consumerUrl, { ca, identity: { key: readFileSync(pair.key, 'utf8'), cert: readFileSync(pair.cert, 'utf8'), apiKey: sampleApiKey(name) } });
  direct = { 'police-force': tls('police-force', pki.clients['police-force']!), router: tls(ROUTER_CN, pki.clients[ROUTER_CN]!) };

  // 20 people police-force may see: prisoners in custody (supervision status PRISONS), by preferred hmppsId.
  const token = await sims.token();
  const found = (await (
    await fetch(`${sims.urls.prisonerSearch}/attribute-search?page=0&size=40`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ joinType: 'AND', queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'status', condition: 'IS', searchTerm: 'ACTIVE IN' }] }], pagination: { page: 0, size: 40 } }),
    })
  ).json()) as { content: Array<{ prisonerNumber: string }> };
  const resolved = await gql(direct['police-force']!, 'query($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId } }', { ids: found.content.map((p) => p.prisonerNumber) });
  const wellKnownIds = new Set(people.people.flatMap((p) => [p.crn, p.prisonNumber]));
  twenty = [...new Set((resolved.data!.persons as Array<{ hmppsId: string } | null>).filter((p) => p !== null).map((p) => p!.hmppsId))]
    .filter((id) => !wellKnownIds.has(id))
    .slice(0, 20);
  expect(twenty).toHaveLength(20);

  hearings = await startHearingsSubgraph([
    ...hearingsFor(twenty, TWENTY_COURT),
    ...hearingsFor([twenty[0]!], ONE_COURT),
    ...hearingsFor([wk('linked').crn!, wk('other-prison').crn!, people.unknown.crn], MIXED_COURT),
  ]);
  const supergraph = composeSupergraph([
    { name: 'person-graph', sdl: subgraphSdl(loadSchema(join(REPO_ROOT, 'schema'))), url: `${gateway.consumerUrl}/graphql` },
    { name: 'court-hearings', sdl: readFileSync(HEARINGS_SDL_FILE, 'utf8'), url: hearings.url },
  ]);
  const routerTls = { clientCertFile: pki.clients[ROUTER_CN]!.cert, clientKeyFile: pki.clients[ROUTER_CN]!.key, personGraphCaFile: pki.ca.cert };
  [router, apollo] = await Promise.all([
    startRouter({ supergraphFile: writeSupergraph(join(dir, 'supergraph.graphql'), supergraph), ...routerTls }),
    startApolloGateway({ supergraphSdl: supergraph, ...routerTls }),
  ]);
}, 120_000);

afterAll(async () => {
  const lines = ['\nfederation through Hive Gateway: simulator requests per route, 1 and 20 people (hearingsListed -> _entities)'];
  const routes = [...new Set(Object.values(counts).flatMap((c) => Object.keys(c)))].sort();
  lines.push(`${'route'.padEnd(80)}${Object.keys(counts).map((k) => k.padStart(14)).join('')}`);
  for (const r of routes) lines.push(`${r.padEnd(80)}${Object.values(counts).map((c) => String(c[r] ?? 0).padStart(14)).join('')}`);
  if (routes.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  for (const c of Object.values(direct ?? {})) c.close();
  await router?.stop();
  await apollo?.stop();
  await hearings?.close();
  await gateway?.stop();
  await sims?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function gql(c: Client, query: string, variables?: Record<string, unknown>): Promise<Body> {
  return (await c.gql(query, variables)).body as Body;
}

/** Simulator requests by "upstream route", health checks left out. */
function flatten(counters: Record<string, Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [upstream, routes] of Object.entries(counters)) {
    if (upstream.startsWith('_')) continue;
    for (const [route, n] of Object.entries(routes)) if (!route.includes('/health') && n > 0) out[`${upstream} ${route}`] = n;
  }
  return out;
}

const LISTED = `query Listed($court: String!) { hearingsListed(court: $court) { id startsAt defendant { hmppsId firstName lastName } } }`;
const TWENTY_COURT = HEARINGS_COURT;
const ONE_COURT = 'Leeds Magistrates Court';
const MIXED_COURT = 'York Crown Court';

/** The router's request for a court's hearings: Person Graph's access lines and the simulators' calls for it. */
async function listedThroughRouter(consumer: string, court: string, endpoint?: string) {
  await sims.resetCounters();
  const from = gateway.logs.length;
  const entitiesBefore = hearings.counts.entities;
  const r = await viaRouter(consumer, LISTED, { court }, endpoint);
  const personGraphRequests = (await settledAccessLines(from, 1)).length;
  return { r, personGraphRequests, hearingsEntityCalls: hearings.counts.entities - entitiesBefore, simulators: flatten(await sims.counters()) };
}

/** The well-known linked person asked through a router: Person Graph's fields with the hearings subgraph's nextHearing. */
async function expectMergedPerson(endpoint?: string): Promise<void> {
  const p = wk('linked');
  const query = 'query($id: ID!) { person(hmppsId: $id) { hmppsId firstName lastName nextHearing { court startsAt } } }';
  const r = await viaRouter('police-force', query, { id: p.prisonNumber }, endpoint);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data!.person).toEqual({
    hmppsId: p.crn,
    firstName: p.firstName,
    lastName: p.lastName,
    nextHearing: { court: MIXED_COURT, startsAt: expect.stringMatching(/^2030-01-/) },
  });
}

/** Person Graph's disclosure-ledger records (the stdout audit sink, AUDIT_SINK's default) of `consumer` since log line `from`. */
async function ledgerRecordsOf(consumer: string, from: number, atLeast: number): Promise<Array<Record<string, unknown>>> {
  const read = () =>
    gateway.logs
      .slice(from)
      .filter((l) => l.includes('"disclosure-ledger"'))
      .map((l) => (JSON.parse(l) as { record: Record<string, unknown> }).record)
      .filter((r) => r.consumer === consumer);
  for (const until = Date.now() + 3000; read().length < atLeast && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  return read();
}

/**
 * A consumer whose policy requires a request purpose and an on-behalf-of gets its people through the
 * router (which forwards both to Person Graph only), and Person Graph's ledger records the request as
 * coming through the trusted proxy, with both; without them, Person Graph refuses (no person data).
 */
async function expectDeclarationsForwarded(endpoint?: string): Promise<void> {
  const declarations = { 'x-purpose': DECLARED_PURPOSE, 'x-on-behalf-of': 'clerk-0042' };
  const from = gateway.logs.length;
  const r = await viaRouter(DECLARING, LISTED, { court: MIXED_COURT }, endpoint, declarations);
  const listed = r.body.data!.hearingsListed as Array<{ defendant: { hmppsId: string; firstName: string | null } }>;
  expect(listed[0]!.defendant).toMatchObject({ hmppsId: wk('linked').crn, firstName: wk('linked').firstName });
  const [record] = await ledgerRecordsOf(DECLARING, from, 1);
  expect(record).toMatchObject({ kind: 'disclosure', accessPath: 'trusted-proxy', onBehalfOf: 'clerk-0042', requestPurpose: DECLARED_PURPOSE });
  expect((record!.subjects as Array<{ hmppsId: string }>).map((s) => s.hmppsId)).toContain(wk('linked').crn);

  for (const missing of ['x-purpose', 'x-on-behalf-of']) {
    const partial = Object.fromEntries(Object.entries(declarations).filter(([k]) => k !== missing));
    const refused = await viaRouter(DECLARING, LISTED, { court: MIXED_COURT }, endpoint, partial);
    expect(JSON.stringify(refused.body.data ?? null)).not.toContain(wk('linked').firstName);
    expect(JSON.stringify(refused.body.errors ?? [])).toContain(missing === 'x-purpose' ? 'PURPOSE_NOT_ALLOWED' : 'ON_BEHALF_OF_REQUIRED');
  }
}

describe('Person Graph behind Hive Gateway (a real router from npm)', () => {
  it('a query spanning both subgraphs gets merged data: Person Graph’s person with the hearings subgraph’s nextHearing', () => expectMergedPerson());

  it('a consumer whose policy requires a purpose and an on-behalf-of succeeds through the router; the ledger records trusted-proxy, both', () => expectDeclarationsForwarded());

  it('1 and 20 people from the hearings subgraph: ONE _entities request to Person Graph each, and the simulator calls of persons(hmppsIds) with the same ids', async () => {
    const one = await listedThroughRouter('police-force', ONE_COURT);
    expect(one.r.body.errors).toBeUndefined();
    expect((one.r.body.data!.hearingsListed as Array<{ defendant: { hmppsId: string } }>).map((h) => h.defendant.hmppsId)).toEqual([twenty[0]]);
    expect(one.personGraphRequests).toBe(1);
    counts['router N=1'] = one.simulators;

    const many = await listedThroughRouter('police-force', TWENTY_COURT);
    expect(many.r.body.errors).toBeUndefined();
    const listed = many.r.body.data!.hearingsListed as Array<{ defendant: { hmppsId: string; firstName: string | null; lastName: string | null } }>;
    expect(listed.map((h) => h.defendant.hmppsId)).toEqual(twenty);
    expect(listed.every((h) => typeof h.defendant.lastName === 'string')).toBe(true);
    expect(many.personGraphRequests).toBe(1);
    counts['router N=20'] = many.simulators;

    await sims.resetCounters();
    const same = await gql(direct['police-force']!, 'query($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName lastName } }', { ids: twenty });
    expect(same.errors).toBeUndefined();
    counts['direct N=20'] = flatten(await sims.counters());
    // The router's 20 representations cost exactly what persons with 20 ids costs: the same batched calls.
    expect(counts['router N=20']).toEqual(counts['direct N=20']);
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(counts['router N=20']!)).toBeLessThan(20 * total(counts['router N=1']!));
  });

  it('a person outside the consumer’s filters is null with exactly the error of an unknown person, through the router', async () => {
    const r = await viaRouter('prison-operator', LISTED, { court: MIXED_COURT });
    const listed = r.body.data!.hearingsListed as Array<{ defendant: { firstName: string } | null }>;
    expect(listed[0]!.defendant).toMatchObject({ firstName: wk('linked').firstName }); // MDI: in the consumer's prisons
    // The router keeps the key the hearings subgraph gave (it already knew it); everything from Person Graph is null.
    expect(listed[1]!.defendant).toEqual({ hmppsId: wk('other-prison').crn, firstName: null, lastName: null }); // CFI: outside them
    expect(listed[2]!.defendant).toEqual({ hmppsId: people.unknown.crn, firstName: null, lastName: null }); // nobody
    // Hive Gateway repeats the entity's error at each field it asked for: the same errors at both positions.
    const at = (i: number) => r.body.errors!.filter((e) => e.path?.[1] === i).map((e) => ({ ...e, path: e.path!.slice(2) }));
    expect(at(1)).toEqual(at(2));
    expect(at(1).map((e) => [e.extensions?.code, e.path])).toEqual([['NOT_FOUND', ['defendant', 'firstName']], ['NOT_FOUND', ['defendant', 'lastName']]]);
    expect(r.body.errors).toHaveLength(4);
    expect(JSON.stringify(r.body)).not.toContain(wk('other-prison').lastName);
  });

  it('concurrent identical queries of two consumers are never answered from one another (Hive Gateway coalesces only identical identities)', async () => {
    const query = 'query($court: String!) { hearingsListed(court: $court) { defendant { lastName } } }';
    const names = (body: Body) => (body.data!.hearingsListed as Array<{ defendant: { lastName: string | null } | null }>).map((h) => h.defendant?.lastName ?? null);
    const pairs = await Promise.all(
      Array.from({ length: 5 }, () => Promise.all([viaRouter('police-force', query, { court: MIXED_COURT }), viaRouter('prison-operator', query, { court: MIXED_COURT })])),
    );
    for (const [police, prison] of pairs) {
      expect(names(police.body)).toEqual([wk('linked').lastName, wk('other-prison').lastName, null]);
      expect(names(prison.body)).toEqual([wk('linked').lastName, null, null]); // other-prison is outside its prisons
    }
  });

  it('refused fields stay refused through the router (403 FORBIDDEN at Person Graph; no data, no upstream call)', async () => {
    await resetCountersWhenQuiet(sims); // the test before leaves speculative reads of a filtered person in flight
    const from = gateway.logs.length;
    const r = await viaRouter('police-force', 'query($court: String!) { hearingsListed(court: $court) { id defendant { firstName prison { prisonId } } } }', { court: ONE_COURT });
    expect((await settledAccessLines(from, 1)).map((l) => (JSON.parse(l) as { status: number }).status)).toEqual([403]);
    expect(JSON.stringify(r.body.data ?? null)).not.toContain('prisonId":"');
    expect(r.body.errors?.length).toBeGreaterThan(0);
    expect(r.body.errors!.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    // A consumer whose policy does not name Query._entities gets no person through a router at all.
    const ungranted = await viaRouter('probation-partner', LISTED, { court: ONE_COURT });
    expect(JSON.stringify(ungranted.body.data ?? null)).not.toContain('firstName":"');
    expect(ungranted.body.errors!.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(upstreamCalls(await sims.counters())).toBe(0);
  });

  it('the router without a forwarded consumer identity is refused (401), through the router and directly', async () => {
    const from = gateway.logs.length;
    const r = await viaRouter(null, LISTED, { court: ONE_COURT });
    expect(JSON.stringify(r.body.data ?? null)).not.toContain('firstName":"');
    expect(r.body.errors?.length).toBeGreaterThan(0);
    const refused = (await settledAccessLines(from, 1)).map((l) => JSON.parse(l) as { status: number });
    expect(refused.map((l) => l.status)).toEqual([401]);
    const plain = await direct.router!.gql('{ person(hmppsId: "A1234BC") { firstName } }');
    expect(plain.status).toBe(401);
    expect((plain.body as Body).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('Person Graph behind Apollo Gateway (@apollo/gateway from npm: Apollo\'s query planner, the same supergraph)', () => {
  const viaApollo = (name: string | null, query: string, variables?: Record<string, unknown>) => viaRouter(name, query, variables, apollo.url);

  it('a query spanning both subgraphs gets merged data', () => expectMergedPerson(apollo.url));

  it('a consumer whose policy requires a purpose and an on-behalf-of succeeds through the gateway; the ledger records trusted-proxy, both', () => expectDeclarationsForwarded(apollo.url));

  it('20 people: ONE _entities request to Person Graph, costing the simulator calls of persons with the same ids', async () => {
    const many = await listedThroughRouter('police-force', TWENTY_COURT, apollo.url);
    expect(many.r.body.errors).toBeUndefined();
    const listed = many.r.body.data!.hearingsListed as Array<{ defendant: { hmppsId: string; lastName: string | null } }>;
    expect(listed.map((h) => h.defendant.hmppsId)).toEqual(twenty);
    expect(listed.every((h) => typeof h.defendant.lastName === 'string')).toBe(true);
    expect(many.personGraphRequests).toBe(1);
    await sims.resetCounters();
    const same = await gql(direct['police-force']!, 'query($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName lastName } }', { ids: twenty });
    expect(same.errors).toBeUndefined();
    expect(many.simulators).toEqual(flatten(await sims.counters()));
  });

  it('a filtered person and an unknown one come back alike: null data from Person Graph, the same NOT_FOUND errors', async () => {
    const r = await viaApollo('prison-operator', LISTED, { court: MIXED_COURT });
    type Defendant = { hmppsId: string; firstName: string | null; lastName: string | null } | null;
    const listed = r.body.data!.hearingsListed as Array<{ defendant: Defendant }>;
    expect(listed[0]!.defendant).toMatchObject({ firstName: wk('linked').firstName });
    const strip = (d: Defendant) => (d === null ? null : { firstName: d.firstName, lastName: d.lastName });
    expect(strip(listed[1]!.defendant)).toEqual(strip(listed[2]!.defendant));
    expect(strip(listed[1]!.defendant) ?? { firstName: null, lastName: null }).toEqual({ firstName: null, lastName: null });
    const at = (i: number) => (r.body.errors ?? []).filter((e) => e.path?.[1] === i).map((e) => ({ ...e, path: e.path!.slice(2) }));
    expect(at(1).length).toBeGreaterThan(0);
    expect(at(1)).toEqual(at(2));
    expect(at(1).every((e) => e.extensions?.code === 'NOT_FOUND')).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain(wk('other-prison').lastName);
  });

  it('refused fields stay refused, and a request without a forwarded identity is refused, with no upstream call', async () => {
    await sims.resetCounters();
    const refused = await viaApollo('police-force', 'query($court: String!) { hearingsListed(court: $court) { id defendant { firstName prison { prisonId } } } }', { court: ONE_COURT });
    expect(JSON.stringify(refused.body.data ?? null)).not.toContain('prisonId":"');
    expect(JSON.stringify(refused.body.errors)).toContain('FORBIDDEN');
    const anonymous = await viaApollo(null, LISTED, { court: ONE_COURT });
    expect(JSON.stringify(anonymous.body.data ?? null)).not.toContain('firstName":"');
    expect(anonymous.body.errors?.length).toBeGreaterThan(0);
    expect(upstreamCalls(await sims.counters())).toBe(0);
  });
});
