import DataLoader from 'dataloader';
import type { ProbationRecord } from '../../domain/person.js';
import { toProbationRecord } from './mapping.js';
import { CRNS_MAX, NOMS_NUMBERS_MAX, type ProbationSearchRoutes } from './routes.js';

/** CRN (current or previous) -> probation record: one batch request per tick, unknown CRNs are `null`. */
export const probationRecordLoader = (routes: ProbationSearchRoutes) =>
  new DataLoader<string, ProbationRecord | null>(
    async (crns) => {
      const found = new Map<string, ProbationRecord>();
      for (const dto of await routes.offendersByCrns(crns)) {
        const record = toProbationRecord(dto);
        found.set(dto.otherIds.crn, record);
        if (dto.otherIds.previousCrn) found.set(dto.otherIds.previousCrn, record);
      }
      return crns.map((c) => found.get(c) ?? null);
    },
    { maxBatchSize: CRNS_MAX },
  );

/** Prison number -> the probation record that carries it, or `null`. */
export const probationRecordByPrisonNumberLoader = (routes: ProbationSearchRoutes) =>
  new DataLoader<string, ProbationRecord | null>(
    async (numbers) => {
      const found = new Map<string, ProbationRecord>();
      for (const dto of await routes.offendersByNomsNumbers(numbers)) {
        if (dto.otherIds.nomsNumber) found.set(dto.otherIds.nomsNumber, toProbationRecord(dto));
      }
      return numbers.map((n) => found.get(n) ?? null);
    },
    { maxBatchSize: NOMS_NUMBERS_MAX },
  );
