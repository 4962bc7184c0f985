import DataLoader from 'dataloader';
import type { Alert } from '../../domain/profile.js';
import { toAlert } from './mapping.js';
import type { AlertsRoutes } from './routes.js';

/** Alerts batch route: all people of one operation in one request (the spec sets no size limit; keep it sane). */
const ALERTS_BATCH_MAX = 200;

/** Prison number -> every alert, active and inactive (filtering and paging happen per field). */
export const alertsLoader = (routes: AlertsRoutes) =>
  new DataLoader<string, Alert[]>(
    async (prisonNumbers) => {
      const byPerson = new Map<string, Alert[]>(prisonNumbers.map((n) => [n, []]));
      for (const dto of await routes.alertsOf(prisonNumbers)) byPerson.get(dto.prisonNumber)?.push(toAlert(dto));
      return prisonNumbers.map((n) => byPerson.get(n) ?? []);
    },
    { maxBatchSize: ALERTS_BATCH_MAX },
  );
