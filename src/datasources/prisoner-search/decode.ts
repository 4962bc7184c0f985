import {
  array,
  bookingId,
  fields,
  inRange,
  items,
  keyedBatch,
  object,
  optionalArray,
  ordered,
  prisonNumber,
  type FieldKind,
  type KeyedBatch,
  type Report,
} from '../http/contract.js';
import type { PrisonerDto } from './routes.js';

/** The Prisoner's single-valued fields the mapping reads, with their types as the spec declares them. */
const PRISONER_SCALARS = {
  pncNumber: 'string?', pncNumberCanonicalLong: 'string?', croNumber: 'string?', firstName: 'string?', middleNames: 'string?', lastName: 'string?',
  dateOfBirth: 'date?', gender: 'string?', prisonId: 'string?', lastPrisonId: 'string?', status: 'string?', ethnicity: 'string?',
  nationality: 'string?', religion: 'string?', maritalStatus: 'string?', smoker: 'string?', inOutStatus: 'string?', prisonName: 'string?',
  cellLocation: 'string?', receptionDate: 'date?', category: 'string?', csra: 'string?', youthOffender: 'boolean?',
  heightCentimetres: 'number?', weightKilograms: 'number?', hairColour: 'string?', rightEyeColour: 'string?',
  leftEyeColour: 'string?', facialHair: 'string?', shapeOfFace: 'string?', build: 'string?', shoeSize: 'number?',
} satisfies Record<string, FieldKind>;

/** The Prisoner's lists the mapping reads (each entry checked below). */
const PRISONER_LISTS = ['tattoos', 'scars', 'marks', 'languages', 'personalCareNeeds', 'aliases', 'identifiers'] as const;

/**
 * `responseFields` of every prisoner-search route whose answer `decodePrisoner` reads
 * (`POST /prisoner-search/prisoner-numbers`, `POST /attribute-search`): exactly the fields this
 * decoder checks and the mapping reads, no more (a full Prisoner carries alerts, addresses, every
 * conviction and ~100 fields: several times what is read, and parsing it is most of a call's cost).
 * Built from the decoder's own declarations; tests/unit/datasources/prisoner-search-fields.test.ts
 * holds it to what the decoder and the mapping read, so the two cannot drift.
 */
export const PRISONER_RESPONSE_FIELDS = ['prisonerNumber', 'bookingId', ...Object.keys(PRISONER_SCALARS), ...PRISONER_LISTS].join(',');

/**
 * Checks of every prisoner-search field the mapping reads (docs/adr/0009): types as the spec declares
 * them, the prison number and booking id in their formats, measurements in a plausible domain.
 * A bad entry of a nested list (an alias, a language, a care need, a mark) spoils that entry only.
 */
export function decodePrisoner(value: unknown, path: string, report: Report): PrisonerDto {
  const o = object(value, path);
  prisonNumber(o.prisonerNumber, `${path}.prisonerNumber`);
  fields(o, path, PRISONER_SCALARS);
  if (o.bookingId !== undefined && o.bookingId !== null) o.bookingId = bookingId(o.bookingId, `${path}.bookingId`);
  inRange(o, 'heightCentimetres', path, 30, 275);
  inRange(o, 'weightKilograms', path, 1, 400);
  inRange(o, 'shoeSize', path, 0, 25);
  for (const name of ['tattoos', 'scars', 'marks'] as const) {
    const list = optionalArray(o[name], `${path}.${name}`);
    if (list) o[name] = items(list, `${path}.${name}`, (m, at) => (fields(object(m, at), at, { bodyPart: 'string?', comment: 'string?' }), m), report);
  }
  const languages = optionalArray(o.languages, `${path}.languages`);
  if (languages) {
    o.languages = items(languages, `${path}.languages`, (l, at) => (fields(object(l, at), at, { type: 'string?', code: 'string?', interpreterRequested: 'boolean?' }), l), report);
  }
  const needs = optionalArray(o.personalCareNeeds, `${path}.personalCareNeeds`);
  if (needs) {
    o.personalCareNeeds = items(needs, `${path}.personalCareNeeds`, (n, at) => {
      const need = object(n, at);
      fields(need, at, { problemType: 'string?', problemCode: 'string?', problemDescription: 'string?', startDate: 'date?', endDate: 'date?' });
      ordered(need, 'startDate', 'endDate', at);
      return n;
    }, report);
  }
  const aliases = optionalArray(o.aliases, `${path}.aliases`);
  if (aliases) {
    o.aliases = items(aliases, `${path}.aliases`, (a, at) => {
      fields(object(a, at), at, { firstName: 'string?', middleNames: 'string?', lastName: 'string?', dateOfBirth: 'date?', gender: 'string?' });
      return a;
    }, report);
  }
  const identifiers = optionalArray(o.identifiers, `${path}.identifiers`);
  if (identifiers) {
    o.identifiers = items(identifiers, `${path}.identifiers`, (i, at) => {
      const id = object(i, at);
      fields(id, at, { type: 'string?', value: 'string?' });
      // A merged number is used as a key: it must be a prison number.
      if (id.type === 'MERGED') prisonNumber(id.value, `${at}.value`);
      return i;
    }, report);
  }
  return o as unknown as PrisonerDto;
}

const prisonerKeys = (item: unknown, path: string): string[] => [prisonNumber(object(item, path).prisonerNumber, `${path}.prisonerNumber`)];

/** `POST /prisoner-search/prisoner-numbers`: an array of prisoners, keyed by prison number. */
export function decodePrisonerBatch(body: unknown, report: Report): KeyedBatch<PrisonerDto> {
  return keyedBatch(array(body, '$'), '$', prisonerKeys, (item, path) => decodePrisoner(item, path, report), report);
}

/** A page of prisoners (`POST /attribute-search`, `/global-search`): a bad entry is dropped and reported. */
export function decodePrisonerPage(body: unknown, report: Report): { content: PrisonerDto[]; totalElements: number | null } {
  const page = object(body, '$');
  fields(page, '$', { totalElements: 'integer?' });
  const content = items(array(page.content, '$.content'), '$.content', (item, path) => decodePrisoner(item, path, report), report);
  return { content, totalElements: typeof page.totalElements === 'number' ? page.totalElements : null };
}
