/** DPS Case Notes (dps-case-notes.json): `POST /search/case-notes/{personIdentifier}`. */

import { type CaseNoteModel, caseNotes } from '../lib/case-notes-data.js';
import { HttpError, type UpstreamDefinition, hmppsError, objectBody, ok } from '../lib/http.js';
import type { Population } from '../lib/population.js';

/** Largest page the simulator serves (the spec sets none; the real service pages at most a few hundred). */
const MAX_SIZE = 500;

export function caseNoteDto(prisonNumber: string, n: CaseNoteModel): Record<string, unknown> {
  return {
    caseNoteId: n.caseNoteId,
    offenderIdentifier: prisonNumber,
    type: n.ref.type,
    typeDescription: n.ref.typeDescription,
    subType: n.ref.subType,
    subTypeDescription: n.ref.subTypeDescription,
    source: 'INST',
    creationDateTime: n.creationDateTime,
    occurrenceDateTime: n.occurrenceDateTime,
    authorName: n.authorName,
    authorUserId: n.authorUserId,
    authorUsername: n.authorUsername,
    text: n.text,
    locationId: n.locationId,
    eventId: n.legacyId,
    sensitive: n.sensitive,
    amendments: n.amendments,
    systemGenerated: n.systemGenerated,
    legacyId: n.legacyId,
  };
}

interface TypeFilter {
  type: string;
  subTypes: Set<string>;
}

function typeFilters(raw: unknown): TypeFilter[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) throw new HttpError(400, 'typeSubTypes must be a list');
  return raw.map((t: unknown) => {
    const o = t as { type?: unknown; subTypes?: unknown };
    if (typeof t !== 'object' || t === null || typeof o.type !== 'string' || !Array.isArray(o.subTypes) || o.subTypes.some((s) => typeof s !== 'string')) {
      throw new HttpError(400, 'typeSubTypes entries need a type and a list of subTypes');
    }
    return { type: o.type, subTypes: new Set(o.subTypes as string[]) };
  });
}

function localDateTimeField(body: Record<string, unknown>, key: string): string | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) throw new HttpError(400, `${key} must be a date-time`);
  return v.length === 16 ? `${v}:00` : v.slice(0, 19);
}

function positive(body: Record<string, unknown>, key: string, max: number): number {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new HttpError(400, `${key} must be an integer from 1 to ${max}`);
  return v;
}

export function createCaseNotes(pop: Population): UpstreamDefinition {
  return {
    name: 'caseNotes',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'POST',
        path: '/search/case-notes/{personIdentifier}',
        handler: (ctx) => {
          const body = objectBody(ctx);
          const page = positive(body, 'page', 1_000_000);
          const size = positive(body, 'size', MAX_SIZE);
          const includeSensitive = body.includeSensitive === true;
          const types = typeFilters(body.typeSubTypes);
          const from = localDateTimeField(body, 'occurredFrom');
          const to = localDateTimeField(body, 'occurredTo');
          const [sortField = 'occurrenceDateTime', direction = 'desc'] = typeof body.sort === 'string' ? body.sort.split(',') : [];
          const key = sortField === 'creationDateTime' ? 'creationDateTime' : 'occurrenceDateTime';
          const identifier = (ctx.params.personIdentifier ?? '').toUpperCase();
          const p = pop.byPrisonNumberValue(identifier);
          const all = p ? caseNotes(pop, p) : [];
          const matching = all
            .filter((n) => includeSensitive || !n.sensitive)
            .filter((n) => !types || types.some((t) => t.type === n.ref.type && (t.subTypes.size === 0 || t.subTypes.has(n.ref.subType))))
            .filter((n) => (from === null || n.occurrenceDateTime >= from) && (to === null || n.occurrenceDateTime <= to))
            .sort((a, b) => (a[key] < b[key] ? 1 : a[key] > b[key] ? -1 : 0) * (direction.toLowerCase() === 'asc' ? -1 : 1));
          const start = (page - 1) * size;
          return ok({
            content: matching.slice(start, start + size).map((n) => caseNoteDto(identifier, n)),
            metadata: { totalElements: matching.length, page, size },
            hasCaseNotes: all.length > 0,
          });
        },
      },
    ],
  };
}
