import { emptyBatch, type KeyedBatch } from '../http/contract.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import {
  decodeAddresses,
  decodeAgency,
  decodeImages,
  decodeOffenceHistories,
  decodeOffenderSentences,
  decodeReasonableAdjustments,
  decodeReferenceCodes,
  decodeSentencesAndOffences,
  decodeSentenceSummary,
} from './decode.js';

/** Prison API, Nomis (nomis-prison-api.json): the DTO fields the gateway reads. */

export interface AddressUsageDto {
  addressUsage?: string | null;
  addressUsageDescription?: string | null;
  activeFlag?: boolean | null;
}

export interface AddressDto {
  addressType?: string | null;
  flat?: string | null;
  premise?: string | null;
  street?: string | null;
  locality?: string | null;
  town?: string | null;
  postalCode?: string | null;
  county?: string | null;
  country?: string | null;
  comment?: string | null;
  noFixedAddress: boolean;
  startDate?: string | null;
  endDate?: string | null;
  addressUsages?: AddressUsageDto[] | null;
}

export interface OffenceHistoryDetailDto {
  bookingId?: number | null;
  /** The court case the offence was dealt with in (`CourtSentences.id` of the sentence summary). */
  caseId?: number | null;
  offenceDate?: string | null;
  offenceDescription?: string | null;
  offenceCode?: string | null;
  statuteCode?: string | null;
  courtDate?: string | null;
  primaryResultConviction?: boolean | null;
  secondaryResultConviction?: boolean | null;
}

/** The length of a sentence term, as both the sentence summary and `sentences-and-offences` give it. */
export interface TermLengthDto {
  startDate?: string | null;
  years?: number | null;
  months?: number | null;
  weeks?: number | null;
  days?: number | null;
  lifeSentence?: boolean | null;
}

export interface TermDto extends TermLengthDto {
  sentenceTermCode: string;
}

export interface SentenceOffencesTermsDto {
  sentenceStatus?: string | null;
  sentenceCalculationType?: string | null;
  sentenceTypeDescription?: string | null;
  sentenceStartDate?: string | null;
  sentenceEndDate?: string | null;
  fineAmount?: number | null;
  terms?: TermDto[] | null;
}

export interface AgencyDto {
  agencyId?: string | null;
  description?: string | null;
}

export interface CourtSentencesDto {
  id?: number | null;
  beginDate?: string | null;
  court?: AgencyDto | null;
  sentences?: SentenceOffencesTermsDto[] | null;
}

export interface PrisonTermDto {
  bookingId: number;
  courtSentences?: CourtSentencesDto[] | null;
}

/** `OffenderOffence`, as listed on a sentence of `sentences-and-offences`. */
export interface OffenderOffenceDto {
  offenceCode?: string | null;
  offenceStartDate?: string | null;
}

/** `OffenderSentenceTerm`: a term of a sentence on `sentences-and-offences` (its code is `code`). */
export interface OffenderSentenceTermDto extends TermLengthDto {
  code?: string | null;
}

/** `OffenderSentenceAndOffences`: one sentence of a booking with its court and offences. */
export interface SentenceAndOffencesDto {
  bookingId?: number | null;
  courtDescription?: string | null;
  sentenceStatus?: string | null;
  sentenceTypeDescription?: string | null;
  /** The day sentence was passed ("aka court date"). */
  sentenceDate?: string | null;
  sentenceStartDate?: string | null;
  sentenceEndDate?: string | null;
  fineAmount?: number | null;
  terms?: OffenderSentenceTermDto[] | null;
  offences?: OffenderOffenceDto[] | null;
}

export interface SentenceSummaryDto {
  prisonerNumber: string;
  latestPrisonTerm?: PrisonTermDto | null;
}

/** `SentenceCalcDates`: calculated dates, and the overrides a sentence manager may have entered. */
export interface SentenceCalcDatesDto {
  sentenceStartDate?: string | null;
  releaseDate?: string | null;
  confirmedReleaseDate?: string | null;
  conditionalReleaseDate?: string | null;
  conditionalReleaseOverrideDate?: string | null;
  automaticReleaseDate?: string | null;
  automaticReleaseOverrideDate?: string | null;
  paroleEligibilityDate?: string | null;
  paroleEligibilityCalculatedDate?: string | null;
  paroleEligibilityOverrideDate?: string | null;
  homeDetentionCurfewEligibilityDate?: string | null;
  homeDetentionCurfewEligibilityCalculatedDate?: string | null;
  homeDetentionCurfewEligibilityOverrideDate?: string | null;
  licenceExpiryDate?: string | null;
  licenceExpiryCalculatedDate?: string | null;
  licenceExpiryOverrideDate?: string | null;
  sentenceExpiryDate?: string | null;
  sentenceExpiryCalculatedDate?: string | null;
  sentenceExpiryOverrideDate?: string | null;
  topupSupervisionExpiryDate?: string | null;
  topupSupervisionExpiryCalculatedDate?: string | null;
  topupSupervisionExpiryOverrideDate?: string | null;
  postRecallReleaseDate?: string | null;
  postRecallReleaseOverrideDate?: string | null;
  tariffDate?: string | null;
}

export interface OffenderSentenceDetailDto {
  bookingId: number;
  offenderNo: string;
  mostRecentActiveBooking: boolean;
  sentenceDetail?: SentenceCalcDatesDto | null;
}

export interface ImageDetailDto {
  imageId: number;
  active: boolean;
  captureDate?: string | null;
  captureDateTime?: string | null;
  imageView?: string | null;
  imageOrientation?: string | null;
  imageType?: string | null;
}

/** `Agency`: a prison (or another agency) by its code. */
export interface AgencyDto {
  agencyId?: string | null;
  description?: string | null;
  longDescription?: string | null;
}

export interface ReferenceCodeDto {
  domain: string;
  code: string;
  description?: string | null;
  activeFlag?: string | null;
}

export interface ReasonableAdjustmentDto {
  treatmentCode?: string | null;
  treatmentDescription?: string | null;
  commentText?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

export interface ReasonableAdjustmentsDto {
  reasonableAdjustments?: ReasonableAdjustmentDto[] | null;
}

/**
 * Offender numbers per `POST /api/offender-sentences`. The spec sets no cap; every booking of every
 * offender comes back, so batches are kept well below what makes one slow answer.
 */
export const OFFENDER_SENTENCES_MAX = 200;
export const OFFENDER_SENTENCES = 'POST /api/offender-sentences';
export const OFFENCE_HISTORIES = 'POST /api/bookings/offence-history';
/** Booking ids per offence-history batch call (the spec sets no limit; keep the request sane). */
export const OFFENCE_HISTORIES_MAX = 500;

/** Reference domain of the treatment codes reasonable adjustments are recorded under. */
export const HEALTH_TREATMENT_DOMAIN = 'HEALTH_TREAT';

const segment = (value: string | number) => encodeURIComponent(String(value));

/** No status but 2xx is an answer (a 404 is a contract fault: see `addresses`). */
const NO_ACCEPTED_STATUS: number[] = [];

export function prisonApiRoutes(client: UpstreamCaller) {
  return {
    /**
     * Most recent first (per the spec). Asked only for a prison number prisoner search holds: the
     * spec's 404 ("Requested resource not found": the offender) then means a moved or misrouted
     * upstream, a contract fault, never "no addresses" (that is `[]`). The same for every
     * per-person route below that declares no 404 meaning "none" (ADR 10, "404 per route").
     */
    async addresses(prisonNumber: string): Promise<AddressDto[]> {
      return (
        (await client.get<AddressDto[]>(
          'GET /api/offenders/{offenderNo}/addresses',
          `/api/offenders/${segment(prisonNumber)}/addresses`,
          undefined,
          NO_ACCEPTED_STATUS,
          decodeAddresses,
        )) ?? []
      );
    },

    /**
     * Batch: every offence of each booking asked, convictions or not (this form has no
     * `convictionsOnly`: the loader keeps the convictions - a charge that ended in acquittal or was
     * dropped is not an offence of the person).
     */
    async offenceHistories(bookingIds: readonly number[]): Promise<KeyedBatch<OffenceHistoryDetailDto>> {
      return (
        (await client.post<KeyedBatch<OffenceHistoryDetailDto>>(OFFENCE_HISTORIES, '/api/bookings/offence-history', bookingIds, [], decodeOffenceHistories)) ??
        emptyBatch()
      );
    },

    /** The latest booking's court cases with their sentences (the spec declares no 404: one is a contract fault). */
    async sentenceSummary(prisonNumber: string): Promise<SentenceSummaryDto | null> {
      return client.get<SentenceSummaryDto>(
        'GET /api/offenders/{offenderNo}/booking/latest/sentence-summary',
        `/api/offenders/${segment(prisonNumber)}/booking/latest/sentence-summary`,
        undefined,
        NO_ACCEPTED_STATUS,
        decodeSentenceSummary,
      );
    },

    /**
     * The sentences of one booking. The published contract declares one object; the live Prison
     * API answers a list (every sentence of the booking): both are accepted (`sentenceList`).
     * `null` when the booking has no sentence (404). Kept as "none": the booking ids come from
     * this upstream's own batch answer (`POST /api/offender-sentences`, which accepts no 404), so a
     * moved Prison API is a contract fault there before this route is asked.
     */
    async sentencesAndOffences(bookingId: number): Promise<SentenceAndOffencesDto[] | null> {
      return client.get<SentenceAndOffencesDto[]>(
        'GET /api/offender-sentences/booking/{bookingId}/sentences-and-offences',
        `/api/offender-sentences/booking/${segment(bookingId)}/sentences-and-offences`,
        undefined,
        [404],
        decodeSentencesAndOffences,
      );
    },

    /** Batch: one entry per booking of each known offender; unknown numbers are absent. */
    async offenderSentences(prisonNumbers: readonly string[]): Promise<KeyedBatch<OffenderSentenceDetailDto>> {
      return (
        (await client.post<KeyedBatch<OffenderSentenceDetailDto>>(
          OFFENDER_SENTENCES,
          '/api/offender-sentences',
          prisonNumbers,
          [],
          decodeOffenderSentences,
        )) ?? emptyBatch()
      );
    },

    async images(prisonNumber: string): Promise<ImageDetailDto[]> {
      return (
        (await client.get<ImageDetailDto[]>(
          'GET /api/images/offenders/{offenderNo}',
          `/api/images/offenders/${segment(prisonNumber)}`,
          undefined,
          NO_ACCEPTED_STATUS,
          decodeImages,
        )) ?? []
      );
    },

    /** `null` for a code the upstream does not know (404): reference data, not a person's. */
    async agency(agencyId: string): Promise<AgencyDto | null> {
      return client.get<AgencyDto>('GET /api/agencies/{agencyId}', `/api/agencies/${segment(agencyId)}`, undefined, [404], (body) => decodeAgency(body, agencyId));
    },

    /** A domain the upstream does not know is a failure here (404 is not accepted), not an empty list. */
    async referenceCodes(domain: string): Promise<ReferenceCodeDto[]> {
      return (
        (await client.get<ReferenceCodeDto[]>(
          'GET /api/reference-domains/domains/{domain}/codes',
          `/api/reference-domains/domains/${segment(domain)}/codes`,
          undefined,
          [],
          decodeReferenceCodes,
        )) ?? []
      );
    },

    /**
     * Adjustments of one booking with any of `treatmentCodes` (the spec requires at least one).
     * `type` is an array query parameter in form style: one `type=` per code, which the caller's
     * one-value-per-name `searchParams` cannot express, hence the query string in the path.
     */
    async reasonableAdjustments(bookingId: string, treatmentCodes: readonly string[]): Promise<ReasonableAdjustmentDto[]> {
      if (treatmentCodes.length === 0) return [];
      const query = new URLSearchParams(treatmentCodes.map((code) => ['type', code]));
      const body = await client.get<ReasonableAdjustmentsDto>(
        'GET /api/bookings/{bookingId}/reasonable-adjustments',
        `/api/bookings/${segment(bookingId)}/reasonable-adjustments?${query.toString()}`,
        undefined,
        NO_ACCEPTED_STATUS,
        decodeReasonableAdjustments,
      );
      return body?.reasonableAdjustments ?? [];
    },
  };
}

export type PrisonApiRoutes = ReturnType<typeof prisonApiRoutes>;
