/** Delius probation offender search (delius-probation-offender-search.json). */

import { SNAPSHOT_DATE, addDays, ageOn } from '../lib/dates.js';
import { addresses, communityManager, profile, risks, supervisions } from '../lib/details.js';
import { HttpError, type UpstreamDefinition, hmppsError, intParam, objectBody, ok, springPage, stringArrayBody } from '../lib/http.js';
import { parseProbationCriteria, probationSearch } from '../lib/probation-match.js';
import type { Person, Population } from '../lib/population.js';
import { genderText } from './prisoner-view.js';

const MAX_CRNS = 512;
const MAX_NOMS = 1000;

export function offenderDetail(pop: Population, p: Person): Record<string, unknown> {
  return pop.memo('offender-detail', p.index, () => buildOffenderDetail(pop, p));
}

function buildOffenderDetail(pop: Population, p: Person): Record<string, unknown> {
  const prof = profile(pop, p);
  const com = communityManager(pop, p);
  const risk = risks(pop, p);
  const sups = supervisions(pop, p);
  const active = p.activeSupervision;
  const addressList = addresses(pop, p);
  return {
    offenderId: 2_500_000_000 + p.index,
    title: p.title,
    firstName: p.firstName,
    middleNames: p.middleNames,
    surname: p.lastName,
    previousSurname: null,
    dateOfBirth: p.dateOfBirth,
    gender: genderText(p.sex),
    otherIds: {
      crn: p.crn,
      pncNumber: p.pncNumber,
      croNumber: p.croNumber,
      niNumber: p.niNumber,
      nomsNumber: p.deliusNomsNumber,
      immigrationNumber: null,
      mostRecentPrisonerNumber: null,
      previousCrn: null,
    },
    contactDetails: {
      phoneNumbers: [{ number: prof.phone, type: 'MOBILE' }],
      emailAddresses: [prof.email],
      allowSMS: true,
      addresses: addressList.map((a) => ({
        id: a.id,
        from: a.startDate,
        to: a.endDate,
        noFixedAbode: a.noFixedAbode,
        notes: a.notes,
        addressNumber: a.number,
        buildingName: a.buildingName,
        streetName: a.street,
        district: a.locality,
        town: a.town,
        county: a.county,
        postcode: a.postcode,
        telephoneNumber: a.phone,
        status: a.endDate === null ? { code: 'M', description: 'Main' } : { code: 'P', description: 'Previous' },
        type: { code: a.type.code, description: a.type.description },
      })),
    },
    offenderProfile: {
      ethnicity: prof.ethnicity.description,
      nationality: prof.nationality.description,
      secondaryNationality: null,
      notes: null,
      immigrationStatus: null,
      offenderLanguages: { primaryLanguage: 'English', otherLanguages: [], languageConcerns: null, requiresInterpreter: false },
      religion: prof.religion.description,
      sexualOrientation: prof.sexualOrientation.description,
      offenderDetails: null,
      remandStatus: null,
      previousConviction: sups.length > 1 ? { convictionDate: sups[1]?.date ?? null, detail: { documentName: 'previous-convictions.pdf' } } : null,
      riskColour: risk.mappa !== null ? 'Red' : 'Amber',
      disabilities: prof.disabled
        ? [{ disabilityId: 800_000 + p.index, disabilityType: { code: 'LD', description: 'Learning Difficulties' }, condition: { code: 'DY', description: 'Dyslexia' }, startDate: addDays(SNAPSHOT_DATE, -2000), endDate: null, notes: null }]
        : [],
      provisions: [],
    },
    offenderAliases: p.aliases.map((a, i) => ({
      id: String(3_000_000 + p.index * 10 + i),
      dateOfBirth: a.dateOfBirth,
      firstName: a.firstName,
      middleNames: a.middleNames,
      surname: a.lastName,
      gender: genderText(a.sex),
    })),
    offenderManagers:
      com === null
        ? []
        : [
            {
              trustOfficer: null,
              staff: { code: com.code, forenames: com.forename, surname: com.surname, unallocated: !com.allocated },
              providerEmployee: null,
              partitionArea: 'National Data',
              softDeleted: false,
              team: {
                code: com.team.code,
                description: com.team.description,
                telephone: com.telephoneNumber,
                localDeliveryUnit: { code: `${com.team.provider.code}LDU1`, description: `${com.team.provider.description} LDU` },
                district: { code: `${com.team.provider.code}D1`, description: com.team.description },
                borough: { code: `${com.team.provider.code}B1`, description: com.team.provider.description },
              },
              probationArea: {
                probationAreaId: 1500 + Number(com.team.provider.code.slice(1)),
                code: com.team.provider.code,
                description: com.team.provider.description,
                nps: true,
                organisation: { code: 'NPS', description: 'National Probation Service' },
                institution: null,
                teams: null,
              },
              fromDate: sups[0]?.date ?? null,
              toDate: null,
              active: true,
              allocationReason: { code: 'IN1', description: 'Initial Allocation' },
            },
          ],
    softDeleted: false,
    currentDisposal: active ? '1' : '0',
    partitionArea: 'National Data',
    currentRestriction: p.restriction,
    restrictionMessage: p.restriction ? 'This is a restricted record. Please contact a system administrator' : null,
    currentExclusion: p.exclusion,
    exclusionMessage: p.exclusion ? 'You are excluded from viewing this offender record. Please contact a system administrator' : null,
    highlight: null,
    accessDenied: false,
    currentTier: risk.tier,
    activeProbationManagedSentence: active,
    mappa:
      risk.mappa === null
        ? null
        : {
            level: risk.mappa.level,
            levelDescription: `MAPPA Level ${risk.mappa.level}`,
            category: risk.mappa.category,
            categoryDescription: `MAPPA Cat ${risk.mappa.category}`,
            startDate: risk.mappa.startDate,
            reviewDate: risk.mappa.reviewDate,
            team: com ? { code: com.team.code, description: com.team.description } : null,
            officer: com ? { code: com.code, forenames: com.forename, surname: com.surname, unallocated: !com.allocated } : null,
            probationArea: com ? { code: com.team.provider.code, description: com.team.provider.description } : null,
            notes: risk.mappa.notes,
          },
    probationStatus: {
      status: active ? 'CURRENT' : 'PREVIOUSLY_KNOWN',
      previouslyKnownTerminationDate: active ? null : addDays(SNAPSHOT_DATE, -200 - (p.index % 500)),
      inBreach: false,
      preSentenceActivity: false,
      awaitingPsr: false,
    },
    age: ageOn(p.dateOfBirth),
  };
}

export function createProbationSearch(pop: Population): UpstreamDefinition {
  return {
    name: 'probationSearch',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'POST',
        path: '/crns',
        handler: (ctx) => {
          const body = ctx.json();
          if (Array.isArray(body) && body.length > MAX_CRNS) {
            throw new HttpError(500, `The list of CRNs provided exceeds the maximum of ${MAX_CRNS}`);
          }
          const crns = stringArrayBody(ctx, MAX_CRNS, 'CRNs');
          const seen = new Set<number>();
          const out: Record<string, unknown>[] = [];
          for (const crn of crns) {
            const p = pop.byCrnValue(crn.toUpperCase());
            if (p && !seen.has(p.index)) {
              seen.add(p.index);
              out.push(offenderDetail(pop, p));
            }
          }
          return ok(out);
        },
      },
      {
        method: 'POST',
        path: '/nomsNumbers',
        handler: (ctx) => {
          const numbers = stringArrayBody(ctx, MAX_NOMS, 'NOMS numbers');
          const seen = new Set<number>();
          const out: Record<string, unknown>[] = [];
          for (const n of numbers) {
            const p = pop.byDeliusNomsNumber(n.toUpperCase());
            if (p && !seen.has(p.index)) {
              seen.add(p.index);
              out.push(offenderDetail(pop, p));
            }
          }
          return ok(out);
        },
      },
      {
        method: 'POST',
        path: '/search/people',
        handler: (ctx) => {
          const criteria = parseProbationCriteria(objectBody(ctx), true);
          const page = intParam(ctx.query, 'page', 0, 0, 1_000_000);
          const size = intParam(ctx.query, 'size', 10, 1, 10_000);
          const result = probationSearch(pop, criteria);
          const paged = springPage(result, { page, size }, false);
          return ok({
            ...paged,
            content: paged.content.map((p) => offenderDetail(pop, p)),
            total: result.length,
            page: { size, number: page, totalElements: result.length, totalPages: Math.ceil(result.length / size) },
          });
        },
      },
      {
        method: 'POST',
        path: '/search',
        handler: (ctx) => {
          const criteria = parseProbationCriteria(objectBody(ctx), true);
          return ok(probationSearch(pop, criteria).map((p) => offenderDetail(pop, p)));
        },
      },
    ],
  };
}
