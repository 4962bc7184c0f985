import DataLoader from 'dataloader';
import type { Logger } from '../../observability/logger.js';
import { mapLimit, PER_KEY_CONCURRENCY } from '../batching.js';
import { soleLinkedId } from './mapping.js';
import type { PersonRecordRoutes } from './routes.js';

/** CRN -> prison number according to the core person record; `null` when unknown, ambiguous or failing. */
export const linkedPrisonNumberLoader = (routes: PersonRecordRoutes, logger: Logger) =>
  new DataLoader<string, string | null>((crns) =>
    mapLimit(crns, PER_KEY_CONCURRENCY, (crn) =>
      linkOrNull(() => routes.byCrn(crn).then((r) => soleLinkedId(r, 'prisonNumbers')), logger),
    ),
  );

/** Prison number -> CRN according to the core person record; `null` when unknown, ambiguous or failing. */
export const linkedCrnLoader = (routes: PersonRecordRoutes, logger: Logger) =>
  new DataLoader<string, string | null>((numbers) =>
    mapLimit(numbers, PER_KEY_CONCURRENCY, (n) =>
      linkOrNull(() => routes.byPrisonNumber(n).then((r) => soleLinkedId(r, 'crns')), logger),
    ),
  );

/**
 * The record service is the first choice for links, never the only one: when it fails, the source
 * systems' own links are used instead, so its outage costs no data.
 */
async function linkOrNull(lookup: () => Promise<string | null>, logger: Logger): Promise<string | null> {
  try {
    return await lookup();
  } catch (e) {
    logger.warn({ err: (e as Error).message }, 'core person record lookup failed; using source-system links');
    return null;
  }
}
