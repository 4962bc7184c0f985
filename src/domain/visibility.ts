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

export const NO_ROW_FILTERS: RowFilters = { prisons: null, supervisionStatuses: null, alertCodes: null, caseNoteTypes: null, mappaCategories: null };

/**
 * In prison if prisoner search says ACTIVE; otherwise on probation if under an active probation-managed
 * sentence; otherwise neither.
 */
export function supervisionStatusOf(person: PersonRef): SupervisionStatus {
  if (person.prison?.status?.startsWith('ACTIVE')) return 'PRISONS';
  if (person.probation?.underActiveSupervision) return 'PROBATION';
  return 'NONE';
}

export function isVisible(person: PersonRef, filters: RowFilters): boolean {
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
 * Whether a consumer with these filters could see a person with this prison record, whatever their
 * probation half: false when the prison half alone already hides them (outside the prison filter; in
 * prison - ACTIVE - under a supervision filter without PRISONS). Identity resolution asks nothing more
 * about such a person than about an id nobody holds (ADR 1, issue 14: a merged-away number).
 */
export function mayBeVisibleByPrison(prison: { prisonId?: string | null; status?: string | null }, filters: RowFilters): boolean {
  if (filters.prisons !== null && (!prison.prisonId || !filters.prisons.has(prison.prisonId))) return false;
  if (filters.supervisionStatuses !== null && prison.status?.startsWith('ACTIVE') && !filters.supervisionStatuses.has('PRISONS')) return false;
  return true;
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
