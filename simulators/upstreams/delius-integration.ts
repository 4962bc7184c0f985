/** Delius integration API, "external-api-and-delius" (delius-integration-api.json). */

import { ageOn, zonedDateTime } from '../lib/dates.js';
import { type ContactEventModel, contactEvents, mappaCategoryOf } from '../lib/contact-events-data.js';
import { accessFor, accessLimitations, addresses, communityManager, profile, risks, supervisions } from '../lib/details.js';
import { HttpError, type UpstreamDefinition, hmppsError, intParam, listParam, objectBody, ok } from '../lib/http.js';
import { parseProbationCriteria, probationSearch } from '../lib/probation-match.js';
import type { Person, Population } from '../lib/population.js';
import { genderText } from './prisoner-view.js';

function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}

export function probationCaseDetail(pop: Population, p: Person): Record<string, unknown> {
  const prof = profile(pop, p);
  return defined({
    otherIds: defined({ crn: p.crn ?? undefined, pncNumber: p.pncNumber ?? undefined, nomsNumber: p.deliusNomsNumber ?? undefined, croNumber: p.croNumber ?? undefined }),
    firstName: p.firstName,
    surname: p.lastName,
    dateOfBirth: p.dateOfBirth,
    gender: genderText(p.sex),
    middleNames: p.middleNames,
    offenderProfile: {
      ethnicity: prof.ethnicity.description,
      nationality: prof.nationality.description,
      religion: prof.religion.description,
      sexualOrientation: prof.sexualOrientation.description,
      disabilities: prof.disabled
        ? [{ disabilityType: { code: 'LD', description: 'Learning Difficulties' }, condition: { code: 'DY', description: 'Dyslexia' }, startDate: '2020-05-01', notes: 'Needs written material in plain English' }]
        : [],
    },
    contactDetails: { phoneNumbers: [{ number: prof.phone, type: 'MOBILE' }], emailAddresses: [prof.email] },
    offenderAliases: p.aliases.map((a) => ({ firstName: a.firstName, surname: a.lastName, dateOfBirth: a.dateOfBirth, gender: genderText(a.sex), middleNames: a.middleNames })),
    activeProbationManagedSentence: p.activeSupervision,
    currentRestriction: p.restriction,
    restrictionMessage: p.restriction ? 'This is a restricted record. Please contact a system administrator' : undefined,
    currentExclusion: p.exclusion,
    exclusionMessage: p.exclusion ? 'You are excluded from viewing this offender record. Please contact a system administrator' : undefined,
    age: ageOn(p.dateOfBirth),
  });
}

function caseFor(pop: Population, crn: string | undefined): Person {
  const p = pop.byCrnValue((crn ?? '').toUpperCase());
  if (p === undefined) throw new HttpError(404, `Person with crn of ${crn ?? ''} not found`);
  return p;
}

function offenceDto(o: { offence: { code: string; description: string; mainCategory: { code: string; description: string }; subCategory: { code: string; description: string } }; date: string; count: number }): Record<string, unknown> {
  return {
    date: o.date,
    count: o.count,
    code: `${o.offence.mainCategory.code}${o.offence.subCategory.code}`,
    description: o.offence.description,
    mainCategory: o.offence.mainCategory,
    subCategory: o.offence.subCategory,
    schedule15SexualOffence: o.offence.code.startsWith('SX'),
    schedule15ViolentOffence: o.offence.code.startsWith('OF'),
  };
}

/** `mappaCategories` (required): the MAPPA categories whose ViSOR contacts the caller may see. */
function mappaCategories(query: URLSearchParams): Set<number> {
  const raw = listParam(query, 'mappaCategories');
  if (raw.length === 0) throw new HttpError(400, 'Required parameter mappaCategories is not present');
  const categories = raw.map(Number);
  if (categories.some((c) => !Number.isInteger(c))) throw new HttpError(400, 'mappaCategories must be integers');
  return new Set(categories);
}

/** The case's contacts when its MAPPA category is one the caller asked for, else none. */
function visibleContacts(pop: Population, p: Person, categories: Set<number>): ContactEventModel[] {
  const category = mappaCategoryOf(pop, p);
  return category !== null && categories.has(category) ? contactEvents(pop, p) : [];
}

function contactDto(c: ContactEventModel): Record<string, unknown> {
  return defined({
    id: c.id,
    crn: c.crn,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    contactDate: c.contactDate,
    type: c.type,
    description: c.description,
    location: c.location ?? undefined,
    outcome: c.outcome ?? undefined,
    officer: c.officer,
    notes: c.notes ?? undefined,
  });
}

export function createDeliusIntegration(pop: Population): UpstreamDefinition {
  return {
    name: 'deliusIntegration',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'POST',
        path: '/search/probation-cases',
        handler: (ctx) => {
          const criteria = parseProbationCriteria(objectBody(ctx), false);
          return ok(probationSearch(pop, criteria).map((p) => probationCaseDetail(pop, p)));
        },
      },
      {
        method: 'GET',
        path: '/case/{crn}/supervisions',
        handler: (ctx) => {
          const p = caseFor(pop, ctx.params.crn);
          const com = communityManager(pop, p);
          const risk = risks(pop, p);
          return ok({
            communityManager: com
              ? {
                  code: com.code,
                  name: { forename: com.forename, surname: com.surname },
                  username: com.allocated ? com.username : undefined,
                  email: com.allocated ? com.email : undefined,
                  telephoneNumber: com.allocated ? com.telephoneNumber : undefined,
                  team: { code: com.team.code, description: com.team.description, email: `${com.team.code.toLowerCase()}@probation.example.org`, telephoneNumber: '01632 960000', provider: com.team.provider },
                  allocated: com.allocated,
                }
              : undefined,
            mappaDetail: risk.mappa
              ? {
                  level: risk.mappa.level,
                  levelDescription: `MAPPA Level ${risk.mappa.level}`,
                  category: risk.mappa.category,
                  categoryDescription: `MAPPA Cat ${risk.mappa.category}`,
                  startDate: risk.mappa.startDate,
                  reviewDate: risk.mappa.reviewDate,
                  notes: risk.mappa.notes,
                }
              : {},
            supervisions: supervisions(pop, p).map((s) => ({
              number: s.number,
              active: s.active,
              date: s.date,
              sentence: s.sentence,
              mainOffence: offenceDto(s.mainOffence),
              additionalOffences: s.additionalOffences.map(offenceDto),
              courtAppearances: s.courtAppearances.map((c) => ({ type: c.type, date: zonedDateTime(c.date, c.minutes), court: c.court, plea: c.plea })),
            })),
            dynamicRisks: risk.dynamicRisks,
            personStatus: risk.personStatus,
          });
        },
      },
      {
        method: 'GET',
        path: '/case/{crn}/addresses',
        handler: (ctx) => {
          const p = caseFor(pop, ctx.params.crn);
          return ok({
            contactDetails: {
              // Delius has no flat field: a flat is written into the building name.
              addresses: addresses(pop, p).filter((a) => a.heldBy !== 'prison').map((a) =>
                defined({
                  noFixedAbode: a.noFixedAbode,
                  type: { code: a.endDate === null ? 'M' : 'P', description: a.endDate === null ? 'Main Address' : 'Previous Address' },
                  buildingName: [a.flat, a.buildingName].filter((x) => x !== null).join(', ') || undefined,
                  addressNumber: a.number ?? undefined,
                  streetName: a.street,
                  town: a.town,
                  district: a.locality ?? undefined,
                  county: a.county,
                  postcode: a.postcode,
                  from: a.startDate,
                  to: a.endDate ?? undefined,
                  notes: a.notes ?? undefined,
                }),
              ),
            },
          });
        },
      },
      {
        method: 'GET',
        path: '/case/{crn}/contacts',
        handler: (ctx) => {
          const p = caseFor(pop, ctx.params.crn);
          const categories = mappaCategories(ctx.query);
          const page = intParam(ctx.query, 'page', 0, 0, 1_000_000);
          const size = intParam(ctx.query, 'size', 10, 1, 1000);
          const all = visibleContacts(pop, p, categories);
          return ok({
            content: all.slice(page * size, page * size + size).map(contactDto),
            totalPages: Math.ceil(all.length / size),
            totalResults: all.length,
          });
        },
      },
      {
        method: 'GET',
        path: '/case/{crn}/contacts/{contactId}',
        handler: (ctx) => {
          const p = caseFor(pop, ctx.params.crn);
          const categories = mappaCategories(ctx.query);
          const id = Number(ctx.params.contactId);
          const contact = visibleContacts(pop, p, categories).find((c) => c.id === id);
          if (contact === undefined) throw new HttpError(404, `Contact with id of ${ctx.params.contactId ?? ''} not found`);
          return ok(contactDto(contact));
        },
      },
      {
        method: 'GET',
        path: '/case/{crn}/access-limitations',
        handler: (ctx) => {
          const p = caseFor(pop, ctx.params.crn);
          const lim = accessLimitations(p);
          return ok(
            defined({
              excludedFrom: lim.excludedFrom.map((email) => ({ email })),
              exclusionMessage: lim.exclusionMessage ?? undefined,
              restrictedTo: lim.restrictedTo.map((email) => ({ email })),
              restrictionMessage: lim.restrictionMessage ?? undefined,
            }),
          );
        },
      },
      {
        method: 'GET',
        path: '/identifier-converter/noms-to-crn/{nomsId}',
        handler: (ctx) => {
          const noms = (ctx.params.nomsId ?? '').toUpperCase();
          const p = pop.byDeliusNomsNumber(noms);
          if (p === undefined || p.crn === null) throw new HttpError(404, `Person with nomsId of ${noms} not found`);
          return ok({ crn: p.crn, nomsId: noms });
        },
      },
      {
        method: 'GET',
        path: '/exists-in-delius/crn/{crn}',
        handler: (ctx) => {
          const crn = (ctx.params.crn ?? '').toUpperCase();
          return ok({ crn, existsInDelius: pop.byCrnValue(crn) !== undefined });
        },
      },
      {
        method: 'POST',
        path: '/probation-cases/access',
        handler: (ctx) => {
          const body = objectBody(ctx);
          const crns = body.crns;
          if (!Array.isArray(crns) || crns.some((c) => typeof c !== 'string')) throw new HttpError(400, 'crns must be a list of CRNs');
          if (crns.length < 1 || crns.length > 500) throw new HttpError(400, 'crns must contain between 1 and 500 CRNs');
          const username = ctx.query.get('username');
          const access: Record<string, unknown>[] = [];
          const seen = new Set<string>();
          for (const raw of crns as string[]) {
            const p = pop.byCrnValue(raw.toUpperCase());
            if (p === undefined || p.crn === null || seen.has(p.crn)) continue;
            seen.add(p.crn);
            const a = accessFor(p, username);
            const lim = accessLimitations(p);
            access.push(
              defined({
                crn: p.crn,
                userExcluded: a.userExcluded,
                userRestricted: a.userRestricted,
                exclusionMessage: a.userExcluded ? (lim.exclusionMessage ?? undefined) : undefined,
                restrictionMessage: a.userRestricted ? (lim.restrictionMessage ?? undefined) : undefined,
              }),
            );
          }
          return ok({ access });
        },
      },
    ],
  };
}
