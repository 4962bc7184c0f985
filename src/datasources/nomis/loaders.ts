import DataLoader from 'dataloader';
import type { Address, ImageMetadata, Offence, ReasonableAdjustment, Sentence, SentenceKeyDates } from '../../domain/profile.js';
import { mapLimit, PER_KEY_CONCURRENCY } from '../concurrency.js';
import {
  latestBookings,
  toAddresses,
  toImages,
  toOffences,
  toReasonableAdjustments,
  toSentenceKeyDates,
  toSentences,
} from './mapping.js';
import type { NomisReferenceData } from './reference-data.js';
import { OFFENDER_SENTENCES_MAX, type NomisRoutes } from './routes.js';

export { NomisReferenceData, type NomisReferenceDataOptions } from './reference-data.js';

/**
 * Per-request DataLoaders over the Prison API, keyed by prison number (reasonable adjustments: by
 * booking id). Routes without a batch form are called once per key, a few at a time; a key whose
 * call fails is rejected on its own, the other keys of the batch still get their answer. An unknown
 * person (404) is an empty list.
 */
export function createNomisLoaders(routes: NomisRoutes, referenceData: NomisReferenceData) {
  return {
    addresses: new DataLoader<string, Address[]>(perKey(async (n) => toAddresses(await routes.addresses(n)))),

    offences: new DataLoader<string, Offence[]>(perKey(async (n) => toOffences(await routes.offenceHistory(n)))),

    /** Court sentences of the latest booking. */
    sentences: new DataLoader<string, Sentence[]>(perKey(async (n) => toSentences(await routes.sentenceSummary(n)))),

    images: new DataLoader<string, ImageMetadata[]>(perKey(async (n) => toImages(await routes.images(n)))),

    /** Key dates of each person's most recent active booking: one batch call for all keys. */
    keyDates: new DataLoader<string, SentenceKeyDates | null>(
      async (numbers) => {
        const latest = latestBookings(await routes.offenderSentences(numbers));
        return numbers.map((n) => toSentenceKeyDates(latest.get(n.toUpperCase())?.sentenceDetail));
      },
      { maxBatchSize: OFFENDER_SENTENCES_MAX },
    ),

    /**
     * By booking id. Without the treatment codes nothing can be asked, so failing to get them
     * rejects every key of the batch.
     */
    reasonableAdjustments: new DataLoader<string, ReasonableAdjustment[]>(async (bookingIds) => {
      const codes = await referenceData.healthTreatmentCodes();
      return perKey(async (bookingId) => {
        if (!/^\d+$/.test(bookingId)) throw new Error(`not a booking id: ${JSON.stringify(bookingId)}`);
        return toReasonableAdjustments(await routes.reasonableAdjustments(bookingId, codes));
      })(bookingIds);
    }),
  };
}

export type NomisLoaders = ReturnType<typeof createNomisLoaders>;

/** A batch function calling `fetch` once per key; a failure fills only that key's slot. */
function perKey<V>(fetch: (key: string) => Promise<V>) {
  return (keys: readonly string[]): Promise<(V | Error)[]> =>
    mapLimit(keys, PER_KEY_CONCURRENCY, (key) => fetch(key).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
}
