import { array, fields, items, object, optionalArray, shapeError, valueError, type Report } from '../http/contract.js';
import type { CaseNoteDto, CaseNotePageDto, CaseNoteSearch } from './routes.js';

/**
 * Checks of every case-notes field the mapping reads (docs/adr/0010), and of what the gateway asked
 * for (docs/adr/0016). A note that does not fit is dropped and reported; the rest of the page stands.
 * Three departures spoil the whole answer (UPSTREAM_INVALID_RESPONSE at the field), because passing
 * them on would show a consumer what its policy withholds: a note of another person, a sensitive
 * note when none were asked for, a note of a type that was not asked for. A page longer than the
 * size asked for is a departure too (the size cap of the answer).
 */
export function decodeCaseNotePage(body: unknown, report: Report, prisonNumber: string, search: CaseNoteSearch): CaseNotePageDto {
  const page = object(body, '$');
  const metadata = object(page.metadata, '$.metadata');
  fields(metadata, '$.metadata', { totalElements: 'integer', page: 'integer', size: 'integer' });
  const total = metadata.totalElements as number;
  if (total < 0) valueError('$.metadata.totalElements', 'negative');
  const list = array(page.content, '$.content');
  if (list.length > search.size) valueError('$.content', `more notes than the ${search.size} asked for`);
  const wanted = search.typeSubTypes ? new Map(search.typeSubTypes.map((t) => [t.type, new Set(t.subTypes)])) : null;
  for (let i = 0; i < list.length; i++) {
    const note = list[i];
    if (typeof note !== 'object' || note === null) continue;
    const n = note as Record<string, unknown>;
    const at = `$.content[${i}]`;
    if (n.offenderIdentifier !== prisonNumber) valueError(`${at}.offenderIdentifier`, 'not the person asked for');
    if (n.sensitive !== false && !search.includeSensitive) valueError(`${at}.sensitive`, 'a sensitive note (or one not marked) when none were asked for');
    if (wanted) {
      const subTypes = typeof n.type === 'string' ? wanted.get(n.type) : undefined;
      if (!subTypes || (subTypes.size > 0 && !(typeof n.subType === 'string' && subTypes.has(n.subType)))) {
        valueError(`${at}.type`, 'a type or sub-type that was not asked for');
      }
    }
  }
  const content = items(list, '$.content', decodeCaseNote, report);
  return { content, totalElements: total };
}

function decodeCaseNote(value: unknown, path: string): CaseNoteDto {
  const o = object(value, path);
  fields(o, path, {
    caseNoteId: 'string', offenderIdentifier: 'string', type: 'string', typeDescription: 'string?', subType: 'string', subTypeDescription: 'string?',
    creationDateTime: 'date?', occurrenceDateTime: 'date?', authorName: 'string?', text: 'string?', locationId: 'string?', systemGenerated: 'boolean?',
  });
  if (typeof o.sensitive !== 'boolean') shapeError(`${path}.sensitive`, 'expected boolean');
  if (o.caseNoteId === '') valueError(`${path}.caseNoteId`, 'empty');
  const amendments = optionalArray(o.amendments, `${path}.amendments`);
  amendments?.forEach((a, i) => fields(object(a, `${path}.amendments[${i}]`), `${path}.amendments[${i}]`, { creationDateTime: 'date?', authorName: 'string?', additionalNoteText: 'string?' }));
  return o as unknown as CaseNoteDto;
}
