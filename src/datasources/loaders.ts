import DataLoader from 'dataloader';
import type { PrisonRecord, ProbationRecord } from '../domain/person.js';
import type { Logger } from '../observability/logger.js';
import { mapLimit, PER_KEY_CONCURRENCY } from './concurrency.js';
import { CRNS_MAX, NOMS_NUMBERS_MAX, type ProbationSearchRoutes } from './delius/routes.js';
import { toProbationRecord } from './delius/mapping.js';
import { PRISONER_NUMBERS_MAX, type PrisonerSearchRoutes } from './dps/routes.js';
import { mergedNumbersOf, toPrisonRecord } from './dps/mapping.js';
import { soleLinkedId } from './person-record/mapping.js';
import type { PersonRecordRoutes } from './person-record/routes.js';

export interface Routes {
  prisonerSearch: PrisonerSearchRoutes;
  probationSearch: ProbationSearchRoutes;
  personRecord: PersonRecordRoutes;
}

/**
 * Per-request DataLoaders: one batch request per upstream batch route per tick, de-duplicated keys,
 * and a per-request cache so a person looked up twice in one operation costs one call.
 */
export function createRecordLoaders(routes: Routes, logger: Logger) {
  return {
    prisonerByNumber: new DataLoader<string, PrisonRecord | null>(
      async (numbers) => {
        const found = new Map((await routes.prisonerSearch.prisonersByNumbers(numbers)).map((p) => [p.prisonerNumber, p]));
        return numbers.map((n) => {
          const dto = found.get(n);
          return dto ? toPrisonRecord(dto) : null;
        });
      },
      { maxBatchSize: PRISONER_NUMBERS_MAX },
    ),

    /** Old (merged) prison number -> the surviving prison record. */
    prisonerMergedFrom: new DataLoader<string, PrisonRecord | null>(
      async (oldNumbers) => {
        const survivors = new Map<string, PrisonRecord>();
        for (const dto of await routes.prisonerSearch.prisonersMergedFrom(oldNumbers)) {
          for (const old of mergedNumbersOf(dto)) survivors.set(old, toPrisonRecord(dto));
        }
        return oldNumbers.map((n) => survivors.get(n) ?? null);
      },
      { maxBatchSize: 100 },
    ),

    offenderByCrn: new DataLoader<string, ProbationRecord | null>(
      async (crns) => {
        const found = new Map<string, ProbationRecord>();
        for (const dto of await routes.probationSearch.offendersByCrns(crns)) {
          const record = toProbationRecord(dto);
          found.set(dto.otherIds.crn, record);
          if (dto.otherIds.previousCrn) found.set(dto.otherIds.previousCrn, record);
        }
        return crns.map((c) => found.get(c) ?? null);
      },
      { maxBatchSize: CRNS_MAX },
    ),

    offenderByPrisonNumber: new DataLoader<string, ProbationRecord | null>(
      async (numbers) => {
        const found = new Map<string, ProbationRecord>();
        for (const dto of await routes.probationSearch.offendersByNomsNumbers(numbers)) {
          if (dto.otherIds.nomsNumber) found.set(dto.otherIds.nomsNumber, toProbationRecord(dto));
        }
        return numbers.map((n) => found.get(n) ?? null);
      },
      { maxBatchSize: NOMS_NUMBERS_MAX },
    ),

    /** CRN -> prison number according to the core person record; `null` when unknown or ambiguous. */
    linkedPrisonNumber: new DataLoader<string, string | null>((crns) =>
      mapLimit(crns, PER_KEY_CONCURRENCY, (crn) =>
        linkOrNull(() => routes.personRecord.byCrn(crn).then((r) => soleLinkedId(r, 'prisonNumbers')), logger),
      ),
    ),

    /** prison number -> CRN according to the core person record; `null` when unknown or ambiguous. */
    linkedCrn: new DataLoader<string, string | null>((numbers) =>
      mapLimit(numbers, PER_KEY_CONCURRENCY, (n) =>
        linkOrNull(() => routes.personRecord.byPrisonNumber(n).then((r) => soleLinkedId(r, 'crns')), logger),
      ),
    ),
  };
}

export type RecordLoaders = ReturnType<typeof createRecordLoaders>;

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
