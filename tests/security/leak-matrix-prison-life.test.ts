/**
 * Leak matrix rows for issue 18's movements, sentence adjustments and adjudications under the sample
 * policy (policy/sample.yaml), end to end over mutual TLS: `prison-operator` holds the `prison-life` role
 * and a prison filter (MDI, LEI, PVI, MHI). Its coordinates are refused to the consumers without the role
 * in every variant, before any upstream call; for a limited-access person the free text the policy names
 * (adjustment notes, incident statements, the adjudicator's outcome and hearing details) is masked and
 * nothing else is, while a person who is not limited access keeps it; and a person outside the prison
 * filter gets exactly an unknown id's answer for the same upstream calls (ADR 19's equal-work rule: the
 * prison-life routes an id's selection starts early are asked for an unknown id too). What the upstream
 * holds is read from the simulators' own data (not through src/).
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadPolicy, MASK } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { adjudications } from '../../simulators/lib/adjudications-data.js';
import { bookings } from '../../simulators/lib/details.js';
import { DEFAULT_SEED, Population, type Person } from '../../simulators/lib/population.js';
import { sentenceAdjustments } from '../../simulators/lib/prison-life-data.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates } from '../../local-stack/consumer-identities.js';
import { countersWhenQuiet, refusalFailures, resetCountersWhenQuiet, upstreamCalls } from './support/harness.js';
import { useConsumerClients } from './support/consumer-clients.js';
import { probesFor, VARIANTS } from './support/matrix.js';

const POLICY_FILE = join(REPO_ROOT, 'policy', 'sample.yaml');
const OPERATOR_PRISONS = new Set(['MDI', 'LEI', 'PVI', 'MHI']);
const AREA_TYPES = ['PrisonMovement', 'SentenceAdjustment', 'AdjudicationPage', 'Adjudication', 'AdjudicationOffence', 'AdjudicationHearing', 'AdjudicationOutcome', 'AdjudicationPunishment'];
const AREA_PERSON_FIELDS = ['Person.movements', 'Person.sentenceAdjustments', 'Person.adjudications'];
/** The prison-life free text the sample policy masks for limited-access people. */
const MASKED = ['SentenceAdjustment.comment', 'Adjudication.incidentStatement', 'AdjudicationOutcome.details', 'AdjudicationHearing.outcomeDetails'];
/** The prison-life routes: a person the consumer may not see costs what an unknown id costs on each. */
const PRISON_LIFE_ROUTES: Array<[string, string]> = [
  ['prisonApi', 'POST /api/movements/offenders'],
  ['prisonApi', 'POST /api/offender-sentences'],
  ['prisonApi', 'GET /api/adjustments/{bookingId}/sentence-and-booking'],
  ['adjudications', 'GET /reported-adjudications/prisoner/{prisonerNumber}'],
];

const known = wellKnownPeople();
const wk = (key: string) => known.people.find((p) => p.key === key)!;
const population = new Population({ size: 2000, seed: DEFAULT_SEED });

/** The free text the simulators hold for a person, one list per masked coordinate. */
function freeText(p: Person): Record<string, string[]> {
  const adj = adjudications(population, p);
  const adjustments = bookings(population, p).flatMap((b) => {
    const a = sentenceAdjustments(population, p, b);
    return [...a.sentence, ...a.booking];
  });
  const present = (xs: Array<string | null | undefined>) => xs.filter((x): x is string => typeof x === 'string' && x !== '');
  return {
    'SentenceAdjustment.comment': present(adjustments.map((a) => a.comment)),
    'Adjudication.incidentStatement': present(adj.map((a) => a.statement)),
    'AdjudicationOutcome.details': present(adj.map((a) => a.outcome?.details)),
    'AdjudicationHearing.outcomeDetails': present(adj.flatMap((a) => a.hearings.map((h) => h.outcome?.details))),
  };
}

/** A person in one of the operator's prisons, limited access or not, with every kind of masked text recorded. */
function personWithAllFreeText(limitedAccess: boolean): Person {
  const found = population.people.find((p) => p.prisonNumber !== null && OPERATOR_PRISONS.has(p.prisonId ?? '')
    && (p.exclusion || p.restriction) === limitedAccess && Object.values(freeText(p)).every((xs) => xs.length > 0));
  if (!found) throw new Error(`no ${limitedAccess ? 'limited-access ' : ''}person with every kind of free text in the population`);
  return found;
}

const stack = useGatewayStack({
  certificates: createSecurityCertificates,
  policy: () => ({ file: POLICY_FILE }),
  // No background health check (a real token request) may fall inside the "no upstream request" windows.
  env: { AUDIT_HASH_KEY: 'a-test-audit-key-that-is-long-enough-0123', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'police-force', 'probation-partner']);
const operator = () => as('prison-operator');

type Json = any;
const PRISON_LIFE = `movements { kind direction occurredAt } sentenceAdjustments { kind days comment }
  adjudications(first: 100) { totalCount nodes { chargeNumber status incidentStatement hearings { type outcomeCode outcomeDetails } outcome { code details } punishments { type days } } }`;
const PROFILE = `query P($id: ID!) { person(hmppsId: $id) { hmppsId ${PRISON_LIFE} } }`;

/** The upstream calls of a request, per upstream and route: the token service left out (a refresh falls where it falls). */
async function callsOfLastRequest(): Promise<Record<string, Record<string, number>>> {
  const counters = await countersWhenQuiet(stack.sims);
  return Object.fromEntries(Object.entries(counters).filter(([upstream]) => upstream !== 'auth' && !upstream.startsWith('_')));
}

/** The values of each masked coordinate in an answer. */
function textsOf(person: Json): Record<string, Array<string | null>> {
  const adj = person.adjudications.nodes as Json[];
  return {
    'SentenceAdjustment.comment': person.sentenceAdjustments.map((a: Json) => a.comment),
    'Adjudication.incidentStatement': adj.map((a) => a.incidentStatement),
    'AdjudicationOutcome.details': adj.map((a) => a.outcome?.details ?? null),
    'AdjudicationHearing.outcomeDetails': adj.flatMap((a) => a.hearings.map((h: Json) => h.outcomeDetails)),
  };
}

describe('leak matrix: the movements, adjustments and adjudications coordinates', () => {
  it('every coordinate is refused (403 naming it, no data, no upstream call) to the consumers without prison-life, in every variant', async () => {
    const schema = buildSchema();
    const policy = loadPolicy(POLICY_FILE, schema);
    const coordinates = new Set([
      ...AREA_PERSON_FIELDS,
      ...AREA_TYPES.flatMap((t) => Object.keys((schema.getType(t) as { getFields(): Record<string, unknown> }).getFields()).map((f) => `${t}.${f}`)),
    ]);
    const probes = ['police-force', 'probation-partner'].flatMap((name) =>
      probesFor(schema, name, policy.consumer(name)!.coordinates).filter((p) => coordinates.has(p.target)),
    );
    for (const target of AREA_PERSON_FIELDS) expect(probes.some((p) => p.target === target)).toBe(true);
    expect(new Set(probes.map((p) => p.variant)).size).toBe(VARIANTS.length);
    // prison-operator holds every one of them.
    expect([...coordinates].filter((c) => !policy.consumer('prison-operator')!.coordinates.has(c))).toEqual([]);
    await resetCountersWhenQuiet(stack.sims);
    expect(await refusalFailures(probes, as)).toEqual([]);
    expect(upstreamCalls(await stack.sims.counters())).toBe(0);
  });

  it('the sample policy masks exactly these prison-life coordinates for limited-access people', () => {
    const policy = loadPolicy(POLICY_FILE, buildSchema());
    const redacted = [...policy.consumer('prison-operator')!.redactions]
      .filter(([coordinate, r]) => r.limitedAccessOnly && r.action === 'mask' && coordinatesOfArea(coordinate))
      .map(([coordinate]) => coordinate);
    expect(redacted.sort()).toEqual([...MASKED].sort());
  });
});

function coordinatesOfArea(coordinate: string): boolean {
  return AREA_PERSON_FIELDS.includes(coordinate) || AREA_TYPES.includes(coordinate.split('.')[0]!);
}

describe('limited-access people: the prison-life free text is masked, nothing else', () => {
  it('a limited-access person in the operator\'s prisons: every adjustment note, statement and outcome detail masked', async () => {
    const p = personWithAllFreeText(true);
    const held = freeText(p);
    const r = await operator().gql(PROFILE, { id: p.prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const person = (r.body.data as Json).person;
    const texts = textsOf(person);
    for (const coordinate of MASKED) {
      const values = texts[coordinate]!;
      // Each text the upstream holds comes back masked; what it does not hold stays null.
      expect({ coordinate, masked: values.filter((v) => v === MASK).length, other: values.filter((v) => v !== MASK && v !== null) })
        .toEqual({ coordinate, masked: held[coordinate]!.length, other: [] });
    }
    // The rest of the record is there: kinds, days, statuses, codes.
    expect(person.sentenceAdjustments.every((a: Json) => typeof a.kind === 'string' && typeof a.days === 'number')).toBe(true);
    expect(person.adjudications.nodes.every((a: Json) => typeof a.status === 'string' && a.status !== MASK)).toBe(true);
    expect(person.movements.length).toBeGreaterThan(0);
  });

  it('a person who is not limited access keeps the text, exactly as the upstream holds it', async () => {
    const p = personWithAllFreeText(false);
    const held = freeText(p);
    const r = await operator().gql(PROFILE, { id: p.prisonNumber });
    expect(r.body.errors).toBeUndefined();
    const texts = textsOf((r.body.data as Json).person);
    for (const coordinate of MASKED) {
      expect({ coordinate, texts: texts[coordinate]!.filter((v) => v !== null).sort() }).toEqual({ coordinate, texts: [...held[coordinate]!].sort() });
    }
  });
});

describe('row filters: a person outside the prison filter is an unknown id for these areas', () => {
  // The prison-life lookups a prison number's selection starts with identity resolution (ADR 19) are made
  // for an id nobody holds too: a person outside the filter costs exactly an unknown id's calls, per
  // upstream and route, and nothing of what they return reaches the consumer.
  it('movements, adjustments and adjudications: the same answer and the same upstream calls as an id nobody holds', async () => {
    for (const by of ['prisonNumber', 'crn'] as const) {
      const unknown = known.unknown[by];
      await resetCountersWhenQuiet(stack.sims);
      const nobody = await operator().gql(PROFILE, { id: unknown });
      const nobodyCalls = await callsOfLastRequest();
      expect(nobody.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      // In another prison (CFI, BMI), released (OUT: the prison-custody role's PRISONS status filter too).
      for (const key of ['other-prison', 'linked-no-cpr', 'released']) {
        const p = wk(key);
        expect(OPERATOR_PRISONS.has(p.prisonId ?? '')).toBe(false);
        await resetCountersWhenQuiet(stack.sims);
        const outside = await operator().gql(PROFILE, { id: p[by] });
        const calls = await callsOfLastRequest();
        expect({ key, by, raw: outside.raw }).toEqual({ key, by, raw: nobody.raw });
        const routes = (c: Record<string, Record<string, number>>) => PRISON_LIFE_ROUTES.map(([u, route]) => `${route}=${c[u]?.[route] ?? 0}`);
        expect({ key, by, routes: routes(calls) }).toEqual({ key, by, routes: routes(nobodyCalls) });
        expect({ key, by, calls }).toEqual({ key, by, calls: nobodyCalls });
      }
    }
    // The same with the rest of the role's areas selected (photographs, visits): still an unknown id's calls.
    const everything = `query E($id: ID!) { person(hmppsId: $id) { hmppsId ${PRISON_LIFE} images { id } futureVisits { reference }
      recentVisits { totalCount } visitBalance { remainingVisitOrders } visitRestrictions { code } } }`;
    for (const by of ['prisonNumber', 'crn'] as const) {
      await resetCountersWhenQuiet(stack.sims);
      const nobody = await operator().gql(everything, { id: known.unknown[by] });
      const nobodyCalls = await callsOfLastRequest();
      await resetCountersWhenQuiet(stack.sims);
      const outside = await operator().gql(everything, { id: wk('other-prison')[by] });
      const calls = await callsOfLastRequest();
      expect({ by, raw: outside.raw, calls }).toEqual({ by, raw: nobody.raw, calls: nobodyCalls });
    }
    // A person inside the filter does get their prison life from the same query (the comparisons above can fail).
    const inside = personWithAllFreeText(false);
    const r = await operator().gql(PROFILE, { id: inside.prisonNumber });
    expect((r.body.data as Json).person.adjudications.totalCount).toBeGreaterThan(0);
  });
});
