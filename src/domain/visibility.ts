/**
 * Row filters: which people a consumer may see at all. Pure; the policy (src/auth) decides the
 * filters per consumer, resolvers apply them. A person outside them is reported exactly like an
 * unknown id (design §1: never "forbidden", so nobody can probe for people out of scope).
 */
import type { PersonRef } from './person.js';

export type SupervisionStatus = 'PRISONS' | 'PROBATION' | 'NONE';

export interface RowFilters {
  /** Prison codes the consumer may see people in; `null` = no prison filter. */
  prisons: ReadonlySet<string> | null;
  /** Supervision statuses the consumer may see; `null` = no filter. */
  supervisionStatuses: ReadonlySet<SupervisionStatus> | null;
  /** Alert codes the consumer may see; `null` = all. */
  alertCodes: ReadonlySet<string> | null;
  /** Case-note types the consumer may see; `null` = all. */
  caseNoteTypes?: ReadonlySet<string> | null;
  /** MAPPA categories (1-4) whose probation contact events the consumer may see; `null` = all. */
  mappaCategories?: ReadonlySet<string> | null;
}

/** The two halves of a person's record, which is all visibility depends on. */
type Halves = Pick<PersonRef, 'prison' | 'probation'>;

export const NO_ROW_FILTERS: RowFilters = { prisons: null, supervisionStatuses: null, alertCodes: null, caseNoteTypes: null, mappaCategories: null };

/**
 * In prison if prisoner search says ACTIVE; otherwise on probation if under an active probation-managed
 * sentence; otherwise neither.
 */
export function supervisionStatusOf(person: Halves): SupervisionStatus {
  if (person.prison?.status?.startsWith('ACTIVE')) return 'PRISONS';
  if (person.probation?.underActiveSupervision) return 'PROBATION';
  return 'NONE';
}

export function isVisible(person: Halves, filters: RowFilters): boolean {
  if (filters.prisons !== null) {
    const prisonId = person.prison?.prisonId;
    if (!prisonId || !filters.prisons.has(prisonId)) return false;
  }
  if (filters.supervisionStatuses !== null && !filters.supervisionStatuses.has(supervisionStatusOf(person))) {
    return false;
  }
  return true;
}

/**
 * What the prison half alone says about whether a consumer with these filters could see the person:
 * `false` when it already hides them (outside the prison filter; in prison - ACTIVE - under a
 * supervision filter without PRISONS; released under a supervision filter with neither PROBATION nor
 * NONE), `true` when no probation half could hide them, `undefined` when the probation half decides
 * (released, under a supervision filter with one of PROBATION and NONE). Identity resolution asks no
 * more about a person the prison half hides than about an id nobody holds (ADR 1, issue 14).
 */
export function visibilityByPrison(prison: { prisonId?: string | null; status?: string | null }, filters: RowFilters): boolean | undefined {
  if (filters.prisons !== null && (!prison.prisonId || !filters.prisons.has(prison.prisonId))) return false;
  const statuses = filters.supervisionStatuses;
  if (statuses === null) return true;
  if (prison.status?.startsWith('ACTIVE')) return statuses.has('PRISONS');
  const probation = statuses.has('PROBATION');
  return probation === statuses.has('NONE') ? probation : undefined;
}

/**
 * Whether, under these filters, the probation half can decide that a person is not seen: a supervision
 * filter with one of PROBATION and NONE (a released person is seen or not by their supervision).
 */
export function probationMayDecide(filters: RowFilters): boolean {
  const statuses = filters.supervisionStatuses;
  return statuses !== null && statuses.has('PROBATION') !== statuses.has('NONE');
}

export function isLimitedAccess(person: PersonRef): boolean {
  return person.probation?.currentExclusion === true || person.probation?.currentRestriction === true;
}

/**
 * Whether the person is visible to a consumer with these filters, or `null` when it cannot be told
 * because a half that decides it could not be asked (its system failed). Undecided people are never
 * reported as not found, nor shown: the failure stands in their place, exactly as it does for an id
 * nobody could look up (issue 14: filtered and unknown look the same during an outage too).
 */
export function visibilityOf(person: PersonRef, filters: RowFilters): boolean | null {
  const restricted = filters.prisons !== null || filters.supervisionStatuses !== null;
  if (person.prisonUnavailable && restricted) return null;
  // The supervision status is decided by the prison half when it says ACTIVE, else by probation.
  if (person.probationUnavailable && filters.supervisionStatuses !== null && !person.prison?.status?.startsWith('ACTIVE')) return null;
  return isVisible(person, filters);
}
