import DataLoader from 'dataloader';
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
 * answer. An unknown person (404) is an empty list.
 */

export const prisonAddressesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, Address[]>(perKey(async (n) => toAddresses(await routes.addresses(n))));

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
        // A key whose entry broke the contract is UPSTREAM_INVALID_RESPONSE, never a silent empty list.
        if (found.length === 0 && (batch.spoiled.has(n) || batch.unattributable)) return invalidItem('prisonApi', OFFENDER_SENTENCES);
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

/** Convictions on all bookings, as the Prison API lists them. */
export const offenceHistoryLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, OffenceHistoryDetailDto[]>(perKey((n) => routes.offenceHistory(n)));

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
  new DataLoader<string, Offence[]>(
    perKey(async (n) => {
      const [history, summary] = await Promise.all([loaders.offenceHistory.load(n), loaders.sentenceSummary.load(n)]);
      return toOffences(history, courtIndex(summary, await earlierBookingSentences(loaders, n, summary)));
    }),
  );

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
  new DataLoader<string, ImageMetadata[]>(perKey(async (n) => toImages(await routes.images(n))));

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
      return toReasonableAdjustments(await routes.reasonableAdjustments(bookingId, codes));
    })(bookingIds);
  });
