import DataLoader from 'dataloader';
import type { VisitBalance, VisitRestriction } from '../../domain/visits.js';
import { perKey } from '../batching.js';
import { toVisitBalance, toVisitRestrictions } from './visit-mapping.js';
import type { PrisonVisitRoutes } from './visit-routes.js';

/** Prison number -> the visit orders balance, or null. No batch route: one call per person, deduplicated. */
export const visitBalanceLoader = (routes: PrisonVisitRoutes) =>
  new DataLoader<string, VisitBalance | null>(perKey(async (n) => toVisitBalance(await routes.visitBalances(n))));

/** Prison number -> every visit restriction (expired too), newest first. One call per person, deduplicated. */
export const visitRestrictionsLoader = (routes: PrisonVisitRoutes) =>
  new DataLoader<string, VisitRestriction[]>(perKey(async (n) => toVisitRestrictions(await routes.restrictions(n))));
