import DataLoader from 'dataloader';
import type { ProbationRecord } from '../../domain/person.js';
import { toProbationRecord } from './mapping.js';
import { invalidItem } from '../http/errors.js';
import { CRNS_MAX, NOMS_NUMBERS_MAX, OFFENDERS_BY_CRNS, OFFENDERS_BY_NOMS_NUMBERS, type ProbationSearchRoutes } from './routes.js';

/** CRN (current or previous) -> probation record: one batch request per tick, unknown CRNs are `null`. */
export const probationRecordLoader = (routes: ProbationSearchRoutes) =>
  new DataLoader<string, ProbationRecord | null>(
    async (crns) => {
      const found = new Map<string, ProbationRecord>();
      const batch = await routes.offendersByCrns(crns);
      for (const dto of batch.items) {
        const record = toProbationRecord(dto);
        found.set(dto.otherIds.crn, record);
        if (dto.otherIds.previousCrn) found.set(dto.otherIds.previousCrn, record);
      }
      // An entry that broke the contract is UPSTREAM_INVALID_RESPONSE for its key, never "not known".
      return crns.map((c) => found.get(c) ?? (batch.spoiled.has(c) || batch.unattributable ? invalidItem('probationSearch', OFFENDERS_BY_CRNS) : null));
    },
    { maxBatchSize: CRNS_MAX },
  );

/** Prison number -> the probation record that carries it, or `null`. */
export const probationRecordByPrisonNumberLoader = (routes: ProbationSearchRoutes) =>
  new DataLoader<string, ProbationRecord | null>(
    async (numbers) => {
      const found = new Map<string, ProbationRecord>();
      const batch = await routes.offendersByNomsNumbers(numbers);
      for (const dto of batch.items) {
        if (dto.otherIds.nomsNumber) found.set(dto.otherIds.nomsNumber, toProbationRecord(dto));
      }
      return numbers.map(
        (n) => found.get(n) ?? (batch.spoiled.has(n) || batch.unattributable ? invalidItem('probationSearch', OFFENDERS_BY_NOMS_NUMBERS) : null),
      );
    },
    { maxBatchSize: NOMS_NUMBERS_MAX },
  );
