/**
 * The case-record coordinates (issue 17 areas 5-7) under the sample policy (policy/sample.yaml),
 * end to end over mutual TLS against the real simulators: every new coordinate is refused to the
 * consumers not granted it, in every variant of the leak matrix, before any upstream is asked; the
 * consumer granted them (police-force, role public-protection) gets only the case-note types and
 * MAPPA categories its policy allows, no sensitive notes (and FORBIDDEN when it asks for them), and
 * masked free text for limited-access people only; and a consumer with a supervision-status filter
 * (people on probation only, added to the sample policy here) gets a person in prison exactly like an
 * unknown id. The simulators are read directly (not through src/) to know what the upstream holds.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { loadPolicy, MASK } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';
import { REPO_ROOT, wellKnownPeople, wellKnownPerson } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates, sampleApiKey } from '../../local-stack/consumer-identities.js';
import { countersWhenQuiet, refusalFailures, resetCountersWhenQuiet, upstreamCalls } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';
import { probesFor, VARIANTS } from './support/matrix.js';

const POLICY_FILE = join(REPO_ROOT, 'policy', 'sample.yaml');
const people = wellKnownPeople();
const person = wellKnownPerson;

/** Every coordinate this area added to the schema. */
const RECORD_TYPES = ['CaseNotePage', 'CaseNote', 'CaseNoteAmendment', 'ContactEventPage', 'ContactEvent', 'ContactOfficer', 'LimitedAccessDetails'];
const RECORD_FIELDS = ['Person.caseNotes', 'Person.contactEvents', 'Person.contactEvent', 'LimitedAccess.details'];
const ALLOWED_TYPES = new Set(['CAB', 'NEG', 'POS', 'GEN', 'KA']);

/** A consumer added to the sample policy: the public-protection role, for people on probation only. */
const COMMUNITY_ONLY = 'community-only';

/** The sample policy with COMMUNITY_ONLY added (the sample consumers as they are). */
function writePolicy(dir: string): { file: string } {
  const policy = parseYaml(readFileSync(POLICY_FILE, 'utf8')) as { consumers: Record<string, unknown> };
  policy.consumers[COMMUNITY_ONLY] = {
    roles: ['person-identity', 'public-protection'],
    filters: { supervisionStatuses: ['PROBATION'] },
    apiKeys: [hashApiKey(sampleApiKey(COMMUNITY_ONLY))],
  };
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, toYaml(policy));
  return { file };
}

const stack = useGatewayStack({
  certificates: () => createSecurityCertificates([COMMUNITY_ONLY]),
  policy: writePolicy,
  // No background health check (a real token request) may fall inside the "no upstream request" windows.
  env: { AUDIT_HASH_KEY: 'a-test-audit-key-that-is-long-enough-0123', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'police-force', 'probation-partner', COMMUNITY_ONLY]);
const police = () => as('police-force');

/** The raw upstream answer, read with a token of our own. */
async function upstream(url: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${await stack.sims.token()}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('leak matrix: the case-record coordinates', () => {
  const schema = buildSchema();
  const policy = loadPolicy(POLICY_FILE, schema);
  const coordinates = [
    ...RECORD_FIELDS,
    ...RECORD_TYPES.flatMap((t) => Object.keys((schema.getType(t) as { getFields(): Record<string, unknown> }).getFields()).map((f) => `${t}.${f}`)),
  ];

  it('every new coordinate is refused (403 naming it, no data, no upstream call) to consumers not granted it, in every variant', async () => {
    const probes = ['prison-operator', 'probation-partner'].flatMap((name) =>
      probesFor(schema, name, policy.consumer(name)!.coordinates).filter((p) => coordinates.includes(p.target)),
    );
    for (const target of RECORD_FIELDS) expect(probes.some((p) => p.target === target)).toBe(true);
    expect(new Set(probes.map((p) => p.variant)).size).toBe(VARIANTS.length);
    await stack.sims.resetCounters();
    expect(await refusalFailures(probes, as)).toEqual([]);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  });

  it('the granted consumer may not select CaseNote.sensitive (its policy leaves it out)', async () => {
    const r = await police().gql(`{ person(hmppsId: "${person('linked').crn!}") { caseNotes { nodes { sensitive } } } }`);
    expect(r.status).toBe(403);
    expect(r.body.errors?.[0]?.extensions?.coordinates).toContain('CaseNote.sensitive');
  });
});

describe('case notes through a policy with a type filter, no sensitive notes and LAO redactions', () => {
  const NOTES = 'totalCount nodes { id type { code } text amendments { text } }';
  type Notes = { totalCount: number; nodes: Array<{ id: string; type: { code: string }; text: string | null; amendments: Array<{ text: string | null }> }> };

  it('only the allowed types, never a sensitive note: exactly what the case notes service holds for that question', async () => {
    const p = person('linked');
    const r = await police().gql(`{ person(hmppsId: "${p.crn!}") { caseNotes(first: 100) { ${NOTES} } } }`);
    expect(r.body.errors).toBeUndefined();
    const got = (r.body.data?.person as { caseNotes: Notes }).caseNotes;
    const raw = await upstream(`${stack.sims.urls.caseNotes}/search/case-notes/${p.prisonNumber!}`, { method: 'POST', body: { page: 1, size: 500, includeSensitive: true } });
    const expected = (raw.content as Array<{ caseNoteId: string; type: string; sensitive: boolean; text: string }>).filter((n) => ALLOWED_TYPES.has(n.type) && !n.sensitive);
    expect(raw.content.some((n: { sensitive: boolean }) => n.sensitive)).toBe(true);
    expect(got.totalCount).toBe(expected.length);
    expect(got.nodes.map((n) => n.id)).toEqual(expected.map((n) => n.caseNoteId));
    // Not limited access: the text is there.
    expect(got.nodes.map((n) => n.text)).toEqual(expected.map((n) => n.text));
  });

  it('asking for sensitive notes is FORBIDDEN at the field; the rest of the person stands; nothing is fetched', async () => {
    await stack.sims.resetCounters();
    const r = await police().gql(`{ person(hmppsId: "${person('linked').crn!}") { hmppsId caseNotes(includeSensitive: true) { totalCount } } }`);
    expect(r.status).toBe(200);
    expect(r.body.data?.person).toEqual({ hmppsId: person('linked').crn, caseNotes: null });
    expect(r.body.errors?.[0]).toMatchObject({ path: ['person', 'caseNotes'], extensions: { code: 'FORBIDDEN', coordinates: ['CaseNote.sensitive'] } });
    expect((await stack.sims.counters()).caseNotes ?? {}).toEqual({});
  });

  it('types outside the policy are never asked for: none found, and the case notes service is not called', async () => {
    await stack.sims.resetCounters();
    const r = await police().gql(`{ person(hmppsId: "${person('linked').crn!}") { caseNotes(types: [{type: "OMIC"}, {type: "CVM"}]) { totalCount } } }`);
    expect(r.body.data?.person).toEqual({ caseNotes: { totalCount: 0 } });
    expect((await stack.sims.counters()).caseNotes ?? {}).toEqual({});
  });

  it('a limited-access person: every note text and amendment masked', async () => {
    const r = await police().gql(`{ person(hmppsId: "${person('restricted').crn!}") { caseNotes(first: 100) { ${NOTES} } } }`);
    expect(r.body.errors).toBeUndefined();
    const got = (r.body.data?.person as { caseNotes: Notes }).caseNotes;
    expect(got.totalCount).toBeGreaterThan(0);
    expect(got.nodes.every((n) => n.text === MASK && n.amendments.every((a) => a.text === MASK))).toBe(true);
    expect(got.nodes.every((n) => ALLOWED_TYPES.has(n.type.code))).toBe(true);
  });
});

describe('contact events through a policy allowing MAPPA categories 1 and 2, with LAO redactions', () => {
  it('a limited-access category-2 case: its contacts, notes masked', async () => {
    const r = await police().gql(`{ person(hmppsId: "${person('excluded').crn!}") { contactEvents(first: 100) { totalCount nodes { id notes } } } }`);
    expect(r.body.errors).toBeUndefined();
    const got = (r.body.data?.person as { contactEvents: { totalCount: number; nodes: Array<{ notes: string | null }> } }).contactEvents;
    expect(got.totalCount).toBe(25);
    expect(got.nodes.some((c) => c.notes === MASK)).toBe(true);
    expect(got.nodes.every((c) => c.notes === MASK || c.notes === null)).toBe(true);
  });

  it('a category-3 case: no contacts in the list, and none by id, although Delius holds them', async () => {
    const p = person('hyphen-name');
    const raw = await upstream(`${stack.sims.urls.deliusIntegration}/case/${p.crn!}/contacts?mappaCategories=1,2,3,4&size=1`);
    expect(raw.totalResults).toBe(150);
    const id = String(raw.content[0].id);
    const r = await police().gql(`query($id: ID!, $c: ID!) { person(hmppsId: $id) { contactEvents { totalCount } contactEvent(id: $c) { id notes } } }`, { id: p.crn, c: id });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.person).toEqual({ contactEvents: { totalCount: 0 }, contactEvent: null });
  });
});

describe('limited-access details', () => {
  it('the granted consumer sees who is excluded and the message', async () => {
    const r = await police().gql(`{ person(hmppsId: "${person('excluded').crn!}") { limitedAccess { excluded details { exclusionMessage excludedFrom } } } }`);
    expect(r.body.errors).toBeUndefined();
    const raw = await upstream(`${stack.sims.urls.deliusIntegration}/case/${person('excluded').crn!}/access-limitations`);
    expect(r.body.data?.person).toEqual({
      limitedAccess: { excluded: true, details: { exclusionMessage: raw.exclusionMessage, excludedFrom: raw.excludedFrom.map((u: { email: string }) => u.email) } },
    });
  });
});

describe('the supervision-status filter applies to case notes, contact events and limited-access details', () => {
  const q = `query R($id: ID!) { person(hmppsId: $id) { hmppsId caseNotes(first: 5) { totalCount nodes { id text } }
    contactEvents(first: 5) { totalCount nodes { id notes } } limitedAccess { excluded restricted details { restrictionMessage } } } }`;
  const areaCalls = (counters: Record<string, Record<string, number>>) => ({
    caseNotes: counters.caseNotes ?? {},
    delius: Object.fromEntries(Object.entries(counters.deliusIntegration ?? {}).filter(([route]) => route.includes('/contact') || route.includes('access-limitations'))),
  });

  it('a consumer seeing people on probation only gets the contact events of a person in the community', async () => {
    const r = await as(COMMUNITY_ONLY).gql(q, { id: person('excluded').crn });
    expect(r.body.errors).toBeUndefined();
    expect((r.body.data?.person as { contactEvents: { totalCount: number } }).contactEvents.totalCount).toBe(25);
  });

  it('and a person in prison exactly like an unknown id, by CRN and by prison number, for the same case-record calls', async () => {
    for (const by of ['crn', 'prisonNumber'] as const) {
      await resetCountersWhenQuiet(stack.sims);
      const nobody = await as(COMMUNITY_ONLY).gql(q, { id: people.unknown[by] });
      const nobodyCalls = areaCalls(await countersWhenQuiet(stack.sims));
      expect(nobody.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      // In prison and on probation; in prison with limited access.
      for (const key of ['linked', 'restricted']) {
        // The other consumer (no supervision filter) sees their case notes: the comparison below can fail.
        const seen = await police().gql(q, { id: person(key)[by] });
        expect({ key, by, notes: ((seen.body.data?.person as { caseNotes: { totalCount: number } } | undefined)?.caseNotes.totalCount ?? 0) > 0 })
          .toEqual({ key, by, notes: true });
        await resetCountersWhenQuiet(stack.sims);
        const outside = await as(COMMUNITY_ONLY).gql(q, { id: person(key)[by] });
        const calls = areaCalls(await countersWhenQuiet(stack.sims));
        expect({ key, by, raw: outside.raw }).toEqual({ key, by, raw: nobody.raw });
        expect({ key, by, calls }).toEqual({ key, by, calls: nobodyCalls });
      }
    }
  });
});
