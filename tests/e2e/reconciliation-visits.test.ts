/**
 * Data truth for issue 18's visits (and the Prison API's visit orders balance and visit restrictions): every prisoner of the simulated world (2,000 people by default),
 * fetched through the real gateway in batches (`persons(hmppsIds:)`), value by value against the raw
 * Manage Prison Visits and Prison API answers read here over HTTP and interpreted from the spec's meaning (nothing
 * imported from src/). Prints values checked and mismatches per field; passes only with no mismatch.
 */
import { describe, expect, it } from '@jest/globals';
import { Population, DEFAULT_SEED } from '../../simulators/lib/population.js';
import { postGraphQL } from '../../local-stack/https.js';
import { londonInstant } from '../support/reference-profile.js';
import { useGatewayStack } from '../support/stack.js';

const POPULATION = Number(process.env.RECONCILIATION_POPULATION ?? 2000);
const BATCH = 50;
const DAYS = 366;

const stack = useGatewayStack({
  population: POPULATION,
  timeoutMs: 60_000,
  env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000', UPSTREAM_TIMEOUT_MS: '10000', REQUEST_DEADLINE_MS: '60000', SHUTDOWN_TIMEOUT_MS: '70000' },
});

const VISIT = `reference prisonId prisonName startAt endAt status outcome type restriction room visitorCount
  visitors { contactId mainContact } mainContact { name telephone } notes { type text } visitorSupport`;
const FIELDS = `identifiers { prisonNumber } futureVisits { ${VISIT} } recentVisits(days: ${DAYS}, first: 100) { totalCount nodes { ${VISIT} } }
  visitBalance { remainingVisitOrders remainingPrivilegedVisitOrders visitOrdersAdjustedOn privilegedVisitOrdersAdjustedOn }
  visitRestrictions(includeExpired: true) { code description comment startDate expiryDate active }
  active: visitRestrictions { code }`;

type Json = any;

async function upstream() {
  const token = await stack.sims.token();
  return async (base: string, path: string): Promise<Json | null> => {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`${path} -> ${res.status}`);
    return (await res.json()) as Json;
  };
}

const blank = (s: unknown) => (typeof s === 'string' && s.trim() !== '' ? s.trim() : null);

/** What the gateway should say of one VisitDto, read from the spec's meaning. */
function expectedVisit(v: Json) {
  const visitors = (v.visitors ?? []) as Json[];
  return {
    reference: v.reference,
    prisonId: v.prisonId,
    prisonName: blank(v.prisonName),
    startAt: londonInstant(v.startTimestamp),
    endAt: londonInstant(v.endTimestamp),
    status: v.visitStatus,
    outcome: blank(v.outcomeStatus),
    type: v.visitType,
    restriction: v.visitRestriction,
    room: blank(v.visitRoom),
    visitorCount: visitors.length,
    visitors: visitors.map((x) => ({ contactId: String(x.nomisPersonId), mainContact: x.visitContact === true })),
    mainContact: v.visitContact ? { name: v.visitContact.name, telephone: blank(v.visitContact.telephone) } : null,
    notes: (v.visitNotes ?? []).map((n: Json) => ({ type: n.type, text: n.text })),
    visitorSupport: blank(v.visitorSupport?.description),
  };
}

const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const daysBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

describe('reconciliation: visits against the raw Manage Prison Visits answers', () => {
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
    let visits = 0;
    let restrictionCount = 0;
    for (let i = 0; i < numbers.length; i += BATCH) {
      const batch = numbers.slice(i, i + BATCH);
      const today = londonToday();
      const window = `visitStartDate=${daysBefore(today, DAYS - 1)}&visitEndDate=${today}`;
      const gateway = await postGraphQL(stack.gateway.consumerUrl, { query: `query R($ids: [ID!]!) { persons(hmppsIds: $ids) { ${FIELDS} } }`, variables: { ids: batch } },
        { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
      expect(gateway.body.errors).toBeUndefined();
      const got = gateway.body.data?.persons as Json[];
      const byNumber = new Map<string, Json>(got.map((p) => [p.identifiers?.prisonNumber, p]));
      await Promise.all(batch.map(async (n) => {
        const [future, search, balance, restrictions] = await Promise.all([
          call(stack.sims.urls.prisonVisits, `/visits/search/future/${n}`),
          call(stack.sims.urls.prisonVisits, `/visits/search?prisonerId=${n}&${window}&visitStatus=BOOKED&visitStatus=CANCELLED&page=0&size=1000`),
          call(stack.sims.urls.prisonApi, `/api/bookings/offenderNo/${n}/visit/balances`),
          call(stack.sims.urls.prisonApi, `/api/offenders/${n}/offender-restrictions?activeRestrictionsOnly=false`),
        ]);
        const person = byNumber.get(n);
        compare('identifiers.prisonNumber', n, person?.identifiers?.prisonNumber, n);
        compare('futureVisits', n, person?.futureVisits, (future ?? []).map(expectedVisit));
        const recent = (search?.content ?? []) as Json[];
        visits += recent.length + (future ?? []).length;
        compare('recentVisits.totalCount', n, person?.recentVisits?.totalCount, search?.totalElements ?? 0);
        compare('recentVisits.nodes', n, person?.recentVisits?.nodes, recent.slice(0, 100).map(expectedVisit));
        compare('visitBalance', n, person?.visitBalance, balance === null ? null : {
          remainingVisitOrders: balance.remainingVo, remainingPrivilegedVisitOrders: balance.remainingPvo,
          visitOrdersAdjustedOn: balance.latestIepAdjustDate ?? null, privilegedVisitOrdersAdjustedOn: balance.latestPrivIepAdjustDate ?? null,
        });
        // Newest start first (the spec gives no order); ties in the upstream's order.
        const all = ((restrictions?.offenderRestrictions ?? []) as Json[])
          .map((r, i) => ({ r, i })).sort((a, b) => (b.r.startDate < a.r.startDate ? -1 : b.r.startDate > a.r.startDate ? 1 : a.i - b.i))
          .map(({ r }) => ({ code: r.restrictionType, description: r.restrictionTypeDescription, comment: blank(r.comment), startDate: r.startDate, expiryDate: r.expiryDate ?? null, active: r.active }));
        restrictionCount += all.length;
        compare('visitRestrictions', n, person?.visitRestrictions, all);
        compare('visitRestrictions (in force)', n, person?.active, all.filter((r) => r.active).map((r) => ({ code: r.code })));
      }));
    }
    const lines = [`\nreconciliation (visits): ${numbers.length} prisoners, ${visits} visits, ${restrictionCount} visit restrictions; values checked and mismatches per field`];
    for (const [field, count] of checked) lines.push(`${field.padEnd(30)}${String(count).padStart(8)}${String(mismatches.get(field)?.length ?? 0).padStart(8)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    expect([...mismatches.entries()].map(([f, m]) => `${f}: ${m.length} (${m.slice(0, 2).join(' | ')})`)).toEqual([]);
    expect(visits).toBeGreaterThan(1000);
    expect(restrictionCount).toBeGreaterThan(100);
  }, 600_000);
});
