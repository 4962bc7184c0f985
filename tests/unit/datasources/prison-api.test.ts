import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ContractViolation } from '../../../src/datasources/http/contract.js';
import { UpstreamError } from '../../../src/datasources/http/errors.js';
import { decodeAgency, decodeSentencesAndOffences } from '../../../src/datasources/prison-api/decode.js';
import type { CallOptions, UpstreamCaller } from '../../../src/datasources/http/upstream-client.js';
import {
  bookingSentencesLoader,
  imagesLoader,
  keyDatesLoader,
  offenceHistoryLoader,
  prisonAddressesLoader,
  prisonBookingsLoader,
  prisonOffencesLoader,
  prisonSentencesLoader,
  reasonableAdjustmentsLoader,
  sentenceSummaryLoader,
} from '../../../src/datasources/prison-api/loaders.js';
import { PrisonApiReferenceData } from '../../../src/datasources/prison-api/reference-data.js';
import type { Offence, Sentence } from '../../../src/domain/profile.js';
import {
  courtIndex,
  latestBookings,
  sentenceList,
  sentenceLength,
  toAddress,
  toAddresses,
  toImages,
  toOffence,
  toOffences,
  toReasonableAdjustments,
  toSentence,
  toSentenceKeyDates,
  toSentences,
  treatmentCodes,
} from '../../../src/datasources/prison-api/mapping.js';
import {
  prisonApiRoutes,
  OFFENDER_SENTENCES_MAX,
  type AddressDto,
  type ImageDetailDto,
  type OffenceHistoryDetailDto,
  type OffenderSentenceDetailDto,
  type ReasonableAdjustmentsDto,
  type ReferenceCodeDto,
  type SentenceOffencesTermsDto,
  type SentenceSummaryDto,
  type TermDto,
} from '../../../src/datasources/prison-api/routes.js';
import { specHasRoute, validateResponse } from '../../support/openapi.js';

// Fixtures: responses of the upstream simulator (synthetic people), checked against the spec below.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'nomis');
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as T;

const addresses = fixture<AddressDto[]>('addresses'); // G8560VJ, newest first
const offenceHistory = fixture<OffenceHistoryDetailDto[]>('offence-history'); // G0055CE
const sentenceSummary = fixture<SentenceSummaryDto>('sentence-summary'); // G0055CE
const offenderSentences = fixture<OffenderSentenceDetailDto[]>('offender-sentences'); // G0055CE (2 bookings), G3993QQ
const images = fixture<ImageDetailDto[]>('images'); // G0055CE
const healthTreatCodes = fixture<ReferenceCodeDto[]>('health-treat-codes');
const adjustments = fixture<ReasonableAdjustmentsDto>('reasonable-adjustments'); // booking 1200000

const clone = <T>(value: T): T => structuredClone(value);

describe('Nomis fixtures', () => {
  it.each([
    ['addresses', 'GET', '/api/offenders/G8560VJ/addresses'],
    ['offence-history', 'GET', '/api/bookings/offenderNo/G0055CE/offenceHistory'],
    ['sentence-summary', 'GET', '/api/offenders/G0055CE/booking/latest/sentence-summary'],
    ['offender-sentences', 'POST', '/api/offender-sentences'],
    ['images', 'GET', '/api/images/offenders/G0055CE'],
    ['health-treat-codes', 'GET', '/api/reference-domains/domains/HEALTH_TREAT/codes'],
    ['reasonable-adjustments', 'GET', '/api/bookings/1200000/reasonable-adjustments'],
  ])('%s is what the spec says the upstream answers', (name, method, path) => {
    const result = validateResponse('prisonApi', method, path, 200, fixture(name));
    expect(result.errors).toEqual([]);
    expect(result.schemaChecked).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Nomis addresses', () => {
  it('maps every address, newest first, whatever order they come in', () => {
    const mapped = toAddresses([...addresses].reverse());
    expect(mapped).toHaveLength(addresses.length);
    expect(mapped.map((a) => a.startDate)).toEqual(addresses.map((a) => a.startDate));
    expect(mapped[0]).toEqual({
      sources: ['PRISON'],
      noFixedAddress: false,
      flat: null,
      buildingName: null,
      houseNumber: '187',
      street: 'Tanners Yard',
      locality: null,
      town: 'Newport',
      county: 'Gwent',
      postcode: 'NP7 4WY',
      country: 'Wales',
      startDate: '2026-05-30',
      endDate: null,
      types: [{ code: 'HOME', description: null }],
      notes: null,
    });
  });

  it('keeps the flat, the building name and the house number apart, and the locality', () => {
    const flat = addresses.find((a) => a.flat === 'Flat 6');
    expect(flat).toBeDefined();
    expect(toAddress(flat!)).toMatchObject({ flat: 'Flat 6', buildingName: null, houseNumber: '35' });
    expect(toAddress({ noFixedAddress: false, flat: 'Flat 2' })).toMatchObject({ flat: 'Flat 2', buildingName: null, houseNumber: null });
    expect(toAddress({ noFixedAddress: false, premise: 'Oak House' })).toMatchObject({ buildingName: 'Oak House', houseNumber: null });
    expect(toAddress({ noFixedAddress: false, premise: 'Mill House, 31', locality: 'Eastfield' })).toMatchObject({
      buildingName: 'Mill House',
      houseNumber: '31',
      locality: 'Eastfield',
    });
  });

  it('takes its types from the address type and the usages still in force', () => {
    const released = addresses.find((a) => a.addressType === 'RELEASE' && a.addressUsages?.length)!;
    // The simulator switches the HDC usage off once the address has ended.
    expect(toAddress(released).types).toEqual([{ code: 'RELEASE', description: null }]);
    const current = {
      ...released,
      addressUsages: [
        { addressUsage: 'HDC', addressUsageDescription: 'HDC Address', activeFlag: true },
        { addressUsage: 'RELEASE', addressUsageDescription: 'Release address', activeFlag: true },
        { addressUsage: 'DUP', addressUsageDescription: 'Duplicate' },
      ],
    };
    expect(toAddress(current).types).toEqual([
      { code: 'RELEASE', description: null },
      { code: 'HDC', description: 'HDC Address' },
      { code: 'DUP', description: 'Duplicate' },
    ]);
  });

  it('gives null for dates that are not real days, never a crash', () => {
    const mapped = toAddress({ ...addresses[1]!, startDate: '2023-02-30', endDate: '31/12/2024' });
    expect(mapped.startDate).toBeNull();
    expect(mapped.endDate).toBeNull();
    expect(mapped.street).toBe(addresses[1]!.street);
  });

  it('copes with an address that has only what the spec requires', () => {
    expect(toAddress({ noFixedAddress: true })).toEqual({
      sources: ['PRISON'],
      noFixedAddress: true,
      flat: null,
      buildingName: null,
      houseNumber: null,
      street: null,
      locality: null,
      town: null,
      county: null,
      postcode: null,
      country: null,
      startDate: null,
      endDate: null,
      types: [],
      notes: null,
    });
  });

  it('keeps the comment as notes and blank strings as null', () => {
    const mapped = toAddress({ ...addresses[0]!, comment: 'Lives with family', street: '  ', county: '' });
    expect(mapped.notes).toBe('Lives with family');
    expect(mapped.street).toBeNull();
    expect(mapped.county).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('Nomis offences', () => {
  it('maps the offence history, newest first', () => {
    const mapped = toOffences([...offenceHistory].reverse());
    expect(mapped.map((o) => o.offenceDate)).toEqual(['2022-10-17', '2022-09-18', '2016-08-30']);
    expect(mapped[0]).toEqual({
      source: 'PRISON',
      description: 'Drive whilst disqualified',
      code: 'RT88338',
      statuteCode: 'RT88',
      offenceDate: '2022-10-17',
      courtDates: ['2023-03-09'],
      courtName: null,
    });
  });

  it('gives no court dates when the court date is missing or invalid', () => {
    expect(toOffence({ ...offenceHistory[0]!, courtDate: undefined }).courtDates).toEqual([]);
    expect(toOffence({ ...offenceHistory[0]!, courtDate: '2023-02-29' }).courtDates).toEqual([]);
  });

  it('gives null for an invalid offence date and lists it last', () => {
    const broken = { ...offenceHistory[0]!, offenceDate: '2022-10-32', offenceCode: 'BROKEN' };
    const mapped = toOffences([broken, ...offenceHistory.slice(1)]);
    expect(mapped.at(-1)).toMatchObject({ code: 'BROKEN', offenceDate: null });
  });

  it('names the court from the sentences of the same case: the summary for the latest booking, sentences-and-offences for others', () => {
    const older = new Map([
      [1200001, [{ courtDescription: 'Leeds Crown Court', offences: [{ offenceCode: offenceHistory[2]!.offenceCode, offenceStartDate: offenceHistory[2]!.offenceDate }] }]],
    ]);
    const mapped = toOffences(offenceHistory, courtIndex(sentenceSummary, older));
    expect(mapped.map((o) => [o.offenceDate, o.courtName])).toEqual([
      ['2022-10-17', 'Nottingham Magistrates Court'],
      ['2022-09-18', 'Nottingham Magistrates Court'],
      ['2016-08-30', 'Leeds Crown Court'],
    ]);
    // A case id of another booking is another case.
    expect(toOffence({ ...offenceHistory[0]!, bookingId: 1 }, courtIndex(sentenceSummary, new Map())).courtName).toBeNull();
  });

  it('copes with an empty entry', () => {
    expect(toOffence({})).toEqual({
      source: 'PRISON',
      description: null,
      code: null,
      statuteCode: null,
      offenceDate: null,
      courtDates: [],
      courtName: null,
    });
  });
});

// ---------------------------------------------------------------------------------------------

const term = (overrides: Partial<TermDto> = {}): TermDto => ({ sentenceTermCode: 'IMP', startDate: '2023-03-09', lifeSentence: false, ...overrides });
const sentenceDto = (overrides: Partial<SentenceOffencesTermsDto> = {}): SentenceOffencesTermsDto => ({
  ...clone(sentenceSummary.latestPrisonTerm!.courtSentences![0]!.sentences![0]!),
  ...overrides,
});

describe('Nomis sentences', () => {
  it("maps the court sentences of the latest booking", () => {
    const mapped = toSentences(sentenceSummary);
    expect(mapped).toEqual([
      {
        source: 'PRISON',
        description: 'Serious Offence Sec 250 Sentencing Code (U18)',
        dateOfSentencing: '2023-03-09',
        startDate: '2023-03-09',
        endDate: '2024-09-09',
        custodial: true,
        active: true,
        fineAmount: 1850,
        length: '1 year 6 months',
      },
      {
        source: 'PRISON',
        description: 'Sentencing Code Standard Determinate Sentence',
        dateOfSentencing: '2023-03-09',
        startDate: '2023-03-09',
        endDate: '2024-09-09',
        custodial: true,
        active: true,
        // the upstream sends 0 for "no fine"
        fineAmount: null,
        length: '1 year 6 months',
      },
    ]);
  });

  it('lists sentences of all court cases newest first', () => {
    const summary = clone(sentenceSummary);
    const [first] = summary.latestPrisonTerm!.courtSentences!;
    summary.latestPrisonTerm!.courtSentences!.push({
      ...first!,
      sentences: [sentenceDto({ sentenceStartDate: '2024-01-15', sentenceTypeDescription: 'Later case' })],
    });
    summary.latestPrisonTerm!.courtSentences!.unshift({
      ...first!,
      sentences: [sentenceDto({ sentenceStartDate: 'never', sentenceTypeDescription: 'Undated', terms: [] })],
    });
    expect(toSentences(summary).map((s) => s.description)).toEqual([
      'Later case',
      'Serious Offence Sec 250 Sentencing Code (U18)',
      'Sentencing Code Standard Determinate Sentence',
      'Undated',
    ]);
  });

  it('adds the sentences of every earlier booking, from sentences-and-offences in either shape', () => {
    const earlier = {
      bookingId: 1200001,
      courtDescription: 'Leeds Crown Court',
      sentenceStatus: 'I',
      sentenceTypeDescription: 'ORA CJA03 Standard Determinate Sentence',
      sentenceDate: '2017-08-09',
      sentenceStartDate: '2017-08-10',
      sentenceEndDate: '2018-01-09',
      terms: [{ code: 'IMP', years: 0, months: 5, weeks: 0, days: 0 }],
    };
    const expected = {
      source: 'PRISON',
      description: 'ORA CJA03 Standard Determinate Sentence',
      dateOfSentencing: '2017-08-09',
      startDate: '2017-08-10',
      endDate: '2018-01-09',
      custodial: true,
      active: false,
      fineAmount: null,
      length: '5 months',
    };
    // The published contract: one object. The live API: a list.
    for (const body of [earlier, [earlier, { ...earlier, sentenceTypeDescription: 'Second' }]]) {
      const mapped = toSentences(sentenceSummary, new Map([[1200001, sentenceList(body)]]));
      expect(mapped).toHaveLength(Array.isArray(body) ? 4 : 3);
      expect(mapped[2]).toEqual(expected);
    }
    expect(sentenceList(null)).toEqual([]);
    // Either shape decodes to the list; an entry that is not a sentence, or a sentence that does not fit, spoils the answer.
    expect(decodeSentencesAndOffences(earlier)).toEqual([earlier]);
    expect(decodeSentencesAndOffences([earlier, earlier])).toHaveLength(2);
    expect(() => decodeSentencesAndOffences([earlier, null])).toThrow(ContractViolation);
    expect(() => decodeSentencesAndOffences([earlier, [1]])).toThrow(ContractViolation);
    expect(() => decodeSentencesAndOffences({ ...earlier, terms: { 0: earlier.terms[0] } })).toThrow(ContractViolation);
    expect(() => decodeSentencesAndOffences({ ...earlier, sentenceTypeDescription: 7 })).toThrow(ContractViolation);
    // The latest booking is not counted twice when asked for too.
    expect(toSentences(sentenceSummary, new Map([[1200000, sentenceList(earlier)]]))).toHaveLength(2);
  });

  it('has none for an unknown person, a booking without a term or a term without cases', () => {
    expect(toSentences(null)).toEqual([]);
    expect(toSentences({ prisonerNumber: 'G0055CE' })).toEqual([]);
    expect(toSentences({ prisonerNumber: 'G0055CE', latestPrisonTerm: { bookingId: 1 } })).toEqual([]);
    expect(toSentences({ prisonerNumber: 'G0055CE', latestPrisonTerm: { bookingId: 1, courtSentences: [{}] } })).toEqual([]);
  });

  it('adds the terms of one sentence up into its length', () => {
    // An extended sentence: custody plus an extended licence period.
    expect(sentenceLength([term({ years: 4 }), term({ sentenceTermCode: 'LIC', years: 3, months: 6 })])).toBe('7 years 6 months');
    expect(sentenceLength([term({ months: 6 }), term({ months: 6 })])).toBe('12 months');
    expect(sentenceLength([term({ years: 1, months: 0, weeks: 2, days: 1 })])).toBe('1 year 2 weeks 1 day');
    expect(sentenceLength([term({ days: 28 })])).toBe('28 days');
  });

  it('says Life for a life sentence and nothing when no length is recorded', () => {
    expect(sentenceLength([term({ lifeSentence: true, years: 15 })])).toBe('Life');
    expect(sentenceLength([])).toBeNull();
    expect(sentenceLength([term({ years: 0, months: 0, weeks: 0, days: 0 })])).toBeNull();
    expect(sentenceLength([term({ years: -1, months: 1.5 })])).toBeNull();
  });

  it('tells custodial from community terms, and says so only when it can', () => {
    expect(toSentence(sentenceDto({ terms: [term({ sentenceTermCode: 'DET' })] })).custodial).toBe(true);
    expect(toSentence(sentenceDto({ terms: [term(), term({ sentenceTermCode: 'LIC' })] })).custodial).toBe(true);
    expect(toSentence(sentenceDto({ terms: [term({ sentenceTermCode: 'LIC' })] })).custodial).toBe(false);
    expect(toSentence(sentenceDto({ terms: [term({ sentenceTermCode: 'SEC104' })] })).custodial).toBeNull();
    expect(toSentence(sentenceDto({ terms: [] })).custodial).toBeNull();
    expect(toSentence(sentenceDto({ terms: undefined })).custodial).toBeNull();
  });

  it('reads the status: A is active, I is not, anything else is not known', () => {
    expect(toSentence(sentenceDto({ sentenceStatus: 'I' })).active).toBe(false);
    expect(toSentence(sentenceDto({ sentenceStatus: undefined })).active).toBeNull();
    expect(toSentence(sentenceDto({ sentenceStatus: 'X' })).active).toBeNull();
  });

  it('gives null for invalid dates and starts at the earliest term', () => {
    const mapped = toSentence(
      sentenceDto({
        sentenceStartDate: '2023-02-29',
        sentenceEndDate: 'soon',
        terms: [term({ startDate: '2023-05-01', years: 1 }), term({ sentenceTermCode: 'LIC', startDate: '2023-04-01', years: 1 })],
      }),
    );
    expect(mapped).toMatchObject({ dateOfSentencing: null, startDate: '2023-04-01', endDate: null });
    const noTermDates = toSentence(sentenceDto({ terms: [term({ startDate: 'bad' })] }));
    expect(noTermDates.startDate).toBe('2023-03-09');
  });

  it('copes with a sentence that has only what the spec requires', () => {
    expect(toSentence({ fineAmount: 0 } as SentenceOffencesTermsDto)).toEqual({
      source: 'PRISON',
      description: null,
      dateOfSentencing: null,
      startDate: null,
      endDate: null,
      custodial: null,
      active: null,
      fineAmount: null,
      length: null,
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('Nomis sentence key dates', () => {
  it("takes the most recent active booking's dates, not an older booking's", () => {
    const latest = latestBookings([...offenderSentences].reverse());
    expect(latest.get('G0055CE')?.bookingId).toBe(1200000);
    expect(toSentenceKeyDates(latest.get('G0055CE')?.sentenceDetail)).toEqual({
      sentenceStartDate: '2023-03-09',
      releaseDate: '2023-12-09',
      conditionalReleaseDate: '2023-12-09',
      automaticReleaseDate: null,
      paroleEligibilityDate: null,
      homeDetentionCurfewEligibilityDate: '2023-09-10',
      licenceExpiryDate: '2024-09-09',
      sentenceExpiryDate: '2024-09-09',
      topupSupervisionExpiryDate: '2024-12-09',
      postRecallReleaseDate: null,
      tariffDate: null,
    });
  });

  it('knows each person in a batch answer apart, and leaves out whoever is absent', () => {
    const latest = latestBookings(offenderSentences);
    expect([...latest.keys()].sort()).toEqual(['G0055CE', 'G3993QQ']);
    expect(latest.get('G3993QQ')?.bookingId).toBe(1200028);
    expect(latest.get('A1234BC')).toBeUndefined();
  });

  it('falls back to the booking whose sentence started last when none is flagged most recent', () => {
    const unflagged = offenderSentences.map((d) => ({ ...d, mostRecentActiveBooking: false }));
    expect(latestBookings(unflagged).get('G0055CE')?.bookingId).toBe(1200000);
    expect(latestBookings([...unflagged].reverse()).get('G0055CE')?.bookingId).toBe(1200000);
    const undated = unflagged.map((d) => ({ ...d, sentenceDetail: {} }));
    expect(latestBookings(undated).get('G0055CE')?.bookingId).toBe(1200001);
  });

  it('matches prison numbers whatever their case', () => {
    const lower = offenderSentences.map((d) => ({ ...d, offenderNo: d.offenderNo.toLowerCase() }));
    expect(latestBookings(lower).get('G0055CE')?.bookingId).toBe(1200000);
  });

  it('prefers the confirmed release date and overrides over calculated dates', () => {
    const dates = toSentenceKeyDates({
      ...offenderSentences[0]!.sentenceDetail,
      releaseDate: '2023-12-09',
      confirmedReleaseDate: '2023-12-01',
      conditionalReleaseDate: '2023-12-09',
      conditionalReleaseOverrideDate: '2023-12-20',
      automaticReleaseDate: '2023-11-01',
      automaticReleaseOverrideDate: '2023-11-02',
      paroleEligibilityDate: '2023-06-01',
      paroleEligibilityOverrideDate: '2023-06-02',
      homeDetentionCurfewEligibilityCalculatedDate: '2023-09-10',
      homeDetentionCurfewEligibilityOverrideDate: '2023-09-11',
      licenceExpiryCalculatedDate: '2024-09-09',
      licenceExpiryOverrideDate: '2024-09-10',
      sentenceExpiryCalculatedDate: '2024-09-09',
      sentenceExpiryOverrideDate: '2024-09-11',
      topupSupervisionExpiryCalculatedDate: '2024-12-09',
      topupSupervisionExpiryOverrideDate: '2024-12-10',
      postRecallReleaseDate: '2024-01-01',
      postRecallReleaseOverrideDate: '2024-01-02',
      tariffDate: '2030-01-01',
    });
    expect(dates).toEqual({
      sentenceStartDate: '2023-03-09',
      releaseDate: '2023-12-01',
      conditionalReleaseDate: '2023-12-20',
      automaticReleaseDate: '2023-11-02',
      paroleEligibilityDate: '2023-06-02',
      homeDetentionCurfewEligibilityDate: '2023-09-11',
      licenceExpiryDate: '2024-09-10',
      sentenceExpiryDate: '2024-09-11',
      topupSupervisionExpiryDate: '2024-12-10',
      postRecallReleaseDate: '2024-01-02',
      tariffDate: '2030-01-01',
    });
  });

  it("uses the released person's confirmed release date", () => {
    const released = latestBookings(offenderSentences).get('G3993QQ')!;
    expect(toSentenceKeyDates(released.sentenceDetail)?.releaseDate).toBe(released.sentenceDetail!.confirmedReleaseDate);
  });

  it('uses the calculated date only where there is no override, including calculated-only fields', () => {
    const dates = toSentenceKeyDates({
      releaseDate: '2023-12-09',
      paroleEligibilityCalculatedDate: '2023-06-01',
      licenceExpiryCalculatedDate: '2024-09-09',
    });
    expect(dates).toMatchObject({ releaseDate: '2023-12-09', paroleEligibilityDate: '2023-06-01', licenceExpiryDate: '2024-09-09' });
  });

  it('gives null for an invalid date, and never the calculated date an invalid override replaced', () => {
    const dates = toSentenceKeyDates({
      sentenceStartDate: '2023-02-29',
      conditionalReleaseDate: '2023-12-09',
      conditionalReleaseOverrideDate: '2023-13-01',
      releaseDate: 'TBC',
    });
    expect(dates).toMatchObject({ sentenceStartDate: null, conditionalReleaseDate: null, releaseDate: null });
  });

  it('has no key dates without sentence details, and all-null dates for empty details', () => {
    expect(toSentenceKeyDates(undefined)).toBeNull();
    expect(toSentenceKeyDates(null)).toBeNull();
    expect(Object.values(toSentenceKeyDates({})!).every((v) => v === null)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Nomis images', () => {
  it('maps image metadata with capture instants in UK time, newest first', () => {
    const mapped = toImages([...images].reverse());
    expect(mapped.map((i) => i.id)).toEqual(['2400000', '2400001', '2400002', '2400003']);
    expect(mapped[0]).toEqual({
      id: '2400000',
      active: true,
      capturedAt: '2026-05-11T08:29:00+01:00',
      view: 'FACE',
      orientation: 'FRONT',
      type: 'OFF_BKG',
    });
    expect(mapped[1]!.capturedAt).toBe('2025-02-13T09:29:00+00:00');
    expect(mapped[2]).toMatchObject({ active: false, view: 'TAT', orientation: 'NECK' });
  });

  it('orders by the instant, not by the text, across the repeated October hour', () => {
    // 01:30+01:00 (BST, first pass) is 00:30Z: earlier than 01:10+00:00 read off a value with offset.
    const mapped = toImages([
      { ...images[0]!, imageId: 1, captureDateTime: '2025-10-26T01:30:00' },
      { ...images[0]!, imageId: 2, captureDateTime: '2025-10-26T01:10:00+00:00' },
    ]);
    expect(mapped.map((i) => i.id)).toEqual(['2', '1']);
  });

  it('gives null for an invalid capture time and lists that image last', () => {
    const mapped = toImages([{ ...images[0]!, imageId: 9, captureDateTime: '2025-02-30T10:00:00' }, ...images.slice(1)]);
    expect(mapped.at(-1)).toMatchObject({ id: '9', capturedAt: null });
  });

  it('copes with only the required fields, even empty ones', () => {
    expect(toImages([{ imageId: 5, active: false, captureDateTime: '', imageView: '', imageOrientation: '', imageType: '' }])).toEqual([
      { id: '5', active: false, capturedAt: null, view: null, orientation: null, type: null },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Nomis reasonable adjustments', () => {
  it('maps adjustments, newest first', () => {
    const mapped = toReasonableAdjustments([...adjustments.reasonableAdjustments!].reverse());
    expect(mapped).toEqual([
      { treatmentCode: 'WHEELCHR_ACC', treatmentDescription: 'Wheelchair accessibility', comment: null, startDate: '2026-04-25', endDate: null },
      {
        treatmentCode: 'PEEP',
        treatmentDescription: 'Personal emergency evacuation plan',
        comment: 'Agreed with healthcare',
        startDate: '2025-06-25',
        endDate: null,
      },
    ]);
  });

  it('gives null for invalid dates', () => {
    const [mapped] = toReasonableAdjustments([{ treatmentCode: 'PEEP', startDate: '2025-06-31', endDate: '2026-02-29' }]);
    expect(mapped).toMatchObject({ startDate: null, endDate: null });
  });

  it('asks by every treatment code of the domain, once each, retired ones included', () => {
    expect(treatmentCodes(healthTreatCodes)).toEqual(['AMP TEL', 'BRAILLE', 'FLEX_REFRESH', 'HEARING_LOOP', 'LOW_BED', 'PEEP', 'WHEELCHR_ACC']);
    const extra = [...healthTreatCodes, { ...healthTreatCodes[0]! }, { ...healthTreatCodes[1]!, code: 'OLD', activeFlag: 'N' }];
    expect(treatmentCodes(extra)).toHaveLength(8);
    expect(treatmentCodes(extra)).toContain('OLD');
  });

  it('no codes when one is blank: it may be one adjustments are recorded under (before: dropped, the lists silently short)', () => {
    expect(treatmentCodes([...healthTreatCodes, { ...healthTreatCodes[0]!, code: ' ' }])).toBeNull();
  });
});

// =============================================================================================
// Routes and loaders, against a fake upstream.

const NOT_FOUND = Symbol('404');
type Answer = unknown | typeof NOT_FOUND;
type Handler = (call: Recorded) => Answer | Promise<Answer>;
interface Recorded {
  route: string;
  path: string;
  searchParams?: CallOptions['searchParams'];
  json?: unknown;
}

/** An UpstreamCaller answering from handlers keyed by route template, recording every call. */
function fakeUpstream(handlers: Record<string, Handler>) {
  const calls: Recorded[] = [];
  const answer = async (call: Recorded, acceptStatuses: number[]) => {
    calls.push(call);
    const handler = handlers[call.route];
    if (!handler) throw new Error(`no handler for ${call.route}`);
    const result = await handler(call);
    if (result !== NOT_FOUND) return result as never;
    if (acceptStatuses.includes(404)) return null;
    throw new UpstreamError('prisonApi', call.route, 'unavailable', 404, 'unexpected status');
  };
  const caller: UpstreamCaller = {
    call: () => Promise.reject(new Error('not used')),
    // Decoders run on the fake answers as the real client runs them (ADR 10).
    get: (route, path, searchParams, acceptStatuses = [404], decode) =>
      answer({ route, path, searchParams }, acceptStatuses).then((b) => (decode && b !== null ? (decode(b, () => undefined) as never) : b)),
    post: (route, path, json, acceptStatuses = [], decode) =>
      answer({ route, path, json }, acceptStatuses).then((b) => (decode && b !== null ? (decode(b, () => undefined) as never) : b)),
    violation: () => undefined,
  };
  return { caller, calls };
}

const failure = (route: string) => new UpstreamError('prisonApi', route, 'unavailable', 503, 'unexpected status');
const prisonNumberIn = (path: string) => /\/([A-Z0-9]{7})\//.exec(`${path}/`)?.[1];

const ROUTES = {
  addresses: 'GET /api/offenders/{offenderNo}/addresses',
  offences: 'POST /api/bookings/offence-history',
  sentences: 'GET /api/offenders/{offenderNo}/booking/latest/sentence-summary',
  keyDates: 'POST /api/offender-sentences',
  images: 'GET /api/images/offenders/{offenderNo}',
  codes: 'GET /api/reference-domains/domains/{domain}/codes',
  adjustments: 'GET /api/bookings/{bookingId}/reasonable-adjustments',
  bookingSentences: 'GET /api/offender-sentences/booking/{bookingId}/sentences-and-offences',
  agency: 'GET /api/agencies/{agencyId}',
};

/** What the live Prison API answers for an earlier booking of G0055CE: a list. */
const earlierBookingSentences = [
  {
    bookingId: 1200001,
    courtDescription: 'Leeds Crown Court',
    sentenceStatus: 'I',
    sentenceTypeDescription: 'ORA CJA03 Standard Determinate Sentence',
    sentenceDate: '2017-08-09',
    sentenceStartDate: '2017-08-09',
    sentenceEndDate: '2018-01-09',
    terms: [{ code: 'IMP', months: 5 }],
    offences: [{ offenceCode: 'RT88001', offenceStartDate: '2016-08-30' }],
  },
];

/** The simulator's people: G0055CE known, G3993QQ known, anyone else unknown, G5000XX failing. */
function simulatedNomis(overrides: Record<string, Handler> = {}) {
  const perPerson = (body: unknown): Handler => ({ path }) => {
    const n = prisonNumberIn(path);
    if (n === 'G5000XX') throw failure('per person');
    return n === 'G0055CE' ? body : NOT_FOUND;
  };
  return fakeUpstream({
    [ROUTES.addresses]: perPerson(addresses),
    [ROUTES.offences]: ({ json }) => offenceHistory.filter((o) => (json as number[]).includes(o.bookingId!)),
    [ROUTES.sentences]: perPerson(sentenceSummary),
    [ROUTES.images]: perPerson(images),
    [ROUTES.keyDates]: ({ json }) => offenderSentences.filter((d) => (json as string[]).includes(d.offenderNo)),
    [ROUTES.codes]: () => healthTreatCodes,
    [ROUTES.adjustments]: ({ path }) =>
      path.startsWith('/api/bookings/1200000/') ? adjustments : path.startsWith('/api/bookings/1200001/') ? { reasonableAdjustments: [] } : NOT_FOUND,
    [ROUTES.bookingSentences]: ({ path }) => (path.includes('/1200001/') ? earlierBookingSentences : NOT_FOUND),
    ...overrides,
  });
}

function loadersOn(upstream: ReturnType<typeof fakeUpstream>) {
  const routes = prisonApiRoutes(upstream.caller);
  const prisonBookings = prisonBookingsLoader(routes);
  const bookings = {
    offenceHistory: offenceHistoryLoader(routes, prisonBookings),
    prisonBookings,
    sentenceSummary: sentenceSummaryLoader(routes),
    bookingSentences: bookingSentencesLoader(routes),
  };
  return {
    addresses: prisonAddressesLoader(routes),
    offences: prisonOffencesLoader(bookings),
    sentences: prisonSentencesLoader(bookings),
    images: imagesLoader(routes),
    keyDates: keyDatesLoader(bookings.prisonBookings),
    reasonableAdjustments: reasonableAdjustmentsLoader(routes, new PrisonApiReferenceData(() => upstream.caller)),
  };
}

describe('Nomis routes', () => {
  it.each(Object.values(ROUTES))('%s is a route of the spec, spelled as the spec does', (route) => {
    const [method, template] = route.split(' ') as [string, string];
    expect(specHasRoute('prisonApi', method, template)).toBe(true);
  });

  it('sends what the spec asks for', async () => {
    const upstream = simulatedNomis();
    const routes = prisonApiRoutes(upstream.caller);
    await routes.addresses('G0055CE');
    await routes.offenceHistories([1200000, 1200001]);
    await routes.sentenceSummary('G0055CE');
    await routes.images('G0055CE');
    await routes.offenderSentences(['G0055CE', 'G3993QQ']);
    await routes.referenceCodes('HEALTH_TREAT');
    await routes.reasonableAdjustments('1200000', ['AMP TEL', 'PEEP']);
    expect(upstream.calls).toEqual([
      { route: ROUTES.addresses, path: '/api/offenders/G0055CE/addresses' },
      { route: ROUTES.offences, path: '/api/bookings/offence-history', json: [1200000, 1200001] },
      { route: ROUTES.sentences, path: '/api/offenders/G0055CE/booking/latest/sentence-summary' },
      { route: ROUTES.images, path: '/api/images/offenders/G0055CE' },
      { route: ROUTES.keyDates, path: '/api/offender-sentences', json: ['G0055CE', 'G3993QQ'] },
      { route: ROUTES.codes, path: '/api/reference-domains/domains/HEALTH_TREAT/codes' },
      // `type` is an exploded array parameter: one `type=` per code.
      { route: ROUTES.adjustments, path: '/api/bookings/1200000/reasonable-adjustments?type=AMP+TEL&type=PEEP' },
    ]);
  });

  it('treats an unknown reference domain as a failure, not as a domain without codes', async () => {
    const upstream = simulatedNomis({ [ROUTES.codes]: () => NOT_FOUND });
    await expect(prisonApiRoutes(upstream.caller).referenceCodes('NOPE')).rejects.toThrow(UpstreamError);
  });

  it('does not ask for adjustments without a treatment code (the parameter is required)', async () => {
    const upstream = simulatedNomis();
    expect(await prisonApiRoutes(upstream.caller).reasonableAdjustments('1200000', [])).toEqual([]);
    expect(upstream.calls).toEqual([]);
  });
});

describe('Nomis loaders', () => {
  it.each(['offences', 'sentences'] as const)(
    '%s: every booking of the person; a 404 (the person is asked for only once prisoner search holds them) and a failing call fail only their own person',
    async (name) => {
      const upstream = simulatedNomis();
      const loaders = loadersOn(upstream);
      const results = await loaders[name].loadMany(['G0055CE', 'Z9999ZZ', 'G5000XX', 'G0055CE']);
      expect(Array.isArray(results[0]) && results[0].length).toBeGreaterThan(0);
      // The spec's 404 is "Requested resource not found" (or none at all): never "has none" (ADR 10, "404 per route").
      expect(results[1]).toBeInstanceOf(UpstreamError);
      expect(results[2]).toBeInstanceOf(UpstreamError);
      expect(results[3]).toBe(results[0]);
      // The earlier booking's sentences come from sentences-and-offences, asked once per booking.
      expect(upstream.calls.filter((c) => c.route === ROUTES.bookingSentences).map((c) => c.path)).toEqual(
        offenderSentences.filter((d) => d.offenderNo === 'G0055CE' && d.bookingId !== 1200000)
          .map((d) => `/api/offender-sentences/booking/${d.bookingId}/sentences-and-offences`),
      );
      expect(upstream.calls.filter((c) => c.route === ROUTES.keyDates)).toHaveLength(1);
      if (name === 'sentences') {
        expect((results[0] as Sentence[]).map((s) => s.description)).toContain('ORA CJA03 Standard Determinate Sentence');
      } else {
        expect((results[0] as Offence[]).find((o) => o.offenceDate === '2016-08-30')?.courtName).toBe('Leeds Crown Court');
      }
    },
  );

  it.each(['addresses', 'images'] as const)(
    '%s: one call per person; a 404 (the person is asked for only once prisoner search holds them) and a failing call fail only their own person',
    async (name) => {
      const upstream = simulatedNomis();
      const loader = loadersOn(upstream)[name];
      const results = await loader.loadMany(['G0055CE', 'Z9999ZZ', 'G5000XX', 'G0055CE']);
      expect(Array.isArray(results[0]) && results[0].length).toBeGreaterThan(0);
      expect(results[1]).toBeInstanceOf(UpstreamError);
      expect(results[2]).toBeInstanceOf(UpstreamError);
      expect(results[3]).toBe(results[0]);
      expect(upstream.calls).toHaveLength(3);
    },
  );

  it('keyDates: one batch call for everyone asked for in the same tick', async () => {
    const upstream = simulatedNomis();
    const { keyDates } = loadersOn(upstream);
    const [linked, released, unknown] = await Promise.all([keyDates.load('G0055CE'), keyDates.load('G3993QQ'), keyDates.load('Z9999ZZ')]);
    expect(upstream.calls).toEqual([{ route: ROUTES.keyDates, path: '/api/offender-sentences', json: ['G0055CE', 'G3993QQ', 'Z9999ZZ'] }]);
    expect(linked?.sentenceStartDate).toBe('2023-03-09');
    expect(released?.releaseDate).toBe('2024-11-13');
    expect(unknown).toBeNull();
  });

  it('keyDates: a booking that broke its contract fails its person even when another booking stands (the older booking\'s dates are not a guess passed off as the latest)', async () => {
    const spoiled = offenderSentences.map((d) => (d.bookingId === 1200000 ? { ...d, sentenceDetail: { ...d.sentenceDetail, sentenceStartDate: '2023-13-45' } } : d));
    const upstream = simulatedNomis({ [ROUTES.keyDates]: ({ json }) => spoiled.filter((d) => (json as string[]).includes(d.offenderNo)) });
    const [linked, released] = await loadersOn(upstream).keyDates.loadMany(['G0055CE', 'G3993QQ']);
    expect(linked).toBeInstanceOf(UpstreamError);
    expect(released).toEqual(expect.objectContaining({ releaseDate: '2024-11-13' }));
  });

  it('keyDates: a failing batch call fails every person of that batch', async () => {
    const upstream = simulatedNomis({ [ROUTES.keyDates]: () => Promise.reject(failure(ROUTES.keyDates)) });
    const results = await loadersOn(upstream).keyDates.loadMany(['G0055CE', 'G3993QQ']);
    expect(results.every((r) => r instanceof UpstreamError)).toBe(true);
  });

  it(`keyDates: batches hold at most ${OFFENDER_SENTENCES_MAX} prison numbers`, async () => {
    const upstream = simulatedNomis();
    const numbers = Array.from({ length: OFFENDER_SENTENCES_MAX + 1 }, (_, i) => `G${String(i).padStart(4, '0')}AA`);
    await loadersOn(upstream).keyDates.loadMany(numbers);
    expect(upstream.calls.map((c) => (c.json as string[]).length)).toEqual([OFFENDER_SENTENCES_MAX, 1]);
  });

  it('reasonableAdjustments: asks with the treatment codes, per booking', async () => {
    const upstream = simulatedNomis();
    const loaders = loadersOn(upstream);
    const results = await loaders.reasonableAdjustments.loadMany(['1200000', '1200001', 'G0055CE', '1299999']);
    expect((results[0] as unknown[]).length).toBe(2);
    expect(results[1]).toEqual([]);
    expect(results[2]).toBeInstanceOf(Error);
    // An unknown booking (404): the booking id came from prisoner search, so this is a contract departure.
    expect(results[3]).toBeInstanceOf(UpstreamError);
    const asked = upstream.calls.filter((c) => c.route === ROUTES.adjustments);
    expect(asked).toHaveLength(3);
    expect(asked[0]!.path).toContain('type=WHEELCHR_ACC');
  });

  it('reasonableAdjustments: without the treatment codes every booking of the batch fails', async () => {
    const upstream = simulatedNomis({ [ROUTES.codes]: () => Promise.reject(failure(ROUTES.codes)) });
    const results = await loadersOn(upstream).reasonableAdjustments.loadMany(['1200000', '1200001']);
    expect(results.every((r) => r instanceof UpstreamError)).toBe(true);
    expect(upstream.calls.filter((c) => c.route === ROUTES.adjustments)).toHaveLength(0);
  });
});

describe('Nomis reference data', () => {
  const setup = (handler: Handler = () => healthTreatCodes) => {
    const upstream = fakeUpstream({ [ROUTES.codes]: handler });
    let now = 1_000_000;
    const data = new PrisonApiReferenceData(() => upstream.caller, { now: () => now });
    return { data, upstream, advance: (ms: number) => (now += ms) };
  };

  it('fetches the codes once for concurrent callers', async () => {
    const { data, upstream } = setup();
    const [a, b, c] = await Promise.all([data.healthTreatmentCodes(), data.healthTreatmentCodes(), data.healthTreatmentCodes()]);
    expect(a).toHaveLength(7);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(upstream.calls).toHaveLength(1);
  });

  it('keeps them for an hour, then fetches them again', async () => {
    const { data, upstream, advance } = setup();
    await data.healthTreatmentCodes();
    advance(3600_000 - 1);
    await data.healthTreatmentCodes();
    expect(upstream.calls).toHaveLength(1);
    advance(1);
    await Promise.all([data.healthTreatmentCodes(), data.healthTreatmentCodes()]);
    expect(upstream.calls).toHaveLength(2);
  });

  it('does not keep a failure: the next caller asks again', async () => {
    let fail = true;
    const { data, upstream } = setup(() => (fail ? Promise.reject(failure(ROUTES.codes)) : healthTreatCodes));
    await expect(data.healthTreatmentCodes()).rejects.toThrow(UpstreamError);
    fail = false;
    expect(await data.healthTreatmentCodes()).toHaveLength(7);
    expect(upstream.calls).toHaveLength(2);
  });

  it('does not keep an empty answer', async () => {
    let codes: ReferenceCodeDto[] = [];
    const { data, upstream } = setup(() => codes);
    expect(await data.healthTreatmentCodes()).toEqual([]);
    codes = healthTreatCodes;
    expect(await data.healthTreatmentCodes()).toHaveLength(7);
    expect(upstream.calls).toHaveLength(2);
  });
});

describe('GET /api/agencies/{agencyId}: the Agency the spec declares (agencyId, agencyType, description, active required)', () => {
  const agency = { agencyId: 'MDI', description: 'Moorland (HMP & YOI)', longDescription: 'HMP Moorland', agencyType: 'INST', active: true };

  it('takes the agency asked for', () => {
    expect(decodeAgency(agency, 'mdi')).toEqual(agency);
  });

  it.each([
    ['JSON of another shape', { service: 'something-else', version: 3 }, 'shape'],
    ['no description', { ...agency, description: undefined }, 'shape'],
    ['active as a string', { ...agency, active: 'true' }, 'shape'],
    ['another agency than the one asked', { ...agency, agencyId: 'LEI' }, 'value'],
  ])('%s is a contract violation', (_name, body, reason) => {
    expect(() => decodeAgency(body, 'MDI')).toThrow(expect.objectContaining({ reason }) as unknown as Error);
    expect(() => decodeAgency(body, 'MDI')).toThrow(ContractViolation);
  });
});
