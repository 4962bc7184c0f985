/**
 * Case notes (DPS case notes) of a person with a prison number, generated on demand from their own
 * PRNG seeded by (population seed, prison number, "case-notes"): adding this area drew nothing from
 * the population's sequence, so every existing person is unchanged. Some people have none, most a
 * few dozen, the well-known `long-lists` person hundreds; OMiC notes and some history notes are
 * sensitive. Dates are local date-times (no offset), newest first.
 */

import { SNAPSHOT_DATE, addDays, localDateTime } from './dates.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';
import { STAFF_FIRST, STAFF_LAST } from './reference.js';

export interface CaseNoteTypeRef {
  type: string;
  typeDescription: string;
  subType: string;
  subTypeDescription: string;
  /** Notes of this sub-type are sensitive (always, or with the given chance). */
  sensitive: number;
  texts: readonly string[];
}

export const CASE_NOTE_TYPES: readonly CaseNoteTypeRef[] = [
  { type: 'CAB', typeDescription: 'Conduct & Behaviour', subType: 'EDUCATION', subTypeDescription: 'Education', sensitive: 0, texts: ['Attended the education session and completed the worksheet.', 'Late to class twice this week; reminded of expectations.'] },
  { type: 'CAB', typeDescription: 'Conduct & Behaviour', subType: 'GEN', subTypeDescription: 'General', sensitive: 0, texts: ['Polite and cooperative on the wing today.', 'Raised a complaint about canteen delivery; resolved.'] },
  { type: 'NEG', typeDescription: 'Negative Behaviour', subType: 'IEP_WARN', subTypeDescription: 'Incentive Warning', sensitive: 0, texts: ['Warned about refusing to return to cell at lock-up.', 'Verbal warning for abusive language to staff.'] },
  { type: 'POS', typeDescription: 'Positive Behaviour', subType: 'IEP_ENC', subTypeDescription: 'Incentive Encouragement', sensitive: 0, texts: ['Helped a new arrival settle in; encouraged.', 'Consistently good work in the workshop.'] },
  { type: 'GEN', typeDescription: 'General', subType: 'OSE', subTypeDescription: 'Observation', sensitive: 0, texts: ['Observed in good spirits during association.', 'Appeared low in mood; referred to the wellbeing team.'] },
  { type: 'GEN', typeDescription: 'General', subType: 'HIS', subTypeDescription: 'History Sheet Entry', sensitive: 0.4, texts: ['History sheet entry carried over from a previous booking.', 'Previous intelligence about associations noted.'] },
  { type: 'KA', typeDescription: 'Key Worker Activity', subType: 'KS', subTypeDescription: 'Key Worker Session', sensitive: 0, texts: ['Key worker session: discussed education goals and family contact.', 'Key worker session: reviewed progress on the sentence plan.'] },
  { type: 'OMIC', typeDescription: 'OMiC', subType: 'OPEN_COMM', subTypeDescription: 'Open Case Note', sensitive: 0, texts: ['POM contact: sentence plan reviewed with the prisoner.'] },
  { type: 'OMIC', typeDescription: 'OMiC', subType: 'GEN', subTypeDescription: 'General', sensitive: 1, texts: ['Sensitive: information from a third party about risk on release.', 'Sensitive: safeguarding concern shared by the community manager.'] },
  { type: 'CVM', typeDescription: 'Conversations', subType: 'OUTCOME', subTypeDescription: 'Outcome', sensitive: 0, texts: ['Conversation about resettlement housing; referral made.'] },
];

export interface CaseNoteModel {
  caseNoteId: string;
  legacyId: number;
  ref: CaseNoteTypeRef;
  sensitive: boolean;
  occurrenceDateTime: string;
  creationDateTime: string;
  authorName: string;
  authorUserId: string;
  authorUsername: string;
  text: string;
  locationId: string;
  systemGenerated: boolean;
  amendments: { creationDateTime: string; authorName: string; authorUserName: string; authorUserId: string; additionalNoteText: string; id: string }[];
}

/** How many case notes the well-known people have (others: drawn). */
const WELL_KNOWN_COUNTS: Record<string, number> = {
  linked: 40,
  restricted: 24,
  'many-alerts': 0,
  'long-lists': 460,
  released: 18,
};

/** Every case note of the person, newest occurrence first (empty without a prison number). */
export function caseNotes(pop: Population, p: Person): CaseNoteModel[] {
  if (p.prisonNumber === null) return [];
  return pop.memo('case-notes', p.index, () => buildCaseNotes(pop, p, p.prisonNumber as string));
}

function buildCaseNotes(pop: Population, p: Person, prisonNumber: string): CaseNoteModel[] {
  const rng = Rng.of(pop.seed, prisonNumber, 'case-notes');
  const known = p.key !== null ? WELL_KNOWN_COUNTS[p.key] : undefined;
  const count = known ?? (rng.chance(0.15) ? 0 : rng.between(1, 60));
  const location = p.prisonId === null || p.prisonId === 'OUT' ? (p.lastPrisonId ?? 'OUT') : p.prisonId;
  const notes: CaseNoteModel[] = [];
  let day = addDays(SNAPSHOT_DATE, -rng.between(0, 20));
  for (let i = 0; i < count; i++) {
    // The well-known people have at least one note of every type (the first ones), so filters find something.
    const ref = known !== undefined && i < CASE_NOTE_TYPES.length ? (CASE_NOTE_TYPES[i] as CaseNoteTypeRef) : rng.pick(CASE_NOTE_TYPES);
    const minutes = rng.between(7 * 60, 20 * 60);
    const authorFirst = rng.pick(STAFF_FIRST);
    const authorLast = rng.pick(STAFF_LAST);
    const username = `${authorFirst}${authorLast}`.toUpperCase().slice(0, 12);
    const occurrence = localDateTime(day, minutes);
    const amended = rng.chance(0.1);
    notes.push({
      caseNoteId: rng.uuid(),
      legacyId: 100_000 + rng.int(9_000_000),
      ref,
      sensitive: ref.sensitive >= 1 || (ref.sensitive > 0 && rng.chance(ref.sensitive)),
      occurrenceDateTime: occurrence,
      creationDateTime: localDateTime(day, Math.min(minutes + rng.between(5, 120), 23 * 60 + 59)),
      authorName: `${authorFirst} ${authorLast}`,
      authorUserId: String(480_000 + rng.int(10_000)),
      authorUsername: username,
      text: rng.pick(ref.texts),
      locationId: location,
      systemGenerated: rng.chance(0.05),
      amendments: amended
        ? [{ creationDateTime: localDateTime(addDays(day, 1), 9 * 60), authorName: `${authorFirst} ${authorLast}`, authorUserName: username, authorUserId: String(480_000 + rng.int(10_000)), additionalNoteText: 'Amended: wording clarified.', id: rng.uuid() }]
        : [],
    });
    day = addDays(day, -rng.between(0, 9));
  }
  // Several notes on one day are drawn in any order of time: newest first, as the service answers.
  return notes.sort((a, b) => (a.occurrenceDateTime < b.occurrenceDateTime ? 1 : a.occurrenceDateTime > b.occurrenceDateTime ? -1 : 0));
}
