import { array, fields, items, keyedBatch, object, optionalArray, ordered, prisonNumber, valueError, type KeyedBatch, type Report } from '../http/contract.js';

/**
 * Checks of the prison-life answers (docs/adr/0010): a movement or adjustment that does not fit is
 * dropped and reported; a movement that cannot be attributed to a prison number spoils the batch
 * for every asked number (UPSTREAM_INVALID_RESPONSE, never a silent empty timeline).
 */

const MOVEMENT_TYPES = new Set(['ADM', 'CRT', 'REL', 'TAP', 'TRN']);
const DIRECTIONS = new Set(['IN', 'OUT']);
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;

export function decodeMovements(body: unknown, report: Report): KeyedBatch<unknown> {
  return keyedBatch(
    array(body, '$'),
    '$',
    (item, at) => [prisonNumber(object(item, at).offenderNo, `${at}.offenderNo`)],
    (item, at) => {
      const m = object(item, at);
      fields(m, at, {
        movementType: 'string', directionCode: 'string', movementDate: 'date?', movementTime: 'string?', createDateTime: 'string?',
        movementReason: 'string?', movementReasonCode: 'string?', fromAgency: 'string?', fromAgencyDescription: 'string?',
        toAgency: 'string?', toAgencyDescription: 'string?',
      });
      if (!MOVEMENT_TYPES.has(m.movementType as string)) valueError(`${at}.movementType`, 'not ADM, CRT, REL, TAP or TRN');
      if (!DIRECTIONS.has(m.directionCode as string)) valueError(`${at}.directionCode`, 'not IN or OUT');
      if (typeof m.movementTime === 'string' && !TIME.test(m.movementTime)) valueError(`${at}.movementTime`, 'not a time of day');
      if (typeof m.createDateTime === 'string' && !LOCAL_DATE_TIME.test(m.createDateTime)) valueError(`${at}.createDateTime`, 'not a local date-time');
      return m;
    },
    report,
  );
}

const ADJUSTMENT = { sentenceSequence: 'integer?', type: 'string', numberOfDays: 'integer', fromDate: 'date?', toDate: 'date?', active: 'boolean?', comment: 'string?' } as const;

export function decodeBookingAdjustments(body: unknown, report: Report): unknown {
  const o = object(body, '$');
  for (const name of ['sentenceAdjustments', 'bookingAdjustments'] as const) {
    const list = optionalArray(o[name], `$.${name}`);
    if (!list) continue;
    o[name] = items(list, `$.${name}`, (a, at) => {
      const adjustment = object(a, at);
      fields(adjustment, at, ADJUSTMENT);
      if ((adjustment.numberOfDays as number) < 0) valueError(`${at}.numberOfDays`, 'negative');
      ordered(adjustment, 'fromDate', 'toDate', at);
      return adjustment;
    }, report);
  }
  return o;
}
