import DataLoader from 'dataloader';
import type { PrisonOffenderManager } from '../../domain/profile.js';
import { perKey } from '../batching.js';
import { toPrisonOffenderManager } from './mapping.js';
import type { ManagePomRoutes } from './routes.js';

/** Prison number -> allocated prison offender manager, or `null`; a failing key rejects only itself. */
export const prisonOffenderManagerLoader = (routes: ManagePomRoutes) =>
  new DataLoader<string, PrisonOffenderManager | null>(
    perKey(async (n) => toPrisonOffenderManager(await routes.primaryPom(n))),
  );
