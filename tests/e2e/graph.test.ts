/**
 * The whole Person graph end to end: every field for every kind of well-known person, persons,
 * searchPersons, batching counts, and partial results when an upstream is down or hangs.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { GatewayHandle } from '../../local-stack/gateway.js';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, wellKnownPerson, type UpstreamName } from '../../local-stack/simulators.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { useGatewayStack } from '../support/stack.js';

const known = wellKnownPeople();
/** The simulated population (2,000, default seed), to pick ordinary people with a given trait. */
const population = new Population({ size: 2000, seed: DEFAULT_SEED });
const person = wellKnownPerson;
const idOf = (key: string) => (person(key).crn ?? person(key).prisonNumber)!;

const FULL_PROFILE = `
  hmppsId firstName middleNames lastName dateOfBirth gender ethnicity knownToPrison knownToProbation supervisionStatus
  identifiers { crn prisonNumber mergedFromPrisonNumber pncNumber croNumber }
  aliases { firstName lastName dateOfBirth gender }
  limitedAccess { excluded restricted }
  contactDetails { phoneNumbers { number type } emails }
  prison { inPrison status prisonId prisonName cellLocation receptionDate category csra youthOffender
    physicalCharacteristics { heightCentimetres weightKilograms hairColour build shoeSize distinguishingMarks { kind bodyPart comment } }
    languages { code primary interpreterRequested } personalCareNeeds { type code description startDate endDate } }
  probation { underActiveSupervision dynamicRisks { code description startDate reviewDate notes }
    mappa { level category startDate } statusInformation { code description } }
  addresses { sources noFixedAddress number street town county postcode country startDate endDate types { code description } }
  offences { source description code statuteCode offenceDate courtDates courtName }
  sentences { source description dateOfSentencing startDate endDate custodial active fineAmount length }
  sentenceKeyDates { sentenceStartDate releaseDate conditionalReleaseDate licenceExpiryDate sentenceExpiryDate }
  alerts(first: 10) { totalCount nodes { code codeDescription type active activeFrom activeTo createdAt } pageInfo { hasNextPage endCursor } }
  images { id active capturedAt view orientation type }
  responsibleOfficer { prisonOffenderManager { forename surname prisonId } communityManager { forename surname email allocated team { code description } } }
  protectedCharacteristics { age gender sexualOrientation ethnicity nationality religion maritalStatus
    disabilities { type condition } reasonableAdjustments { treatmentCode treatmentDescription startDate } }`;

// Breakers and retries have their own tests (tests/resilience); here every fault case must start
// from a closed breaker, and a hang should cost one timeout, not three.
const stack = useGatewayStack({
  gateways: [{}, { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', BREAKER_MIN_CALLS: '100000' }],
});
/** The second gateway is for the fault cases: short timeouts, no retries, breakers that never open. */
const faultGateway = (): GatewayHandle => stack.gateways[1]!;

const gql = (query: string, variables?: Record<string, unknown>, via: GatewayHandle = stack.gateway) =>
  postGraphQL(via.consumerUrl, { query, variables }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });

const profileOf = async (hmppsId: string, via: GatewayHandle = stack.gateway): Promise<{ result: GraphQLResult; p: Record<string, any> }> => {
  const result = await gql(`query P($id: ID!) { person(hmppsId: $id) { ${FULL_PROFILE} } }`, { id: hmppsId }, via);
  return { result, p: result.body.data?.person as Record<string, any> };
};

function noErrors(result: GraphQLResult) {
  expect(result.status).toBe(200);
  expect(result.body.errors).toBeUndefined();
}

describe('every field, for every kind of person', () => {
  it.each(known.people.map((p) => [p.key]))('%s: full profile with no errors and consistent halves', async (key) => {
    const { result, p } = await profileOf(idOf(key));
    noErrors(result);
    const w = person(key);
    expect(p.firstName).toBe(w.firstName);
    expect(p.identifiers.crn).toBe(w.crn);
    expect(p.identifiers.prisonNumber).toBe(w.prisonNumber);
    expect(p.knownToPrison).toBe(w.prisonNumber !== null);
    expect(p.knownToProbation).toBe(w.crn !== null);
    // Prison-fed fields exist exactly when the person is known to prison, and likewise for probation.
    expect(p.prison === null).toBe(w.prisonNumber === null);
    expect(p.alerts === null).toBe(w.prisonNumber === null);
    expect(p.images === null).toBe(w.prisonNumber === null);
    expect(p.probation === null).toBe(w.crn === null);
    expect(p.contactDetails === null).toBe(w.crn === null);
    expect(p.limitedAccess === null).toBe(w.crn === null);
    for (const o of p.offences) expect(['PRISON', 'PROBATION']).toContain(o.source);
    if (w.prisonNumber) expect(p.prison.prisonId ?? p.prison.status).toBeTruthy();
  });

  it('a linked person has both sides: prison details, probation case, officers, merged addresses and offences', async () => {
    const { result, p } = await profileOf(idOf('linked'));
    noErrors(result);
    expect(p.supervisionStatus).toBe('PRISONS');
    expect(p.prison).toMatchObject({ prisonId: 'MDI', inPrison: true });
    expect(p.responsibleOfficer.prisonOffenderManager.surname).toBeTruthy();
    expect(p.responsibleOfficer.communityManager.surname).toBeTruthy();
    expect(new Set(p.offences.map((o: { source: string }) => o.source))).toEqual(new Set(['PRISON', 'PROBATION']));
    expect(new Set(p.sentences.map((s: { source: string }) => s.source))).toEqual(new Set(['PRISON', 'PROBATION']));
    // The simulator gives this person the same home address in both systems: shown once, from both.
    const both = p.addresses.filter((a: { sources: string[] }) => a.sources.length === 2);
    expect(both.length).toBeGreaterThan(0);
    const keys = p.addresses.map((a: { postcode: string; number: string }) => `${a.postcode}|${a.number}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(p.sentenceKeyDates.sentenceStartDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(p.protectedCharacteristics.maritalStatus).toBeTruthy();
    expect(p.protectedCharacteristics.sexualOrientation).toBeTruthy();
  });

  it('alert times carry the Europe/London offset on both sides of the clock changes', async () => {
    const { result, p } = await profileOf(idOf('linked'));
    noErrors(result);
    const all = await gql(`{ person(hmppsId: "${idOf('linked')}") { alerts(first: 100) { nodes { createdAt } } } }`);
    const times: string[] = (all.body.data?.person as any).alerts.nodes.map((n: { createdAt: string }) => n.createdAt);
    expect(times.some((t) => t.endsWith('+01:00'))).toBe(true);
    expect(times.some((t) => t.endsWith('+00:00'))).toBe(true);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(p.alerts.totalCount).toBeGreaterThan(0);
  });

  it('200+ alerts are paginated with stable cursors, filters by code and active state', async () => {
    const id = idOf('many-alerts');
    const first = await gql(`{ person(hmppsId: "${id}") { alerts(first: 100) { totalCount nodes { code active } pageInfo { hasNextPage endCursor } } } }`);
    noErrors(first);
    const page1 = (first.body.data?.person as any).alerts;
    expect(page1.totalCount).toBeGreaterThanOrEqual(200);
    expect(page1.nodes).toHaveLength(100);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const collected = [...page1.nodes];
    let cursor = page1.pageInfo.endCursor;
    while (cursor) {
      const next = await gql(`query N($c: String) { person(hmppsId: "${id}") { alerts(first: 100, after: $c) { nodes { code active } pageInfo { hasNextPage endCursor } } } }`, { c: cursor });
      noErrors(next);
      const page = (next.body.data?.person as any).alerts;
      collected.push(...page.nodes);
      cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    }
    expect(collected).toHaveLength(page1.totalCount);
    const code = collected[0].code;
    const byCode = await gql(`{ person(hmppsId: "${id}") { alerts(codes: ["${code}"], activeOnly: true, first: 100) { totalCount nodes { code active } } } }`);
    const filtered = (byCode.body.data?.person as any).alerts;
    expect(filtered.nodes.every((a: { code: string; active: boolean }) => a.code === code && a.active)).toBe(true);
    expect(filtered.totalCount).toBe(collected.filter((a) => a.code === code && a.active).length);
  });

  it('a cursor from another list is refused as BAD_USER_INPUT', async () => {
    const other = await gql(`{ person(hmppsId: "${idOf('many-alerts')}") { alerts(first: 1) { pageInfo { endCursor } } } }`);
    const cursor = (other.body.data?.person as any).alerts.pageInfo.endCursor;
    const result = await gql(`query Q($c: String) { person(hmppsId: "${idOf('linked')}") { alerts(first: 1, after: $c) { totalCount } } }`, { c: cursor });
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('limited-access flags are reported', async () => {
    const excluded = (await profileOf(idOf('excluded'))).p;
    const restricted = (await profileOf(idOf('restricted'))).p;
    expect(excluded.limitedAccess).toEqual({ excluded: true, restricted: false });
    expect(restricted.limitedAccess.restricted).toBe(true);
  });
});

describe('persons', () => {
  it('answers in the order asked, with NOT_FOUND in place of unknown ids', async () => {
    const ids = [idOf('linked'), known.unknown.crn, idOf('prison-only'), person('merged').mergedPrisonNumbers[0]!];
    const result = await gql('query Q($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName } }', { ids });
    const list = result.body.data?.persons as Array<{ firstName: string } | null>;
    expect(list.map((p) => p?.firstName ?? null)).toEqual([person('linked').firstName, null, person('prison-only').firstName, person('merged').firstName]);
    expect(result.body.errors).toEqual([expect.objectContaining({ path: ['persons', 1], extensions: { code: 'NOT_FOUND' } })]);
  });

  it('refuses more than 100 ids and malformed ids as BAD_USER_INPUT', async () => {
    const tooMany = await gql('query Q($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId } }', { ids: Array(101).fill(idOf('linked')) });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const malformed = await gql('query Q($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId } }', { ids: [idOf('linked'), 'nope'] });
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('searchPersons', () => {
  const search = (criteria: Record<string, unknown>, extra = '') =>
    gql(`query S($c: PersonSearchCriteria!) { searchPersons(criteria: $c${extra}) { totalCount nodes { hmppsId firstName lastName identifiers { crn prisonNumber } } pageInfo { hasNextPage endCursor } } }`, { c: criteria });

  it('a person known to both prison and probation appears once, with both identifiers', async () => {
    const w = person('linked');
    const result = await search({ firstName: w.firstName, lastName: w.lastName, dateOfBirth: w.dateOfBirth });
    noErrors(result);
    const hits = (result.body.data?.searchPersons as any).nodes.filter((n: any) => n.identifiers.crn === w.crn || n.identifiers.prisonNumber === w.prisonNumber);
    expect(hits).toEqual([{ hmppsId: w.crn, firstName: w.firstName, lastName: w.lastName, identifiers: { crn: w.crn, prisonNumber: w.prisonNumber } }]);
  });

  it.each([
    ['in another case', (n: string) => n.toUpperCase()],
    ['with a typographic apostrophe', (n: string) => n.replace(/'/g, '\u2019')],
  ])('matches a name typed %s', async (_what, transform) => {
    const w = person('apostrophe-name');
    const result = await search({ lastName: transform(w.lastName), dateOfBirth: w.dateOfBirth });
    noErrors(result);
    expect((result.body.data?.searchPersons as any).nodes.map((n: any) => n.hmppsId)).toContain(w.crn);
  });

  it('finds hyphenated and accented names as typed, by PNC, and pages in a stable order', async () => {
    for (const key of ['hyphen-name', 'non-ascii-name']) {
      const w = person(key);
      const result = await search({ firstName: w.firstName, lastName: w.lastName });
      noErrors(result);
      expect((result.body.data?.searchPersons as any).nodes.map((n: any) => n.hmppsId)).toContain(w.crn);
    }
    const w = person('linked');
    const byPnc = await search({ pncNumber: w.pncNumber });
    noErrors(byPnc);
    expect((byPnc.body.data?.searchPersons as any).nodes.map((n: any) => n.hmppsId)).toEqual([w.crn]);
  });

  it('pages through a larger result without repeats, in a stable order', async () => {
    const dob = person('linked').dateOfBirth.slice(0, 4);
    // A common last name from the population gives several matches.
    const broad = await search({ lastName: person('linked').lastName }, ', first: 2');
    noErrors(broad);
    const total = (broad.body.data?.searchPersons as any).totalCount;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: GraphQLResult = await gql(
        `query S($c: PersonSearchCriteria!, $a: String) { searchPersons(criteria: $c, first: 2, after: $a) { nodes { hmppsId } pageInfo { hasNextPage endCursor } } }`,
        { c: { lastName: person('linked').lastName }, a: cursor },
      );
      noErrors(page);
      const data = page.body.data?.searchPersons as any;
      seen.push(...data.nodes.map((n: any) => n.hmppsId));
      cursor = data.pageInfo.hasNextPage ? data.pageInfo.endCursor : null;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeLessThanOrEqual(total);
    expect(dob).toMatch(/^\d{4}$/);
  });

  const hmppsIdsOf = (result: GraphQLResult): string[] => (result.body.data?.searchPersons as any).nodes.map((n: any) => n.hmppsId);

  it('a name ending in * matches by prefix (at least two letters)', async () => {
    const w = person('linked');
    const result = await search({ lastName: `${w.lastName.slice(0, 2).toLowerCase()}*` }, ', first: 100');
    noErrors(result);
    const nodes = (result.body.data?.searchPersons as any).nodes as Array<{ hmppsId: string; lastName: string }>;
    expect(nodes.map((n) => n.hmppsId)).toContain(w.crn);
    expect(nodes.every((n) => n.lastName.toLowerCase().startsWith(w.lastName.slice(0, 2).toLowerCase()))).toBe(true);
    expect((await search({ lastName: 'Q*' })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['diacritics not typed', 'non-ascii-name', { firstName: 'Zoe', lastName: 'Bjornsdottir' }],
    ['an apostrophe not typed', 'apostrophe-name', { lastName: 'ODowd' }],
    ['hyphens typed as spaces or not at all', 'hyphen-name', { firstName: 'Jean Luc', lastName: 'AshbyWarrender' }],
  ])('finds a name with %s', async (_what, key, criteria) => {
    const result = await search(criteria);
    noErrors(result);
    expect(hmppsIdsOf(result)).toContain(person(key).crn);
  });

  it('finds a probation-only person by a name typed without its accents, with the date of birth', async () => {
    const p = population.people.find((x) => x.kind === 'probation-only' && x.key === null && x.firstName !== x.firstName.normalize('NFD').replace(/\p{M}/gu, ''))!;
    expect(p).toBeDefined();
    const ascii = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o');
    const result = await search({ firstName: ascii(p.firstName), lastName: ascii(p.lastName), dateOfBirth: p.dateOfBirth });
    noErrors(result);
    expect(hmppsIdsOf(result)).toEqual([p.crn]);
  });

  // The schema's two limits (issue 13 item 8): each sentence of the searchPersons description has a test.
  it('a probation-only person searched by name alone is matched as typed: without its accents not found, as recorded found', async () => {
    const ascii = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o');
    const p = population.people.find((x) => x.kind === 'probation-only' && x.key === null && x.firstName !== ascii(x.firstName))!;
    expect(p).toBeDefined();
    const unaccented = await search({ firstName: ascii(p.firstName), lastName: ascii(p.lastName) }, ', first: 100');
    noErrors(unaccented);
    expect(hmppsIdsOf(unaccented)).not.toContain(p.crn);
    const asRecorded = await search({ firstName: p.firstName, lastName: p.lastName }, ', first: 100');
    noErrors(asRecorded);
    expect(hmppsIdsOf(asRecorded)).toContain(p.crn);
  });

  it('a name whose pattern would match more than 500 prison records is looked for as typed (and its prefix is too broad)', async () => {
    // `Núñez` becomes the pattern `?*?*?*?*?` (accentable letters left open): it matches most of the ~1,400
    // prison records, so the gateway asks again for the name as typed (attribute-search twice).
    const nunez = population.people.filter((x) => x.lastName === 'Núñez');
    const inPrison = nunez.filter((x) => x.prisonNumber !== null);
    expect(inPrison.length).toBeGreaterThan(3);
    const attributeSearches = async (criteria: Record<string, unknown>) => {
      await stack.sims.resetCounters();
      const result = await search(criteria, ', first: 100');
      noErrors(result);
      return { result, calls: ((await stack.sims.counters()) as any).prisonerSearch?.['POST /attribute-search'] as number };
    };
    const rare = await attributeSearches({ lastName: 'Bjornsdottir' });
    const { result: asRecorded, calls } = await attributeSearches({ lastName: 'Núñez' });
    expect(calls).toBe(rare.calls + 1);
    expect(new Set(hmppsIdsOf(asRecorded))).toEqual(new Set(nunez.map((x) => x.crn ?? x.prisonNumber)));
    // As typed: the accents not typed are not ignored here, unlike for a rarer name (`Bjornsdottir` above).
    const unaccented = await search({ lastName: 'Nunez' }, ', first: 100');
    noErrors(unaccented);
    expect(hmppsIdsOf(unaccented).filter((id) => inPrison.some((x) => x.crn === id || x.prisonNumber === id))).toEqual([]);
    const prefix = await search({ lastName: 'Nú*' });
    expect(prefix.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('takes a PNC number in either form', async () => {
    const w = person('prison-only');
    const long = w.pncNumber!;
    for (const pnc of [long, long.slice(2)]) {
      const result = await search({ pncNumber: pnc });
      noErrors(result);
      expect(hmppsIdsOf(result)).toEqual([w.prisonNumber]);
    }
  });

  it('counts a person once when only the core person record links their two records', async () => {
    const p = population.people.find((x) => x.kind === 'linked' && x.crn && x.prisonNumber && x.deliusNomsNumber === null)!;
    expect(p).toBeDefined();
    const result = await search({ firstName: p.firstName, lastName: p.lastName, dateOfBirth: p.dateOfBirth });
    noErrors(result);
    const data = result.body.data?.searchPersons as any;
    expect(data.totalCount).toBe(1);
    expect(data.nodes).toEqual([{ hmppsId: p.crn, firstName: p.firstName, lastName: p.lastName, identifiers: { crn: p.crn, prisonNumber: p.prisonNumber } }]);
  });

  it('needs at least one criterion and refuses bad ones with BAD_USER_INPUT', async () => {
    for (const criteria of [{}, { firstName: '   ' }, { pncNumber: 'not-a-pnc' }, { lastName: 'x'.repeat(101) }, { lastName: 'Robert); DROP' }]) {
      const result = await search(criteria);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const bigPage = await search({ lastName: 'Smith' }, ', first: 101');
    expect(bigPage.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

/** Prison numbers of N people in one prison, straight from the prisoner search simulator. */
async function prisonNumbers(n: number): Promise<string[]> {
  const res = await fetch(`${stack.sims.urls.prisonerSearch}/attribute-search?page=0&size=${n}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await stack.sims.token()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ joinType: 'AND', queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'status', condition: 'IS', searchTerm: 'ACTIVE IN' }] }], pagination: { page: 0, size: n } }),
  });
  const body = (await res.json()) as { content: Array<{ prisonerNumber: string }> };
  return body.content.map((p) => p.prisonerNumber);
}

describe('batching: upstream requests per route do not grow with N on batch routes', () => {
  const BATCH_ROUTES: Array<[UpstreamName, string]> = [
    ['prisonerSearch', 'POST /prisoner-search/prisoner-numbers'],
    ['probationSearch', 'POST /nomsNumbers'],
    ['alerts', 'POST /search/alerts/prison-numbers'],
    ['prisonApi', 'POST /api/offender-sentences'],
  ];
  const table: Record<number, Record<string, number>> = {};

  afterAll(() => {
    const routes = [...new Set(Object.values(table).flatMap((r) => Object.keys(r)))].sort();
    const ns = Object.keys(table).map(Number);
    const lines = [`\nupstream requests per route for persons(N) with a full profile (batch routes marked *)`, `${'route'.padEnd(78)}${ns.map((n) => `N=${n}`.padStart(8)).join('')}`];
    for (const r of routes) {
      const batch = BATCH_ROUTES.some(([u, route]) => r === `${u} ${route}`) ? '*' : ' ';
      lines.push(`${batch}${r.padEnd(77)}${ns.map((n) => String(table[n]![r] ?? 0).padStart(8)).join('')}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });

  it.each([10, 50, 100])('persons(N=%i) with every field', async (n) => {
    const ids = await prisonNumbers(n);
    expect(ids).toHaveLength(n);
    await stack.sims.resetCounters();
    const result = await gql(`query Q($ids: [ID!]!) { persons(hmppsIds: $ids) { ${FULL_PROFILE} } }`, { ids });
    noErrors(result);
    const counters = await stack.sims.counters();
    table[n] = {};
    for (const [upstream, routes] of Object.entries(counters)) {
      if (upstream.startsWith('_') || upstream === 'auth') continue;
      for (const [route, count] of Object.entries(routes)) table[n]![`${upstream} ${route}`] = count;
    }
    for (const [upstream, route] of BATCH_ROUTES) expect(counters[upstream]?.[route]).toBe(1);
  });
});

describe('partial results: one upstream down or hanging', () => {
  afterAll(() => stack.sims.clearFaults());

  const PRISON_FIELDS = ['prison', 'alerts', 'images', 'sentenceKeyDates'];
  // [upstream, fields null with an error, fields intact, merged lists given from the other side with an error naming the missing source (ADR 21)]
  const cases: Array<[UpstreamName, string[], string[], Array<[string, 'PRISON' | 'PROBATION']>]> = [
    ['prisonApi', ['sentenceKeyDates', 'images'], ['firstName', 'prison', 'probation', 'alerts', 'contactDetails'], [['addresses', 'PRISON'], ['offences', 'PRISON'], ['sentences', 'PRISON']]],
    ['alerts', ['alerts'], ['firstName', 'prison', 'addresses', 'offences', 'images'], []],
    ['managePom', ['responsibleOfficer.prisonOffenderManager'], ['firstName', 'prison', 'alerts', 'addresses', 'responsibleOfficer.communityManager'], []],
    ['deliusIntegration', ['probation.dynamicRisks', 'responsibleOfficer.communityManager'], ['firstName', 'prison', 'alerts', 'images', 'sentenceKeyDates'], [['addresses', 'PROBATION'], ['offences', 'PROBATION'], ['sentences', 'PROBATION']]],
    ['personRecord', [], ['firstName', 'identifiers', 'prison', 'probation', 'alerts', 'addresses'], []],
  ];

  const at = (obj: any, path: string) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), obj);

  for (const fault of ['outage', 'hang'] as const) {
    it.each(cases)(`%s ${fault}: the rest of the person is returned, failed fields carry typed errors`, async (upstream, failed, intact, partial) => {
      await stack.sims.setFault(upstream, fault === 'outage' ? { outage: true } : { hang: true });
      try {
        const { result, p } = await profileOf(idOf('linked'), faultGateway());
        expect(result.status).toBe(200);
        expect(p).not.toBeNull();
        for (const field of intact) expect(at(p, field)).not.toBeNull();
        for (const field of failed) expect(at(p, field)).toBeNull();
        const errors = result.body.errors ?? [];
        for (const field of failed) {
          expect(errors.some((e) => e.path?.join('.') === `person.${field}`)).toBe(true);
        }
        for (const [field, missing] of partial) {
          expect(Array.isArray(at(p, field))).toBe(true);
          const error = errors.find((e) => e.path?.join('.') === `person.${field}`);
          expect([field, error?.extensions?.missingSources]).toEqual([field, [missing]]);
        }
        for (const e of errors) {
          expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT']).toContain(e.extensions?.code);
          expect(['prison', 'probation']).toContain(e.extensions?.area);
        }
        expect(result.raw).not.toMatch(/127\.0\.0\.1|localhost|ECONN|ETIMEDOUT|http:\/\/|stack/i);
        if (failed.length === 0) expect(errors).toHaveLength(0);
      } finally {
        await stack.sims.setFault(upstream, {});
      }
    });
  }

  it('prisoner search down: a linked person found by CRN still answers, prison fields fail', async () => {
    await stack.sims.setFault('prisonerSearch', { outage: true });
    try {
      const { result, p } = await profileOf(idOf('linked'), faultGateway());
      expect(p.firstName).toBe(person('linked').firstName);
      expect(p.probation).not.toBeNull();
      for (const field of PRISON_FIELDS) expect(p[field]).toBeNull();
      expect(result.body.errors?.every((e) => e.extensions?.area === 'prison')).toBe(true);
    } finally {
      await stack.sims.setFault('prisonerSearch', {});
    }
  });

  it('two upstreams failing at once never leave a rejected promise unattended (no crash, no unhandled rejection)', async () => {
    // By prison number with probation search down, the probation half is missing; with the Prison API
    // down too, the prison half's own lookups fail while the probation half's fields refuse at once.
    await stack.sims.setFault('probationSearch', { outage: true });
    await stack.sims.setFault('prisonApi', { outage: true });
    try {
      const id = person('linked').prisonNumber!;
      const result = await gql(`{ person(hmppsId: "${id}") { firstName offences { code } sentences { description } addresses { town } } }`, undefined, faultGateway());
      expect(result.status).toBe(200);
      expect((result.body.data?.person as any).firstName).toBe(person('linked').firstName);
      for (const field of ['offences', 'sentences', 'addresses']) {
        expect(result.body.errors?.some((e) => e.path?.join('.') === `person.${field}`)).toBe(true);
      }
    } finally {
      await stack.sims.setFault('probationSearch', {});
      await stack.sims.setFault('prisonApi', {});
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(faultGateway().logs.some((l) => l.includes('unhandled-rejection'))).toBe(false);
    const after = await profileOf(idOf('linked'), faultGateway());
    expect(after.p.firstName).toBe(person('linked').firstName);
  });

  it('probation search down: a person asked for by CRN cannot be identified (null + typed error)', async () => {
    await stack.sims.setFault('probationSearch', { outage: true });
    try {
      const { result, p } = await profileOf(idOf('probation-only'), faultGateway());
      expect(p).toBeNull();
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', area: 'probation' });
    } finally {
      await stack.sims.setFault('probationSearch', {});
    }
  });
});
