import { array, fields, object, optionalArray, optionalObject, valueError } from '../http/contract.js';
import type { VisitDto, VisitPageDto } from './routes.js';

/**
 * Checks of every visit field the mapping reads (docs/adr/0010). A visit that breaks the contract spoils
 * the whole answer: a visit silently missing from the list would be read as "no visit booked".
 */

const STATUSES = new Set(['BOOKED', 'CANCELLED']);
const RESTRICTIONS = new Set(['OPEN', 'CLOSED', 'UNKNOWN']);

function decodeVisit(value: unknown, path: string): VisitDto {
  const v = object(value, path);
  fields(v, path, {
    reference: 'string', prisonerId: 'string', prisonId: 'string', prisonName: 'string?', visitRoom: 'string', visitType: 'string',
    visitStatus: 'string', outcomeStatus: 'string?', visitRestriction: 'string', startTimestamp: 'date?', endTimestamp: 'date?',
  });
  if (typeof v.startTimestamp !== 'string' || typeof v.endTimestamp !== 'string') valueError(`${path}.startTimestamp`, 'required date-times missing');
  if (!STATUSES.has(v.visitStatus as string)) valueError(`${path}.visitStatus`, 'not a status of the contract');
  if (!RESTRICTIONS.has(v.visitRestriction as string)) valueError(`${path}.visitRestriction`, 'not a restriction of the contract');
  (optionalArray(v.visitNotes, `${path}.visitNotes`) ?? []).forEach((n, i) => fields(object(n, `${path}.visitNotes[${i}]`), `${path}.visitNotes[${i}]`, { type: 'string', text: 'string' }));
  (optionalArray(v.visitors, `${path}.visitors`) ?? []).forEach((x, i) => fields(object(x, `${path}.visitors[${i}]`), `${path}.visitors[${i}]`, { nomisPersonId: 'integer', visitContact: 'boolean?' }));
  const contact = optionalObject(v.visitContact, `${path}.visitContact`);
  if (contact) fields(contact, `${path}.visitContact`, { name: 'string', telephone: 'string?', email: 'string?' });
  const support = optionalObject(v.visitorSupport, `${path}.visitorSupport`);
  if (support) fields(support, `${path}.visitorSupport`, { description: 'string' });
  return v as unknown as VisitDto;
}

export function decodeFutureVisits(body: unknown): VisitDto[] {
  return array(body, '$').map((v, i) => decodeVisit(v, `$[${i}]`));
}

export function decodeVisitPage(body: unknown): VisitPageDto {
  const o = object(body, '$');
  const content = array(o.content, '$.content').map((v, i) => decodeVisit(v, `$.content[${i}]`));
  fields(o, '$', { totalElements: 'integer' });
  return { content, totalElements: o.totalElements as number };
}
