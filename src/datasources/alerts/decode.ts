import { array, fields, keyedBatch, object, ordered, prisonNumber, type KeyedBatch, type Report } from '../http/contract.js';
import type { AlertDto } from './routes.js';

/**
 * Checks of every alerts field the mapping reads (docs/adr/0010). An alert whose prison number, code
 * or dates do not fit (or whose `activeTo` is before its `activeFrom`) is dropped and reported; the
 * person's other alerts stand, with an error at the list's path (ADR 21). The upstream's `isActive` is
 * checked for its type only and not used: `Alert.active` is worked out from the dates (`alertAppliesOn`,
 * src/domain/profile.ts), so an alert the upstream still calls active after its `activeTo` is kept, and
 * is not active (issue 13 item 7).
 */
export function decodeAlert(value: unknown, path: string): AlertDto {
  const o = object(value, path);
  prisonNumber(o.prisonNumber, `${path}.prisonNumber`);
  const code = object(o.alertCode, `${path}.alertCode`);
  fields(code, `${path}.alertCode`, { code: 'string', description: 'string?', alertTypeCode: 'string?', alertTypeDescription: 'string?' });
  fields(o, path, { description: 'string?', activeFrom: 'date?', activeTo: 'date?', isActive: 'boolean?', createdAt: 'date?' });
  ordered(o, 'activeFrom', 'activeTo', path);
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
