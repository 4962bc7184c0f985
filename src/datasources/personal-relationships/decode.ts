import { array, fields, object, optionalObject, someOf } from '../http/contract.js';
import type { ContactPageDto, NumberOfChildrenDto, PrisonerContactSummaryDto } from './routes.js';

/** Checks of every personal-relationships field the mapping reads (docs/adr/0010). */

function decodeContact(value: unknown, path: string): PrisonerContactSummaryDto {
  const o = object(value, path);
  fields(o, path, {
    firstName: 'string', middleNames: 'string?', lastName: 'string', dateOfBirth: 'date?', relationshipTypeCode: 'string',
    relationshipToPrisonerCode: 'string', relationshipToPrisonerDescription: 'string', street: 'string?', cityDescription: 'string?',
    postcode: 'string?', phoneNumber: 'string?', isApprovedVisitor: 'boolean?', isNextOfKin: 'boolean?', isEmergencyContact: 'boolean?',
    isRelationshipActive: 'boolean?', comments: 'string?',
  });
  const summary = object(o.restrictionSummary, `${path}.restrictionSummary`);
  array(summary.active, `${path}.restrictionSummary.active`).forEach((r, i) =>
    fields(object(r, `${path}.restrictionSummary.active[${i}]`), `${path}.restrictionSummary.active[${i}]`, { restrictionType: 'string', restrictionTypeDescription: 'string' }),
  );
  return o as unknown as PrisonerContactSummaryDto;
}

/**
 * A page of contacts. A contact that breaks the contract spoils the page: a next of kin or a banned
 * visitor silently missing from the list would be read as "none".
 */
export function decodeContactPage(body: unknown): ContactPageDto {
  const o = object(body, '$');
  const content = array(o.content, '$.content').map((c, i) => decodeContact(c, `$.content[${i}]`));
  const page = optionalObject(o.page, '$.page');
  if (page) fields(page, '$.page', { totalPages: 'integer?' });
  return { content, totalPages: typeof page?.totalPages === 'number' ? page.totalPages : 1 };
}

export function decodeChildren(body: unknown): NumberOfChildrenDto {
  const o = object(body, '$');
  someOf(o, '$', ['id', 'numberOfChildren', 'active', 'createdTime', 'createdBy']);
  fields(o, '$', { numberOfChildren: 'string?', active: 'boolean?' });
  return { numberOfChildren: (o.numberOfChildren as string | null | undefined) ?? null, active: o.active !== false };
}
