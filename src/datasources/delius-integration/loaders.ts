import DataLoader from 'dataloader';
import type { Address, ProbationCase } from '../../domain/profile.js';
import { perKey } from '../batching.js';
import { toProbationAddress, toProbationCase } from './mapping.js';
import type { DeliusIntegrationRoutes } from './routes.js';

/*
 * Per-request loaders over the Delius integration API, keyed by CRN. The routes have no batch form:
 * a per-key failure rejects only that key.
 */

/** CRN -> the probation case (supervisions, risks, MAPPA, community manager), or `null`. */
export const probationCaseLoader = (routes: DeliusIntegrationRoutes) =>
  new DataLoader<string, ProbationCase | null>(
    perKey(async (crn) => {
      const dto = await routes.supervisions(crn);
      return dto ? toProbationCase(dto) : null;
    }),
  );

/** CRN -> addresses held by probation. */
export const probationAddressesLoader = (routes: DeliusIntegrationRoutes) =>
  new DataLoader<string, Address[]>(perKey(async (crn) => ((await routes.addresses(crn)) ?? []).map(toProbationAddress)));
