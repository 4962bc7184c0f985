/** DPS Personal Relationships API (dps-personal-relationships.json): a prisoner's contacts and number of children. */

import { type ContactModel, childrenOf, contactsOf } from '../lib/contacts-data.js';
import { HttpError, type UpstreamDefinition, boolParam, hmppsError, intParam, ok } from '../lib/http.js';
import type { Population } from '../lib/population.js';

function summary(prisonerNumber: string, c: ContactModel): Record<string, unknown> {
  return {
    prisonerContactId: c.prisonerContactId,
    contactId: c.contactId,
    prisonerNumber,
    lastName: c.lastName,
    firstName: c.firstName,
    middleNames: c.middleNames ?? undefined,
    dateOfBirth: c.dateOfBirth ?? undefined,
    relationshipTypeCode: c.relationshipTypeCode,
    relationshipTypeDescription: c.relationshipTypeDescription,
    relationshipToPrisonerCode: c.relationshipToPrisonerCode,
    relationshipToPrisonerDescription: c.relationshipToPrisonerDescription,
    street: c.street ?? undefined,
    cityDescription: c.cityDescription ?? undefined,
    postcode: c.postcode ?? undefined,
    primaryAddress: c.street !== null,
    phoneNumber: c.phoneNumber ?? undefined,
    phoneType: c.phoneNumber ? 'MOB' : undefined,
    phoneTypeDescription: c.phoneNumber ? 'Mobile' : undefined,
    isApprovedVisitor: c.isApprovedVisitor,
    isNextOfKin: c.isNextOfKin,
    isEmergencyContact: c.isEmergencyContact,
    isRelationshipActive: c.isRelationshipActive,
    currentTerm: true,
    comments: c.comments ?? undefined,
    restrictionSummary: { active: c.restrictions, totalActive: c.restrictions.length, totalExpired: c.expiredRestrictions },
  };
}

export function createPersonalRelationships(pop: Population): UpstreamDefinition {
  return {
    name: 'personalRelationships',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/prisoner/{prisonNumber}/contact',
        handler: (ctx) => {
          const n = ctx.params.prisonNumber ?? '';
          const p = pop.byPrisonNumberValue(n);
          if (!p) throw new HttpError(404, `Prisoner ${n} not found`);
          const page = intParam(ctx.query, 'page', 0, 0, 100_000);
          const size = intParam(ctx.query, 'size', 20, 1, 1000);
          const active = boolParam(ctx.query, 'active');
          const type = ctx.query.get('relationshipType');
          const emergency = boolParam(ctx.query, 'emergencyContact');
          const nextOfKin = boolParam(ctx.query, 'nextOfKin');
          const either = boolParam(ctx.query, 'emergencyContactOrNextOfKin');
          const all = contactsOf(pop, p).filter((c) =>
            (active === undefined || c.isRelationshipActive === active)
            && (!type || c.relationshipTypeCode === type)
            && (emergency === undefined || c.isEmergencyContact === emergency)
            && (nextOfKin === undefined || c.isNextOfKin === nextOfKin)
            && (either === undefined || (c.isEmergencyContact || c.isNextOfKin) === either));
          const content = all.slice(page * size, page * size + size).map((c) => summary(n, c));
          return ok({ content, page: { size, number: page, totalElements: all.length, totalPages: Math.ceil(all.length / size) } });
        },
      },
      {
        method: 'GET',
        path: '/prisoner/{prisonerNumber}/number-of-children',
        handler: (ctx) => {
          const n = ctx.params.prisonerNumber ?? '';
          const p = pop.byPrisonNumberValue(n);
          const children = p ? childrenOf(pop, p) : null;
          if (children === null) throw new HttpError(404, `No number of children recorded for ${n}`);
          return ok({ ...children, active: true });
        },
      },
    ],
  };
}
