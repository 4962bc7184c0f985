/**
 * Social visits (Manage Prison Visits, dps-manage-prison-visits.json; issue 18 area 2), derived per
 * person from a PRNG of its own, seeded by (population seed, prison number, area): the population's
 * own sequence is never drawn from. Visits are held as day offsets from the real (London) today, so
 * "future" and "recent" stay true whatever day the simulator runs: the same person has the same visits,
 * moved with the calendar. Visitors are the person's approved social contacts (contacts-data.ts) where
 * there are any. Edge cases: no visits, dozens of past visits (paging), cancelled visits with their
 * outcome, closed visits, visit notes (free text), visitor support, a released person with past
 * visits only. Also the visit orders balance the Prison API keeps (`visitBalancesOf`): none for a
 * released person or `no-addresses` (404).
 */

import { contactsOf } from './contacts-data.js';
import { SNAPSHOT_DATE, addDays, localDateTime, wallClockToday } from './dates.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';
import { prisonName } from './reference.js';

export type VisitStatus = 'BOOKED' | 'CANCELLED';

export interface VisitModel {
  reference: string;
  applicationReference: string;
  /** Days from today (London); never 0, so a visit is plainly past or future. */
  dayOffset: number;
  startMinutes: number;
  durationMinutes: number;
  /** Days before the visit it was booked. */
  bookedDaysBefore: number;
  prisonId: string;
  status: VisitStatus;
  outcome: string | null;
  restriction: 'OPEN' | 'CLOSED';
  room: string;
  visitors: Array<{ nomisPersonId: number; visitContact: boolean }>;
  contact: { name: string; telephone: string | null; email: string | null };
  notes: Array<{ type: 'VISITOR_CONCERN' | 'VISIT_OUTCOMES' | 'VISIT_COMMENT' | 'STATUS_CHANGED_REASON'; text: string }>;
  support: string | null;
}

/** (future, past) visit counts of the well-known people; others draw theirs. */
const WELL_KNOWN: Readonly<Record<string, readonly [number, number]>> = {
  linked: [2, 6],
  'prison-only': [1, 2],
  'no-addresses': [0, 0],
  'long-lists': [4, 60],
  restricted: [1, 3],
  released: [0, 3],
  'many-alerts': [3, 8],
};

const ROOMS = ['Visits Main Hall', 'Visits Hall B', 'Family Visits Room'] as const;
const CANCEL_OUTCOMES = ['VISITOR_CANCELLED', 'PRISONER_CANCELLED', 'ESTABLISHMENT_CANCELLED', 'ADMINISTRATIVE_CANCELLATION', 'BOOKER_CANCELLED'] as const;
const CONCERNS = ['Visitor asked about bringing a child not on the booking.', 'Visitor seemed anxious at search; no items found.', 'Visitor mentioned a family illness.'] as const;
const COMMENTS = ['Wheelchair space needed at the table.', 'First visit since transfer.', 'Visitor travelling from abroad; please allow late arrival.'] as const;
const SUPPORT = ['Wheelchair access', 'Hearing loop', 'Visually impaired assistance'] as const;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

export function visitsOf(pop: Population, p: Person): VisitModel[] {
  if (p.prisonNumber === null || p.prisonId === null) return [];
  return pop.memo('prison-visits', p.index, () => build(pop, p, p.prisonNumber as string));
}

function build(pop: Population, p: Person, prisonNumber: string): VisitModel[] {
  const rng = Rng.of(pop.seed, prisonNumber, 'prison-visits');
  const released = p.prisonId === 'OUT';
  const picked = p.key !== null ? WELL_KNOWN[p.key] : undefined;
  const future = picked?.[0] ?? (released || rng.chance(0.4) ? 0 : rng.between(1, 3));
  const past = picked?.[1] ?? (rng.chance(0.3) ? 0 : rng.between(1, 10));
  const prisonId = (released ? p.lastPrisonId : p.prisonId) ?? 'MDI';
  const approved = contactsOf(pop, p).filter((c) => c.isApprovedVisitor && c.relationshipTypeCode === 'S');
  const out: VisitModel[] = [];
  const reference = () => [0, 1, 2, 3].map(() => rng.letters(2, LOWER)).join('-');
  for (let i = 0; i < future + past; i++) {
    const isFuture = i < future;
    // Future visits within the booking window (28 days); past ones over the last 400 days (some beyond a
    // year), those of the well-known people (but `long-lists`) within the last 300.
    const pastSpan = p.key !== null && p.key !== 'long-lists' ? 300 : 400;
    const dayOffset = isFuture ? rng.between(1, 28) : -rng.between(1, pastSpan);
    const cancelled = (p.key === 'linked' && i === future + 1) || (!isFuture && rng.chance(0.12));
    const closed = (p.key === 'linked' && i === 0) || rng.chance(0.08);
    const guests = approved.length > 0 ? approved.slice(0, rng.between(1, Math.min(3, approved.length))) : [];
    const visitorIds = guests.length > 0 ? guests.map((c) => c.contactId) : [9_500_000 + p.index * 16 + (i % 16)];
    const lead = guests[0];
    const notes: VisitModel['notes'] = [];
    if (p.key === 'restricted' || (p.key === 'linked' && i === future) || rng.chance(0.1)) notes.push({ type: 'VISITOR_CONCERN', text: rng.pick(CONCERNS) });
    if (rng.chance(0.1)) notes.push({ type: 'VISIT_COMMENT', text: rng.pick(COMMENTS) });
    if (cancelled) notes.push({ type: 'STATUS_CHANGED_REASON', text: 'Visitor unwell on the day.' });
    out.push({
      reference: reference(),
      applicationReference: reference(),
      dayOffset,
      startMinutes: rng.pick([9 * 60 + 30, 13 * 60 + 45, 14 * 60, 15 * 60 + 30]),
      durationMinutes: rng.pick([60, 90, 120]),
      bookedDaysBefore: rng.between(1, 27),
      prisonId,
      status: cancelled ? 'CANCELLED' : 'BOOKED',
      outcome: cancelled ? rng.pick(CANCEL_OUTCOMES) : isFuture ? null : rng.chance(0.8) ? 'COMPLETED_NORMALLY' : null,
      restriction: closed ? 'CLOSED' : 'OPEN',
      room: rng.pick(ROOMS),
      visitors: visitorIds.map((id, k) => ({ nomisPersonId: id, visitContact: k === 0 })),
      contact: {
        name: lead ? `${lead.firstName} ${lead.lastName}` : `${rng.pick(['Alex', 'Sam', 'Jo'])} ${p.lastName}`,
        telephone: lead?.phoneNumber ?? (rng.chance(0.5) ? `07700 900${String(rng.int(1000)).padStart(3, '0')}` : null),
        email: rng.chance(0.3) ? `visitor${p.index}@example.com` : null,
      },
      notes,
      support: p.key === 'linked' && i === 0 ? 'Wheelchair access' : rng.chance(0.05) ? rng.pick(SUPPORT) : null,
    });
  }
  return out;
}

/** The visit as the service's VisitDto, its times London wall-clock times on today's calendar. */
export function visitDto(p: Person, v: VisitModel, today: string = wallClockToday()): Record<string, unknown> {
  const day = addDays(today, v.dayOffset);
  const booked = localDateTime(addDays(day, -v.bookedDaysBefore), 10 * 60 + 5);
  return {
    applicationReference: v.applicationReference,
    reference: v.reference,
    prisonerId: p.prisonNumber,
    prisonId: v.prisonId,
    prisonName: prisonName(v.prisonId) ?? v.prisonId,
    sessionTemplateReference: `${v.prisonId.toLowerCase()}.ses.${v.startMinutes}`,
    visitRoom: v.room,
    visitType: 'SOCIAL',
    visitStatus: v.status,
    ...(v.outcome ? { outcomeStatus: v.outcome } : {}),
    visitRestriction: v.restriction,
    startTimestamp: localDateTime(day, v.startMinutes),
    endTimestamp: localDateTime(day, v.startMinutes + v.durationMinutes),
    visitNotes: v.notes,
    visitContact: { name: v.contact.name, ...(v.contact.telephone ? { telephone: v.contact.telephone } : {}),
      ...(v.contact.email ? { email: v.contact.email } : {}) },
    visitors: v.visitors,
    ...(v.support ? { visitorSupport: { description: v.support } } : {}),
    createdTimestamp: booked,
    modifiedTimestamp: booked,
    firstBookedDateTime: booked,
  };
}

export interface VisitBalancesModel {
  remainingVo: number;
  remainingPvo: number;
  latestIepAdjustDate: string | null;
  latestPrivIepAdjustDate: string | null;
}

/** The visit orders balance (nomis-prison-api.json VisitBalances), from a PRNG of its own; null when none is held. */
export function visitBalancesOf(pop: Population, p: Person): VisitBalancesModel | null {
  if (p.prisonNumber === null || p.prisonId === null || p.prisonId === 'OUT' || p.key === 'no-addresses') return null;
  const rng = Rng.of(pop.seed, p.prisonNumber, 'visit-balances');
  if (p.key === null && rng.chance(0.1)) return null;
  return {
    remainingVo: p.key === 'linked' ? 2 : rng.between(0, 4),
    remainingPvo: p.key === 'linked' ? 1 : rng.between(0, 2),
    latestIepAdjustDate: rng.chance(0.8) ? addDays(SNAPSHOT_DATE, -rng.between(1, 28)) : null,
    latestPrivIepAdjustDate: rng.chance(0.6) ? addDays(SNAPSHOT_DATE, -rng.between(1, 28)) : null,
  };
}
