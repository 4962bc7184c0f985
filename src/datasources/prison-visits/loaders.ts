import DataLoader from 'dataloader';
import type { UpstreamPage } from '../../domain/records.js';
import type { Visit } from '../../domain/visits.js';
import { perKey, perQuestion } from '../batching.js';
import { toVisit } from './mapping.js';
import type { PrisonVisitsRoutes, VisitSearch } from './routes.js';

/**
 * Prison number -> booked visits still to come, soonest first. The service has no route for many
 * prisoners at once: one call per person, a few at a time, deduplicated within the request.
 */
export const futureVisitsLoader = (routes: PrisonVisitsRoutes) =>
  new DataLoader<string, Visit[]>(perKey(async (n) => (await routes.future(n)).map(toVisit)));

/** One upstream page of a person's visit search: the prison number and what was asked. */
export interface VisitPageKey {
  prisonNumber: string;
  search: VisitSearch;
}

/** (prison number, search) -> one page of visits, newest first; the same page asked twice in an operation is fetched once. */
export const visitPageLoader = (routes: PrisonVisitsRoutes) =>
  perQuestion<VisitPageKey, UpstreamPage<Visit>>(async ({ prisonNumber, search }) => {
    const page = await routes.search(prisonNumber, search);
    return { items: page.content.map(toVisit), totalCount: page.totalElements };
  });
