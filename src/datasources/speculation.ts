import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Lookups started before identity resolution has finished (issue 19, ADR 19): the id a person is
 * asked by names the system that holds them, so that side's routes can start with identity
 * resolution instead of after it, and the other side's as soon as the link is known. Each is a
 * `load` of the same per-request DataLoader the field resolver uses later, so the answer is reused
 * and nothing is fetched twice; an answer nobody reads (a merged number, a person the consumer may
 * not see) is dropped with the request.
 *
 * What is started depends only on the selection and on the kind of id (prison number or CRN), never
 * on whether the person exists or may be seen: the equal-work rule of ADR 1.
 */
export type Side = 'prison' | 'probation';

/** A lookup of one side, by the key of that side (prison number or CRN). */
export type Lookup =
  | 'prisonAddresses'
  | 'offenceHistory'
  | 'sentenceSummary'
  | 'prisonBookings'
  | 'alerts'
  | 'images'
  | 'prisonOffenderManager'
  | 'probationAddresses'
  | 'probationCase'
  | 'riskScores'
  | 'riskOfSeriousHarm'
  | 'riskManagementPlans'
  | 'criminogenicNeeds'
  | 'licenceSummaries'
  | 'movements'
  | 'adjudications'
  | 'diet'
  | 'nonAssociations'
  | 'contacts'
  | 'numberOfChildren'
  | 'incentiveHistory'
  | 'futureVisits'
  | 'visitBalance'
  | 'visitRestrictions';

export const SIDE_OF: Record<Lookup, Side> = {
  prisonAddresses: 'prison',
  offenceHistory: 'prison',
  sentenceSummary: 'prison',
  prisonBookings: 'prison',
  alerts: 'prison',
  images: 'prison',
  prisonOffenderManager: 'prison',
  probationAddresses: 'probation',
  probationCase: 'probation',
  riskScores: 'probation',
  riskOfSeriousHarm: 'probation',
  riskManagementPlans: 'probation',
  criminogenicNeeds: 'probation',
  licenceSummaries: 'probation',
  movements: 'prison',
  adjudications: 'prison',
  diet: 'prison',
  nonAssociations: 'prison',
  contacts: 'prison',
  numberOfChildren: 'prison',
  incentiveHistory: 'prison',
  futureVisits: 'prison',
  visitBalance: 'prison',
  visitRestrictions: 'prison',
};

/**
 * Person fields (and `field.subfield`) -> the lookups keyed by prison number or CRN their resolvers
 * make (src/resolvers/person.ts). Lookups keyed by something an answer gives (booking ids, a prison
 * code) are not started early: they wait for that answer as before.
 */
const LOOKUPS_OF: Record<string, readonly Lookup[]> = {
  addresses: ['prisonAddresses', 'probationAddresses'],
  offences: ['prisonBookings', 'probationCase'],
  'offences.courtName': ['sentenceSummary'],
  sentences: ['sentenceSummary', 'prisonBookings', 'probationCase'],
  sentenceKeyDates: ['prisonBookings'],
  alerts: ['alerts'],
  images: ['images'],
  'responsibleOfficer.prisonOffenderManager': ['prisonOffenderManager'],
  'responsibleOfficer.communityManager': ['probationCase'],
  'probation.dynamicRisks': ['probationCase'],
  'probation.mappa': ['probationCase'],
  'probation.statusInformation': ['probationCase'],
  // Risks, needs and licences (src/resolvers/risk.ts), by CRN.
  riskScores: ['riskScores'],
  riskOfSeriousHarm: ['riskOfSeriousHarm'],
  riskManagementPlans: ['riskManagementPlans'],
  criminogenicNeeds: ['criminogenicNeeds'],
  licences: ['licenceSummaries'],
  // Prison life (src/resolvers/prison-life.ts, prison-welfare.ts, adjudications.ts), by prison number.
  // Sentence adjustments start the bookings batch only: each booking's adjustments are keyed by a booking id
  // the batch's answer gives, so they wait for the person to be resolved and seen (started early, a person
  // in another prison would cost a call per booking that an unknown number does not: the equal-work rule).
  movements: ['movements'],
  sentenceAdjustments: ['prisonBookings'],
  adjudications: ['adjudications'],
  'healthAndDiet.dietRecorded': ['diet'],
  'healthAndDiet.foodAllergies': ['diet'],
  'healthAndDiet.medicalDietaryRequirements': ['diet'],
  'healthAndDiet.personalisedDietaryRequirements': ['diet'],
  'healthAndDiet.cateringInstructions': ['diet'],
  nonAssociations: ['nonAssociations'],
  contacts: ['contacts'],
  numberOfChildren: ['numberOfChildren'],
  // The review history, for a current level's review fields: asked whether or not there is a level (the
  // level comes by booking id, a round later), so a person without one costs that call.
  'incentiveLevel.code': ['incentiveHistory'],
  'incentiveLevel.reviewedOn': ['incentiveHistory'],
  'incentiveLevel.nextReviewDue': ['incentiveHistory'],
  'incentiveLevel.daysSinceReview': ['incentiveHistory'],
  'incentiveLevel.reviews': ['incentiveHistory'],
  // Visits (src/resolvers/visits.ts), by prison number.
  futureVisits: ['futureVisits'],
  visitBalance: ['visitBalance'],
  visitRestrictions: ['visitRestrictions'],
  // Not started early: recent visits (a page keyed by the question, like case notes); the current
  // incentive level (by booking id, from prisoner search); case notes and
  // contact events (each page is keyed by the question - page, size, types, dates, the consumer's row
  // filters - which the field's arguments decide); limited-access details (asked only for a limited-access
  // case, which probation search's answer tells).
};

/**
 * The field names of a selection set, through fragments, as `name` and `parent.name` (two levels). A
 * fragment adds the same paths wherever it is spread at the same place, so it is walked once per place
 * (`seen`): a fragment bomb of free fields (`__typename`, which the cost limit does not count) stays linear.
 */
function selectedPaths(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  prefix: string,
  depth: number,
  out: Set<string>,
  seen = new Set<string>(),
): void {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) {
      const path = prefix + s.name.value;
      out.add(path);
      if (depth > 1) selectedPaths(s.selectionSet, fragments, `${path}.`, depth - 1, out, seen);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      selectedPaths(s.selectionSet, fragments, prefix, depth, out, seen);
    } else {
      const place = `${prefix}|${s.name.value}`;
      if (seen.has(place)) continue;
      seen.add(place);
      selectedPaths(fragments[s.name.value]?.selectionSet, fragments, prefix, depth, out, seen);
    }
  }
}

/** Whether the selection of these field nodes (through fragments) has a field called `name`. */
export function selectsField(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>, name: string): boolean {
  const paths = new Set<string>();
  for (const node of fieldNodes) selectedPaths(node.selectionSet, fragments, '', 1, paths);
  return paths.has(name);
}

/** By field node: a cached document gives the same nodes to every request that sends it. */
const known = new WeakMap<FieldNode, ReadonlySet<Lookup>>();

/**
 * The lookups the selection of a field returning Person (or a list of them) will make.
 */
export function lookupsOf(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): ReadonlySet<Lookup> {
  const single = fieldNodes.length === 1 ? fieldNodes[0]! : null;
  const cached = single && known.get(single);
  if (cached) return cached;
  const paths = new Set<string>();
  for (const node of fieldNodes) selectedPaths(node.selectionSet, fragments, '', 2, paths);
  const lookups = new Set<Lookup>();
  for (const path of paths) for (const l of LOOKUPS_OF[path] ?? []) lookups.add(l);
  if (single) known.set(single, lookups);
  return lookups;
}
