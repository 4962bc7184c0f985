import { premiseParts } from '../../domain/address.js';
import { carryOmitted, keepShowable } from '../../domain/omitted.js';
import { calendarDate } from '../../domain/person.js';
import { newestFirst, type Address, type Offence, type ProbationCase, type RiskFlag, type Sentence } from '../../domain/profile.js';
import type { ContactEvent, LimitedAccessDetails } from '../../domain/records.js';
import type { CaseAddressDto, ContactDto, LimitedAccessDetailDto, OffenceDto, RegistrationDto, SupervisionDto, SupervisionResponseDto } from './routes.js';

const text = (v: string | undefined | null): string | null => (v && v.trim() ? v : null);

/** Court appearance date-times carry an offset: the calendar day as recorded is the first 10 characters. */
const courtDay = (dateTime: string | undefined): string | null => calendarDate(dateTime?.slice(0, 10));

function offence(dto: OffenceDto, supervision: SupervisionDto): Offence {
  const appearances = supervision.courtAppearances ?? [];
  return {
    source: 'PROBATION',
    description: text(dto.description) ?? text(dto.mainCategory?.description),
    code: text(dto.code),
    statuteCode: null,
    offenceDate: calendarDate(dto.date),
    courtDates: appearances.map((a) => courtDay(a.date)).filter((d): d is string => d !== null),
    courtName: text(appearances.find((a) => a.type === 'Sentence')?.court) ?? text(appearances[0]?.court),
  };
}

function sentence(supervision: SupervisionDto): Sentence | null {
  const s = supervision.sentence;
  if (!s) return null;
  const units = s.lengthUnits?.toLowerCase();
  return {
    source: 'PROBATION',
    description: text(s.description),
    dateOfSentencing: calendarDate(s.date ?? supervision.date),
    startDate: calendarDate(s.date ?? supervision.date),
    endDate: null,
    custodial: s.custodial ?? null,
    active: supervision.active ?? null,
    fineAmount: null,
    length: s.length !== undefined && units ? `${s.length} ${s.length === 1 ? units.replace(/s$/, '') : units}` : null,
  };
}

/** A registration as a flag; `null` without a code (the spec allows it; `RiskFlag.code` is non-null). */
function flag(dto: RegistrationDto): RiskFlag | null {
  const code = text(dto.code);
  if (code === null) return null;
  return {
    code,
    description: text(dto.description),
    startDate: calendarDate(dto.startDate),
    reviewDate: calendarDate(dto.reviewDate),
    notes: text(dto.notes),
  };
}

/**
 * Flags newest first, missing what the decoder left out of `list` and the registrations without a
 * code (counted, never dropped without a word: ADR 21).
 */
function flags(list: RegistrationDto[] | undefined): RiskFlag[] {
  const showable = keepShowable(list, (list ?? []).map(flag));
  return carryOmitted(showable, newestFirst(showable, (f) => f.startDate));
}

/**
 * A MAPPA level or category as Delius numbers it: 0 stands for a legacy or unrecognised code
 * ("unknown", the description still says what was recorded), never a level or category of its own.
 */
const numbered = (value: number | undefined): number | null => (value === undefined || value === 0 ? null : value);

export function toProbationCase(dto: SupervisionResponseDto): ProbationCase {
  const supervisions = dto.supervisions ?? [];
  const manager = dto.communityManager;
  const mappa = dto.mappaDetail;
  const hasMappa = mappa && (mappa.level !== undefined || mappa.category !== undefined);
  return {
    communityManager: manager
      ? {
          forename: text(manager.name?.forename),
          surname: text(manager.name?.surname),
          email: text(manager.email),
          telephoneNumber: text(manager.telephoneNumber),
          allocated: manager.allocated === true,
          team: manager.team
            ? {
                code: text(manager.team.code),
                description: text(manager.team.description),
                email: text(manager.team.email),
                telephoneNumber: text(manager.team.telephoneNumber),
              }
            : null,
        }
      : null,
    offences: newestFirst(
      supervisions.flatMap((s) => [s.mainOffence, ...(s.additionalOffences ?? [])].filter((o): o is OffenceDto => !!o).map((o) => offence(o, s))),
      (o) => o.offenceDate,
    ),
    sentences: newestFirst(
      supervisions.map(sentence).filter((s): s is Sentence => s !== null),
      (s) => s.dateOfSentencing,
    ),
    dynamicRisks: flags(dto.dynamicRisks),
    statusInformation: flags(dto.personStatus),
    mappa: hasMappa
      ? {
          level: numbered(mappa.level),
          levelDescription: text(mappa.levelDescription),
          category: numbered(mappa.category),
          categoryDescription: text(mappa.categoryDescription),
          startDate: calendarDate(mappa.startDate),
          reviewDate: calendarDate(mappa.reviewDate),
          notes: text(mappa.notes),
        }
      : null,
  };
}

/**
 * Delius has no flat field: a flat is written into the building name or the house number
 * ("Flat 6, Mill House"), and is read back out of them.
 */
export function toProbationAddress(dto: CaseAddressDto): Address {
  const premise = premiseParts(dto.buildingName, dto.addressNumber);
  return {
    sources: ['PROBATION'],
    noFixedAddress: dto.noFixedAbode === true,
    ...premise,
    street: text(dto.streetName),
    locality: text(dto.district),
    town: text(dto.town),
    county: text(dto.county),
    postcode: text(dto.postcode),
    country: null,
    startDate: calendarDate(dto.from),
    endDate: calendarDate(dto.to),
    types: dto.type?.code ? [{ code: dto.type.code, description: text(dto.type.description) }] : [],
    notes: text(dto.notes),
  };
}

const coded = (v: { code?: string; description?: string } | undefined) => (v?.code ? { code: v.code, description: text(v.description) } : null);

/** A contact event as consumers see it (date-times keep the offset Delius gives them). */
export function toContactEvent(dto: ContactDto): ContactEvent {
  const officer = dto.officer;
  return {
    id: String(dto.id),
    contactDate: dto.contactDate ?? null,
    createdAt: dto.createdAt ?? null,
    updatedAt: dto.updatedAt ?? null,
    type: coded(dto.type),
    description: text(dto.description),
    location: coded(dto.location),
    outcome: coded(dto.outcome),
    officer: officer
      ? {
          code: text(officer.code),
          forename: text(officer.name?.forename),
          surname: text(officer.name?.surname),
          team: coded(officer.team),
          provider: coded(officer.team?.pdu?.provider),
        }
      : null,
    notes: text(dto.notes),
  };
}

/** The staff's email addresses; one missing or blank is counted as left out (ADR 21). */
const emails = (list: Array<{ email?: string }> | undefined): string[] => keepShowable(list, (list ?? []).map((u) => text(u.email)));

export function toLimitedAccessDetails(dto: LimitedAccessDetailDto): LimitedAccessDetails {
  return {
    excludedFrom: emails(dto.excludedFrom),
    exclusionMessage: text(dto.exclusionMessage),
    restrictedTo: emails(dto.restrictedTo),
    restrictionMessage: text(dto.restrictionMessage),
  };
}
