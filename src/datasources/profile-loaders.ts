import DataLoader from 'dataloader';
import type { Address, Alert, PrisonOffenderManager, ProbationCase } from '../domain/profile.js';
import { toAlert } from './alerts/mapping.js';
import type { AlertsRoutes } from './alerts/routes.js';
import { mapLimit, PER_KEY_CONCURRENCY } from './concurrency.js';
import { toProbationAddress, toProbationCase } from './delius/case-mapping.js';
import type { DeliusCaseRoutes } from './delius/case-routes.js';
import { toPrisonOffenderManager } from './manage-pom/mapping.js';
import type { ManagePomRoutes } from './manage-pom/routes.js';

export interface ProfileRoutes {
  alerts: AlertsRoutes;
  managePom: ManagePomRoutes;
  deliusCase: DeliusCaseRoutes;
}

/** Alerts batch route: all people of one operation in one request (the spec sets no size limit; keep it sane). */
const ALERTS_BATCH_MAX = 200;

/**
 * Per-request loaders for what a person has beyond identity, keyed by prison number or CRN. A
 * per-key failure rejects only that key; a batch failure rejects its batch.
 */
export function createProfileLoaders(routes: ProfileRoutes) {
  const perKey = <V>(fn: (key: string) => Promise<V>) =>
    (keys: readonly string[]) => mapLimit(keys, PER_KEY_CONCURRENCY, (k) => fn(k).catch((e: unknown) => asError(e)));
  return {
    /** prison number -> every alert, active and inactive (filtering and paging happen per field). */
    alerts: new DataLoader<string, Alert[]>(
      async (prisonNumbers) => {
        const byPerson = new Map<string, Alert[]>(prisonNumbers.map((n) => [n, []]));
        for (const dto of await routes.alerts.alertsOf(prisonNumbers)) byPerson.get(dto.prisonNumber)?.push(toAlert(dto));
        return prisonNumbers.map((n) => byPerson.get(n) ?? []);
      },
      { maxBatchSize: ALERTS_BATCH_MAX },
    ),
    /** prison number -> allocated prison offender manager, or null. */
    prisonOffenderManager: new DataLoader<string, PrisonOffenderManager | null>(
      perKey(async (n) => toPrisonOffenderManager(await routes.managePom.primaryPom(n))),
    ),
    /** CRN -> the probation case (supervisions, risks, MAPPA, community manager), or null. */
    probationCase: new DataLoader<string, ProbationCase | null>(
      perKey(async (crn) => {
        const dto = await routes.deliusCase.supervisions(crn);
        return dto ? toProbationCase(dto) : null;
      }),
    ),
    /** CRN -> addresses held by probation. */
    probationAddresses: new DataLoader<string, Address[]>(
      perKey(async (crn) => ((await routes.deliusCase.addresses(crn)) ?? []).map(toProbationAddress)),
    ),
  };
}

export type ProfileLoaders = ReturnType<typeof createProfileLoaders>;

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
