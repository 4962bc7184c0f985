/** HMPPS Prison API, Nomis (nomis-prison-api.json): the subset that carries person data. */

import { addDays, ageOn } from '../lib/dates.js';
import {
  type BookingModel,
  type ChargeModel,
  type KeyDates,
  type SentenceModel,
  addresses,
  alerts,
  bookings,
  images,
  nomisSpelled,
  profile,
  reasonableAdjustments,
  visitRestrictions,
} from '../lib/details.js';
import { HttpError, type UpstreamDefinition, boolParam, bookingIdsBody, hmppsError, listParam, ok, stringArrayBody } from '../lib/http.js';
import { PRISON_NUMBER_PATTERN } from '../lib/identifiers.js';
import type { Person, Population } from '../lib/population.js';
import { HEALTH_TREATMENTS, PRISON_BY_CODE, prisonName } from '../lib/reference.js';
import { visitBalancesOf } from '../lib/visits-data.js';
import { prisonLifeRoutes } from './prison-api-prison-life.js';
import { cellLocation, genderText } from './prisoner-view.js';

const MAX_BATCH = 1000;

function offender(pop: Population, offenderNo: string | undefined, strictFormat = false): Person {
  const no = (offenderNo ?? '').toUpperCase();
  if (strictFormat && !PRISON_NUMBER_PATTERN.test(no)) throw new HttpError(400, `Invalid offender number ${offenderNo ?? ''}`);
  const p = pop.byPrisonNumberValue(no);
  if (p === undefined) throw new HttpError(404, `Resource with id [${no}] not found.`);
  return p;
}

function latestBooking(pop: Population, p: Person): BookingModel {
  const b = bookings(pop, p)[0];
  if (b === undefined) throw new HttpError(404, `No booking found for ${p.prisonNumber ?? ''}`);
  return b;
}

function localTime(date: string, hh = 10, mm = 0): string {
  return `${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00`;
}

function sentenceCalcDates(b: BookingModel): Record<string, unknown> {
  const k: KeyDates = b.keyDates;
  return {
    bookingId: b.bookingId,
    sentenceStartDate: k.sentenceStartDate,
    sentenceExpiryDate: k.sentenceExpiryDate,
    sentenceExpiryCalculatedDate: k.sentenceExpiryDate,
    conditionalReleaseDate: k.conditionalReleaseDate,
    licenceExpiryDate: k.licenceExpiryDate,
    licenceExpiryCalculatedDate: k.licenceExpiryDate,
    homeDetentionCurfewEligibilityDate: k.homeDetentionCurfewEligibilityDate ?? undefined,
    homeDetentionCurfewEligibilityCalculatedDate: k.homeDetentionCurfewEligibilityDate ?? undefined,
    paroleEligibilityDate: k.paroleEligibilityDate ?? undefined,
    paroleEligibilityCalculatedDate: k.paroleEligibilityDate ?? undefined,
    topupSupervisionExpiryDate: k.topupSupervisionExpiryDate ?? undefined,
    topupSupervisionExpiryCalculatedDate: k.topupSupervisionExpiryDate ?? undefined,
    releaseDate: k.releaseDate,
    confirmedReleaseDate: k.confirmedReleaseDate ?? undefined,
    effectiveSentenceEndDate: k.effectiveSentenceEndDate,
    additionalDaysAwarded: k.additionalDaysAwarded,
    nonDtoReleaseDate: k.conditionalReleaseDate,
    nonDtoReleaseDateType: 'CRD',
    tariffDate: k.tariffDate ?? undefined,
  };
}

function keyDatesDto(b: BookingModel): Record<string, unknown> {
  const k = b.keyDates;
  return {
    sentenceStartDate: k.sentenceStartDate,
    effectiveSentenceEndDate: k.effectiveSentenceEndDate,
    additionalDaysAwarded: k.additionalDaysAwarded,
    nonDtoReleaseDate: k.conditionalReleaseDate,
    nonDtoReleaseDateType: 'CRD',
    confirmedReleaseDate: k.confirmedReleaseDate ?? undefined,
    releaseDate: k.releaseDate,
    sentenceExpiryDate: k.sentenceExpiryDate,
    conditionalReleaseDate: k.conditionalReleaseDate,
    licenceExpiryDate: k.licenceExpiryDate,
    homeDetentionCurfewEligibilityDate: k.homeDetentionCurfewEligibilityDate ?? undefined,
    paroleEligibilityDate: k.paroleEligibilityDate ?? undefined,
    topupSupervisionExpiryDate: k.topupSupervisionExpiryDate ?? undefined,
    tariffDate: k.tariffDate ?? undefined,
  };
}

function offenceHistoryDetail(b: BookingModel, c: ChargeModel, s: SentenceModel | undefined): Record<string, unknown> {
  return {
    bookingId: b.bookingId,
    offenceDate: c.offenceDate,
    offenceRangeDate: c.offenceRangeDate ?? undefined,
    offenceDescription: c.offence.description,
    offenceCode: c.offence.code,
    statuteCode: c.offence.statute,
    mostSerious: c.mostSerious,
    primaryResultCode: c.conviction ? '1002' : '2006',
    primaryResultDescription: c.conviction ? 'Imprisonment' : 'Adjourned',
    primaryResultConviction: c.conviction,
    courtDate: c.courtDate,
    caseId: 600_000 + b.bookingId % 100_000 + (s?.caseSeq ?? 9),
    offenceSeverityRanking: c.offence.severity,
    sentenceStartDate: s?.startDate,
    primarySentence: s ? s.sentenceSeq === 1 : undefined,
  };
}

function offenderOffence(c: ChargeModel): Record<string, unknown> {
  return {
    offenderChargeId: c.chargeId,
    offenceStartDate: c.offenceDate,
    offenceEndDate: c.offenceRangeDate ?? undefined,
    offenceStatute: c.offence.statute,
    offenceCode: c.offence.code,
    offenceDescription: c.offence.description,
    indicators: c.indicators,
  };
}

function offenderSentenceDetail(pop: Population, p: Person, b: BookingModel): Record<string, unknown> {
  const agency = b.active ? b.prisonId : 'OUT';
  return {
    bookingId: b.bookingId,
    offenderNo: p.prisonNumber,
    firstName: p.firstName,
    lastName: p.lastName,
    agencyLocationId: agency,
    mostRecentActiveBooking: b.bookingSeq === 0,
    sentenceDetail: sentenceCalcDates(b),
    dateOfBirth: p.dateOfBirth,
    agencyLocationDesc: agency === 'OUT' ? 'Outside' : (PRISON_BY_CODE.get(agency)?.description ?? agency),
    internalLocationDesc: b.active ? `${agency}-${cellLocation(p) ?? 'RECP'}` : 'OUT',
    facialImageId: images(pop, p)[0]?.imageId,
  };
}

function inmateDetail(pop: Population, p: Person): Record<string, unknown> {
  const prof = profile(pop, p);
  const b = latestBooking(pop, p);
  const alertList = alerts(pop, p);
  const out = p.prisonId === 'OUT';
  const cell = cellLocation(p);
  const offenderId = 4_000_000 + p.index;
  const heightInches = Math.round(prof.heightCentimetres / 2.54);
  const catDate = addDays(b.startDate, 21);
  const categoryName = prof.category === 'R' || prof.category === 'T' ? `Female ${prof.category === 'R' ? 'Closed' : 'Open'}` : `Cat ${prof.category}`;
  const ids: Record<string, unknown>[] = [];
  const addId = (type: string, value: string | null): void => {
    if (value !== null) ids.push({ type, value, offenderNo: p.prisonNumber, bookingId: b.bookingId, caseloadType: 'INST', whenCreated: localTime(b.startDate, 11, 5), offenderId, rootOffenderId: offenderId });
  };
  addId('PNC', p.pncNumber);
  addId('CRO', p.croNumber);
  addId('NINO', p.niNumber);
  for (const old of p.mergedPrisonNumbers) addId('MERGED', old);
  const charges = bookings(pop, p).flatMap((bk) => [
    ...bk.sentences.flatMap((s) => s.charges.map((c) => offenceHistoryDetail(bk, c, s))),
    ...bk.unsentencedCharges.map((c) => offenceHistoryDetail(bk, c, undefined)),
  ]);
  return {
    offenderNo: p.prisonNumber,
    bookingId: b.bookingId,
    bookingNo: b.bookNo,
    offenderId,
    rootOffenderId: offenderId,
    firstName: p.firstName.toUpperCase(),
    middleName: p.middleNames.length > 0 ? p.middleNames.join(' ').toUpperCase() : undefined,
    lastName: p.lastName.toUpperCase(),
    dateOfBirth: p.dateOfBirth,
    age: ageOn(p.dateOfBirth),
    activeFlag: !out,
    facialImageId: images(pop, p)[0]?.imageId,
    agencyId: out ? 'OUT' : (p.prisonId ?? 'OUT'),
    assignedLivingUnitId: out ? undefined : 700_000 + (p.index % 5000),
    religion: prof.religion.description,
    language: 'English',
    interpreterRequired: false,
    writtenLanguage: 'English',
    alertsCodes: [...new Set(alertList.filter((a) => a.isActive).map((a) => a.ref.code))],
    activeAlertCount: alertList.filter((a) => a.isActive).length,
    inactiveAlertCount: alertList.filter((a) => !a.isActive).length,
    alerts: alertList.map((a) => ({
      alertId: a.id,
      bookingId: b.bookingId,
      offenderNo: p.prisonNumber,
      alertType: a.ref.typeCode,
      alertTypeDescription: a.ref.typeDescription,
      alertCode: a.ref.code,
      alertCodeDescription: a.ref.description,
      comment: a.description,
      dateCreated: a.activeFrom,
      dateExpires: a.activeTo ?? undefined,
      modifiedDateTime: a.lastModifiedAt ?? a.createdAt,
      expired: !a.isActive,
      active: a.isActive,
      addedByFirstName: a.createdByDisplayName.split(' ')[0],
      addedByLastName: a.createdByDisplayName.split(' ').slice(1).join(' '),
    })),
    assignedLivingUnit: out ? undefined : { agencyId: p.prisonId, locationId: 700_000 + (p.index % 5000), description: cell, agencyName: prisonName(p.prisonId) },
    physicalAttributes: {
      sexCode: p.sex,
      gender: genderText(p.sex),
      raceCode: prof.ethnicity.code,
      ethnicity: prof.ethnicity.description,
      heightFeet: Math.floor(heightInches / 12),
      heightInches: heightInches % 12,
      heightMetres: Math.round(prof.heightCentimetres) / 100,
      heightCentimetres: prof.heightCentimetres,
      weightPounds: Math.round(prof.weightKilograms * 2.2046),
      weightKilograms: prof.weightKilograms,
    },
    physicalCharacteristics: [],
    profileInformation: [
      { type: 'RELF', question: 'Religion', resultValue: prof.religion.description },
      { type: 'NAT', question: 'Nationality?', resultValue: prof.nationality.description },
      { type: 'SMOKE', question: 'Is the prisoner a smoker?', resultValue: prof.smoker === 'N' ? 'No' : 'Yes' },
    ],
    physicalMarks: [],
    assessments: [
      {
        bookingId: b.bookingId,
        offenderNo: p.prisonNumber,
        classificationCode: prof.category,
        classification: categoryName,
        assessmentCode: 'CATEGORY',
        assessmentDescription: 'Categorisation',
        cellSharingAlertFlag: false,
        assessmentDate: catDate,
        nextReviewDate: addDays(catDate, 365),
        approvalDate: addDays(catDate, 2),
        assessmentAgencyId: b.prisonId,
        assessmentStatus: 'A',
        assessmentSeq: 1,
      },
      {
        bookingId: b.bookingId,
        offenderNo: p.prisonNumber,
        classificationCode: prof.csra,
        classification: prof.csra === 'HIGH' ? 'High' : 'Standard',
        assessmentCode: 'CSR',
        assessmentDescription: 'CSR Rating',
        cellSharingAlertFlag: true,
        assessmentDate: addDays(b.startDate, 1),
        nextReviewDate: addDays(b.startDate, 366),
        assessmentAgencyId: b.prisonId,
        assessmentStatus: 'A',
        assessmentSeq: 2,
      },
    ],
    csra: prof.csra === 'HIGH' ? 'High' : 'Standard',
    csraClassificationCode: prof.csra,
    csraClassificationDate: addDays(b.startDate, 1),
    category: categoryName,
    categoryCode: prof.category,
    birthPlace: 'SHEFFIELD',
    birthCountryCode: 'GBR',
    inOutStatus: out ? 'OUT' : 'IN',
    identifiers: ids,
    personalCareNeeds: reasonableAdjustments(pop, p).map((a) => ({
      personalCareNeedId: a.personalCareNeedId,
      problemType: 'DISAB',
      problemCode: a.treatmentCode.replace(/\s+/g, '_'),
      problemStatus: 'ON',
      problemDescription: a.treatmentDescription,
      commentText: a.commentText ?? undefined,
      startDate: a.startDate,
      endDate: a.endDate ?? undefined,
    })),
    sentenceDetail: sentenceCalcDates(b),
    offenceHistory: charges,
    sentenceTerms: b.sentences.map((s) => ({
      bookingId: b.bookingId,
      sentenceSequence: s.sentenceSeq,
      termSequence: 1,
      consecutiveTo: s.consecutiveTo ?? undefined,
      sentenceType: s.calcType,
      sentenceTypeDescription: s.typeDescription,
      startDate: s.startDate,
      years: s.years,
      months: s.months,
      weeks: 0,
      days: 0,
      lifeSentence: s.lifeSentence,
      caseId: String(600_000 + (b.bookingId % 100_000) + s.caseSeq),
      fineAmount: s.fineAmount ?? undefined,
      sentenceTermCode: 'IMP',
      lineSeq: s.lineSeq,
      sentenceStartDate: s.startDate,
    })),
    aliases: p.aliases.map((a, i) => ({
      title: a.sex === 'M' ? 'Mr' : 'Ms',
      firstName: a.firstName.toUpperCase(),
      middleName: a.middleNames.length > 0 ? a.middleNames.join(' ').toUpperCase() : undefined,
      lastName: a.lastName.toUpperCase(),
      age: ageOn(a.dateOfBirth),
      dob: a.dateOfBirth,
      gender: genderText(a.sex),
      ethnicity: prof.ethnicity.description,
      raceCode: prof.ethnicity.code,
      nameType: 'Alias Name',
      createDate: addDays(b.startDate, i),
      offenderId: offenderId * 10 + i + 1,
    })),
    status: out ? 'INACTIVE OUT' : 'ACTIVE IN',
    statusReason: out ? 'REL-CR' : 'ADM-N',
    lastMovementTypeCode: out ? 'REL' : 'ADM',
    lastMovementReasonCode: out ? 'CR' : 'N',
    legalStatus: 'SENTENCED',
    recall: false,
    imprisonmentStatus: 'ADIMP_ORA',
    imprisonmentStatusDescription: 'ORA Sentencing Code Standard Determinate Sentence',
    convictedStatus: 'Convicted',
    receptionDate: p.receptionDate ?? undefined,
    locationDescription: out ? `Outside - released from ${prisonName(p.lastPrisonId)?.replace(/^HMP /, '') ?? 'prison'}` : prisonName(p.prisonId),
    latestLocationId: p.lastPrisonId ?? undefined,
  };
}

function sentencesFor(pop: Population, people: Iterable<Person>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of people) for (const b of bookings(pop, p)) out.push(offenderSentenceDetail(pop, p, b));
  return out;
}

function uniquePeople(pop: Population, numbers: readonly string[]): Person[] {
  const found = new Map<number, Person>();
  for (const n of numbers) {
    const p = pop.byPrisonNumberValue(n.toUpperCase());
    if (p) found.set(p.index, p);
  }
  return [...found.values()];
}

function bookingFor(pop: Population, raw: string | undefined): { person: Person; booking: BookingModel } {
  const id = Number(raw);
  const hit = pop.byBookingId(id);
  if (hit === undefined) throw new HttpError(404, `Offender booking with id ${raw ?? ''} not found.`);
  const booking = bookings(pop, hit.person)[hit.bookingSeq];
  if (booking === undefined) throw new HttpError(404, `Offender booking with id ${raw ?? ''} not found.`);
  return { person: hit.person, booking };
}

export function createPrisonApi(pop: Population): UpstreamDefinition {
  return {
    name: 'prisonApi',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/api/offenders/{offenderNo}',
        handler: (ctx) => ok(inmateDetail(pop, offender(pop, ctx.params.offenderNo, true))),
      },
      {
        method: 'GET',
        path: '/api/offenders/{offenderNo}/addresses',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          // Nomis has one premise field: a building name when there is one, else the number.
          return ok(
            addresses(pop, p).filter((a) => a.heldBy !== 'probation').map((a) => ({
              addressId: a.id,
              addressType: a.type.code,
              flat: a.flat ?? undefined,
              premise: a.buildingName ?? a.number ?? undefined,
              street: nomisSpelled(a, 'street'),
              locality: a.locality ?? undefined,
              town: nomisSpelled(a, 'town'),
              postalCode: nomisSpelled(a, 'postcode'),
              county: nomisSpelled(a, 'county'),
              country: a.country,
              countryCode: a.country === 'Wales' ? 'WALES' : 'ENG',
              comment: a.notes ?? undefined,
              primary: a.primary,
              mail: a.primary,
              noFixedAddress: a.noFixedAbode,
              startDate: a.startDate,
              endDate: a.endDate ?? undefined,
              phones: a.phone ? [{ phoneId: a.id * 10, number: a.phone, type: 'HOME' }] : [],
              addressUsages: a.type.code === 'RELEASE' ? [{ addressId: a.id, addressUsage: 'HDC', addressUsageDescription: 'HDC Address', activeFlag: a.endDate === null }] : [],
            })),
          );
        },
      },
      {
        method: 'GET',
        path: '/api/bookings/offenderNo/{offenderNo}/offenceHistory',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          const convictionsOnly = boolParam(ctx.query, 'convictionsOnly') ?? false;
          const list = bookings(pop, p).flatMap((b) => [
            ...b.sentences.flatMap((s) => s.charges.map((c) => ({ b, c, s: s as SentenceModel | undefined }))),
            ...b.unsentencedCharges.map((c) => ({ b, c, s: undefined as SentenceModel | undefined })),
          ]);
          return ok(list.filter((x) => !convictionsOnly || x.c.conviction).map((x) => offenceHistoryDetail(x.b, x.c, x.s)));
        },
      },
      {
        method: 'GET',
        path: '/api/offender-sentences',
        handler: (ctx) => {
          const numbers = listParam(ctx.query, 'offenderNo');
          const agencyId = ctx.query.get('agencyId')?.toUpperCase();
          if (numbers.length > MAX_BATCH) throw new HttpError(400, `At most ${MAX_BATCH} offender numbers`);
          if (numbers.length > 0) {
            const people = uniquePeople(pop, numbers).filter((p) => agencyId === undefined || p.prisonId === agencyId);
            return ok(sentencesFor(pop, people));
          }
          if (agencyId === undefined) throw new HttpError(400, 'Request must specify either agencyId or offenderNo (no caseload for a client token)');
          const people = pop.prisoners.map((i) => pop.get(i)).filter((p): p is Person => p !== undefined && p.prisonId === agencyId);
          return ok(people.map((p) => offenderSentenceDetail(pop, p, latestBooking(pop, p))));
        },
      },
      {
        method: 'POST',
        path: '/api/offender-sentences',
        handler: (ctx) => ok(sentencesFor(pop, uniquePeople(pop, stringArrayBody(ctx, MAX_BATCH, 'offender numbers')))),
      },
      {
        // Every charge of the bookings asked, convictions or not (the batch form has no convictionsOnly).
        method: 'POST',
        path: '/api/bookings/offence-history',
        handler: (ctx) => {
          const out: Record<string, unknown>[] = [];
          for (const id of bookingIdsBody(ctx, MAX_BATCH)) {
            const hit = pop.byBookingId(id);
            const b = hit ? bookings(pop, hit.person)[hit.bookingSeq] : undefined;
            if (!b) continue;
            for (const s of b.sentences) for (const c of s.charges) out.push(offenceHistoryDetail(b, c, s));
            for (const c of b.unsentencedCharges) out.push(offenceHistoryDetail(b, c, undefined));
          }
          return ok(out);
        },
      },
      {
        method: 'POST',
        path: '/api/offender-sentences/bookings',
        handler: (ctx) => {
          const out: Record<string, unknown>[] = [];
          for (const id of bookingIdsBody(ctx, MAX_BATCH)) {
            const hit = pop.byBookingId(id);
            const b = hit ? bookings(pop, hit.person)[hit.bookingSeq] : undefined;
            if (hit && b) out.push(offenderSentenceDetail(pop, hit.person, b));
          }
          return ok(out);
        },
      },
      {
        method: 'GET',
        path: '/api/offender-sentences/booking/{bookingId}/sentences-and-offences',
        handler: (ctx) => {
          const { booking } = bookingFor(pop, ctx.params.bookingId);
          // The published contract describes one object (not a list): the primary sentence.
          const s = booking.sentences[0];
          if (s === undefined) throw new HttpError(404, `No sentences for booking ${booking.bookingId}`);
          return ok({
            bookingId: booking.bookingId,
            sentenceSequence: s.sentenceSeq,
            consecutiveToSequence: s.consecutiveTo ?? undefined,
            lineSequence: s.lineSeq,
            caseSequence: s.caseSeq,
            caseReference: s.caseRef,
            courtDescription: s.court,
            sentenceStatus: s.status,
            sentenceCategory: s.category,
            sentenceCalculationType: s.calcType,
            sentenceTypeDescription: s.typeDescription,
            sentenceDate: s.sentenceDate,
            sentenceStartDate: s.startDate,
            sentenceEndDate: s.endDate,
            terms: [{ years: s.years, months: s.months, weeks: 0, days: 0, code: 'IMP' }],
            offences: s.charges.map(offenderOffence),
            fineAmount: s.fineAmount ?? undefined,
          });
        },
      },
      {
        method: 'GET',
        path: '/api/offenders/{offenderNo}/booking/latest/sentence-summary',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          const b = latestBooking(pop, p);
          const byCase = new Map<number, SentenceModel[]>();
          for (const s of b.sentences) byCase.set(s.caseSeq, [...(byCase.get(s.caseSeq) ?? []), s]);
          return ok({
            prisonerNumber: p.prisonNumber,
            latestPrisonTerm: {
              bookNumber: b.bookNo,
              bookingId: b.bookingId,
              courtSentences: [...byCase.entries()].map(([caseSeq, list]) => {
                const first = list[0] as SentenceModel;
                const court = { agencyId: `CRT${String(caseSeq).padStart(3, '0')}`, description: first.court, agencyType: 'CRT', active: true, courtType: first.court.includes('Crown') ? 'CC' : 'MC' };
                return {
                  caseInfoNumber: first.caseRef,
                  id: 600_000 + (b.bookingId % 100_000) + caseSeq,
                  caseSeq,
                  beginDate: first.sentenceDate,
                  court,
                  caseType: 'Adult',
                  caseStatus: b.active ? 'ACTIVE' : 'INACTIVE',
                  sentences: list.map((s) => ({
                    sentenceSequence: s.sentenceSeq,
                    consecutiveToSequence: s.consecutiveTo ?? undefined,
                    sentenceStatus: s.status,
                    sentenceCategory: s.category,
                    sentenceCalculationType: s.calcType,
                    sentenceTypeDescription: s.typeDescription,
                    sentenceStartDate: s.startDate,
                    sentenceEndDate: s.endDate,
                    fineAmount: s.fineAmount ?? 0,
                    lineSeq: s.lineSeq,
                    offences: s.charges.map(offenderOffence),
                    terms: [{ termSequence: 1, sentenceTermCode: 'IMP', startDate: s.startDate, years: s.years, months: s.months, weeks: 0, days: 0, lifeSentence: s.lifeSentence }],
                  })),
                  issuingCourt: court,
                  issuingCourtDate: first.sentenceDate,
                };
              }),
              licenceSentences: [],
              keyDates: keyDatesDto(b),
              sentenceAdjustments: {
                additionalDaysAwarded: b.keyDates.additionalDaysAwarded,
                unlawfullyAtLarge: 0,
                lawfullyAtLarge: 0,
                restoredAdditionalDaysAwarded: 0,
                specialRemission: 0,
                recallSentenceRemand: 0,
                recallSentenceTaggedBail: 0,
                remand: (b.bookingId % 7) * 3,
                taggedBail: 0,
                unusedRemand: 0,
                timeSpentInCustodyAbroad: 0,
                timeSpentAsAnAppealApplicant: 0,
              },
            },
          });
        },
      },
      {
        method: 'GET',
        path: '/api/offenders/{offenderNo}/sentences',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          return ok(offenderSentenceDetail(pop, p, latestBooking(pop, p)));
        },
      },
      {
        method: 'GET',
        path: '/api/images/offenders/{offenderNo}',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          return ok(
            images(pop, p).map((i) => ({
              imageId: i.imageId,
              active: i.active,
              captureDate: i.captureDate,
              captureDateTime: i.captureDateTime,
              imageView: i.view,
              imageOrientation: i.orientation,
              imageType: 'OFF_BKG',
              objectId: 1_200_000 + p.index * 2,
            })),
          );
        },
      },
      {
        method: 'GET',
        path: '/api/bookings/offenderNo/{offenderNo}/visit/balances',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          const b = visitBalancesOf(pop, p);
          if (b === null) throw new HttpError(404, `No visit balances found for offender ${p.prisonNumber ?? ''}`);
          return ok({
            remainingVo: b.remainingVo,
            remainingPvo: b.remainingPvo,
            ...(b.latestIepAdjustDate ? { latestIepAdjustDate: b.latestIepAdjustDate } : {}),
            ...(b.latestPrivIepAdjustDate ? { latestPrivIepAdjustDate: b.latestPrivIepAdjustDate } : {}),
          });
        },
      },
      {
        method: 'GET',
        path: '/api/offenders/{offenderNo}/offender-restrictions',
        handler: (ctx) => {
          const p = offender(pop, ctx.params.offenderNo);
          const activeOnly = boolParam(ctx.query, 'activeRestrictionsOnly') ?? true;
          return ok({
            bookingId: latestBooking(pop, p).bookingId,
            offenderRestrictions: visitRestrictions(pop, p)
              .filter((r) => !activeOnly || r.active)
              .map((r) => ({
                restrictionId: r.restrictionId,
                comment: r.comment ?? undefined,
                restrictionType: r.type.code,
                restrictionTypeDescription: r.type.description,
                startDate: r.startDate,
                expiryDate: r.expiryDate ?? undefined,
                active: r.active,
              })),
          });
        },
      },
      {
        method: 'POST',
        path: '/api/bookings/offenders',
        handler: (ctx) => {
          const activeOnly = boolParam(ctx.query, 'activeOnly') ?? true;
          const people = uniquePeople(pop, stringArrayBody(ctx, MAX_BATCH, 'offender numbers')).filter((p) => !activeOnly || p.prisonId !== 'OUT');
          return ok(
            people.map((p) => {
              const b = latestBooking(pop, p);
              const cell = cellLocation(p);
              return {
                bookingId: b.bookingId,
                bookingNo: b.bookNo,
                offenderNo: p.prisonNumber,
                firstName: p.firstName.toUpperCase(),
                middleName: p.middleNames.length > 0 ? p.middleNames.join(' ').toUpperCase() : undefined,
                lastName: p.lastName.toUpperCase(),
                agencyId: p.prisonId === 'OUT' ? 'OUT' : b.prisonId,
                assignedLivingUnitId: cell ? 700_000 + (p.index % 5000) : undefined,
                assignedLivingUnitDesc: cell ? `${b.prisonId}-${cell}` : undefined,
                dateOfBirth: p.dateOfBirth,
              };
            }),
          );
        },
      },
      {
        method: 'GET',
        path: '/api/agencies/{agencyId}',
        handler: (ctx) => {
          const id = (ctx.params.agencyId ?? '').toUpperCase();
          const prison = PRISON_BY_CODE.get(id);
          if (prison === undefined) throw new HttpError(404, `Agency ${id} not found`);
          return ok({ agencyId: prison.code, description: prison.description, longDescription: prison.name, agencyType: 'INST', active: true });
        },
      },
      {
        method: 'GET',
        path: '/api/reference-domains/domains/{domain}/codes',
        handler: (ctx) => {
          const domain = (ctx.params.domain ?? '').toUpperCase();
          if (domain !== 'HEALTH_TREAT') throw new HttpError(404, `Reference domain [${domain}] not found`);
          return ok(
            HEALTH_TREATMENTS.map((t, i) => ({
              domain,
              code: t.code,
              description: t.description,
              activeFlag: 'Y',
              listSeq: i + 1,
              systemDataFlag: 'N',
              subCodes: [],
            })),
          );
        },
      },
      {
        method: 'GET',
        path: '/api/bookings/{bookingId}/reasonable-adjustments',
        handler: (ctx) => {
          const types = new Set(listParam(ctx.query, 'type'));
          if (types.size === 0) throw new HttpError(400, 'Required request parameter type is missing');
          const { person, booking } = bookingFor(pop, ctx.params.bookingId);
          const list = booking.bookingSeq === 0 ? reasonableAdjustments(pop, person) : [];
          return ok({
            reasonableAdjustments: list
              .filter((a) => types.has(a.treatmentCode))
              .map((a) => ({
                treatmentCode: a.treatmentCode,
                commentText: a.commentText ?? undefined,
                startDate: a.startDate,
                endDate: a.endDate ?? undefined,
                agencyId: a.agencyId,
                agencyDescription: PRISON_BY_CODE.get(a.agencyId)?.description,
                treatmentDescription: a.treatmentDescription,
                personalCareNeedId: a.personalCareNeedId,
              })),
          });
        },
      },
      ...prisonLifeRoutes(pop),
    ],
  };
}
