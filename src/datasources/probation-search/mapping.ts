import { pncCanonicalLong } from '../../domain/identifiers.js';
import { carryOmitted, keepShowable } from '../../domain/omitted.js';
import { calendarDate, type ProbationRecord } from '../../domain/person.js';
import type { OffenderDetailDto } from './routes.js';

const joinNames = (names: string[] | null | undefined): string | null =>
  names && names.length > 0 ? names.join(' ') : null;

export function toProbationRecord(dto: OffenderDetailDto): ProbationRecord {
  return {
    crn: dto.otherIds.crn,
    prisonNumber: dto.otherIds.nomsNumber || null,
    underActiveSupervision: dto.activeProbationManagedSentence === true,
    ethnicity: dto.offenderProfile?.ethnicity ?? null,
    nationality: dto.offenderProfile?.nationality ?? null,
    religion: dto.offenderProfile?.religion ?? null,
    sexualOrientation: dto.offenderProfile?.sexualOrientation ?? null,
    age: dto.age ?? null,
    // Each list missing what the decoder left out of it (docs/adr/0021).
    disabilities: carryOmitted(
      dto.offenderProfile?.disabilities,
      (dto.offenderProfile?.disabilities ?? []).map((d) => ({
        type: d.disabilityType?.description ?? d.disabilityType?.code ?? null,
        condition: d.condition?.description ?? d.condition?.code ?? null,
        startDate: calendarDate(d.startDate),
        endDate: calendarDate(d.endDate),
        notes: d.notes ?? null,
      })),
    ),
    contactDetails: {
      // A phone number without its number, an email address null or blank (the spec allows the first,
      // not the second; both fields are non-null in the schema) is counted as left out (ADR 21).
      phoneNumbers: keepShowable(
        dto.contactDetails?.phoneNumbers,
        (dto.contactDetails?.phoneNumbers ?? []).map((p) => (p.number?.trim() ? { number: p.number, type: p.type ?? null } : null)),
      ),
      emails: keepShowable(null, (dto.contactDetails?.emailAddresses ?? []).map((e) => (e?.trim() ? e : null))),
    },
    currentExclusion: dto.currentExclusion === true,
    currentRestriction: dto.currentRestriction === true,
    firstName: dto.firstName || null,
    middleNames: joinNames(dto.middleNames),
    lastName: dto.surname || null,
    dateOfBirth: calendarDate(dto.dateOfBirth),
    gender: dto.gender || null,
    pncNumber: pncCanonicalLong(dto.otherIds.pncNumber, new Date().getUTCFullYear()) ?? (dto.otherIds.pncNumber || null),
    croNumber: dto.otherIds.croNumber || null,
    aliases: carryOmitted(
      dto.offenderAliases,
      (dto.offenderAliases ?? []).map((a) => ({
        firstName: a.firstName || null,
        middleNames: joinNames(a.middleNames),
        lastName: a.surname || null,
        dateOfBirth: calendarDate(a.dateOfBirth),
        gender: a.gender || null,
      })),
    ),
  };
}
