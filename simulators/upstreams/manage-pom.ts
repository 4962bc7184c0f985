/** Manage POM cases / MOIC (dps-manage-pom.json): prison offender manager allocations. */

import { pomAllocation } from '../lib/details.js';
import { HttpError, type UpstreamDefinition, ok } from '../lib/http.js';
import type { Population } from '../lib/population.js';

export function createManagePom(pop: Population): UpstreamDefinition {
  const allocationFor = (nomsNumber: string | undefined) => {
    const noms = (nomsNumber ?? '').toUpperCase();
    const p = pop.byPrisonNumberValue(noms);
    const allocation = p ? pomAllocation(pop, p) : null;
    if (allocation === null) throw new HttpError(404, 'Not allocated');
    return allocation;
  };
  return {
    name: 'managePom',
    requiresToken: true,
    // The Rails service answers {status, message}; the spec forbids other properties.
    errorBody: (_status, message) => ({ status: 'error', message }),
    routes: [
      {
        method: 'GET',
        path: '/api/allocation/{nomsNumber}/primary_pom',
        handler: (ctx) => {
          const a = allocationFor(ctx.params.nomsNumber);
          return ok({ manager: { code: a.primary.staffId, forename: a.primary.forename, surname: a.primary.surname }, prison: { code: a.prisonId } });
        },
      },
      {
        method: 'GET',
        path: '/api/allocation/{nomsNumber}',
        handler: (ctx) => {
          const a = allocationFor(ctx.params.nomsNumber);
          const name = (s: { forename: string; surname: string }): string => `${s.surname.toUpperCase()}, ${s.forename.toUpperCase()}`;
          return ok({
            primary_pom: { staff_id: a.primary.staffId, name: name(a.primary) },
            secondary_pom: a.secondary ? { staff_id: a.secondary.staffId, name: name(a.secondary) } : {},
          });
        },
      },
    ],
  };
}
