import { londonLocalToInstant } from '../../domain/time.js';
import type { Visit } from '../../domain/visits.js';
import type { VisitDto } from './routes.js';

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** A visit as the graph gives it: London wall-clock times as instants; visitors as ids (another person: no names here). */
export function toVisit(dto: VisitDto): Visit {
  const visitors = dto.visitors ?? [];
  return {
    reference: dto.reference,
    prisonId: dto.prisonId,
    prisonName: text(dto.prisonName),
    startAt: londonLocalToInstant(dto.startTimestamp),
    endAt: londonLocalToInstant(dto.endTimestamp),
    status: dto.visitStatus,
    outcome: text(dto.outcomeStatus),
    type: dto.visitType,
    restriction: dto.visitRestriction,
    room: text(dto.visitRoom),
    visitors: visitors.map((v) => ({ contactId: String(v.nomisPersonId), mainContact: v.visitContact === true })),
    mainContact: dto.visitContact ? { name: dto.visitContact.name, telephone: text(dto.visitContact.telephone) } : null,
    notes: (dto.visitNotes ?? []).map((n) => ({ type: n.type, text: n.text })),
    visitorSupport: text(dto.visitorSupport?.description),
  };
}
