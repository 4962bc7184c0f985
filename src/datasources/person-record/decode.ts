import { array, crn, object, prisonNumber } from '../http/contract.js';
import type { CanonicalRecordDto } from './routes.js';

/**
 * Checks of the core person record's identifiers (docs/adr/0009): every linked CRN and prison number
 * must fit its format before it is used as a key or sent on; another shape is a contract fault.
 */
export function decodeCanonicalRecord(body: unknown): CanonicalRecordDto {
  const o = object(body, '$');
  // The spec requires `identifiers` and, in it, `crns` and `prisonNumbers` (possibly empty).
  const ids = object(o.identifiers, '$.identifiers');
  array(ids.crns, '$.identifiers.crns').forEach((v, i) => crn(v, `$.identifiers.crns[${i}]`));
  array(ids.prisonNumbers, '$.identifiers.prisonNumbers').forEach((v, i) => prisonNumber(v, `$.identifiers.prisonNumbers[${i}]`));
  return o as CanonicalRecordDto;
}
