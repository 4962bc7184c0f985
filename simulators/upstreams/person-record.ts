/** Core Person Record (core-person-record.json): CRN <-> prison number links. */

import { addresses, profile } from '../lib/details.js';
import { HttpError, type SimResponse, type UpstreamDefinition, hmppsError, ok } from '../lib/http.js';
import type { Person, Population } from '../lib/population.js';

function canonicalRecord(pop: Population, p: Person): Record<string, unknown> {
  const prof = profile(pop, p);
  const sex = p.sex === 'M' ? { code: 'M', description: 'Male' } : { code: 'F', description: 'Female' };
  return {
    cprUUID: null,
    firstName: p.firstName,
    middleNames: p.middleNames.length > 0 ? p.middleNames.join(' ') : null,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    disability: prof.disabled,
    interestToImmigration: false,
    title: { code: p.title, description: p.title },
    sex,
    sexualOrientation: prof.sexualOrientation,
    religion: { code: prof.religion.code, description: prof.religion.description },
    ethnicity: prof.ethnicity,
    aliases: p.aliases.map((a) => ({
      firstName: a.firstName,
      lastName: a.lastName,
      middleNames: a.middleNames.length > 0 ? a.middleNames.join(' ') : null,
      title: { code: null, description: null },
      sex: a.sex === 'M' ? { code: 'M', description: 'Male' } : { code: 'F', description: 'Female' },
    })),
    nationalities: [{ code: prof.nationality.code, description: prof.nationality.description }],
    addresses: addresses(pop, p).map((a) => ({
      noFixedAbode: a.noFixedAbode,
      startDate: a.startDate,
      endDate: a.endDate,
      postcode: a.postcode,
      subBuildingName: a.flat,
      buildingName: a.buildingName,
      buildingNumber: a.number,
      thoroughfareName: a.street,
      dependentLocality: a.locality,
      postTown: a.town,
      county: a.county,
      country: a.country,
      uprn: null,
    })),
    identifiers: {
      // crn and prison number come from every record linked to the person
      crns: p.crn !== null ? [p.crn] : [],
      prisonNumbers: p.prisonNumber !== null ? [p.prisonNumber] : [],
      defendantIds: [],
      cids: [],
      pncs: p.pncNumber !== null ? [p.pncNumber] : [],
      cros: p.croNumber !== null ? [p.croNumber] : [],
      nationalInsuranceNumbers: p.niNumber !== null ? [p.niNumber] : [],
      driverLicenseNumbers: [],
      arrestSummonsNumbers: [],
    },
  };
}

export function createPersonRecord(pop: Population): UpstreamDefinition {
  return {
    name: 'personRecord',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/person/probation/{crn}',
        handler: (ctx) => {
          const crn = (ctx.params.crn ?? '').toUpperCase();
          const p = pop.byCrnValue(crn);
          if (p === undefined || !p.inCpr) throw new HttpError(404, `Person with ${crn} not found`);
          return ok(canonicalRecord(pop, p));
        },
      },
      {
        method: 'GET',
        path: '/person/prison/{prisonNumber}',
        handler: (ctx): SimResponse => {
          const number = (ctx.params.prisonNumber ?? '').toUpperCase();
          const merged = pop.byMergedPrisonNumber(number);
          if (merged !== undefined && merged.inCpr && merged.prisonNumber !== null) {
            // The record was merged: permanent redirect to the surviving record.
            return { status: 301, headers: { Location: `/person/prison/${merged.prisonNumber}` } };
          }
          const p = pop.byPrisonNumberValue(number);
          if (p === undefined || !p.inCpr) throw new HttpError(404, `Person with ${number} not found`);
          return ok(canonicalRecord(pop, p));
        },
      },
    ],
  };
}
