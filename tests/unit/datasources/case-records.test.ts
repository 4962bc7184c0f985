/**
 * Case records (issue 17 areas 5-7): pure mapping of case notes and contact events, the decoders'
 * checks of what was asked for, and the resolvers' choice of what to ask (policy type filter, MAPPA
 * categories). Samples are synthetic and shaped by the real specs.
 */
import { describe, expect, it } from '@jest/globals';
import { decodeCaseNotePage } from '../../../src/datasources/case-notes/decode.js';
import { toCaseNote } from '../../../src/datasources/case-notes/mapping.js';
import type { CaseNoteSearch } from '../../../src/datasources/case-notes/routes.js';
import { decodeAccessLimitations, decodeContactPage } from '../../../src/datasources/delius-integration/decode.js';
import { toContactEvent, toLimitedAccessDetails } from '../../../src/datasources/delius-integration/mapping.js';
import { ContractViolation } from '../../../src/datasources/http/contract.js';
import { omittedFrom } from '../../../src/domain/omitted.js';
import { caseNoteTypesToAsk, mappaCategoriesToAsk } from '../../../src/resolvers/records.js';
import { expectSpecShaped } from './spec-sample.js';

const note = (over: Record<string, unknown> = {}) => ({
  caseNoteId: '518b2200-6489-4c77-8514-10cf80ccd488',
  offenderIdentifier: 'A1234AA',
  type: 'CAB',
  typeDescription: 'Conduct & Behaviour',
  subType: 'EDUCATION',
  subTypeDescription: 'Education',
  source: 'INST',
  creationDateTime: '2025-10-26T01:30:00',
  occurrenceDateTime: '2025-03-30T01:30:00',
  authorName: 'Casey Example',
  authorUserId: '12345',
  authorUsername: 'CEXAMPLE',
  text: 'Synthetic note.',
  locationId: 'MDI',
  eventId: 1,
  sensitive: false,
  amendments: [{ creationDateTime: '2025-07-01T09:00:00', authorName: 'Casey Example', authorUserName: 'CEXAMPLE', additionalNoteText: 'Added later.' }],
  systemGenerated: false,
  legacyId: 1,
  ...over,
});
const page = (content: unknown[], total = content.length) => ({ content, metadata: { totalElements: total, page: 1, size: 20 }, hasCaseNotes: true });
const search: CaseNoteSearch = { page: 1, size: 20, includeSensitive: false };
const violations: string[] = [];
const report = (_reason: string, detail: string) => void violations.push(detail);

describe('case notes', () => {
  it('the sample is shaped by dps-case-notes.json', () => {
    expectSpecShaped('caseNotes', 'post', '/search/case-notes/{personIdentifier}', page([note()]));
  });

  it('maps London wall-clock times to instants (the skipped March hour read as GMT, the repeated October hour as BST)', () => {
    const dto = decodeCaseNotePage(page([note()]), report, 'A1234AA', search).content[0]!;
    expect(toCaseNote(dto)).toEqual({
      id: '518b2200-6489-4c77-8514-10cf80ccd488',
      type: { code: 'CAB', description: 'Conduct & Behaviour' },
      subType: { code: 'EDUCATION', description: 'Education' },
      occurredAt: '2025-03-30T01:30:00+00:00',
      createdAt: '2025-10-26T01:30:00+01:00',
      authorName: 'Casey Example',
      text: 'Synthetic note.',
      prisonCode: 'MDI',
      sensitive: false,
      systemGenerated: false,
      amendments: [{ createdAt: '2025-07-01T09:00:00+01:00', authorName: 'Casey Example', text: 'Added later.' }],
    });
  });

  it('a note that does not fit is dropped and reported; the rest of the page stands', () => {
    violations.length = 0;
    const decoded = decodeCaseNotePage(page([note(), note({ caseNoteId: 7 })], 2), report, 'A1234AA', search);
    expect(decoded.content).toHaveLength(1);
    expect(decoded.totalElements).toBe(2);
    expect(violations).toHaveLength(1);
  });

  it('what would show a consumer more than was asked for spoils the whole answer', () => {
    const spoils = (body: unknown, asked: CaseNoteSearch = search) => () => decodeCaseNotePage(body, report, 'A1234AA', asked);
    expect(spoils(page([note({ offenderIdentifier: 'B1234BB' })]))).toThrow(ContractViolation);
    expect(spoils(page([note({ sensitive: true })]))).toThrow(/sensitive/);
    expect(spoils(page([note({ sensitive: undefined })]))).toThrow(/sensitive/);
    expect(spoils(page([note({ type: 'OMIC' })]), { ...search, typeSubTypes: [{ type: 'CAB', subTypes: [] }] })).toThrow(/type/);
    expect(spoils(page([note()]), { ...search, typeSubTypes: [{ type: 'CAB', subTypes: ['GEN'] }] })).toThrow(/type/);
    expect(spoils(page([note(), note()]), { ...search, size: 1 })).toThrow(/more notes/);
    expect(spoils({ content: [] })).toThrow(ContractViolation);
    // Asked for: fine.
    expect(spoils(page([note({ sensitive: true })]), { ...search, includeSensitive: true })()).toMatchObject({ totalElements: 1 });
  });
});

describe('what the gateway asks for', () => {
  it('case-note types: the policy filter bounds what is asked; omitted means every allowed type', () => {
    expect(caseNoteTypesToAsk(undefined, null)).toBeUndefined();
    expect(caseNoteTypesToAsk(undefined, new Set(['NEG', 'CAB']))).toEqual([{ type: 'CAB', subTypes: [] }, { type: 'NEG', subTypes: [] }]);
    expect(caseNoteTypesToAsk([{ type: 'OMIC' }], new Set(['CAB']))).toEqual([]);
    expect(
      caseNoteTypesToAsk([{ type: 'CAB', subTypes: ['GEN'] }, { type: 'CAB', subTypes: ['EDUCATION'] }, { type: 'NEG', subTypes: ['X'] }, { type: 'NEG' }], null),
    ).toEqual([{ type: 'CAB', subTypes: ['EDUCATION', 'GEN'] }, { type: 'NEG', subTypes: [] }]);
  });

  it('MAPPA categories: the policy filter, else 1 to 4; an empty filter asks for none', () => {
    expect(mappaCategoriesToAsk(null)).toEqual([1, 2, 3, 4]);
    expect(mappaCategoriesToAsk(new Set(['4', '2']))).toEqual([2, 4]);
    expect(mappaCategoriesToAsk(new Set())).toEqual([]);
  });
});

const contact = (over: Record<string, unknown> = {}) => ({
  id: 2500000101,
  crn: 'X123456',
  createdAt: '2026-08-01T10:30:00+01:00',
  updatedAt: '2026-08-02T10:00:00+01:00',
  contactDate: '2026-08-01T10:00:00+01:00',
  type: { code: 'IVSP', description: 'ViSOR - Home Visit' },
  description: 'ViSOR - Home Visit (planned)',
  location: { code: 'HOME', description: 'Home Address' },
  outcome: { code: 'ATTC', description: 'Attended - Complied' },
  officer: { code: 'N07T01001', name: { forename: 'Alex', surname: 'Arden' }, team: { code: 'N07T01', description: 'Team', pdu: { code: 'N07PDU', description: 'PDU', provider: { code: 'N07', description: 'Region' } } } },
  notes: 'Synthetic visit notes.',
  ...over,
});

describe('contact events and limited-access details', () => {
  it('samples are shaped by delius-integration-api.json', () => {
    expectSpecShaped('deliusIntegration', 'get', '/case/{crn}/contacts', { content: [contact()], totalPages: 1, totalResults: 1 });
    expectSpecShaped('deliusIntegration', 'get', '/case/{crn}/access-limitations', { excludedFrom: [{ email: 'a@example.invalid' }], exclusionMessage: 'Excluded' });
  });

  it('maps a contact (offsets kept as Delius gives them)', () => {
    const dto = decodeContactPage({ content: [contact()], totalPages: 1, totalResults: 1 }, report, 'X123456', 10).content[0]!;
    expect(toContactEvent(dto)).toEqual({
      id: '2500000101',
      contactDate: '2026-08-01T10:00:00+01:00',
      createdAt: '2026-08-01T10:30:00+01:00',
      updatedAt: '2026-08-02T10:00:00+01:00',
      type: { code: 'IVSP', description: 'ViSOR - Home Visit' },
      description: 'ViSOR - Home Visit (planned)',
      location: { code: 'HOME', description: 'Home Address' },
      outcome: { code: 'ATTC', description: 'Attended - Complied' },
      officer: { code: 'N07T01001', forename: 'Alex', surname: 'Arden', team: { code: 'N07T01', description: 'Team' }, provider: { code: 'N07', description: 'Region' } },
      notes: 'Synthetic visit notes.',
    });
  });

  it('a contact of another case, out of date order or a page too long spoils the answer', () => {
    const decode = (content: unknown[], size = 10) => () => decodeContactPage({ content, totalPages: 1, totalResults: content.length }, report, 'X123456', size);
    expect(decode([contact({ crn: 'X999999' })])).toThrow(/case asked for/);
    expect(decode([contact({ contactDate: '2026-01-01T10:00:00Z' }), contact({ contactDate: '2026-02-01T10:00:00Z' })])).toThrow(/newest first/);
    expect(decode([contact(), contact()], 1)).toThrow(/more contacts/);
  });

  it('limited-access details: emails and messages', () => {
    const details = toLimitedAccessDetails(decodeAccessLimitations({ excludedFrom: [{ email: 'a@example.invalid' }, {}, { email: ' ' }], exclusionMessage: 'Excluded', restrictedTo: [] }));
    // An entry without an email (or a blank one) is left out and counted, never dropped without a word.
    expect(omittedFrom(details.excludedFrom)).toBe(2);
    expect(details).toEqual({
      excludedFrom: ['a@example.invalid'],
      exclusionMessage: 'Excluded',
      restrictedTo: [],
      restrictionMessage: null,
    });
    expect(() => decodeAccessLimitations({ excludedFrom: { email: 'a' } })).toThrow(ContractViolation);
  });
});
