import type { CaseNote } from '../../domain/records.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { CaseNoteDto } from './routes.js';

const text = (v: string | undefined | null): string | null => (v && v.trim() ? v : null);

/** A case note as consumers see it: local date-times become instants with their London offset. */
export function toCaseNote(dto: CaseNoteDto): CaseNote {
  return {
    id: dto.caseNoteId,
    type: { code: dto.type, description: text(dto.typeDescription) },
    subType: { code: dto.subType, description: text(dto.subTypeDescription) },
    occurredAt: londonLocalToInstant(dto.occurrenceDateTime),
    createdAt: londonLocalToInstant(dto.creationDateTime),
    authorName: text(dto.authorName),
    text: text(dto.text),
    prisonCode: text(dto.locationId),
    sensitive: dto.sensitive,
    systemGenerated: dto.systemGenerated === true,
    amendments: (dto.amendments ?? []).map((a) => ({
      createdAt: londonLocalToInstant(a.creationDateTime),
      authorName: text(a.authorName),
      text: text(a.additionalNoteText),
    })),
  };
}
