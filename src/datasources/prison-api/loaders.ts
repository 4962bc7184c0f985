import DataLoader from 'dataloader';
import type { Address, ImageMetadata, Offence, ReasonableAdjustment, Sentence, SentenceKeyDates } from '../../domain/profile.js';
import { perKey } from '../batching.js';
import {
  latestBookings,
  toAddresses,
  toImages,
  toOffences,
  toReasonableAdjustments,
  toSentenceKeyDates,
  toSentences,
} from './mapping.js';
import type { PrisonApiReferenceData } from './reference-data.js';
import { invalidItem } from '../http/errors.js';
import { OFFENDER_SENTENCES, OFFENDER_SENTENCES_MAX, type PrisonApiRoutes } from './routes.js';

/*
 * Per-request DataLoaders over the Prison API (Nomis), keyed by prison number (reasonable
 * adjustments: by booking id). Routes without a batch form are called once per key, a few at a
 * time; a key whose call fails is rejected on its own, the other keys of the batch still get their
 * answer. An unknown person (404) is an empty list.
 */

export const prisonAddressesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, Address[]>(perKey(async (n) => toAddresses(await routes.addresses(n))));

export const prisonOffencesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, Offence[]>(perKey(async (n) => toOffences(await routes.offenceHistory(n))));

/** Court sentences of the latest booking. */
export const prisonSentencesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, Sentence[]>(perKey(async (n) => toSentences(await routes.sentenceSummary(n))));

export const imagesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, ImageMetadata[]>(perKey(async (n) => toImages(await routes.images(n))));

/** Key dates of each person's most recent active booking: one batch call for all keys. */
export const keyDatesLoader = (routes: PrisonApiRoutes) =>
  new DataLoader<string, SentenceKeyDates | null>(
    async (numbers) => {
      const batch = await routes.offenderSentences(numbers);
      const latest = latestBookings(batch.items);
      return numbers.map((n) => {
        const found = latest.get(n.toUpperCase());
        // A key whose entry broke the contract is UPSTREAM_INVALID_RESPONSE, never a silent null.
        if (!found && (batch.spoiled.has(n) || batch.unattributable)) return invalidItem('prisonApi', OFFENDER_SENTENCES);
        return toSentenceKeyDates(found?.sentenceDetail);
      });
    },
    { maxBatchSize: OFFENDER_SENTENCES_MAX },
  );

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
