import DataLoader from 'dataloader';
import { carryOmitted } from '../../domain/omitted.js';
import type { Address, ImageMetadata, Offence, ReasonableAdjustment, Sentence, SentenceKeyDates } from '../../domain/profile.js';
import { perKey } from '../batching.js';
import {
  courtIndex,
  latestBookings,
  prisonNameOf,
  sentenceList,
  toAddresses,
  toImages,
  toOffences,
  toReasonableAdjustments,
  toSentenceKeyDates,
  toSentences,
} from './mapping.js';
import type { PrisonApiReferenceData } from './reference-data.js';
import { invalidItem } from '../http/errors.js';
import {
  OFFENCE_HISTORIES,
  OFFENCE_HISTORIES_MAX,
  OFFENDER_SENTENCES,
  OFFENDER_SENTENCES_MAX,
  type OffenceHistoryDetailDto,
  type OffenderSentenceDetailDto,
  type PrisonApiRoutes,
  type SentenceAndOffencesDto,
  type SentenceSummaryDto,
} from './routes.js';

/*
 * Per-request DataLoaders over the Prison API (Nomis), keyed by prison number (reasonable
 * adjustments: by booking id). Routes without a batch form are called once per key, a few at a
 * time; a key whose call fails is rejected on its own, the other keys of the batch still get their
 * answer. An unknown person (404) is an empty list. Entries the decoders left out (ADR 10) are
 * counted on the mapped list (`carryOmitted`), for the error at the list's path (ADR 21).
 */

export const prisonAddressesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, Address[]>(
    perKey(async (n) => {
      const dtos = await routes.addresses(n);
      return carryOmitted(dtos, toAddresses(dtos));
    }),
  );

/** Every booking of each person (with its key dates): one batch call for all keys. */
export const prisonBookingsLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, OffenderSentenceDetailDto[]>(
    async (numbers) => {
      const byNumber = new Map<string, OffenderSentenceDetailDto[]>(numbers.map((n) => [n.toUpperCase(), []]));
      const batch = await routes.offenderSentences(numbers);
      for (const detail of batch.items) {
        if (typeof detail.offenderNo === 'string') byNumber.get(detail.offenderNo.toUpperCase())?.push(detail);
      }
      return numbers.map((n) => {
        const found = byNumber.get(n.toUpperCase()) ?? [];
        // A key whose entry broke the contract (or any key, when an entry's number is unreadable) is
        // UPSTREAM_INVALID_RESPONSE, never a silent empty list, nor the other bookings passed off as all of
        // them (the spoiled one may be the latest: ADR 21).
        if (batch.spoiled.has(n) || batch.unattributable) return invalidItem('prisonApi', OFFENDER_SENTENCES);
        return found;
      });
    },
    { maxBatchSize: OFFENDER_SENTENCES_MAX },
  );

/** The latest booking's court cases with their sentences and courts. */
export const sentenceSummaryLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, SentenceSummaryDto | null>(perKey((n) => routes.sentenceSummary(n)));

/** By booking id: the booking's sentences (`sentences-and-offences`, in either shape). */
export const bookingSentencesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, SentenceAndOffencesDto[]>(perKey(async (bookingId) => sentenceList(await routes.sentencesAndOffences(Number(bookingId)))));

/** A conviction, as the per-person route's `convictionsOnly` keeps them. */
const isConviction = (o: OffenceHistoryDetailDto) => o.primaryResultConviction === true || o.secondaryResultConviction === true;

/**
 * Convictions on all bookings of each person, batched (issue 19): the booking ids come from the
 * bookings' batch call (`prisonBookings`, which key dates and sentences ask anyway), then one
 * offence-history call for every booking of every person of the operation - instead of one call
 * per person. A spoiled entry makes its person's offences UPSTREAM_INVALID_RESPONSE.
 */
export const offenceHistoryLoader = (routes: PrisonApiRoutes, prisonBookings: ReturnType<typeof prisonBookingsLoader>) =>
  new DataLoader<string, OffenceHistoryDetailDto[]>(async (numbers) => {
    const bookings = await prisonBookings.loadMany(numbers);
    const idsOf = (i: number) => {
      const list = bookings[i]!;
      return list instanceof Error ? [] : list.map((b) => b.bookingId);
    };
    const ids = [...new Set(numbers.flatMap((_, i) => idsOf(i)))];
    const chunks = Array.from({ length: Math.ceil(ids.length / OFFENCE_HISTORIES_MAX) }, (_, c) => ids.slice(c * OFFENCE_HISTORIES_MAX, (c + 1) * OFFENCE_HISTORIES_MAX));
    const batches = await Promise.all(chunks.map((chunk) => routes.offenceHistories(chunk).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
    const byBooking = new Map<number, OffenceHistoryDetailDto[]>();
    const spoiled = new Set<string>();
    let failure: Error | null = null;
    let unattributable = false;
    for (const batch of batches) {
      if (batch instanceof Error) {
        failure ??= batch;
        continue;
      }
      for (const o of batch.items) if (typeof o.bookingId === 'number' && isConviction(o)) byBooking.set(o.bookingId, [...(byBooking.get(o.bookingId) ?? []), o]);
      for (const id of batch.spoiled) spoiled.add(id);
      unattributable ||= batch.unattributable;
    }
    return numbers.map((_, i) => {
      const list = bookings[i]!;
      if (list instanceof Error) return list;
      const mine = idsOf(i);
      if (mine.length === 0) return [];
      if (failure) return failure;
      if (unattributable || mine.some((id) => spoiled.has(String(id)))) return invalidItem('prisonApi', OFFENCE_HISTORIES);
      return mine.flatMap((id) => byBooking.get(id) ?? []);
    });
  });

/** The loaders the sentences and offences of every booking are read from. */
export interface BookingLoaders {
  offenceHistory: ReturnType<typeof offenceHistoryLoader>;
  prisonBookings: ReturnType<typeof prisonBookingsLoader>;
  sentenceSummary: ReturnType<typeof sentenceSummaryLoader>;
  bookingSentences: ReturnType<typeof bookingSentencesLoader>;
}

/** The sentences of every booking but the latest (whose sentence summary gives them with more). */
async function earlierBookingSentences(loaders: BookingLoaders, prisonNumber: string, summary: SentenceSummaryDto | null) {
  const latest = summary?.latestPrisonTerm?.bookingId;
  const ids = (await loaders.prisonBookings.load(prisonNumber)).map((b) => b.bookingId).filter((id) => id !== latest);
  const lists = await Promise.all(ids.map((id) => loaders.bookingSentences.load(String(id))));
  return new Map(ids.map((id, i) => [id, lists[i]!]));
}

/** Convictions on all bookings, with the court named by the sentences of their case. */
export const prisonOffencesLoader = (loaders: BookingLoaders) =>
  new DataLoader<string, Offence[]>(async (numbers) => {
    // Every key's history in one batch call (asked before the per-key work, which runs a few at a time).
    const [histories, summaries] = await Promise.all([loaders.offenceHistory.loadMany(numbers), loaders.sentenceSummary.loadMany(numbers)]);
    return perKey(async (n) => {
      const i = numbers.indexOf(n);
      const [history, summary] = [histories[i]!, summaries[i]!];
      if (history instanceof Error) throw history;
      if (summary instanceof Error) throw summary;
      return toOffences(history, courtIndex(summary, await earlierBookingSentences(loaders, n, summary)));
    })(numbers);
  });

/** Convictions on all bookings without their courts (for a selection without `courtName`: no sentence lookups). */
export const prisonConvictionsLoader = (offenceHistory: BookingLoaders['offenceHistory']) =>
  new DataLoader<string, Offence[]>(async (numbers) => (await offenceHistory.loadMany(numbers)).map((h) => (h instanceof Error ? h : toOffences(h))));

/** Court sentences of every booking. */
export const prisonSentencesLoader = (loaders: BookingLoaders) =>
  new DataLoader<string, Sentence[]>(
    perKey(async (n) => {
      const summary = await loaders.sentenceSummary.load(n);
      return toSentences(summary, await earlierBookingSentences(loaders, n, summary));
    }),
  );

/** Prison code -> its name (for a released person's last prison, which prisoner search does not name). */
export const prisonNameLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, string | null>(perKey(async (code) => prisonNameOf(await routes.agency(code))));

export const imagesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, ImageMetadata[]>(
    perKey(async (n) => {
      const dtos = await routes.images(n);
      return carryOmitted(dtos, toImages(dtos));
    }),
  );

/** Key dates of each person's most recent active booking (from the bookings' batch call). */
export const keyDatesLoader = (prisonBookings: ReturnType<typeof prisonBookingsLoader>) =>
  new DataLoader<string, SentenceKeyDates | null>(async (numbers) => {
    const all = await prisonBookings.loadMany(numbers);
    return all.map((list, i) =>
      list instanceof Error ? list : toSentenceKeyDates(latestBookings(list).get(numbers[i]!.toUpperCase())?.sentenceDetail),
    );
  });

/**
 * By booking id. Without the treatment codes nothing can be asked, so failing to get them rejects
 * every key of the batch.
 */
export const reasonableAdjustmentsLoader = (routes: PrisonApiRoutes, referenceData: PrisonApiReferenceData) =>
  new DataLoader<string, ReasonableAdjustment[]>(async (bookingIds) => {
    const codes = await referenceData.healthTreatmentCodes();
    return perKey(async (bookingId) => {
      if (!/^\d+$/.test(bookingId)) throw new Error(`not a booking id: ${JSON.stringify(bookingId)}`);
      const dtos = await routes.reasonableAdjustments(bookingId, codes);
      return carryOmitted(dtos, toReasonableAdjustments(dtos));
    })(bookingIds);
  });
