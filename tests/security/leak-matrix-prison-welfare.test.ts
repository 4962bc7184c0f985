/**
 * Leak matrix rows for issue 18's incentive level, health and diet and non-associations, end to end
 * over mutual TLS: the sample policy plus a `prison-life` role for `prison-operator` (filtered to
 * MDI, LEI, PVI, MHI; free text masked for limited-access people). Ungranted coordinates are refused
 * however written; row filters apply to the person asked for AND to the other person of a
 * non-association (docs/adr/0017-non-association-other-person.md); free text is redacted for
 * limited-access people; a withheld person is neither shown nor audited as returned.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { loadPolicy, MASK } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';
import { REPO_ROOT, wellKnownPeople, wellKnownPerson } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates } from '../../local-stack/consumer-identities.js';
import { refusalFailures, upstreamCalls } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';
import { probesFor, VARIANTS } from './support/matrix.js';

const people = wellKnownPeople();
const person = wellKnownPerson;

/** The coordinates this area adds (every field of its types, and the three Person fields). */
const AREA_TYPES = ['IncentiveLevel', 'IncentiveReview', 'HealthAndDiet', 'DietRequirement', 'NonAssociation', 'ContactPage', 'Contact', 'ContactRestriction'];
const AREA_PERSON_FIELDS = ['Person.incentiveLevel', 'Person.healthAndDiet', 'Person.nonAssociations', 'Person.contacts', 'Person.numberOfChildren'];
/** A contact is another person: this role gives who they are to the prisoner, never how to reach them. */
const CONTACT_GRANTS = ['Contact.firstName', 'Contact.lastName', 'Contact.relationshipType', 'Contact.relationship', 'Contact.nextOfKin',
  'Contact.emergencyContact', 'Contact.approvedVisitor', 'Contact.active', 'Contact.comments', 'Contact.restrictions', 'ContactRestriction.*', 'ContactPage.*', 'PageInfo.*'];
const CONTACT_WITHHELD = ['Contact.phoneNumber', 'Contact.street', 'Contact.town', 'Contact.postcode', 'Contact.dateOfBirth', 'Contact.middleNames', 'Contact.relationshipCode'];
const isAreaCoordinate = (c: string) => AREA_PERSON_FIELDS.includes(c) || AREA_TYPES.includes(c.split('.')[0]!);

const FREE_TEXT_REDACTIONS = [
  { field: 'IncentiveReview.comments', action: 'mask', limitedAccessOnly: true },
  { field: 'DietRequirement.comment', action: 'mask', limitedAccessOnly: true },
  { field: 'HealthAndDiet.cateringInstructions', action: 'mask', limitedAccessOnly: true },
  { field: 'NonAssociation.comment', action: 'mask', limitedAccessOnly: true },
  { field: 'Contact.comments', action: 'mask', limitedAccessOnly: true },
];

function writePolicy(dir: string): { file: string } {
  const policy = parseYaml(readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8')) as Record<string, any>;
  policy.roles['prison-life'] = {
    description: 'Incentive level, health and diet, non-associations; free text masked for limited-access people.',
    grants: [...AREA_PERSON_FIELDS, ...AREA_TYPES.filter((t) => !t.startsWith('Contact')).map((t) => `${t}.*`), ...CONTACT_GRANTS, 'Person.identifiers', 'Identifiers.prisonNumber'],
    redactions: FREE_TEXT_REDACTIONS,
  };
  policy.consumers['prison-operator'].roles.push('prison-life');
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, toYaml(policy));
  return { file };
}

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: (dir) => writePolicy(dir),
  env: { AUDIT_HASH_KEY: 'a-test-audit-key-that-is-long-enough-0123' },
});
const as = useConsumerClients(stack, ['prison-operator', 'police-force', 'probation-partner']);

type Json = Record<string, any>;

describe('ungranted prison-life coordinates are refused however written, before any upstream call', () => {
  it('every coordinate of these areas, in every variant, for consumers without the role', async () => {
    const schema = buildSchema();
    const policy = loadPolicy(stack.policy.file, schema);
    const probes = ['police-force', 'probation-partner', 'prison-operator'].flatMap((name) =>
      probesFor(schema, name, policy.consumer(name)!.coordinates).filter((p) => isAreaCoordinate(p.target)),
    );
    const targets = new Set(probes.map((p) => p.target));
    for (const c of AREA_PERSON_FIELDS) expect(targets).toContain(c);
    // prison-operator holds the role, but a contact's address, phone and date of birth are not in it.
    const operatorTargets = new Set(probes.filter((p) => p.consumer === 'prison-operator').map((p) => p.target));
    expect([...operatorTargets].sort()).toEqual([...CONTACT_WITHHELD].sort());
    expect(new Set(probes.map((p) => p.variant)).size).toBe(VARIANTS.length);
    await stack.sims.resetCounters();
    expect((await refusalFailures(probes, as)).slice(0, 10)).toEqual([]);
    // No data upstream was asked. (The token endpoint is left out: /health's background check requests a real
    // token every HEALTH_CHECK_INTERVAL_MS, and this many probes take longer than that on a loaded machine.)
    const { auth: _tokenChecks, ...dataUpstreams } = await stack.sims.counters();
    expect(upstreamCalls(dataUpstreams)).toBe(0);
  }, 120_000);
});

const NON_ASSOCIATIONS = `nonAssociations(includeClosed: true) { id open reason otherPersonWithheld comment
  otherPerson { hmppsId firstName lastName identifiers { prisonNumber } } }`;

describe('non-associations: the other person is a Person only when the consumer may see them', () => {
  let list: Json[];
  let raw: string;
  beforeAll(async () => {
    const r = await as('prison-operator').gql(`query NA($id: ID!) { person(hmppsId: $id) { hmppsId ${NON_ASSOCIATIONS} } }`, { id: person('linked').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    list = (r.body.data?.person as Json).nonAssociations as Json[];
    raw = r.raw;
  });

  it('someone in the consumer’s prisons (LEI, MHI) is given as a Person, with the comment', () => {
    const visible = list.filter((n) => n.otherPersonWithheld === false);
    expect(visible.map((n) => n.otherPerson.identifiers.prisonNumber).sort()).toEqual([person('prison-only').prisonNumber, person('many-alerts').prisonNumber].sort());
    for (const n of visible) expect(n.comment).toEqual(expect.any(String));
  });

  it('someone outside them (CFI) is an opaque marker: listed, withheld, no comment, no error, nothing of theirs in the answer', () => {
    const withheld = list.filter((n) => n.otherPersonWithheld === true);
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toMatchObject({ otherPerson: null, comment: null, reason: 'GANG_RELATED', open: true });
    const other = person('other-prison');
    for (const secret of [other.prisonNumber!, other.crn!, other.firstName, other.lastName, 'CFI']) expect(raw).not.toContain(secret);
  });

  it('the CFI person asked for directly is byte-for-byte an unknown id (the filter applies to them everywhere)', async () => {
    // prison-operator asking for the CFI person directly: not found, byte-for-byte an unknown id.
    const q = `query NA($id: ID!) { person(hmppsId: $id) { hmppsId ${NON_ASSOCIATIONS} } }`;
    const outside = await as('prison-operator').gql(q, { id: person('other-prison').prisonNumber });
    const nobody = await as('prison-operator').gql(q, { id: people.unknown.prisonNumber });
    expect(outside.status).toBe(nobody.status);
    expect(outside.raw).toBe(nobody.raw);
    expect(outside.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('audit: the other people shown are recorded as returned; the withheld one is not', async () => {
    const before = stack.gateway.logs.length;
    const document = `query NAAudit($id: ID!) { person(hmppsId: $id) { ${NON_ASSOCIATIONS} } }`;
    await as('prison-operator').gql(document, { id: person('linked').prisonNumber });
    // Untrusted operations are found in the audit log by their document's hash (their names stay out of it).
    const hash = createHash('sha256').update(document).digest('hex');
    const lines = () => stack.gateway.logs.slice(before).filter((l) => l.includes('"event":"person-data-access"') && l.includes(hash));
    for (const until = Date.now() + 5000; lines().length < 1 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    const event = JSON.parse(lines()[0]!) as Json;
    const returned = event.returnedHmppsIds as string[];
    expect(returned).toContain(person('prison-only').prisonNumber);
    expect(returned.some((id) => id === person('other-prison').prisonNumber || id === person('other-prison').crn)).toBe(false);
  });
});

describe('contacts are other people: only what the policy grants', () => {
  it('granted contact fields are given; the same query with a phone number is refused whole, before any upstream call', async () => {
    const ok = await as('prison-operator').gql('query($id: ID!) { person(hmppsId: $id) { contacts { totalCount nodes { firstName lastName relationship nextOfKin restrictions { code } } } } }',
      { id: person('linked').prisonNumber });
    expect(ok.body.errors).toBeUndefined();
    expect(((ok.body.data?.person as Json).contacts as Json).totalCount).toBe(4);
    await stack.sims.resetCounters();
    const refused = await as('prison-operator').gql('query($id: ID!) { person(hmppsId: $id) { contacts { nodes { firstName phoneNumber } } } }', { id: person('linked').prisonNumber });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.coordinates).toEqual(['Contact.phoneNumber']);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  });
});

describe('limited-access redaction of free text, configured per consumer', () => {
  const FREE_TEXT = `incentiveLevel { reviews { comments } }
    healthAndDiet { cateringInstructions foodAllergies { code comment } medicalDietaryRequirements { comment } }
    nonAssociations(includeClosed: true) { comment otherPersonWithheld }
    contacts { nodes { comments } }`;

  it('a limited-access person (restricted, PVI): every free-text field is masked', async () => {
    const r = await as('prison-operator').gql(`query($id: ID!) { person(hmppsId: $id) { ${FREE_TEXT} } }`, { id: person('restricted').prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data?.person as Json;
    expect(p.healthAndDiet.cateringInstructions).toBe(MASK);
    expect(p.healthAndDiet.foodAllergies).toEqual([{ code: 'OTHER', comment: MASK }]);
    expect(p.healthAndDiet.medicalDietaryRequirements).toEqual([{ comment: MASK }]);
    expect((p.incentiveLevel.reviews as Json[]).every((x) => x.comments === MASK)).toBe(true);
    expect(p.nonAssociations).toEqual([{ comment: MASK, otherPersonWithheld: false }]);
    expect((p.contacts as Json).nodes).toEqual([{ comments: MASK }, { comments: MASK }]);
    expect(r.raw).not.toContain('food colourings');
  });

  it('a person without limited access (linked): the same fields are given', async () => {
    const r = await as('prison-operator').gql(`query($id: ID!) { person(hmppsId: $id) { ${FREE_TEXT} } }`, { id: person('linked').prisonNumber });
    const p = r.body.data?.person as Json;
    expect(p.healthAndDiet.cateringInstructions).toBe('Meals to be served in cell.');
    expect(p.healthAndDiet.foodAllergies).toContainEqual({ code: 'OTHER', comment: 'Kohlrabi' });
    expect((p.incentiveLevel.reviews as Json[]).some((x) => x.comments !== MASK)).toBe(true);
  });
});
