import DataLoader from 'dataloader';
import { carryOmitted } from '../../domain/omitted.js';
import type { Licence, LicenceSummary } from '../../domain/risk.js';
import { perKey } from '../batching.js';
import { toLicence, toLicenceSummary } from './mapping.js';
import type { CvlRoutes } from './routes.js';

/** CRN -> in-flight licence summaries (one call per CRN, each CRN once per request), missing what the decoder left out (ADR 21). */
export const licenceSummariesLoader = (routes: CvlRoutes) =>
  new DataLoader<string, LicenceSummary[]>(
    perKey(async (crn) => {
      const dtos = await routes.licenceSummaries(crn);
      return carryOmitted(dtos, dtos.map(toLicenceSummary));
    }),
  );

/**
 * Licence id -> the licence with its conditions, or null when CVL no longer holds it. Ids from every
 * person of an operation are collected into one batch, fetched in parallel (a few at a time), each once.
 */
export const licenceLoader = (routes: CvlRoutes) =>
  new DataLoader<string, Licence | null>(
    perKey(async (id) => {
      const dto = await routes.licence(id);
      return dto ? toLicence(dto) : null;
    }),
  );
