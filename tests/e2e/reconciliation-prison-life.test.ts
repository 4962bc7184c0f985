/**
 * Data truth for movements, sentence adjustments and adjudications (issue 18 areas 7, 8 and 4): every
 * person of the simulated world with a prison number, through the real gateway (`persons`, 100 at a
 * time), against the raw upstream answers read here from the specs' meaning (nothing imported from
 * src/): the movements batch route for all bookings, each booking's sentence-and-booking adjustments,
 * and each prisoner's reported adjudications.
 * Prints values checked and mismatches per field; passes only with none.
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../../local-stack/https.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { londonInstant } from '../support/reference-profile.js';
import { useGatewayStack } from '../support/stack.js';

const POPULATION = Number(process.env.RECONCILIATION_POPULATION ?? 2000);

const stack = useGatewayStack({
  population: POPULATION,
  timeoutMs: 60_000,
  env: {
    MAX_QUERY_COST: '10000000',
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_BURST: '1000',
    UPSTREAM_TIMEOUT_MS: '10000',
    REQUEST_DEADLINE_MS: '60000',
    SHUTDOWN_TIMEOUT_MS: '70000',
    HEALTH_CHECK_INTERVAL_MS: '3600000',
  },
});

type Json = any;

const KIND: Record<string, string> = { ADM: 'ADMISSION', REL: 'RELEASE', TRN: 'TRANSFER', TAP: 'TEMPORARY_ABSENCE', CRT: 'COURT' };
const ADJUSTMENT: Record<string, string> = {
  REMAND: 'REMAND', TAGGED_BAIL: 'TAGGED_BAIL', UNUSED_REMAND: 'UNUSED_REMAND', RECALL_SENTENCE_REMAND: 'RECALL_REMAND',
  RECALL_SENTENCE_TAGGED_BAIL: 'RECALL_TAGGED_BAIL', TIME_SPENT_IN_CUSTODY_ABROAD: 'CUSTODY_ABROAD',
  TIME_SPENT_AS_AN_APPEAL_APPLICANT: 'APPEAL_APPLICANT', ADDITIONAL_DAYS_AWARDED: 'ADDITIONAL_DAYS_AWARDED',
  RESTORED_ADDITIONAL_DAYS_AWARDED: 'RESTORED_ADDITIONAL_DAYS_AWARDED', UNLAWFULLY_AT_LARGE: 'UNLAWFULLY_AT_LARGE',
  LAWFULLY_AT_LARGE: 'LAWFULLY_AT_LARGE', SPECIAL_REMISSION: 'SPECIAL_REMISSION',
};

const chunks = <T>(xs: readonly T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** A list compared as a multiset of canonical entries (order is checked apart). */
const bag = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

describe(`reconciliation of movements, sentence adjustments and adjudications (population ${POPULATION})`, () => {
  it('matches the raw Prison API and Manage Adjudications answers for every prisoner', async () => {
    const population = new Population({ size: POPULATION, seed: DEFAULT_SEED });
    const numbers = population.people.flatMap((p) => (p.prisonNumber ? [p.prisonNumber] : []));
    const token = await stack.sims.token();
    const call = async (path: string, body?: unknown, base: string = stack.sims.urls.prisonApi): Promise<Json> => {
      const res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json();
    };

    // Raw answers.
    const movements = new Map<string, Json[]>(numbers.map((n) => [n, []]));
    const bookings = new Map<string, number[]>(numbers.map((n) => [n, []]));
    await pool(chunks(numbers, 500), 2, async (batch) => {
      for (const m of await call('/api/movements/offenders?latestOnly=false&allBookings=true', batch)) movements.get(m.offenderNo)!.push(m);
      for (const b of await call('/api/offender-sentences', batch)) bookings.get(b.offenderNo)!.push(b.bookingId);
    });
    const adjustments = new Map<string, Json[]>();
    await pool(numbers, 16, async (n) => {
      const list: Json[] = [];
      for (const id of bookings.get(n)!) {
        const a = await call(`/api/adjustments/${id}/sentence-and-booking`);
        for (const x of a?.sentenceAdjustments ?? []) list.push({ ...x, level: 'sentence' });
        for (const x of a?.bookingAdjustments ?? []) list.push({ ...x, level: 'booking' });
      }
      adjustments.set(n, list);
    });
    const adjudications = new Map<string, Json[]>();
    await pool(numbers, 16, async (n) => {
      adjudications.set(n, (await call(`/reported-adjudications/prisoner/${n}`, undefined, stack.sims.urls.adjudications)) ?? []);
    });

    // What each should be, read from the spec's meaning.
    const expectedMovements = (n: string) =>
      movements.get(n)!.map((m) => ({
        kind: KIND[m.movementType], direction: m.directionCode, date: m.movementDate,
        occurredAt: londonInstant(`${m.movementDate}T${m.movementTime}`), reasonCode: m.movementReasonCode ?? null, reason: m.movementReason ?? null,
        fromLocation: m.fromAgency ?? null, fromLocationName: m.fromAgencyDescription ?? null, toLocation: m.toAgency ?? null, toLocationName: m.toAgencyDescription ?? null,
      }));
    const expectedAdjustments = (n: string) =>
      adjustments.get(n)!.map((a) => ({
        kind: ADJUSTMENT[a.type], sentenceNumber: a.level === 'sentence' ? (a.sentenceSequence ?? null) : null, days: a.numberOfDays,
        fromDate: a.fromDate ?? null, toDate: a.toDate ?? null, active: a.active !== false, comment: a.comment ?? null,
      }));

    const local = (v: unknown) => (typeof v === 'string' ? londonInstant(v.slice(0, 19)) : null);
    const expectedAdjudications = (n: string) =>
      adjudications.get(n)!.map((a) => {
        const outcomes = (a.outcomes ?? []).filter((o: Json) => o.outcome?.outcome);
        const last = outcomes.length > 0 ? outcomes[outcomes.length - 1].outcome.outcome : null;
        return {
          chargeNumber: a.chargeNumber, status: a.status, prisonId: a.overrideAgencyId ?? a.originatingAgencyId, incidentAt: local(a.incidentDetails.dateTimeOfIncident),
          offence: { code: String(a.offenceDetails.offenceCode), paragraph: a.offenceDetails.offenceRule?.paragraphNumber ?? null, description: a.offenceDetails.offenceCodeDescription ?? null },
          incidentStatement: a.incidentStatement?.statement ?? null,
          hearings: bag((a.hearings ?? []).map((h: Json) => ({ heldAt: local(h.dateTimeOfHearing), type: h.oicHearingType, outcomeCode: h.outcome?.code ?? null, plea: h.outcome?.plea ?? null }))),
          outcome: last ? { code: last.code, details: last.details ?? null } : null,
          punishments: bag((a.punishments ?? []).map((p: Json) => ({
            type: p.type, privilege: p.privilegeType === 'OTHER' ? (p.otherPrivilege ?? null) : (p.privilegeType ?? null), days: p.schedule.days,
            startDate: p.schedule.startDate ?? null, endDate: p.schedule.endDate ?? null, suspendedUntil: p.schedule.suspendedUntil ?? null,
          }))),
        };
      });

    // The gateway's answers.
    const answers = new Map<string, Json>();
    await pool(chunks(numbers, 100), 2, async (batch) => {
      const res = await postGraphQL(
        stack.gateway.consumerUrl,
        {
          query: `query P($ids: [ID!]!) { persons(hmppsIds: $ids) {
            movements { kind direction date occurredAt reasonCode reason fromLocation fromLocationName toLocation toLocationName }
            sentenceAdjustments { kind sentenceNumber days fromDate toDate active comment }
            adjudications(first: 100) { totalCount nodes { chargeNumber status prisonId incidentAt offence { code paragraph description } incidentStatement
              hearings { heldAt type outcomeCode plea } outcome { code details } punishments { type privilege days startDate endDate suspendedUntil } } } } }`,
          variables: { ids: batch },
        },
        { ca: stack.certs.ca, ...stack.certs.client.devConsumer },
      );
      if (res.status !== 200 || res.body.errors) throw new Error(`gateway: ${res.status} ${res.raw.slice(0, 500)}`);
      batch.forEach((n, i) => answers.set(n, (res.body.data!.persons as Json[])[i]));
    });

    const tally = new Map<string, { checked: number; wrong: number; example?: string }>();
    const check = (field: string, ok: boolean, detail: () => string) => {
      const t = tally.get(field) ?? { checked: 0, wrong: 0 };
      t.checked += 1;
      if (!ok) {
        t.wrong += 1;
        t.example ??= detail();
      }
      tally.set(field, t);
    };
    for (const n of numbers) {
      const got = answers.get(n);
      const [em, gm] = [bag(expectedMovements(n)), bag(got.movements ?? [])];
      check('movements', JSON.stringify(em) === JSON.stringify(gm), () => `${n}: expected ${em.length} got ${gm.length}: ${em.find((x) => !gm.includes(x))}`);
      const times = (got.movements ?? []).map((m: Json) => Date.parse(m.occurredAt));
      check('movements (newest first)', times.every((t: number, i: number) => i === 0 || times[i - 1] >= t), () => n);
      const [ea, ga] = [bag(expectedAdjustments(n)), bag(got.sentenceAdjustments ?? [])];
      check('sentenceAdjustments', JSON.stringify(ea) === JSON.stringify(ga), () => `${n}: ${ea.find((x) => !ga.includes(x)) ?? ga.find((x) => !ea.includes(x))}`);
      const froms = (got.sentenceAdjustments ?? []).map((a: Json) => a.fromDate ?? '');
      check('sentenceAdjustments (newest first)', froms.every((d: string, i: number) => i === 0 || froms[i - 1] >= d), () => n);
      const page = got.adjudications;
      check('adjudications.totalCount', page.totalCount === adjudications.get(n)!.length, () => `${n}: ${page.totalCount}`);
      const gotAdjudications = page.nodes.map((a: Json) => ({ ...a, hearings: bag(a.hearings), punishments: bag(a.punishments) }));
      const [ej, gj] = [bag(expectedAdjudications(n)), bag(gotAdjudications)];
      check('adjudications', JSON.stringify(ej) === JSON.stringify(gj), () => `${n}: ${ej.find((x) => !gj.includes(x)) ?? gj.find((x) => !ej.includes(x))}`);
      const incidents = page.nodes.map((a: Json) => Date.parse(a.incidentAt));
      check('adjudications (newest first)', incidents.every((t: number, i: number) => i === 0 || incidents[i - 1] >= t), () => n);
    }
    const values = [movements, adjustments, adjudications].reduce((sum, m) => sum + [...m.values()].reduce((s, l) => s + l.length, 0), 0);
    console.log(
      [
        `prison-life reconciliation: ${numbers.length} prisoners, ${values} movements, adjustments and adjudications`,
        ...[...tally].map(([f, t]) => `  ${f.padEnd(40)} ${String(t.checked).padStart(6)} checked ${String(t.wrong).padStart(5)} wrong${t.example ? `  e.g. ${t.example}` : ''}`),
      ].join('\n'),
    );
    expect([...tally.values()].reduce((s, t) => s + t.wrong, 0)).toBe(0);
  }, 240_000);
});
