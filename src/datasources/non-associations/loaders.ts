import DataLoader from 'dataloader';
import type { NonAssociation } from '../../domain/prison-welfare.js';
import { nonAssociationsOf } from './mapping.js';
import type { NonAssociationsRoutes } from './routes.js';

/** Prisoner numbers per batch request (the spec sets no limit). */
const INVOLVING_MAX = 500;

/**
 * Prison number -> every non-association (open and closed) the prisoner is part of, newest first:
 * every person of one operation in ONE request to the batch route. A non-association between two
 * people asked together comes once and is given to both.
 */
export const nonAssociationsLoader = (routes: NonAssociationsRoutes) =>
  new DataLoader<string, NonAssociation[]>(
    async (prisonNumbers) => {
      const all = await routes.involving(prisonNumbers);
      return prisonNumbers.map((n) => nonAssociationsOf(all, n));
    },
    { maxBatchSize: INVOLVING_MAX },
  );
