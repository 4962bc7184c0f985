/**
 * Probation contact events (Delius `GET /case/{crn}/contacts`, the ViSOR contacts a MAPPA case has),
 * generated on demand from their own PRNG seeded by (population seed, CRN, "contact-events"): nothing
 * is drawn from the population's sequence. A case has contacts only while it has a MAPPA category
 * (details.ts `risks`), and Delius lists them only when that category is one the caller asks for.
 * The well-known `hyphen-name` person (MAPPA category 3) has 150, `excluded` (category 2, a
 * limited-access case) 25. Newest first; date-times carry their UTC offset (Delius ZonedDateTime).
 */

import { SNAPSHOT_DATE, addDays, zonedDateTime } from './dates.js';
import { risks } from './details.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';
import { PROBATION_TEAMS, STAFF_FIRST, STAFF_LAST } from './reference.js';

export const CONTACT_TYPES = [
  { code: 'IVSP', description: 'ViSOR - Home Visit', notes: ['Home visit completed; address verified and no concerns.', 'Home visit: partner present, discussed licence conditions.'] },
  { code: 'IVSR', description: 'ViSOR - Record Update', notes: ['ViSOR record updated with new vehicle details.', 'Photographs updated on the ViSOR record.'] },
  { code: 'IMPO', description: 'MAPPA Meeting', notes: ['MAPP meeting held; risk management plan reviewed.', 'MAPP meeting: actions agreed with police.'] },
  { code: 'CTOA', description: 'Office Appointment', notes: ['Reported as instructed; discussed employment.', 'Attended late; reminded of reporting requirements.'] },
] as const;

const LOCATIONS = [
  { code: 'OFF1', description: 'Probation Office' },
  { code: 'HOME', description: 'Home Address' },
  { code: 'POLS', description: 'Police Station' },
] as const;

const OUTCOMES = [
  { code: 'ATTC', description: 'Attended - Complied' },
  { code: 'AFTA', description: 'Failed to Attend' },
  { code: 'ACFI', description: 'Attended - Failed to Comply' },
] as const;

export interface ContactEventModel {
  id: number;
  crn: string;
  contactDate: string;
  createdAt: string;
  updatedAt: string;
  type: { code: string; description: string };
  description: string;
  location: { code: string; description: string } | null;
  outcome: { code: string; description: string } | null;
  officer: { code: string; name: { forename: string; surname: string }; team: { code: string; description: string; pdu: { code: string; description: string; provider: { code: string; description: string } } } };
  notes: string | null;
}

const WELL_KNOWN_COUNTS: Record<string, number> = { 'hyphen-name': 150, excluded: 25, 'other-prison': 12 };

/** The case's MAPPA category, or null without one (no ViSOR contacts then). */
export function mappaCategoryOf(pop: Population, p: Person): number | null {
  return p.crn === null ? null : (risks(pop, p).mappa?.category ?? null);
}

/** Every contact event of the case, newest first (empty without a CRN or a MAPPA category). */
export function contactEvents(pop: Population, p: Person): ContactEventModel[] {
  if (p.crn === null || mappaCategoryOf(pop, p) === null) return [];
  return pop.memo('contact-events', p.index, () => buildContacts(pop, p, p.crn as string));
}

function buildContacts(pop: Population, p: Person, crn: string): ContactEventModel[] {
  const rng = Rng.of(pop.seed, crn, 'contact-events');
  const known = p.key !== null ? WELL_KNOWN_COUNTS[p.key] : undefined;
  const count = known ?? rng.between(0, 40);
  const list: ContactEventModel[] = [];
  let day = addDays(SNAPSHOT_DATE, -rng.between(0, 14));
  const base = 2_500_000_000 + (rng.int(1_000_000) * 1000);
  for (let i = 0; i < count; i++) {
    const type = rng.pick(CONTACT_TYPES);
    const team = rng.pick(PROBATION_TEAMS);
    const minutes = rng.between(9 * 60, 17 * 60);
    const contactDate = zonedDateTime(day, minutes);
    list.push({
      id: base + count - i,
      crn,
      contactDate,
      createdAt: zonedDateTime(day, Math.min(minutes + 30, 23 * 60)),
      updatedAt: zonedDateTime(addDays(day, rng.between(0, 2)), 10 * 60),
      type: { code: type.code, description: type.description },
      description: `${type.description} (${i % 2 === 0 ? 'planned' : 'unplanned'})`,
      location: rng.chance(0.8) ? { ...rng.pick(LOCATIONS) } : null,
      outcome: rng.chance(0.85) ? { ...rng.pick(OUTCOMES) } : null,
      officer: {
        code: `${team.code}${rng.digits(3)}`,
        name: { forename: rng.pick(STAFF_FIRST), surname: rng.pick(STAFF_LAST) },
        team: { code: team.code, description: team.description, pdu: { code: `${team.provider.code}PDU`, description: `${team.provider.description} PDU`, provider: { ...team.provider } } },
      },
      notes: rng.chance(0.9) ? rng.pick(type.notes) : null,
    });
    day = addDays(day, -rng.between(1, 12));
  }
  return list;
}
