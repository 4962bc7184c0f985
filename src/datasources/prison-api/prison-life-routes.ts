import { emptyBatch, type KeyedBatch } from '../http/contract.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeBookingAdjustments, decodeMovements } from './prison-life-decode.js';

/**
 * Prison API routes for prison life (issue 18 areas 7 and 8): movements and sentence adjustments.
 * Kept beside routes.ts, not in it, so that the two grow without stepping on each other.
 */

/** `Movement` (nomis-prison-api.json): one external movement of a prisoner. */
export interface MovementDto {
  offenderNo: string;
  createDateTime?: string | null;
  fromAgency?: string | null;
  fromAgencyDescription?: string | null;
  toAgency?: string | null;
  toAgencyDescription?: string | null;
  movementType: string;
  movementTypeDescription?: string | null;
  directionCode: string;
  movementDate: string;
  movementTime?: string | null;
  movementReason?: string | null;
  movementReasonCode?: string | null;
}

/** `SentenceAdjustmentValues` and `BookingAdjustment`: the first carries its sentence's sequence. */
export interface AdjustmentValuesDto {
  sentenceSequence?: number | null;
  type?: string | null;
  numberOfDays?: number | null;
  fromDate?: string | null;
  toDate?: string | null;
  active?: boolean | null;
  comment?: string | null;
}

/** `BookingAndSentenceAdjustments`. */
export interface BookingAndSentenceAdjustmentsDto {
  sentenceAdjustments?: AdjustmentValuesDto[] | null;
  bookingAdjustments?: AdjustmentValuesDto[] | null;
}

export const MOVEMENTS = 'POST /api/movements/offenders';
/** A photograph's bytes (JPEG); read as a stream, not through these JSON routes (DataSources.openImage). */
export const IMAGE_DATA = 'GET /api/images/{imageId}/data';
/** Prison numbers per movements call: every movement of every booking comes back, so batches stay modest. */
export const MOVEMENTS_MAX = 100;

const segment = (value: string | number) => encodeURIComponent(String(value));

export function prisonLifeRoutes(client: UpstreamCaller) {
  return {
    /**
     * Batch: every movement of every booking of each known person (`latestOnly=false`,
     * `allBookings=true`: the upstream's defaults give one movement of the latest booking only).
     * Unknown numbers are absent.
     */
    async movements(prisonNumbers: readonly string[]): Promise<KeyedBatch<MovementDto>> {
      return (
        (await client.post<KeyedBatch<MovementDto>>(
          MOVEMENTS,
          '/api/movements/offenders?latestOnly=false&allBookings=true',
          prisonNumbers,
          [],
          decodeMovements,
        )) ?? emptyBatch()
      );
    },

    /** A booking's adjustments, with their dates; `null` for a booking the upstream does not know (404). */
    async bookingAdjustments(bookingId: string): Promise<BookingAndSentenceAdjustmentsDto | null> {
      return client.get<BookingAndSentenceAdjustmentsDto>(
        'GET /api/adjustments/{bookingId}/sentence-and-booking',
        `/api/adjustments/${segment(bookingId)}/sentence-and-booking`,
        undefined,
        [404],
        decodeBookingAdjustments,
      );
    },
  };
}

export type PrisonLifeRoutes = ReturnType<typeof prisonLifeRoutes>;
