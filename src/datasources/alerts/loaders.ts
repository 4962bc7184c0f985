import DataLoader from 'dataloader';
import { withOmitted } from '../../domain/omitted.js';
import type { Alert } from '../../domain/profile.js';
import { toAlert } from './mapping.js';
import type { AlertsRoutes } from './routes.js';

/** Alerts batch route: all people of one operation in one request (the spec sets no size limit; keep it sane). */
const ALERTS_BATCH_MAX = 200;

/**
 * Prison number -> every alert, active and inactive (filtering and paging happen per field), marked
 * with how many of that person's alerts were left out for breaking the contract (ADR 21).
 */
export const alertsLoader = (routes: AlertsRoutes) =>
  new DataLoader<string, Alert[]>(
    async (prisonNumbers) => {
      const byPerson = new Map<string, Alert[]>(prisonNumbers.map((n) => [n, []]));
      const batch = await routes.alertsOf(prisonNumbers);
      for (const dto of batch.items) byPerson.get(dto.prisonNumber)?.push(toAlert(dto));
      return prisonNumbers.map((n) => withOmitted(byPerson.get(n) ?? [], (batch.omitted.get(n) ?? 0) + batch.unattributed));
    },
    { maxBatchSize: ALERTS_BATCH_MAX },
  );
