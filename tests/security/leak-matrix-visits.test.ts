/**
 * Leak matrix rows for issue 18's visits, end to end over mutual TLS with the sample policy
 * (policy/sample.yaml): `prison-operator` holds the `prison-life` role (visits without the main
 * contact's name and telephone; visit notes and visitor support masked for limited-access people;
 * filtered to MDI, LEI, PVI, MHI); `police-force` and `probation-partner` hold no visit grant.
 * Ungranted coordinates are refused however written, before any upstream call; the row filters apply
 * to the visit fields (a person outside them is an unknown id and Manage Prison Visits is never asked);
 * free text is redacted for limited-access people only.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadPolicy, MASK } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';
import { REPO_ROOT, wellKnownPeople, wellKnownPerson } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates } from '../../local-stack/consumer-identities.js';
import { countersWhenQuiet, refusalFailures, resetCountersWhenQuiet, upstreamCalls } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';
import { probesFor, VARIANTS } from './support/matrix.js';

const POLICY_FILE = join(REPO_ROOT, 'policy', 'sample.yaml');
const people = wellKnownPeople();
const person = wellKnownPerson;

const AREA_TYPES = ['VisitPage', 'Visit', 'Visitor', 'VisitContact', 'VisitNote', 'VisitBalance', 'VisitRestriction'];
const AREA_PERSON_FIELDS = ['Person.futureVisits', 'Person.recentVisits', 'Person.visitBalance', 'Person.visitRestrictions'];
/** The main contact is another person: the sample role gives who came (contact ids), never their name or number. */
const OPERATOR_WITHHELD = ['Visit.mainContact', 'VisitContact.name', 'VisitContact.telephone'];
const isAreaCoordinate = (c: string) => AREA_PERSON_FIELDS.includes(c) || AREA_TYPES.includes(c.split('.')[0]!);

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: () => ({ file: POLICY_FILE }),
  env: { AUDIT_HASH_KEY: 'a-test-audit-key-that-is-long-enough-0123', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'police-force', 'probation-partner']);

type Json = Record<string, any>;

describe('ungranted visit coordinates are refused however written, before any upstream call', () => {
  it('every coordinate of this area, in every variant, for each consumer without it', async () => {
    const schema = buildSchema();
    const policy = loadPolicy(POLICY_FILE, schema);
    const probes = ['police-force', 'probation-partner', 'prison-operator'].flatMap((name) =>
      probesFor(schema, name, policy.consumer(name)!.coordinates).filter((p) => isAreaCoordinate(p.target)),
    );
    const targets = new Set(probes.map((p) => p.target));
    for (const c of AREA_PERSON_FIELDS) expect(targets).toContain(c);
    const operatorTargets = new Set(probes.filter((p) => p.consumer === 'prison-operator').map((p) => p.target));
    expect([...operatorTargets].sort()).toEqual([...OPERATOR_WITHHELD].sort());
    expect(new Set(probes.map((p) => p.variant)).size).toBe(VARIANTS.length);
    await stack.sims.resetCounters();
    expect((await refusalFailures(probes, as)).slice(0, 10)).toEqual([]);
    const { auth: _tokenChecks, ...dataUpstreams } = await stack.sims.counters();
    expect(upstreamCalls(dataUpstreams)).toBe(0);
  }, 120_000);

  it('granted visit fields are given; the same query with the main contact is refused whole, before any upstream call', async () => {
    const ok = await as('prison-operator').gql('query($id: ID!) { person(hmppsId: $id) { futureVisits { reference visitorCount visitors { contactId } } } }',
      { id: person('linked').prisonNumber });
    expect(ok.body.errors).toBeUndefined();
    expect((ok.body.data?.person as Json).futureVisits).toHaveLength(2);
    await stack.sims.resetCounters();
    const refused = await as('prison-operator').gql('query($id: ID!) { person(hmppsId: $id) { futureVisits { reference mainContact { name } } } }', { id: person('linked').prisonNumber });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.coordinates).toEqual(expect.arrayContaining(['Visit.mainContact']));
    const { auth: _tokenChecks, ...dataUpstreams } = await stack.sims.counters();
    expect(upstreamCalls(dataUpstreams)).toBe(0);
  });
});

describe('row filters apply to the visit fields', () => {
  const q = 'query V($id: ID!) { person(hmppsId: $id) { futureVisits { reference } recentVisits { totalCount } visitBalance { remainingVisitOrders } visitRestrictions { code } } }';

  /** The visit routes' calls, once every early read has arrived. */
  const visitCalls = async () => {
    const counters = await countersWhenQuiet(stack.sims);
    return {
      future: counters.prisonVisits?.['GET /visits/search/future/{prisonerId}'] ?? 0,
      search: counters.prisonVisits?.['GET /visits/search'] ?? 0,
      balances: counters.prisonApi?.['GET /api/bookings/offenderNo/{offenderNo}/visit/balances'] ?? 0,
      restrictions: counters.prisonApi?.['GET /api/offenders/{offenderNo}/offender-restrictions'] ?? 0,
    };
  };

  it('a person outside the consumer’s prisons (CFI) is byte-for-byte an unknown id, at the same upstream cost', async () => {
    await resetCountersWhenQuiet(stack.sims);
    const outside = await as('prison-operator').gql(q, { id: person('other-prison').prisonNumber });
    const outsideCalls = await visitCalls();
    await resetCountersWhenQuiet(stack.sims);
    const nobody = await as('prison-operator').gql(q, { id: people.unknown.prisonNumber });
    const nobodyCalls = await visitCalls();
    expect(outside.status).toBe(nobody.status);
    expect(outside.raw).toBe(nobody.raw);
    expect(outside.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Equal work (ADR 19): the visit reads keyed by prison number start with identity resolution for any
    // prison number, seen or not, and are dropped unread; the paged visit search is never asked.
    expect(outsideCalls).toEqual(nobodyCalls);
    expect(outsideCalls.search).toBe(0);
  });

  it('in persons, the person outside the filters is left out; their visits are read early like anyone’s and never answered', async () => {
    await resetCountersWhenQuiet(stack.sims);
    const r = await as('prison-operator').gql('query V($ids: [ID!]!) { persons(hmppsIds: $ids) { identifiers { prisonNumber } futureVisits { reference } } }',
      { ids: [person('linked').prisonNumber, person('other-prison').prisonNumber] });
    expect(r.raw).not.toContain(person('other-prison').prisonNumber!);
    expect((await visitCalls()).future).toBe(2); // one early read per id asked (ADR 19), none after
  });
});

describe('limited-access redaction of free text, configured per consumer', () => {
  const FREE_TEXT = 'futureVisits { notes { type text } visitorSupport } recentVisits(days: 366) { nodes { notes { type text } visitorSupport } }';

  it('a limited-access person (restricted, PVI): every visit note and visitor support is masked', async () => {
    const r = await as('prison-operator').gql(`query($id: ID!) { person(hmppsId: $id) { ${FREE_TEXT} } }`, { id: person('restricted').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data?.person as Json;
    const visits = [...(p.futureVisits as Json[]), ...((p.recentVisits as Json).nodes as Json[])];
    const notes = visits.flatMap((v) => v.notes as Json[]);
    // `restricted` has a visitor's concern on every visit.
    expect(notes.length).toBeGreaterThanOrEqual(visits.length);
    for (const n of notes) expect(n.text).toBe(MASK);
    for (const v of visits) expect([null, MASK]).toContain(v.visitorSupport);
    expect(r.raw).not.toMatch(/Visitor (asked|seemed|mentioned)/);
  });

  const RESTRICTIONS = 'visitRestrictions(includeExpired: true) { code comment }';

  it('a limited-access person (restricted): every visit restriction comment is masked', async () => {
    const r = await as('prison-operator').gql(`query($id: ID!) { person(hmppsId: $id) { ${RESTRICTIONS} } }`, { id: person('restricted').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const restrictions = (r.body.data?.person as Json).visitRestrictions as Json[];
    // `restricted` has visit restrictions, each with a comment (simulators/lib/details.ts).
    expect(restrictions.length).toBeGreaterThan(0);
    for (const x of restrictions) expect(x.comment).toBe(MASK);
    expect(r.raw).not.toContain('Following a security review');
  });

  it('a person without limited access (many-alerts): visit restriction comments are given', async () => {
    const r = await as('prison-operator').gql(`query($id: ID!) { person(hmppsId: $id) { ${RESTRICTIONS} } }`, { id: person('many-alerts').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const restrictions = (r.body.data?.person as Json).visitRestrictions as Json[];
    expect(restrictions.map((x) => x.comment)).toContain('Following a security review');
  });

  it('a person without limited access (linked): the same fields are given', async () => {
    const r = await as('prison-operator').gql(`query($id: ID!) { person(hmppsId: $id) { ${FREE_TEXT} } }`, { id: person('linked').prisonNumber });
    const p = r.body.data?.person as Json;
    expect((p.futureVisits as Json[]).some((v) => v.visitorSupport === 'Wheelchair access')).toBe(true);
    const notes = ((p.recentVisits as Json).nodes as Json[]).flatMap((v) => v.notes as Json[]);
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n.text).not.toBe(MASK);
  });
});
