import { array, fields, object, ordered, prisonNumber, shapeError, valueError, type Report } from '../http/contract.js';
import type { NonAssociationDto } from './routes.js';

/**
 * `POST /non-associations/involving` (docs/adr/0010). An entry that does not fit cannot be dropped
 * quietly: a missing non-association reads as "no need to keep these two apart", the unsafe answer.
 * So any entry that breaks the contract spoils the whole answer (UPSTREAM_INVALID_RESPONSE for every
 * person asked), rather than giving a list that looks complete. That includes an entry that involves
 * none of the prisoners `asked` (the spec: either person must be one of them): no one's list would show
 * it, and it may be an asked person's under a wrong number.
 */
export function decodeNonAssociations(body: unknown, _report: Report, asked: ReadonlySet<string>): NonAssociationDto[] {
  return array(body, '$').map((item, i) => {
    const path = `$[${i}]`;
    const o = object(item, path);
    const first = prisonNumber(o.firstPrisonerNumber, `${path}.firstPrisonerNumber`);
    const second = prisonNumber(o.secondPrisonerNumber, `${path}.secondPrisonerNumber`);
    if (!asked.has(first.toUpperCase()) && !asked.has(second.toUpperCase())) valueError(path, 'involves none of the prisoners asked for');
    fields(o, path, {
      id: 'integer', firstPrisonerRole: 'string', firstPrisonerRoleDescription: 'string?', secondPrisonerRole: 'string', secondPrisonerRoleDescription: 'string?',
      reason: 'string', reasonDescription: 'string?', restrictionType: 'string', restrictionTypeDescription: 'string?', comment: 'string?',
      whenCreated: 'date?', whenUpdated: 'date?', isClosed: 'boolean?', closedReason: 'string?', closedAt: 'date?',
    });
    if (typeof o.isClosed !== 'boolean') shapeError(`${path}.isClosed`, 'required boolean missing');
    ordered(o, 'whenCreated', 'closedAt', path);
    return { ...(o as unknown as NonAssociationDto), isClosed: o.isClosed === true };
  });
}
