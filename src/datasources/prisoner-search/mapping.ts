import { pncCanonicalLong } from '../../domain/identifiers.js';
import { carryOmitted, keepShowable, omittedFrom, withOmitted } from '../../domain/omitted.js';
import { calendarDate, type PrisonDetails, type PrisonRecord } from '../../domain/person.js';
import type { BodyPartDetailDto, PrisonerDto } from './routes.js';

const marks = (kind: 'TATTOO' | 'SCAR' | 'MARK', list: BodyPartDetailDto[] | null | undefined) =>
  (list ?? []).map((m) => ({ kind, bodyPart: m.bodyPart ?? null, comment: m.comment ?? null }));

/**
 * The prison a person is in or was last in: `lastPrisonId` (the same as `prisonId` while inside),
 * else `prisonId` unless that is `OUT`. Prisoner search names only the current prison, so a
 * released person's last prison has no name here (the resolver asks the Prison API for it).
 */
function lastPrison(dto: PrisonerDto): { prisonId: string | null; prisonName: string | null } {
  const current = dto.prisonId && dto.prisonId !== 'OUT' ? dto.prisonId : null;
  const prisonId = dto.lastPrisonId || current;
  return { prisonId, prisonName: prisonId !== null && prisonId === current ? (dto.prisonName ?? null) : null };
}

function prisonDetails(dto: PrisonerDto): PrisonDetails {
  return {
    inPrison: dto.inOutStatus === 'IN',
    status: dto.status ?? null,
    ...lastPrison(dto),
    cellLocation: dto.cellLocation ?? null,
    receptionDate: calendarDate(dto.receptionDate),
    category: dto.category ?? null,
    csra: dto.csra ?? null,
    youthOffender: dto.youthOffender ?? null,
    physicalCharacteristics: {
      heightCentimetres: dto.heightCentimetres ?? null,
      weightKilograms: dto.weightKilograms ?? null,
      hairColour: dto.hairColour ?? null,
      rightEyeColour: dto.rightEyeColour ?? null,
      leftEyeColour: dto.leftEyeColour ?? null,
      facialHair: dto.facialHair ?? null,
      shapeOfFace: dto.shapeOfFace ?? null,
      build: dto.build ?? null,
      shoeSize: dto.shoeSize ?? null,
      // Each list missing what the decoder left out of it (docs/adr/0021).
      distinguishingMarks: withOmitted(
        [...marks('TATTOO', dto.tattoos), ...marks('SCAR', dto.scars), ...marks('MARK', dto.marks)],
        omittedFrom(dto.tattoos) + omittedFrom(dto.scars) + omittedFrom(dto.marks),
      ),
    },
    // A language without its code (the spec allows it; `Language.code` is non-null) is counted as left out.
    languages: keepShowable(
      dto.languages,
      (dto.languages ?? []).map((l) => (l.code ? { code: l.code, primary: l.type === 'PRIM', interpreterRequested: l.interpreterRequested === true } : null)),
    ),
    personalCareNeeds: carryOmitted(
      dto.personalCareNeeds,
      (dto.personalCareNeeds ?? []).map((n) => ({
        type: n.problemType ?? null,
        code: n.problemCode ?? null,
        description: n.problemDescription ?? null,
        startDate: calendarDate(n.startDate),
        endDate: calendarDate(n.endDate),
      })),
    ),
  };
}

export function toPrisonRecord(dto: PrisonerDto): PrisonRecord {
  return {
    prisonNumber: dto.prisonerNumber,
    prisonId: dto.prisonId ?? null,
    status: dto.status ?? null,
    bookingId: dto.bookingId ?? null,
    maritalStatus: dto.maritalStatus ?? null,
    smoker: dto.smoker ?? null,
    ethnicity: dto.ethnicity ?? null,
    nationality: dto.nationality ?? null,
    religion: dto.religion ?? null,
    details: prisonDetails(dto),
    firstName: dto.firstName || null,
    middleNames: dto.middleNames || null,
    lastName: dto.lastName || null,
    dateOfBirth: calendarDate(dto.dateOfBirth),
    gender: dto.gender || null,
    pncNumber: pncCanonicalLong(dto.pncNumberCanonicalLong || dto.pncNumber, new Date().getUTCFullYear()) ?? (dto.pncNumber || null),
    croNumber: dto.croNumber || null,
    aliases: carryOmitted(
      dto.aliases,
      (dto.aliases ?? []).map((a) => ({
        firstName: a.firstName || null,
        middleNames: a.middleNames || null,
        lastName: a.lastName || null,
        dateOfBirth: calendarDate(a.dateOfBirth),
        gender: a.gender || null,
      })),
    ),
  };
}

/** The old prison numbers a surviving record absorbed. */
export function mergedNumbersOf(dto: PrisonerDto): string[] {
  return (dto.identifiers ?? [])
    .filter((i) => i.type === 'MERGED' && typeof i.value === 'string')
    .map((i) => i.value as string);
}
