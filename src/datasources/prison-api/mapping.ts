import { premiseParts } from '../../domain/address.js';
import { calendarDate } from '../../domain/person.js';
import {
  newestFirst,
  type Address,
  type CodeDescription,
  type ImageMetadata,
  type Offence,
  type ReasonableAdjustment,
  type Sentence,
  type SentenceKeyDates,
} from '../../domain/profile.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type {
  AddressDto,
  AgencyDto,
  ImageDetailDto,
  OffenceHistoryDetailDto,
  OffenderSentenceDetailDto,
  OffenderSentenceTermDto,
  ReasonableAdjustmentDto,
  SentenceAndOffencesDto,
  ReferenceCodeDto,
  SentenceCalcDatesDto,
  SentenceOffencesTermsDto,
  SentenceSummaryDto,
  TermDto,
} from './routes.js';

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

// ---------------------------------------------------------------------------------------------
// Addresses

export function toAddresses(dtos: readonly AddressDto[]): Address[] {
  return newestFirst(dtos.map(toAddress), (a) => a.startDate);
}

/** Nomis keeps the flat apart; its premise is a house number or a building name. */
export function toAddress(dto: AddressDto): Address {
  const premise = premiseParts(dto.premise);
  return {
    sources: ['PRISON'],
    noFixedAddress: dto.noFixedAddress === true,
    flat: text(dto.flat) ?? premise.flat,
    buildingName: premise.buildingName,
    houseNumber: premise.houseNumber,
    street: text(dto.street),
    locality: text(dto.locality),
    town: text(dto.town),
    county: text(dto.county),
    postcode: text(dto.postalCode),
    country: text(dto.country),
    startDate: calendarDate(dto.startDate),
    endDate: calendarDate(dto.endDate),
    types: addressTypes(dto),
    notes: text(dto.comment),
  };
}

/**
 * The address type (code only: Nomis sends no description for it) and the usages still in force.
 * A usage Nomis has switched off (e.g. an HDC address no longer approved) is not a kind of address
 * any more.
 */
function addressTypes(dto: AddressDto): CodeDescription[] {
  const types: CodeDescription[] = [];
  const add = (code: string | null, description: string | null) => {
    if (code && !types.some((t) => t.code === code)) types.push({ code, description });
  };
  add(text(dto.addressType), null);
  for (const usage of dto.addressUsages ?? []) {
    if (usage.activeFlag === false) continue;
    add(text(usage.addressUsage), text(usage.addressUsageDescription));
  }
  return types;
}

// ---------------------------------------------------------------------------------------------
// Offences

/**
 * Court names of a person's court cases, from the sentences: by booking and case id (the sentence
 * summary of the latest booking), else by booking, offence code and offence date (the
 * `sentences-and-offences` of each booking).
 */
export interface CourtIndex {
  byCase: Map<string, string>;
  byOffence: Map<string, string>;
}

export function courtIndex(summary: SentenceSummaryDto | null, bookings: ReadonlyMap<number, readonly SentenceAndOffencesDto[]>): CourtIndex {
  const index: CourtIndex = { byCase: new Map(), byOffence: new Map() };
  const term = summary?.latestPrisonTerm;
  for (const courtCase of term?.courtSentences ?? []) {
    const name = text(courtCase.court?.description);
    if (term && name && courtCase.id !== undefined && courtCase.id !== null) index.byCase.set(`${term.bookingId}|${courtCase.id}`, name);
  }
  for (const [bookingId, sentences] of bookings) {
    for (const sentence of sentences) {
      const name = text(sentence.courtDescription);
      if (!name) continue;
      for (const o of sentence.offences ?? []) index.byOffence.set(`${bookingId}|${o.offenceCode}|${o.offenceStartDate}`, name);
    }
  }
  return index;
}

const NO_COURTS: CourtIndex = { byCase: new Map(), byOffence: new Map() };

export function toOffences(dtos: readonly OffenceHistoryDetailDto[], courts: CourtIndex = NO_COURTS): Offence[] {
  return newestFirst(
    dtos.map((dto) => toOffence(dto, courts)),
    (o) => o.offenceDate,
  );
}

export function toOffence(dto: OffenceHistoryDetailDto, courts: CourtIndex = NO_COURTS): Offence {
  const courtDate = calendarDate(dto.courtDate);
  return {
    source: 'PRISON',
    description: text(dto.offenceDescription),
    code: text(dto.offenceCode),
    statuteCode: text(dto.statuteCode),
    offenceDate: calendarDate(dto.offenceDate),
    courtDates: courtDate ? [courtDate] : [],
    // The offence history names no court; the sentences of its case do.
    courtName:
      courts.byCase.get(`${dto.bookingId}|${dto.caseId}`) ??
      courts.byOffence.get(`${dto.bookingId}|${dto.offenceCode}|${dto.offenceDate}`) ??
      null,
  };
}

// ---------------------------------------------------------------------------------------------
// Sentences

/**
 * `sentences-and-offences` answers one object per the published contract and a list in the live
 * Prison API: either way, the list of the booking's sentences. Every entry is a sentence: the decoder
 * (`decodeSentencesAndOffences`) refuses the answer otherwise, so none is dropped here.
 */
export function sentenceList(body: SentenceAndOffencesDto | SentenceAndOffencesDto[] | null | undefined): SentenceAndOffencesDto[] {
  if (body === null || body === undefined) return [];
  return Array.isArray(body) ? body : [body];
}

/**
 * The court sentences of every booking, newest first: the latest booking's from its sentence
 * summary, every other booking's from its `sentences-and-offences`.
 */
export function toSentences(
  summary: SentenceSummaryDto | null,
  otherBookings: ReadonlyMap<number, readonly SentenceAndOffencesDto[]> = new Map(),
): Sentence[] {
  const latest = summary?.latestPrisonTerm;
  const cases = latest?.courtSentences ?? [];
  const sentences = cases.flatMap((courtCase) => (courtCase.sentences ?? []).map(toSentence));
  for (const [bookingId, list] of otherBookings) {
    if (latest && bookingId === latest.bookingId) continue;
    sentences.push(...list.map(toBookingSentence));
  }
  return newestFirst(sentences, (s) => s.dateOfSentencing ?? s.startDate);
}

/** A sentence as `sentences-and-offences` gives it (its terms carry `code`, not `sentenceTermCode`). */
export function toBookingSentence(dto: SentenceAndOffencesDto): Sentence {
  const terms: TermDto[] = (dto.terms ?? []).map((t: OffenderSentenceTermDto) => ({ ...t, sentenceTermCode: t.code ?? '' }));
  const sentence = toSentence({ ...dto, terms });
  return { ...sentence, dateOfSentencing: calendarDate(dto.sentenceDate) ?? sentence.dateOfSentencing };
}

export function toSentence(dto: SentenceOffencesTermsDto): Sentence {
  const terms = dto.terms ?? [];
  // Nomis records the sentence start as "aka court date": the day sentence was passed.
  const sentenced = calendarDate(dto.sentenceStartDate);
  return {
    source: 'PRISON',
    description: text(dto.sentenceTypeDescription),
    dateOfSentencing: sentenced,
    startDate: earliest(terms.map((t) => calendarDate(t.startDate))) ?? sentenced,
    endDate: calendarDate(dto.sentenceEndDate),
    custodial: isCustodial(terms),
    active: dto.sentenceStatus === 'A' ? true : dto.sentenceStatus === 'I' ? false : null,
    fineAmount: typeof dto.fineAmount === 'number' && Number.isFinite(dto.fineAmount) && dto.fineAmount > 0 ? dto.fineAmount : null,
    length: sentenceLength(terms),
  };
}

/** Sentence term codes (Nomis SENT_TERM) served in custody, and those served in the community. */
const CUSTODIAL_TERMS: ReadonlySet<string> = new Set(['IMP', 'DET']);
const COMMUNITY_TERMS: ReadonlySet<string> = new Set(['LIC', 'SUP']);

/** Custodial when any term is; not when every term is a community one; otherwise not known. */
function isCustodial(terms: readonly TermDto[]): boolean | null {
  if (terms.some((t) => t.lifeSentence === true || CUSTODIAL_TERMS.has(t.sentenceTermCode))) return true;
  if (terms.length > 0 && terms.every((t) => COMMUNITY_TERMS.has(t.sentenceTermCode))) return false;
  return null;
}

/**
 * The whole length of a sentence: its terms (e.g. custody and an extended licence) added up unit by
 * unit, as a court would say it ("1 year 6 months"). Units are not converted into one another, so
 * "18 months" stays 18 months. A life term makes the sentence "Life".
 */
export function sentenceLength(terms: readonly TermDto[]): string | null {
  if (terms.some((t) => t.lifeSentence === true)) return 'Life';
  const units = [
    ['year', terms.reduce((sum, t) => sum + count(t.years), 0)],
    ['month', terms.reduce((sum, t) => sum + count(t.months), 0)],
    ['week', terms.reduce((sum, t) => sum + count(t.weeks), 0)],
    ['day', terms.reduce((sum, t) => sum + count(t.days), 0)],
  ] as const;
  const parts = units.filter(([, n]) => n > 0).map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : null;
}

const count = (n: number | null | undefined): number => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0);

function earliest(dates: readonly (string | null)[]): string | null {
  return dates.reduce<string | null>((min, d) => (d !== null && (min === null || d < min) ? d : min), null);
}

// ---------------------------------------------------------------------------------------------
// Key dates

/**
 * Per prison number (upper case), the booking whose key dates describe the person now: the one
 * flagged most recent active booking; should none be flagged, the one whose sentence started last
 * (then the highest booking id).
 */
export function latestBookings(details: readonly OffenderSentenceDetailDto[]): Map<string, OffenderSentenceDetailDto> {
  const latest = new Map<string, OffenderSentenceDetailDto>();
  for (const detail of details) {
    if (typeof detail.offenderNo !== 'string') continue;
    const prisonNumber = detail.offenderNo.toUpperCase();
    const current = latest.get(prisonNumber);
    if (current === undefined || later(detail, current)) latest.set(prisonNumber, detail);
  }
  return latest;
}

function later(a: OffenderSentenceDetailDto, b: OffenderSentenceDetailDto): boolean {
  const flagged = (d: OffenderSentenceDetailDto) => d.mostRecentActiveBooking === true;
  if (flagged(a) !== flagged(b)) return flagged(a);
  const started = (d: OffenderSentenceDetailDto) => calendarDate(d.sentenceDetail?.sentenceStartDate) ?? '';
  if (started(a) !== started(b)) return started(a) > started(b);
  return (a.bookingId ?? 0) > (b.bookingId ?? 0);
}

/**
 * Where a date was entered by hand (a confirmed release date, an override) it wins over the one
 * Nomis calculated. The first date present is taken as it is: an override that is not a valid date
 * gives null, never the calculated date it was meant to replace.
 */
export function toSentenceKeyDates(dates: SentenceCalcDatesDto | null | undefined): SentenceKeyDates | null {
  if (!dates) return null;
  return {
    sentenceStartDate: preferred(dates.sentenceStartDate),
    releaseDate: preferred(dates.confirmedReleaseDate, dates.releaseDate),
    conditionalReleaseDate: preferred(dates.conditionalReleaseOverrideDate, dates.conditionalReleaseDate),
    automaticReleaseDate: preferred(dates.automaticReleaseOverrideDate, dates.automaticReleaseDate),
    paroleEligibilityDate: preferred(
      dates.paroleEligibilityOverrideDate,
      dates.paroleEligibilityDate,
      dates.paroleEligibilityCalculatedDate,
    ),
    homeDetentionCurfewEligibilityDate: preferred(
      dates.homeDetentionCurfewEligibilityOverrideDate,
      dates.homeDetentionCurfewEligibilityDate,
      dates.homeDetentionCurfewEligibilityCalculatedDate,
    ),
    licenceExpiryDate: preferred(dates.licenceExpiryOverrideDate, dates.licenceExpiryDate, dates.licenceExpiryCalculatedDate),
    sentenceExpiryDate: preferred(dates.sentenceExpiryOverrideDate, dates.sentenceExpiryDate, dates.sentenceExpiryCalculatedDate),
    topupSupervisionExpiryDate: preferred(
      dates.topupSupervisionExpiryOverrideDate,
      dates.topupSupervisionExpiryDate,
      dates.topupSupervisionExpiryCalculatedDate,
    ),
    postRecallReleaseDate: preferred(dates.postRecallReleaseOverrideDate, dates.postRecallReleaseDate),
    tariffDate: preferred(dates.tariffDate),
  };
}

function preferred(...candidates: (string | null | undefined)[]): string | null {
  return calendarDate(candidates.find((c) => c !== undefined && c !== null && c.trim() !== ''));
}

// ---------------------------------------------------------------------------------------------
// Prisons

/** A prison's name as prisoner search writes it (`HMP Leeds`): the long description, else the description. */
export function prisonNameOf(agency: AgencyDto | null): string | null {
  return text(agency?.longDescription) ?? text(agency?.description);
}

// ---------------------------------------------------------------------------------------------
// Images

export function toImages(dtos: readonly ImageDetailDto[]): ImageMetadata[] {
  // Instants with different offsets do not sort as strings: order by the UTC form.
  return newestFirst(dtos.map(toImage), (i) => utc(i.capturedAt));
}

function utc(instant: string | null): string | null {
  const ms = instant ? Date.parse(instant) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function toImage(dto: ImageDetailDto): ImageMetadata {
  return {
    id: String(dto.imageId),
    active: dto.active === true,
    capturedAt: londonLocalToInstant(dto.captureDateTime),
    view: text(dto.imageView),
    orientation: text(dto.imageOrientation),
    type: text(dto.imageType),
  };
}

// ---------------------------------------------------------------------------------------------
// Reasonable adjustments

/**
 * Every treatment code of the domain: an adjustment recorded under a since-retired code still holds.
 * `null` when a code is blank: adjustments may be recorded under the code it stands for, and asking
 * without it would give lists silently short (the caller refuses the codes, ADR 21).
 */
export function treatmentCodes(codes: readonly ReferenceCodeDto[]): string[] | null {
  if (codes.some((c) => typeof c.code !== 'string' || c.code.trim() === '')) return null;
  return [...new Set(codes.map((c) => c.code))];
}

export function toReasonableAdjustments(dtos: readonly ReasonableAdjustmentDto[]): ReasonableAdjustment[] {
  return newestFirst(dtos.map(toReasonableAdjustment), (a) => a.startDate);
}

export function toReasonableAdjustment(dto: ReasonableAdjustmentDto): ReasonableAdjustment {
  return {
    treatmentCode: text(dto.treatmentCode),
    treatmentDescription: text(dto.treatmentDescription),
    comment: text(dto.commentText),
    startDate: calendarDate(dto.startDate),
    endDate: calendarDate(dto.endDate),
  };
}
