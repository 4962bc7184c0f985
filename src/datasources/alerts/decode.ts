import { array, fields, keyedBatch, object, ordered, prisonNumber, valueError, type KeyedBatch, type Report } from '../http/contract.js';
import { londonDate } from '../../domain/time.js';
import type { AlertDto } from './routes.js';

/**
 * Checks of every alerts field the mapping reads (docs/adr/0010). An alert whose prison number, code,
 * state or dates do not fit (or contradict each other) is dropped and reported; the person's other
 * alerts stand, with an error at the list's path (ADR 21).
 */
export function decodeAlert(value: unknown, path: string): AlertDto {
  const o = object(value, path);
  prisonNumber(o.prisonNumber, `${path}.prisonNumber`);
  const code = object(o.alertCode, `${path}.alertCode`);
  fields(code, `${path}.alertCode`, { code: 'string', description: 'string?', alertTypeCode: 'string?', alertTypeDescription: 'string?' });
  fields(o, path, { description: 'string?', activeFrom: 'date?', activeTo: 'date?', isActive: 'boolean?', createdAt: 'date?' });
  ordered(o, 'activeFrom', 'activeTo', path);
  // The alerts API works `isActive` out when asked (active-to absent or after today): an alert it
  // calls active that ended before today (London) contradicts itself, and neither half is believed.
  if (o.isActive === true && typeof o.activeTo === 'string' && o.activeTo.slice(0, 10) < londonDate(new Date())) {
    valueError(`${path}.activeTo`, 'before today although isActive is true');
  }
  return o as unknown as AlertDto;
}

/**
 * `POST /search/alerts/prison-numbers`: a page whose `content` is the alerts of every asked person,
 * keyed by prison number, so that an alert left out is counted against its person (or, when its
 * prison number itself is broken, against every person asked: any of them may miss it).
 */
export function decodeAlertPage(body: unknown, report: Report): KeyedBatch<AlertDto> {
  const page = object(body, '$');
  return keyedBatch(
    array(page.content, '$.content'),
    '$.content',
    (item, at) => [prisonNumber(object(item, at).prisonNumber, `${at}.prisonNumber`)],
    decodeAlert,
    report,
  );
}
