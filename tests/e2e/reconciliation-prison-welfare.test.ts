/**
 * Data truth for issue 18's incentive level, health and diet and non-associations: every prisoner of
 * the simulated world (2,000 people by default), fetched through the real gateway in batches
 * (`persons(hmppsIds:)`), value by value against the raw upstream answers read here over HTTP and
 * interpreted from the specs' meaning (nothing imported from src/). Prints values checked and
 * mismatches per field; passes only with no mismatch.
 */
import { describe, expect, it } from '@jest/globals';
import { Population, DEFAULT_SEED } from '../../simulators/lib/population.js';
import { postGraphQL } from '../../local-stack/https.js';
import { londonInstant as londonInstantWhole } from '../support/reference-profile.js';
import { useGatewayStack } from '../support/stack.js';

const POPULATION = Number(process.env.RECONCILIATION_POPULATION ?? 2000);
const BATCH = 50;

const stack = useGatewayStack({
  population: POPULATION,
  timeoutMs: 60_000,
  env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000', UPSTREAM_TIMEOUT_MS: '10000', REQUEST_DEADLINE_MS: '60000', SHUTDOWN_TIMEOUT_MS: '70000' },
});

const FIELDS = `identifiers { prisonNumber }
  incentiveLevel { level code reviewedOn nextReviewDue daysSinceReview reviews { level code reviewedOn reviewedAt reviewType prisonId comments } }
  healthAndDiet { smoker dietRecorded cateringInstructions foodAllergies { code description comment }
    medicalDietaryRequirements { code description comment } personalisedDietaryRequirements { code description comment } }
  nonAssociations(includeClosed: true) { id role otherPersonRole reason restrictionType comment open closedAt closedReason createdAt
    otherPersonWithheld otherPerson { identifiers { prisonNumber } } }
  numberOfChildren
  contacts(first: 100) { totalCount nodes { firstName middleNames lastName dateOfBirth relationshipType relationship relationshipCode nextOfKin
    emergencyContact approvedVisitor active phoneNumber street town postcode comments restrictions { code description } } }`;

type Json = any;

/** The reference reading of a London wall-clock time, keeping fractions of a second (these services send microseconds). */
function londonInstant(local: unknown): string | null {
  if (typeof local !== 'string') return null;
  const m = /^(.*?)(\.\d+)?$/.exec(local)!;
  const whole = londonInstantWhole(m[1]);
  return whole && m[2] ? `${whole.slice(0, -6)}${m[2]}${whole.slice(-6)}` : whole;
}

async function upstream() {
  const token = await stack.sims.token();
  return async (base: string, path: string, body?: unknown): Promise<Json | null> => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`${path} -> ${res.status}`);
    return (await res.json()) as Json;
  };
}

const SMOKER: Record<string, string> = { Y: 'SMOKER', N: 'NON_SMOKER', V: 'VAPER' };
const selections = (field: Json) => (field?.value ?? []).map((s: Json) => ({ code: s.value.code, description: s.value.description, comment: s.comment ?? null }));

/** What the gateway should say, from the raw answers of one prisoner. */
function expected(n: string, prisoner: Json, summary: Json | null, batchLevel: string | undefined, health: Json | null, nas: Json[]) {
  const diet = health?.dietAndAllergy ?? null;
  return {
    // The level comes from the batch route: no level there, no incentive level (whatever the history says).
    incentiveLevel: batchLevel === undefined ? null : {
      level: batchLevel,
      code: summary?.iepCode ?? null,
      reviewedOn: summary?.iepDate ?? null,
      nextReviewDue: summary?.nextReviewDate ?? null,
      daysSinceReview: summary?.daysSinceReview ?? null,
      reviews: [...(summary?.iepDetails ?? [])]
        .sort((a: Json, b: Json) => (a.iepTime < b.iepTime ? 1 : -1))
        .map((r: Json) => ({ level: r.iepLevel, code: r.iepCode, reviewedOn: r.iepDate, reviewedAt: londonInstant(r.iepTime), reviewType: r.reviewType,
          prisonId: r.agencyId ?? null, comments: r.comments ?? null })),
    },
    healthAndDiet: {
      smoker: prisoner?.smoker ? SMOKER[prisoner.smoker] : null,
      dietRecorded: diet !== null,
      cateringInstructions: diet?.cateringInstructions?.value ?? null,
      foodAllergies: selections(diet?.foodAllergies),
      medicalDietaryRequirements: selections(diet?.medicalDietaryRequirements),
      personalisedDietaryRequirements: selections(diet?.personalisedDietaryRequirements),
    },
    nonAssociations: nas
      .filter((x) => x.firstPrisonerNumber === n || x.secondPrisonerNumber === n)
      .map((x) => {
        const first = x.firstPrisonerNumber === n;
        const other = first ? x.secondPrisonerNumber : x.firstPrisonerNumber;
        return { id: String(x.id), role: first ? x.firstPrisonerRole : x.secondPrisonerRole, otherPersonRole: first ? x.secondPrisonerRole : x.firstPrisonerRole,
          reason: x.reason, restrictionType: x.restrictionType, comment: x.comment, open: !x.isClosed, closedAt: x.isClosed ? londonInstant(x.closedAt) : null,
          closedReason: x.isClosed ? x.closedReason ?? null : null, createdAt: londonInstant(x.whenCreated),
          otherPersonWithheld: false, otherPerson: { identifiers: { prisonNumber: other } } };
      })
      .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '') || Number(b.id) - Number(a.id)),
  };
}

describe('reconciliation: incentive level, health and diet, non-associations against the raw upstream answers', () => {
  it('every prisoner of the population, no mismatch', async () => {
    const pop = new Population({ size: POPULATION, seed: DEFAULT_SEED });
    const numbers = pop.people.flatMap((p) => (p.prisonNumber ? [p.prisonNumber] : []));
    const call = await upstream();
    const checked = new Map<string, number>();
    const mismatches = new Map<string, string[]>();
    const compare = (field: string, n: string, got: unknown, want: unknown) => {
      checked.set(field, (checked.get(field) ?? 0) + 1);
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.set(field, [...(mismatches.get(field) ?? []), `${n}: got ${JSON.stringify(got)?.slice(0, 300)} want ${JSON.stringify(want)?.slice(0, 300)}`]);
    };
    for (let i = 0; i < numbers.length; i += BATCH) {
      const batch = numbers.slice(i, i + BATCH);
      const [gateway, prisoners, nas] = await Promise.all([
        postGraphQL(stack.gateway.consumerUrl, { query: `query R($ids: [ID!]!) { persons(hmppsIds: $ids) { ${FIELDS} } }`, variables: { ids: batch } },
          { ca: stack.certs.ca, ...stack.certs.client.devConsumer }),
        call(stack.sims.urls.prisonerSearch, '/prisoner-search/prisoner-numbers', { prisonerNumbers: batch }),
        call(stack.sims.urls.nonAssociations, '/non-associations/involving?includeOpen=true&includeClosed=true', batch),
      ]);
      expect(gateway.body.errors).toBeUndefined();
      const byNumber = new Map<string, Json>((prisoners ?? []).map((p: Json) => [p.prisonerNumber, p]));
      const bookingIds = [...byNumber.values()].map((p) => Number(p.bookingId)).filter((b) => b > 0);
      const levels = new Map<number, string>(((await call(stack.sims.urls.incentives, '/incentive-reviews/bookings', bookingIds)) ?? []).map((l: Json) => [l.bookingId, l.iepLevel]));
      const got = gateway.body.data?.persons as Json[];
      await Promise.all(batch.map(async (n, k) => {
        const [summary, health, contactPage, children] = await Promise.all([
          call(stack.sims.urls.incentives, `/incentive-reviews/prisoner/${n}`),
          call(stack.sims.urls.healthAndMedication, `/prisoners/${n}`),
          call(stack.sims.urls.personalRelationships, `/prisoner/${n}/contact?page=0&size=1000`),
          call(stack.sims.urls.personalRelationships, `/prisoner/${n}/number-of-children`),
        ]);
        const prisoner = byNumber.get(n);
        const want = expected(n, prisoner, summary, levels.get(Number(prisoner?.bookingId)), health, nas ?? []);
        const person = got[k];
        compare('identifiers.prisonNumber', n, person?.identifiers?.prisonNumber, n);
        compare('incentiveLevel', n, person?.incentiveLevel, want.incentiveLevel);
        compare('healthAndDiet', n, person?.healthAndDiet, want.healthAndDiet);
        compare('nonAssociations', n, person?.nonAssociations, want.nonAssociations);
        const contacts = (contactPage?.content ?? []).map((c: Json) => ({
          firstName: c.firstName, middleNames: c.middleNames ?? null, lastName: c.lastName, dateOfBirth: c.dateOfBirth ?? null,
          relationshipType: c.relationshipTypeCode === 'S' ? 'SOCIAL' : c.relationshipTypeCode === 'O' ? 'OFFICIAL' : null,
          relationship: c.relationshipToPrisonerDescription, relationshipCode: c.relationshipToPrisonerCode, nextOfKin: c.isNextOfKin,
          emergencyContact: c.isEmergencyContact, approvedVisitor: c.isApprovedVisitor, active: c.isRelationshipActive, phoneNumber: c.phoneNumber ?? null,
          street: c.street ?? null, town: c.cityDescription ?? null, postcode: c.postcode ?? null, comments: c.comments ?? null,
          restrictions: c.restrictionSummary.active.map((r: Json) => ({ code: r.restrictionType, description: r.restrictionTypeDescription })),
        }));
        compare('contacts', n, person?.contacts, { totalCount: contacts.length, nodes: contacts });
        compare('numberOfChildren', n, person?.numberOfChildren, children?.active ? (children.numberOfChildren ?? null) : null);
      }));
    }
    const lines = ['\nreconciliation (prison life): values checked and mismatches per field'];
    for (const [field, count] of checked) lines.push(`${field.padEnd(30)}${String(count).padStart(8)}${String(mismatches.get(field)?.length ?? 0).padStart(8)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    expect([...mismatches.entries()].map(([f, m]) => `${f}: ${m.length} (${m.slice(0, 2).join(' | ')})`)).toEqual([]);
    expect(checked.get('nonAssociations')).toBeGreaterThan(1000);
  }, 600_000);
});
