import DataLoader from 'dataloader';
import type { Adjudication } from '../../domain/prison-life.js';
import { perKey } from '../batching.js';
import { toAdjudications } from './mapping.js';
import type { AdjudicationsRoutes } from './routes.js';

/**
 * Per prison number, every adjudication, newest first. The service has no route for many prisoners
 * at once: one call per person, a few at a time, deduplicated within the request.
 */
export const adjudicationsLoader = (routes: AdjudicationsRoutes) =>
  new DataLoader<string, Adjudication[]>(perKey(async (n) => toAdjudications(await routes.forPrisoner(n))));
