/**
 * Non-associations (dps-non-associations.json): pairs of prisoners to be kept apart. A non-association
 * belongs to both people, so the data must be symmetric without a population-wide index: a generated
 * prisoner at index i may be paired with i XOR 1, 2, 4 or 8 (an involution, so both sides find the
 * same pair), and whether the pair exists is decided by a PRNG seeded by (population seed, both
 * prison numbers, area), never by the population's own sequence. Indices below 16 (the well-known
 * people) XOR these stay below 16, so generated people never pair with well-known ones; the
 * well-known pairs are written out below.
 */

import { SNAPSHOT_DATE, addDays, localDateTime } from './dates.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';
import { WELL_KNOWN } from './well-known-specs.js';

export type NonAssociationRole = 'VICTIM' | 'PERPETRATOR' | 'NOT_RELEVANT' | 'UNKNOWN';
export type NonAssociationReason = 'BULLYING' | 'GANG_RELATED' | 'ORGANISED_CRIME' | 'LEGAL_REQUEST' | 'THREAT' | 'VIOLENCE' | 'OTHER';
export type RestrictionType = 'CELL' | 'LANDING' | 'WING';

export interface NonAssociationModel {
  id: number;
  firstPrisonerNumber: string;
  firstPrisonerRole: NonAssociationRole;
  secondPrisonerNumber: string;
  secondPrisonerRole: NonAssociationRole;
  reason: NonAssociationReason;
  restrictionType: RestrictionType;
  comment: string;
  whenCreated: string;
  whenUpdated: string;
  updatedBy: string;
  closed: { closedBy: string; closedReason: string; closedAt: string } | null;
}

export const ROLE_DESCRIPTIONS: Record<NonAssociationRole, string> = {
  VICTIM: 'Victim', PERPETRATOR: 'Perpetrator', NOT_RELEVANT: 'Not relevant', UNKNOWN: 'Unknown',
};
export const REASON_DESCRIPTIONS: Record<NonAssociationReason, string> = {
  BULLYING: 'Bullying', GANG_RELATED: 'Gang related', ORGANISED_CRIME: 'Organised crime', LEGAL_REQUEST: 'Police or legal request',
  THREAT: 'Threat', VIOLENCE: 'Violence', OTHER: 'Other',
};
export const RESTRICTION_DESCRIPTIONS: Record<RestrictionType, string> = { CELL: 'Cell only', LANDING: 'Cell and landing', WING: 'Cell, landing and wing' };

interface WellKnownPair {
  first: string;
  second: string;
  firstRole: NonAssociationRole;
  secondRole: NonAssociationRole;
  reason: NonAssociationReason;
  restrictionType: RestrictionType;
  comment: string;
  closed?: boolean;
}

/** `other-prison` is in CFI: a consumer filtered to MDI sees `linked` but not that person. */
const WELL_KNOWN_PAIRS: readonly WellKnownPair[] = [
  { first: 'linked', second: 'prison-only', firstRole: 'VICTIM', secondRole: 'PERPETRATOR', reason: 'THREAT', restrictionType: 'CELL',
    comment: 'Threats made on the exercise yard; keep on separate landings.' },
  { first: 'linked', second: 'other-prison', firstRole: 'NOT_RELEVANT', secondRole: 'NOT_RELEVANT', reason: 'GANG_RELATED', restrictionType: 'WING',
    comment: 'Rival groups; intelligence report on file.' },
  { first: 'many-alerts', second: 'linked', firstRole: 'PERPETRATOR', secondRole: 'VICTIM', reason: 'VIOLENCE', restrictionType: 'LANDING',
    comment: 'Fight in the servery.', closed: true },
  { first: 'restricted', second: 'prison-only', firstRole: 'VICTIM', secondRole: 'PERPETRATOR', reason: 'BULLYING', restrictionType: 'LANDING',
    comment: 'Repeated bullying over canteen items.' },
];

const COMMENTS = ['Keep apart on movements.', 'Previous assault in another establishment.', 'Debt related; both parties informed.',
  'Co-defendants: police request.', 'Verbal threats reported by staff.'] as const;
const ROLES: readonly NonAssociationRole[] = ['VICTIM', 'PERPETRATOR', 'NOT_RELEVANT', 'UNKNOWN'];
const REASONS = Object.keys(REASON_DESCRIPTIONS) as NonAssociationReason[];
const RESTRICTIONS: readonly RestrictionType[] = ['CELL', 'LANDING', 'WING'];
const PAIRING_BITS = [1, 2, 4, 8] as const;
const PAIR_CHANCE = 0.06;

/** Every non-association (open and closed) the person is part of, oldest first. */
export function nonAssociationsOf(pop: Population, p: Person): NonAssociationModel[] {
  if (p.prisonNumber === null) return [];
  return pop.memo('non-associations', p.index, () => (p.index < WELL_KNOWN.length ? wellKnownOf(pop, p) : generatedOf(pop, p)));
}

function wellKnownOf(pop: Population, p: Person): NonAssociationModel[] {
  const byKey = (key: string) => pop.people.find((x) => x.key === key);
  return WELL_KNOWN_PAIRS.flatMap((pair, i) => {
    if (pair.first !== p.key && pair.second !== p.key) return [];
    const first = byKey(pair.first);
    const second = byKey(pair.second);
    if (!first?.prisonNumber || !second?.prisonNumber) return [];
    const rng = Rng.of(pop.seed, first.prisonNumber, second.prisonNumber, 'non-associations');
    return [model(rng, i + 1, first.prisonNumber, second.prisonNumber, pair, pair.closed ?? false)];
  });
}

function generatedOf(pop: Population, p: Person): NonAssociationModel[] {
  const out: NonAssociationModel[] = [];
  for (const [round, bit] of PAIRING_BITS.entries()) {
    const other = pop.get(p.index ^ bit);
    if (!other?.prisonNumber) continue;
    const [a, b] = p.index < other.index ? [p, other] : [other, p];
    const rng = Rng.of(pop.seed, a.prisonNumber as string, b.prisonNumber as string, 'non-associations');
    if (!rng.chance(PAIR_CHANCE)) continue;
    const pair = {
      firstRole: rng.pick(ROLES), secondRole: rng.pick(ROLES), reason: rng.pick(REASONS), restrictionType: rng.pick(RESTRICTIONS), comment: rng.pick(COMMENTS),
    };
    out.push(model(rng, 1_000_000 + a.index * 4 + round, a.prisonNumber as string, b.prisonNumber as string, pair, rng.chance(0.25)));
  }
  return out.sort((x, y) => x.whenCreated.localeCompare(y.whenCreated));
}

function model(
  rng: Rng,
  id: number,
  firstPrisonerNumber: string,
  secondPrisonerNumber: string,
  pair: Pick<WellKnownPair, 'firstRole' | 'secondRole' | 'reason' | 'restrictionType' | 'comment'>,
  closed: boolean,
): NonAssociationModel {
  const created = addDays(SNAPSHOT_DATE, -rng.between(30, 1500));
  const updated = addDays(created, rng.between(0, 20));
  const closedOn = addDays(updated, rng.between(1, 25));
  const time = (date: string) => `${localDateTime(date, 7 * 60 + rng.int(12 * 60))}.${String(rng.int(1_000_000)).padStart(6, '0')}`;
  const staff = `${rng.letters(4)}_GEN`;
  return {
    id,
    firstPrisonerNumber,
    firstPrisonerRole: pair.firstRole,
    secondPrisonerNumber,
    secondPrisonerRole: pair.secondRole,
    reason: pair.reason,
    restrictionType: pair.restrictionType,
    comment: pair.comment,
    whenCreated: time(created),
    whenUpdated: time(updated),
    updatedBy: staff,
    closed: closed ? { closedBy: staff, closedReason: 'No longer a risk: both parties moved on.', closedAt: time(closedOn) } : null,
  };
}
