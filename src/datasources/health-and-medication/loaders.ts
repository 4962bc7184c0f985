import DataLoader from 'dataloader';
import type { Diet } from '../../domain/prison-welfare.js';
import { perKey } from '../batching.js';
import { toDiet } from './mapping.js';
import type { HealthAndMedicationRoutes } from './routes.js';

/** Prison number -> diet and allergies, or `null` when none is recorded; a failing key rejects only itself. */
export const dietLoader = (routes: HealthAndMedicationRoutes) =>
  new DataLoader<string, Diet | null>(perKey(async (n) => toDiet(await routes.healthAndMedication(n))));
