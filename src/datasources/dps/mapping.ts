import { calendarDate, type PrisonRecord } from '../../domain/person.js';
import type { PrisonerDto } from './routes.js';

export function toPrisonRecord(dto: PrisonerDto): PrisonRecord {
  return {
    prisonNumber: dto.prisonerNumber,
    prisonId: dto.prisonId ?? null,
    status: dto.status ?? null,
    firstName: dto.firstName || null,
    middleNames: dto.middleNames || null,
    lastName: dto.lastName || null,
    dateOfBirth: calendarDate(dto.dateOfBirth),
    gender: dto.gender || null,
    pncNumber: dto.pncNumber || null,
    croNumber: dto.croNumber || null,
    aliases: (dto.aliases ?? []).map((a) => ({
      firstName: a.firstName || null,
      middleNames: a.middleNames || null,
      lastName: a.lastName || null,
      dateOfBirth: calendarDate(a.dateOfBirth),
      gender: a.gender || null,
    })),
  };
}

/** The old prison numbers a surviving record absorbed. */
export function mergedNumbersOf(dto: PrisonerDto): string[] {
  return (dto.identifiers ?? [])
    .filter((i) => i.type === 'MERGED' && typeof i.value === 'string')
    .map((i) => i.value as string);
}
