import { carryOmitted } from '../../domain/omitted.js';
import type { Adjudication, AdjudicationHearing, AdjudicationPunishment } from '../../domain/prison-life.js';
import { calendarDate } from '../../domain/person.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { HearingDto, PunishmentDto, ReportedAdjudicationDto } from './routes.js';

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

const instant = (value: string | null | undefined): string | null => londonLocalToInstant(text(value));

/** Newest incident first (by instant); ties keep the upstream's order. */
export function toAdjudications(dtos: readonly ReportedAdjudicationDto[]): Adjudication[] {
  const list = dtos.map(toAdjudication);
  const key = (a: Adjudication) => (a.incidentAt ? Date.parse(a.incidentAt) : Number.NEGATIVE_INFINITY);
  const sorted = list
    .map((a, i) => ({ a, i }))
    .sort((x, y) => key(y.a) - key(x.a) || x.i - y.i)
    .map(({ a }) => a);
  // Missing what the decoder left out (docs/adr/0021).
  return carryOmitted(dtos, sorted);
}

export function toAdjudication(dto: ReportedAdjudicationDto): Adjudication {
  const latestOutcome = [...(dto.outcomes ?? [])].reverse().find((o) => o.outcome?.outcome)?.outcome?.outcome ?? null;
  return {
    chargeNumber: dto.chargeNumber,
    status: dto.status,
    statusDescription: text(dto.statusDescription),
    prisonId: text(dto.overrideAgencyId) ?? text(dto.originatingAgencyId),
    incidentAt: instant(dto.incidentDetails?.dateTimeOfIncident),
    discoveredAt: instant(dto.incidentDetails?.dateTimeOfDiscovery),
    location: text(dto.incidentDetails?.locationName),
    offenceCode: typeof dto.offenceDetails?.offenceCode === 'number' ? String(dto.offenceDetails.offenceCode) : null,
    offenceDescription: text(dto.offenceDetails?.offenceCodeDescription),
    offenceParagraph: text(dto.offenceDetails?.offenceRule?.paragraphNumber),
    offenceParagraphDescription: text(dto.offenceDetails?.offenceRule?.paragraphDescription),
    incidentStatement: text(dto.incidentStatement?.statement),
    hearings: (dto.hearings ?? []).map(toHearing).sort((a, b) => (Date.parse(b.heldAt ?? '') || 0) - (Date.parse(a.heldAt ?? '') || 0)),
    outcome: latestOutcome ? { code: latestOutcome.code, details: text(latestOutcome.details) } : null,
    punishments: (dto.punishments ?? []).map(toPunishment),
  };
}

export function toHearing(dto: HearingDto): AdjudicationHearing {
  return {
    heldAt: instant(dto.dateTimeOfHearing),
    type: dto.oicHearingType,
    typeDescription: text(dto.oicHearingTypeDescription),
    prisonId: text(dto.agencyId),
    location: text(dto.locationName),
    outcomeCode: text(dto.outcome?.code),
    plea: text(dto.outcome?.plea),
    outcomeDetails: text(dto.outcome?.details),
  };
}

export function toPunishment(dto: PunishmentDto): AdjudicationPunishment {
  const s = dto.schedule;
  return {
    type: dto.type,
    typeDescription: text(dto.typeDescription),
    privilege: text(dto.privilegeType === 'OTHER' ? dto.otherPrivilege : dto.privilegeType),
    days: typeof s?.days === 'number' ? s.days : null,
    startDate: calendarDate(s?.startDate),
    endDate: calendarDate(s?.endDate),
    suspendedUntil: calendarDate(s?.suspendedUntil),
    earningsStoppedPercent: typeof dto.stoppagePercentage === 'number' ? dto.stoppagePercentage : null,
    damagesOwed: typeof dto.damagesOwedAmount === 'number' ? dto.damagesOwedAmount : null,
  };
}
