/**
 * A prisoner's contacts and number of children (dps-personal-relationships.json), derived per person
 * from a PRNG of its own, seeded by (population seed, prison number, area): the population's own
 * sequence is never drawn from. Edge cases: no contacts, dozens of contacts (paging), inactive
 * relationships, restrictions, next of kin and emergency contacts, official contacts, no record of
 * children (404).
 */

import { SNAPSHOT_DATE, addDays } from './dates.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';
import { FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, STREETS, SURNAMES, TOWNS } from './reference.js';

export interface ContactModel {
  prisonerContactId: number;
  contactId: number;
  firstName: string;
  middleNames: string | null;
  lastName: string;
  dateOfBirth: string | null;
  relationshipTypeCode: 'S' | 'O';
  relationshipTypeDescription: string;
  relationshipToPrisonerCode: string;
  relationshipToPrisonerDescription: string;
  street: string | null;
  cityDescription: string | null;
  postcode: string | null;
  phoneNumber: string | null;
  isApprovedVisitor: boolean;
  isNextOfKin: boolean;
  isEmergencyContact: boolean;
  isRelationshipActive: boolean;
  comments: string | null;
  restrictions: Array<{ restrictionType: string; restrictionTypeDescription: string }>;
  expiredRestrictions: number;
}

export interface ChildrenModel {
  id: number;
  numberOfChildren: string;
  createdTime: string;
  createdBy: string;
}

const SOCIAL = [['MOT', 'Mother'], ['FA', 'Father'], ['SIS', 'Sister'], ['BRO', 'Brother'], ['WIFE', 'Wife'], ['HUS', 'Husband'],
  ['FRI', 'Friend'], ['DAU', 'Daughter'], ['SON', 'Son'], ['COU', 'Cousin']] as const;
const OFFICIAL = [['SOL', 'Solicitor'], ['POM', 'Prison Offender Manager'], ['OFS', 'Offender Supervisor'], ['CHAP', 'Chaplain']] as const;
const RESTRICTIONS = [['BAN', 'Banned'], ['CLOSED', 'Closed visits'], ['NONCON', 'Non-contact visit'], ['CCTV', 'CCTV']] as const;
const COMMENTS = ['Visits fortnightly.', 'Lives abroad; phone contact only.', 'Has asked not to be contacted at work.'] as const;

/** Contact counts of well-known people; `long-lists` pages (the service's default page is 20). */
const WELL_KNOWN_CONTACTS: Readonly<Record<string, number>> = { linked: 4, 'no-addresses': 0, 'long-lists': 45, restricted: 2 };

export function contactsOf(pop: Population, p: Person): ContactModel[] {
  if (p.prisonNumber === null) return [];
  return pop.memo('contacts', p.index, () => buildContacts(pop, p, p.prisonNumber as string));
}

function buildContacts(pop: Population, p: Person, prisonNumber: string): ContactModel[] {
  const rng = Rng.of(pop.seed, prisonNumber, 'personal-relationships');
  const count = (p.key !== null ? WELL_KNOWN_CONTACTS[p.key] : undefined) ?? rng.between(0, 7);
  const out: ContactModel[] = [];
  for (let i = 0; i < count; i++) {
    const official = i > 0 && rng.chance(0.2);
    const [code, description] = official ? rng.pick(OFFICIAL) : rng.pick(SOCIAL);
    const female = ['MOT', 'SIS', 'WIFE', 'DAU'].includes(code) || (!['FA', 'BRO', 'HUS', 'SON'].includes(code) && rng.chance(0.5));
    const restricted = p.key === 'linked' ? i === 3 : rng.chance(0.1);
    out.push({
      prisonerContactId: 7_000_000 + p.index * 64 + i,
      contactId: 9_000_000 + p.index * 64 + i,
      firstName: rng.pick(female ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE),
      middleNames: rng.chance(0.3) ? rng.pick(female ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE) : null,
      lastName: official ? rng.pick(SURNAMES) : (rng.chance(0.7) ? p.lastName : rng.pick(SURNAMES)),
      dateOfBirth: official || rng.chance(0.2) ? null : addDays(SNAPSHOT_DATE, -rng.between(18 * 365, 80 * 365)),
      relationshipTypeCode: official ? 'O' : 'S',
      relationshipTypeDescription: official ? 'Official' : 'Social',
      relationshipToPrisonerCode: code,
      relationshipToPrisonerDescription: description,
      street: rng.chance(0.8) ? `${rng.between(1, 200)} ${rng.pick(STREETS)}` : null,
      cityDescription: rng.chance(0.8) ? rng.pick(TOWNS).town : null,
      postcode: rng.chance(0.8) ? `${rng.letters(2)}${rng.between(1, 20)} ${rng.between(1, 9)}${rng.letters(2)}` : null,
      // Ofcom drama-reserved numbers: never a real subscriber.
      phoneNumber: rng.chance(0.7) ? `07700 900${String(rng.int(1000)).padStart(3, '0')}` : null,
      isApprovedVisitor: !official && rng.chance(0.7),
      isNextOfKin: p.key === 'linked' ? i === 0 : !official && i === 0,
      isEmergencyContact: p.key === 'linked' ? i <= 1 : !official && i <= 1 && rng.chance(0.6),
      isRelationshipActive: p.key === 'linked' ? i !== 2 : rng.chance(0.85),
      // `restricted` (limited access): every contact has a comment, to show free-text redaction.
      comments: rng.chance(0.3) || p.key === 'restricted' ? rng.pick(COMMENTS) : null,
      restrictions: restricted ? [restriction(rng)] : [],
      expiredRestrictions: rng.chance(0.1) ? 1 : 0,
    });
  }
  return out;
}

function restriction(rng: Rng): { restrictionType: string; restrictionTypeDescription: string } {
  const [restrictionType, restrictionTypeDescription] = rng.pick(RESTRICTIONS);
  return { restrictionType, restrictionTypeDescription };
}

export function childrenOf(pop: Population, p: Person): ChildrenModel | null {
  if (p.prisonNumber === null) return null;
  const rng = Rng.of(pop.seed, p.prisonNumber, 'number-of-children');
  if (p.key === 'no-addresses' || (p.key !== 'linked' && rng.chance(0.3))) return null;
  return {
    id: 3_000_000 + p.index,
    numberOfChildren: p.key === 'linked' ? '2' : String(rng.between(0, 4)),
    createdTime: `${addDays(SNAPSHOT_DATE, -rng.between(10, 800))}T10:15:00`,
    createdBy: `${rng.letters(4)}_GEN`,
  };
}
