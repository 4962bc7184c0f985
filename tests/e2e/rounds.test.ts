/**
 * Rounds of upstream calls (issue 19): the critical-path depth of the calls one full profile makes,
 * measured at the simulators from each call's arrival and answer times (`GET /admin/calls`,
 * `callRounds` in local-stack/simulators.ts). A call is one round deeper than the deepest call that
 * was answered before it arrived; with every upstream answering 100 ms after arrival, calls of the
 * same round arrive within a few ms of each other and a call that waited for another arrives after
 * that one's answer, so the depth is the number of sequential round trips the answer waited for.
 *
 * The physical floor (ADR 19): the given id names the system that holds the person, so that side's
 * routes start with identity resolution (round 1) and the other side's as soon as the link is known
 * (round 2). What is keyed by a booking id (reasonable adjustments, earlier bookings' sentences,
 * offence history) waits for the prison side's answer: round 2 by prison number, round 3 by CRN (a
 * CRN reaches the prison side only through the link; the Prison API has no prison-number route for
 * reasonable adjustments or a booking's sentences). A merged number: at most 3. With every area
 * selected (risks, needs, licences, case records, prison life): 3 by either id - a licence is read by
 * the id its summaries give, after the CRN; the prison-life areas keyed by prison number start with
 * identity resolution like the profile's prison side.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { S1, S1A } from '../../bench/lib.js';
import { postGraphQL } from '../../local-stack/https.js';
import { callRounds, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

const LATENCY_MS = 100;
const stack = useGatewayStack({ simulatorArgs: ['--latency-ms', String(LATENCY_MS)], env: { HEALTH_CHECK_INTERVAL_MS: '3600000' } });
const people = wellKnownPeople().people;
const person = (key: string) => people.find((p) => p.key === key)!;

async function profileRoundsOnce(query: string, id: string) {
  await stack.sims.resetCounters();
  const result = await postGraphQL(stack.gateway.consumerUrl, { query, variables: { id } }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
  expect(result.status).toBe(200);
  expect(result.body.errors).toBeUndefined();
  const calls = (await stack.sims.calls()).filter((c) => c.upstream !== 'auth');
  const counts = Object.fromEntries(calls.map((c) => `${c.upstream} ${c.route}`).map((k, _i, all) => [k, all.filter((x) => x === k).length]));
  return { ...callRounds(calls), counts, data: result.body.data as { person: { identifiers: { prisonNumber: string | null; crn: string | null } } } };
}

/**
 * The fewest rounds of three tries: a measured depth is never below the real one (a call cannot
 * start before the answer it waits for), but a machine busy with other work can start calls of one
 * round so far apart that one looks like it waited for another.
 */
async function profileRounds(query: string, id: string) {
  let best = await profileRoundsOnce(query, id);
  for (let i = 0; i < 2; i++) {
    const next = await profileRoundsOnce(query, id);
    if (next.depth < best.depth) best = next;
  }
  return best;
}

/** FULL_PROFILE without the fields read by booking id (reasonable adjustments; earlier bookings' sentences and courts). */
const BY_PERSON_KEYS = S1.replace(/sentences \{[^}]*\}/, '').replace(/offences \{[^}]*\}/, '').replace(/ reasonableAdjustments \{[^}]*\}/, '');

/** Bookings of the people measured here (simulators/lib/well-known-specs.ts: linked and long-lists have 2). */
const BOOKINGS = 2;

const table: string[] = [];
afterAll(() => {
  process.stdout.write(`\nrounds of upstream calls (critical-path depth at the simulators, ${LATENCY_MS} ms each)\n${table.join('\n')}\n`);
});

describe('rounds of upstream calls for a full profile', () => {
  it('warms the token and the process-wide reference data', async () => {
    // The first request fetches a token and the treatment codes (kept for the process): not per person.
    const first = await profileRounds(S1, person('aliases').prisonNumber!);
    expect(first.data.person.identifiers.prisonNumber).toBe(person('aliases').prisonNumber);
    expect(BY_PERSON_KEYS).not.toMatch(/reasonableAdjustments|offences|sentences \{/);
    expect(BY_PERSON_KEYS).toContain('sentenceKeyDates');
  }, 60_000);

  // A person with two bookings: the earlier booking's sentences are asked by its booking id.
  /**
   * Routes of the prison-life areas keyed by prison number (movements, adjudications, incentive reviews,
   * diet, non-associations, contacts, number of children, future visits, visit balance and restrictions):
   * started with identity resolution, so in the
   * round the prison number is known - round 1 by prison number, round 2 by CRN (the link gives it).
   */
  const PRISON_LIFE_BY_NUMBER = [
    'prisonApi POST /api/movements/offenders',
    'adjudications GET /reported-adjudications/prisoner/{prisonerNumber}',
    'incentives GET /incentive-reviews/prisoner/{prisonerNumber}',
    'healthAndMedication GET /prisoners/{prisonerNumber}',
    'nonAssociations POST /non-associations/involving',
    'personalRelationships GET /prisoner/{prisonNumber}/contact',
    'personalRelationships GET /prisoner/{prisonerNumber}/number-of-children',
    'prisonVisits GET /visits/search/future/{prisonerId}',
    'prisonApi GET /api/bookings/offenderNo/{offenderNo}/visit/balances',
    'prisonApi GET /api/offenders/{offenderNo}/offender-restrictions',
  ];
  const cases: Array<[string, string, string, number, { round: number; routes: string[] }?]> = [
    ['full profile by prison number', S1, person('linked').prisonNumber!, 2],
    ['full profile by prison number, 35 addresses, 60 offences, 2 bookings', S1, person('long-lists').prisonNumber!, 2],
    ['full profile by a merged (old) prison number', S1, person('merged').mergedPrisonNumbers[0]!, 3],
    // Booking ids come from the prison side, which a CRN reaches only through the link: one more round.
    ['full profile by CRN', S1, person('linked').crn!, 3],
    ['profile by CRN without the fields read by booking id', BY_PERSON_KEYS, person('linked').crn!, 2],
    ['profile by CRN without the fields read by booking id, 2 bookings', BY_PERSON_KEYS, person('long-lists').crn!, 2],
    // Every area (risks, needs, licences, case records, prison life). By prison number one round more than
    // the full profile: a licence is read by the id its CRN's summaries give (CRN -> summaries -> licence).
    ['every area by prison number', S1A, person('linked').prisonNumber!, 3, { round: 1, routes: PRISON_LIFE_BY_NUMBER }],
    ['every area by CRN', S1A, person('linked').crn!, 3, { round: 2, routes: PRISON_LIFE_BY_NUMBER }],
  ];
  it.each(cases.map(([name, query, id, most, started]) => ({ name, query, id, most, started })))('$name: at most $most rounds', async ({ name, query, id, most, started }) => {
    const measured = await profileRounds(query, id);
    // Nothing fetched twice: an answer asked early is the one the field resolver reads (a merged
    // number's early answers are about the old number, so that case asks some routes again).
    // A route keyed by booking id is asked once per booking (the people here have at most 2).
    const twice = Object.entries(measured.counts).filter(([route, n]) => n > (route.includes('{bookingId}') ? BOOKINGS : 1));
    if (!name.includes('merged')) expect(twice).toEqual([]);
    // ROUNDS_DEBUG=1 lists the calls of each round.
    if (process.env.ROUNDS_DEBUG) table.push(JSON.stringify(measured.byRound, null, 1));
    table.push(`${name.padEnd(72)} ${String(measured.depth).padStart(2)} rounds (${measured.byRound.map((r) => r.length).join(' + ')} calls)`);
    // Started as soon as their key is known, not after identity resolution has finished.
    if (started) expect({ round: started.round, routes: measured.byRound[started.round - 1] }).toEqual({ round: started.round, routes: expect.arrayContaining(started.routes) });
    // The calls of each round are in the failure message.
    expect({ within: measured.depth <= most, depth: measured.depth, byRound: measured.byRound }).toEqual({ within: true, depth: measured.depth, byRound: measured.byRound });
  }, 60_000);

  // Why a CRN's full profile is 3 rounds, not 2 (issue 19 asked for 2): the third round is only routes
  // keyed by a booking id, which only the prison side's answers give (prisoner search: reasonable
  // adjustments; the bookings batch: offence history, earlier bookings' sentences). The Prison API has
  // no route keyed by prison number for reasonable adjustments or for a booking's sentences; anything
  // else keyed by prison number or CRN is asked in rounds 1 and 2.
  it('full profile by CRN: the third round is only what is read by booking id', async () => {
    const measured = await profileRounds(S1, person('linked').crn!);
    expect(measured.depth).toBe(3);
    const byBookingId = (route: string) => route.includes('{bookingId}') || route === 'prisonApi POST /api/bookings/offence-history';
    expect(measured.byRound[2]!.filter((route) => !byBookingId(route))).toEqual([]);
  }, 60_000);
});
