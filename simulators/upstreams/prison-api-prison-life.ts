/**
 * Prison API routes for prison life (issue 18 areas 7, 8, 9), kept apart from prison-api.ts so the
 * two grow without stepping on each other: movements (the batch route over many prison numbers),
 * a booking's sentence and booking adjustments, and image bytes.
 */

import { bookings } from '../lib/details.js';
import { HttpError, type Route, boolParam, listParam, ok, stringArrayBody } from '../lib/http.js';
import type { Person, Population } from '../lib/population.js';
import { MOVEMENT_TYPE_DESCRIPTIONS, type MovementModel, imageBytes, movements, sentenceAdjustments } from '../lib/prison-life-data.js';
import { PRISON_BY_CODE } from '../lib/reference.js';

const MAX_BATCH = 1000;

function agencyDescription(code: string | null): string | undefined {
  if (code === null) return undefined;
  if (code === 'OUT') return 'Outside';
  return PRISON_BY_CODE.get(code)?.description ?? code.replace(/(CC|MC)$/, (s) => (s === 'CC' ? ' Crown Court' : ' Magistrates Court'));
}

function movementDto(p: Person, m: MovementModel): Record<string, unknown> {
  return {
    offenderNo: p.prisonNumber,
    createDateTime: `${m.date}T${m.time}`,
    fromAgency: m.fromAgency ?? undefined,
    fromAgencyDescription: agencyDescription(m.fromAgency),
    toAgency: m.toAgency ?? undefined,
    toAgencyDescription: agencyDescription(m.toAgency),
    fromCity: m.fromCity ?? undefined,
    toCity: m.toCity ?? undefined,
    movementType: m.type,
    movementTypeDescription: MOVEMENT_TYPE_DESCRIPTIONS[m.type],
    directionCode: m.direction,
    movementDate: m.date,
    movementTime: m.time,
    movementReason: m.reason,
    movementReasonCode: m.reasonCode,
    commentText: m.comment ?? undefined,
  };
}

export function prisonLifeRoutes(pop: Population): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/movements/offenders',
      handler: (ctx) => {
        const numbers = stringArrayBody(ctx, MAX_BATCH, 'offender numbers');
        const latestOnly = boolParam(ctx.query, 'latestOnly') ?? true;
        const allBookings = boolParam(ctx.query, 'allBookings') ?? false;
        const types = new Set(listParam(ctx.query, 'movementTypes').map((t) => t.toUpperCase()));
        const out: Record<string, unknown>[] = [];
        const seen = new Set<number>();
        for (const n of numbers) {
          const p = pop.byPrisonNumberValue(n.toUpperCase());
          if (p === undefined || seen.has(p.index)) continue;
          seen.add(p.index);
          const latestBooking = bookings(pop, p)[0]?.bookingId;
          let list = movements(pop, p).filter((m) => (allBookings || m.bookingId === latestBooking) && (types.size === 0 || types.has(m.type)));
          if (latestOnly) list = list.slice(-1);
          // Nomis answers newest first.
          out.push(...list.slice().reverse().map((m) => movementDto(p, m)));
        }
        return ok(out);
      },
    },
    {
      method: 'GET',
      path: '/api/adjustments/{bookingId}/sentence-and-booking',
      handler: (ctx) => {
        const hit = pop.byBookingId(Number(ctx.params.bookingId));
        const booking = hit ? bookings(pop, hit.person)[hit.bookingSeq] : undefined;
        if (hit === undefined || booking === undefined) throw new HttpError(404, `Offender booking with id ${ctx.params.bookingId ?? ''} not found.`);
        const a = sentenceAdjustments(pop, hit.person, booking);
        const values = (x: (typeof a.sentence)[number] | (typeof a.booking)[number]) => ({
          type: x.type,
          numberOfDays: x.days,
          fromDate: x.fromDate ?? undefined,
          toDate: x.toDate ?? undefined,
          active: x.active,
          comment: x.comment ?? undefined,
        });
        return ok({
          sentenceAdjustments: a.sentence.map((x) => ({ sentenceSequence: x.sentenceSequence, ...values(x) })),
          bookingAdjustments: a.booking.map(values),
        });
      },
    },
    {
      method: 'GET',
      path: '/api/images/{imageId}/data',
      handler: (ctx) => {
        const raw = ctx.params.imageId ?? '';
        if (!/^\d{1,18}$/.test(raw)) throw new HttpError(400, `Invalid image id ${raw}`);
        boolParam(ctx.query, 'fullSizeImage'); // validated only: the simulated world has one size of photograph
        const bytes = imageBytes(pop, Number(raw));
        // The contract declares this route's 404 body as a base64 JSON string (format byte), not the usual error object.
        if (bytes === undefined) return { status: 404, body: Buffer.from(`Image with id ${raw} not found`).toString('base64') };
        return { status: 200, headers: { 'Content-Type': 'image/jpeg' }, bytes };
      },
    },
  ];
}
