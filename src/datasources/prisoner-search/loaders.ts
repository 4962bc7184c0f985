import DataLoader from 'dataloader';
import type { PrisonRecord } from '../../domain/person.js';
import { invalidItem } from '../http/errors.js';
import { mergedNumbersOf, toPrisonRecord } from './mapping.js';
import { PRISONER_NUMBERS_MAX, PRISONERS_BY_NUMBERS, type PrisonerSearchRoutes } from './routes.js';

/** Merged-record lookups per request: one attribute search for all of them. */
const MERGED_FROM_MAX = 100;

/**
 * Prison number -> prison record: one batch request per tick, unknown numbers are `null`. A number
 * whose entry broke the contract (or that may hide behind an entry without a valid number) gets
 * UPSTREAM_INVALID_RESPONSE, never `null` ("not known").
 */
export const prisonRecordLoader = (routes: PrisonerSearchRoutes) =>
  new DataLoader<string, PrisonRecord | null>(
    async (numbers) => {
      const batch = await routes.prisonersByNumbers(numbers);
      const found = new Map(batch.items.map((p) => [p.prisonerNumber, p]));
      return numbers.map((n) => {
        const dto = found.get(n);
        if (dto) return toPrisonRecord(dto);
        if (batch.spoiled.has(n) || batch.unattributable) return invalidItem('prisonerSearch', PRISONERS_BY_NUMBERS);
        return null;
      });
    },
    { maxBatchSize: PRISONER_NUMBERS_MAX },
  );

/** Old (merged) prison number -> the surviving prison record. */
export const mergedPrisonRecordLoader = (routes: PrisonerSearchRoutes) =>
  new DataLoader<string, PrisonRecord | null>(
    async (oldNumbers) => {
      const survivors = new Map<string, PrisonRecord>();
      for (const dto of await routes.prisonersMergedFrom(oldNumbers)) {
        for (const old of mergedNumbersOf(dto)) survivors.set(old, toPrisonRecord(dto));
      }
      return oldNumbers.map((n) => survivors.get(n) ?? null);
    },
    { maxBatchSize: MERGED_FROM_MAX },
  );
