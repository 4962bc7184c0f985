import { fields, object, optionalArray, shapeError, someOf } from '../http/contract.js';
import type { OffenderRestrictionDto, VisitBalancesDto } from './visit-routes.js';

/** Checks of every field the visit mappings read (docs/adr/0010). */

export function decodeVisitBalances(body: unknown): VisitBalancesDto {
  const o = object(body, '$');
  fields(o, '$', { remainingVo: 'integer', remainingPvo: 'integer', latestIepAdjustDate: 'date?', latestPrivIepAdjustDate: 'date?' });
  return o as unknown as VisitBalancesDto;
}

/** A restriction that breaks the contract spoils the list: a missing "closed visits" would read as none. */
export function decodeOffenderRestrictions(body: unknown): OffenderRestrictionDto[] {
  const o = object(body, '$');
  someOf(o, '$', ['bookingId', 'offenderRestrictions']);
  return (optionalArray(o.offenderRestrictions, '$.offenderRestrictions') ?? []).map((r, i) => {
    const at = `$.offenderRestrictions[${i}]`;
    const x = object(r, at);
    fields(x, at, { restrictionId: 'integer', restrictionType: 'string', restrictionTypeDescription: 'string', comment: 'string?', startDate: 'date?', expiryDate: 'date?', active: 'boolean?' });
    if (typeof x.active !== 'boolean') shapeError(`${at}.active`, 'required field missing or null');
    if (typeof x.startDate !== 'string') shapeError(`${at}.startDate`, 'required field missing or null');
    return x as unknown as OffenderRestrictionDto;
  });
}

