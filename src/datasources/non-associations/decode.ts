import { array, fields, object, ordered, prisonNumber, shapeError, type Report } from '../http/contract.js';
import type { NonAssociationDto } from './routes.js';

/**
 * `POST /non-associations/involving` (docs/adr/0010). An entry that does not fit cannot be dropped
 * quietly: a missing non-association reads as "no need to keep these two apart", the unsafe answer.
 * So any entry that breaks the contract spoils the whole answer (UPSTREAM_INVALID_RESPONSE for every
 * person asked), rather than giving a list that looks complete.
 */
export function decodeNonAssociations(body: unknown, _report: Report): NonAssociationDto[] {
  return array(body, '$').map((item, i) => {
    const path = `$[${i}]`;
    const o = object(item, path);
    prisonNumber(o.firstPrisonerNumber, `${path}.firstPrisonerNumber`);
    prisonNumber(o.secondPrisonerNumber, `${path}.secondPrisonerNumber`);
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
