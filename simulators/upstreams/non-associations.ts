/** DPS Non-Associations API (dps-non-associations.json): prisoners to be kept apart. */

import { HttpError, type RouteContext, type UpstreamDefinition, boolParam, hmppsError, ok, stringArrayBody } from '../lib/http.js';
import {
  type NonAssociationModel,
  REASON_DESCRIPTIONS,
  RESTRICTION_DESCRIPTIONS,
  ROLE_DESCRIPTIONS,
  nonAssociationsOf,
} from '../lib/non-associations-data.js';
import type { Population } from '../lib/population.js';
import { prisonName } from '../lib/reference.js';

const MAX_BATCH = 1000;

function common(na: NonAssociationModel) {
  return {
    id: na.id,
    reason: na.reason,
    reasonDescription: REASON_DESCRIPTIONS[na.reason],
    restrictionType: na.restrictionType,
    restrictionTypeDescription: RESTRICTION_DESCRIPTIONS[na.restrictionType],
    comment: na.comment,
    whenCreated: na.whenCreated,
    whenUpdated: na.whenUpdated,
    updatedBy: na.updatedBy,
    isClosed: na.closed !== null,
    isOpen: na.closed === null,
    // Absent while open: the spec types them as strings, only its examples show null.
    closedBy: na.closed?.closedBy,
    closedReason: na.closed?.closedReason,
    closedAt: na.closed?.closedAt,
  };
}

function nonAssociationDto(na: NonAssociationModel): Record<string, unknown> {
  return {
    ...common(na),
    firstPrisonerNumber: na.firstPrisonerNumber,
    firstPrisonerRole: na.firstPrisonerRole,
    firstPrisonerRoleDescription: ROLE_DESCRIPTIONS[na.firstPrisonerRole],
    secondPrisonerNumber: na.secondPrisonerNumber,
    secondPrisonerRole: na.secondPrisonerRole,
    secondPrisonerRoleDescription: ROLE_DESCRIPTIONS[na.secondPrisonerRole],
  };
}

/** includeOpen defaults to true, includeClosed to false (the spec's defaults). */
function wanted(ctx: RouteContext): (na: NonAssociationModel) => boolean {
  const open = boolParam(ctx.query, 'includeOpen') ?? true;
  const closed = boolParam(ctx.query, 'includeClosed') ?? false;
  return (na) => (na.closed === null ? open : closed);
}

export function createNonAssociations(pop: Population): UpstreamDefinition {
  const location = (prisonNumber: string) => {
    const p = pop.byPrisonNumberValue(prisonNumber);
    const prisonId = p?.prisonId && p.prisonId !== 'OUT' ? p.prisonId : null;
    return { p, prisonId };
  };
  return {
    name: 'nonAssociations',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'POST',
        path: '/non-associations/involving',
        handler: (ctx) => {
          const numbers = stringArrayBody(ctx, MAX_BATCH, 'prisoner numbers');
          if (numbers.length === 0) throw new HttpError(400, 'At least one prisoner number is required');
          const keep = wanted(ctx);
          const prisonId = ctx.query.get('prisonId');
          const seen = new Map<number, NonAssociationModel>();
          for (const n of new Set(numbers)) {
            const p = pop.byPrisonNumberValue(n);
            for (const na of p ? nonAssociationsOf(pop, p) : []) if (keep(na)) seen.set(na.id, na);
          }
          const inPrison = (na: NonAssociationModel) =>
            !prisonId || (location(na.firstPrisonerNumber).prisonId === prisonId && location(na.secondPrisonerNumber).prisonId === prisonId);
          return ok([...seen.values()].filter(inPrison).map(nonAssociationDto));
        },
      },
      {
        method: 'GET',
        path: '/prisoner/{prisonerNumber}/non-associations',
        handler: (ctx) => {
          const n = ctx.params.prisonerNumber ?? '';
          const { p, prisonId } = location(n);
          if (!p) throw new HttpError(404, `Prisoner ${n} not found`);
          const keep = wanted(ctx);
          const otherPrisons = boolParam(ctx.query, 'includeOtherPrisons') ?? false;
          const items = nonAssociationsOf(pop, p).filter(keep).flatMap((na) => {
            const first = na.firstPrisonerNumber === n;
            const otherNumber = first ? na.secondPrisonerNumber : na.firstPrisonerNumber;
            const other = location(otherNumber);
            if (!other.p || (!otherPrisons && other.prisonId !== prisonId)) return [];
            const role = first ? na.firstPrisonerRole : na.secondPrisonerRole;
            const otherRole = first ? na.secondPrisonerRole : na.firstPrisonerRole;
            return [{
              ...common(na),
              role,
              roleDescription: ROLE_DESCRIPTIONS[role],
              authorisedBy: na.updatedBy,
              otherPrisonerDetails: {
                prisonerNumber: otherNumber, role: otherRole, roleDescription: ROLE_DESCRIPTIONS[otherRole],
                firstName: other.p.firstName, lastName: other.p.lastName,
                prisonId: other.prisonId ?? undefined, prisonName: prisonName(other.prisonId) ?? undefined,
              },
            }];
          });
          return ok({
            prisonerNumber: n, firstName: p.firstName, lastName: p.lastName,
            prisonId: prisonId ?? undefined, prisonName: prisonName(prisonId) ?? undefined,
            openCount: items.filter((x) => x.isOpen === true).length, closedCount: items.filter((x) => x.isClosed === true).length,
            nonAssociations: items,
          });
        },
      },
    ],
  };
}
