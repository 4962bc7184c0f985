/** Create and Vary a Licence (cvl-create-and-vary-licence.json): licence summaries and licences. */

import { HttpError, type UpstreamDefinition, ok } from '../lib/http.js';
import type { Population } from '../lib/population.js';
import { type LicenceModel, licenceById, licences } from '../lib/risk-data.js';

function summary(l: LicenceModel): Record<string, unknown> {
  const { conditions: _conditions, ...rest } = l;
  return rest;
}

export function createCvl(pop: Population): UpstreamDefinition {
  return {
    name: 'cvl',
    requiresToken: true,
    errorBody: (status, message) => ({ status, userMessage: message, developerMessage: message }),
    routes: [
      {
        method: 'GET',
        path: '/public/licence-summaries/crn/{crn}',
        handler: (ctx) => {
          // CVL answers an empty list for a CRN it holds no licence for.
          const p = pop.byCrnValue((ctx.params.crn ?? '').toUpperCase());
          return ok(p ? licences(pop, p).map(summary) : []);
        },
      },
      {
        method: 'GET',
        path: '/public/licences/id/{licenceId}',
        handler: (ctx) => {
          const raw = ctx.params.licenceId ?? '';
          if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'licenceId must be a number');
          const licence = licenceById(pop, Number(raw));
          if (!licence) throw new HttpError(404, 'The licence for this ID was not found.');
          return ok(licence);
        },
      },
    ],
  };
}
