import { array, bookingId, fields, items, keyedBatch, type KeyedBatch, object, optionalArray, optionalObject, ordered, prisonNumber, type Report, shapeError, someOf, valueError } from '../http/contract.js';
import type { AgencyDto } from './routes.js';

/**
 * Checks of the Prison API fields the mapping reads (docs/adr/0009). The answer of another shape (an
 * object where a list is declared) is a contract fault of the call; a list entry that does not fit
 * (types, booking id, prison number, an end before its start) is dropped and reported.
 */
const list = (check: (item: Record<string, unknown>, path: string) => void) => (body: unknown, report: Report): unknown[] =>
  items(array(body, '$'), '$', (item, path) => {
    const o = object(item, path);
    check(o, path);
    return o;
  }, report);

export const decodeAddresses = list((a, at) => {
  fields(a, at, {
    addressType: 'string?', flat: 'string?', premise: 'string?', street: 'string?', locality: 'string?', town: 'string?',
    postalCode: 'string?', county: 'string?', country: 'string?', comment: 'string?', noFixedAddress: 'boolean?',
    startDate: 'date?', endDate: 'date?', addressUsages: 'array?',
  });
  ordered(a, 'startDate', 'endDate', at);
  optionalArray(a.addressUsages, `${at}.addressUsages`)?.forEach((u, i) =>
    fields(object(u, `${at}.addressUsages[${i}]`), `${at}.addressUsages[${i}]`, { addressUsage: 'string?', addressUsageDescription: 'string?', activeFlag: 'boolean?' }),
  );
});

function checkOffenceHistory(o: Record<string, unknown>, at: string): void {
  fields(o, at, {
    offenceDate: 'date?', offenceDescription: 'string?', offenceCode: 'string?', statuteCode: 'string?', courtDate: 'date?',
    primaryResultConviction: 'boolean?', secondaryResultConviction: 'boolean?',
  });
  if (o.bookingId !== undefined && o.bookingId !== null) bookingId(o.bookingId, `${at}.bookingId`);
}

/**
 * `POST /api/bookings/offence-history`, keyed by booking id: a spoiled entry makes the offences of
 * its booking's person UPSTREAM_INVALID_RESPONSE, never a list silently missing an offence.
 */
export function decodeOffenceHistories(body: unknown, report: Report): KeyedBatch<unknown> {
  return keyedBatch(
    array(body, '$'),
    '$',
    (item, at) => [bookingId(object(item, at).bookingId, `${at}.bookingId`)],
    (item, at) => {
      const o = object(item, at);
      checkOffenceHistory(o, at);
      return o;
    },
    report,
  );
}

export const decodeImages = list((i, at) => {
  fields(i, at, { imageId: 'integer', active: 'boolean?', captureDate: 'date?', captureDateTime: 'date?', imageView: 'string?', imageOrientation: 'string?', imageType: 'string?' });
});

export const decodeReferenceCodes = list((c, at) => fields(c, at, { domain: 'string?', code: 'string', description: 'string?', activeFlag: 'string?' }));

/**
 * `POST /api/offender-sentences`, keyed by prison number: a spoiled entry (or one without a valid
 * number) makes its person's key dates UPSTREAM_INVALID_RESPONSE, never a silent null.
 */
export function decodeOffenderSentences(body: unknown, report: Report): KeyedBatch<unknown> {
  return keyedBatch(
    array(body, '$'),
    '$',
    (item, at) => [prisonNumber(object(item, at).offenderNo, `${at}.offenderNo`)],
    (item, at) => {
      const o = object(item, at);
      checkOffenderSentence(o, at);
      return o;
    },
    report,
  );
}

function checkOffenderSentence(s: Record<string, unknown>, at: string): void {
  bookingId(s.bookingId, `${at}.bookingId`);
  fields(s, at, { mostRecentActiveBooking: 'boolean?', sentenceDetail: 'object?' });
  const detail = optionalObject(s.sentenceDetail, `${at}.sentenceDetail`);
  if (detail) {
    const dates: Record<string, 'date?'> = {};
    for (const name of Object.keys(detail)) if (name.endsWith('Date')) dates[name] = 'date?';
    fields(detail, `${at}.sentenceDetail`, dates);
  }
}

export function decodeSentenceSummary(body: unknown): unknown {
  const o = object(body, '$');
  someOf(o, '$', ['prisonerNumber', 'latestPrisonTerm']);
  const term = optionalObject(o.latestPrisonTerm, '$.latestPrisonTerm');
  if (term) {
    if (term.bookingId !== undefined && term.bookingId !== null) bookingId(term.bookingId, '$.latestPrisonTerm.bookingId');
    optionalArray(term.courtSentences, '$.latestPrisonTerm.courtSentences')?.forEach((c, i) => {
      const at = `$.latestPrisonTerm.courtSentences[${i}]`;
      const court = object(c, at);
      fields(court, at, { beginDate: 'date?', court: 'object?', sentences: 'array?' });
      optionalArray(court.sentences, `${at}.sentences`)?.forEach((s, j) => {
        const sat = `${at}.sentences[${j}]`;
        const sentence = object(s, sat);
        fields(sentence, sat, {
          sentenceStatus: 'string?', sentenceCalculationType: 'string?', sentenceTypeDescription: 'string?',
          sentenceStartDate: 'date?', sentenceEndDate: 'date?', fineAmount: 'number?', terms: 'array?',
        });
        ordered(sentence, 'sentenceStartDate', 'sentenceEndDate', sat);
        optionalArray(sentence.terms, `${sat}.terms`)?.forEach((t, k) => {
          const term = object(t, `${sat}.terms[${k}]`);
          fields(term, `${sat}.terms[${k}]`, { sentenceTermCode: 'string?', startDate: 'date?', years: 'integer?', months: 'integer?', weeks: 'integer?', days: 'integer?', lifeSentence: 'boolean?' });
        });
      });
    });
  }
  return o;
}

/**
 * `GET /api/offender-sentences/booking/{bookingId}/sentences-and-offences`: one object per the
 * published contract, a list in the live API; either way the booking's sentences, as a list. Every
 * sentence is checked whole, and one that does not fit (or an entry that is not a sentence at all)
 * spoils the answer: that booking's sentences are UPSTREAM_INVALID_RESPONSE, not a list silently short
 * with the other bookings' passed off as all of them (ADR 21).
 */
export function decodeSentencesAndOffences(body: unknown): unknown[] {
  const list = Array.isArray(body) ? body : [object(body, '$')];
  return list.map((item, i) => {
    const at = Array.isArray(body) ? `$[${i}]` : '$';
    const sentence = object(item, at);
    fields(sentence, at, {
      courtDescription: 'string?', sentenceStatus: 'string?', sentenceTypeDescription: 'string?', sentenceDate: 'date?',
      sentenceStartDate: 'date?', sentenceEndDate: 'date?', fineAmount: 'number?', terms: 'array?', offences: 'array?',
    });
    ordered(sentence, 'sentenceStartDate', 'sentenceEndDate', at);
    optionalArray(sentence.terms, `${at}.terms`)?.forEach((t, k) => {
      const tat = `${at}.terms[${k}]`;
      fields(object(t, tat), tat, { code: 'string?', startDate: 'date?', years: 'integer?', months: 'integer?', weeks: 'integer?', days: 'integer?', lifeSentence: 'boolean?' });
    });
    optionalArray(sentence.offences, `${at}.offences`)?.forEach((o, k) => {
      const oat = `${at}.offences[${k}]`;
      fields(object(o, oat), oat, { offenceCode: 'string?', offenceStartDate: 'date?' });
    });
    return sentence;
  });
}

export function decodeReasonableAdjustments(body: unknown, report: Report): unknown {
  const o = object(body, '$');
  someOf(o, '$', ['reasonableAdjustments']);
  const adjustments = optionalArray(o.reasonableAdjustments, '$.reasonableAdjustments');
  if (adjustments) {
    o.reasonableAdjustments = items(adjustments, '$.reasonableAdjustments', (a, at) => {
      const adj = object(a, at);
      fields(adj, at, { treatmentCode: 'string?', treatmentDescription: 'string?', commentText: 'string?', startDate: 'date?', endDate: 'date?' });
      ordered(adj, 'startDate', 'endDate', at);
      return adj;
    }, report);
  }
  return o;
}

/**
 * `GET /api/agencies/{agencyId}` (reference data: the prison's name). The spec's `Agency` requires
 * `agencyId`, `agencyType`, `description` and `active`; an agency of another id than the one asked
 * is not that prison's name.
 */
export function decodeAgency(body: unknown, asked: string): AgencyDto {
  const o = object(body, '$');
  fields(o, '$', { agencyId: 'string', agencyType: 'string', description: 'string', longDescription: 'string?' });
  if (typeof o.active !== 'boolean') shapeError('$.active', 'expected boolean');
  if ((o.agencyId as string).toUpperCase() !== asked.toUpperCase()) valueError('$.agencyId', 'not the agency asked for');
  return o as AgencyDto;
}
