import { array, crn as crnOf, fields, inRange, items, object, optionalArray, optionalObject, ordered, type Report, shapeError, someOf, valueError } from '../http/contract.js';
import { calendarDate } from '../../domain/person.js';
import type { CaseAddressDto, ContactDto, ContactPageDto, LimitedAccessDetailDto, SupervisionResponseDto } from './routes.js';

/**
 * Checks of every Delius integration field the mapping reads (docs/adr/0010). A supervision, risk
 * flag, status or address that does not fit is dropped and reported (the rest stand, with an error at
 * the list's path: ADR 21); a MAPPA detail outside its domain (level 0-3, category 0-4) or a community manager of another shape spoils the whole answer
 * (UPSTREAM_INVALID_RESPONSE on what it feeds): they are single values, not list items.
 */
export function decodeSupervisions(body: unknown, report: Report): SupervisionResponseDto {
  const o = object(body, '$');
  const manager = optionalObject(o.communityManager, '$.communityManager');
  if (manager) {
    fields(manager, '$.communityManager', { name: 'object?', email: 'string?', telephoneNumber: 'string?', allocated: 'boolean?', team: 'object?' });
    // A community manager (allocated or not) always has a name.
    const name = object(manager.name, '$.communityManager.name');
    fields(name, '$.communityManager.name', { forename: 'string?', surname: 'string?' });
    const team = optionalObject(manager.team, '$.communityManager.team');
    if (team) fields(team, '$.communityManager.team', { code: 'string?', description: 'string?', email: 'string?', telephoneNumber: 'string?' });
  }
  const mappa = optionalObject(o.mappaDetail, '$.mappaDetail');
  if (mappa) {
    fields(mappa, '$.mappaDetail', {
      level: 'integer?', levelDescription: 'string?', category: 'integer?', categoryDescription: 'string?',
      startDate: 'date?', reviewDate: 'date?', notes: 'string?',
    });
    // What Delius gives: levels M0-M3 as 0-3, categories X9/M0-M4 as 0-4 (0: a legacy or
    // unrecognised code, "unknown"; mapped to null, see `toProbationCase`).
    inRange(mappa, 'level', '$.mappaDetail', 0, 3);
    inRange(mappa, 'category', '$.mappaDetail', 0, 4);
  }
  // A case always lists its supervisions (possibly none): an answer without the list is another document.
  o.supervisions = items(array(o.supervisions, '$.supervisions'), '$.supervisions', decodeSupervision, report);
  for (const list of ['dynamicRisks', 'personStatus'] as const) {
    const registrations = optionalArray(o[list], `$.${list}`);
    if (registrations) {
      o[list] = items(registrations, `$.${list}`, (r, at) => {
        fields(object(r, at), at, { code: 'string?', description: 'string?', startDate: 'date?', reviewDate: 'date?', notes: 'string?' });
        return r;
      }, report);
    }
  }
  return o as SupervisionResponseDto;
}

function decodeOffence(value: unknown, path: string): void {
  const offence = object(value, path);
  fields(offence, path, { date: 'date?', code: 'string?', description: 'string?', mainCategory: 'object?' });
  const category = optionalObject(offence.mainCategory, `${path}.mainCategory`);
  if (category) fields(category, `${path}.mainCategory`, { code: 'string?', description: 'string?' });
}

function decodeSupervision(value: unknown, path: string): unknown {
  const s = object(value, path);
  fields(s, path, { number: 'integer?', active: 'boolean?', date: 'date?', sentence: 'object?', mainOffence: 'object?' });
  const sentence = optionalObject(s.sentence, `${path}.sentence`);
  if (sentence) {
    fields(sentence, `${path}.sentence`, { description: 'string?', date: 'date?', length: 'integer?', lengthUnits: 'string?', custodial: 'boolean?' });
    inRange(sentence, 'length', `${path}.sentence`, 0, 1200);
  }
  if (s.mainOffence !== undefined && s.mainOffence !== null) decodeOffence(s.mainOffence, `${path}.mainOffence`);
  const additional = optionalArray(s.additionalOffences, `${path}.additionalOffences`);
  additional?.forEach((o, i) => decodeOffence(o, `${path}.additionalOffences[${i}]`));
  const appearances = optionalArray(s.courtAppearances, `${path}.courtAppearances`);
  appearances?.forEach((a, i) => {
    const at = `${path}.courtAppearances[${i}]`;
    const appearance = object(a, at);
    fields(appearance, at, { type: 'string?', date: 'date?', court: 'string?' });
    // Its day is an offence's court date: one that is no day (a lenient parse takes the 30th of
    // February) would be dropped from the list of dates without a word; it spoils the supervision.
    if (typeof appearance.date === 'string' && calendarDate(appearance.date.slice(0, 10)) === null) valueError(`${at}.date`, 'not a calendar day');
  });
  return s;
}

/** `GET /case/{crn}/addresses`: an address that does not fit (or ends before it starts) is dropped and reported. */
export function decodeCaseAddresses(body: unknown, report: Report): { contactDetails?: { addresses?: CaseAddressDto[] } } {
  const o = object(body, '$');
  someOf(o, '$', ['contactDetails']);
  const contact = optionalObject(o.contactDetails, '$.contactDetails');
  if (!contact) return o;
  const addresses = optionalArray(contact.addresses, '$.contactDetails.addresses');
  if (addresses) {
    contact.addresses = items(addresses, '$.contactDetails.addresses', (a, at) => {
      const address = object(a, at);
      fields(address, at, {
        noFixedAbode: 'boolean?', type: 'object?', buildingName: 'string?', addressNumber: 'string?', streetName: 'string?',
        town: 'string?', district: 'string?', county: 'string?', postcode: 'string?', from: 'date?', to: 'date?', notes: 'string?',
      });
      const type = optionalObject(address.type, `${at}.type`);
      if (type) fields(type, `${at}.type`, { code: 'string?', description: 'string?' });
      ordered(address, 'from', 'to', at);
      return a;
    }, report);
  }
  return o;
}


function codedValue(value: unknown, path: string): void {
  const o = optionalObject(value, path);
  if (o) fields(o, path, { code: 'string?', description: 'string?' });
}

/** One contact event: its id is a positive integer and it belongs to the case asked for. */
function decodeContactItem(value: unknown, path: string, caseCrn: string): ContactDto {
  const o = object(value, path);
  if (typeof o.id !== 'number') shapeError(`${path}.id`, 'expected integer');
  if (!Number.isSafeInteger(o.id) || o.id <= 0) valueError(`${path}.id`, 'not a contact id');
  if (crnOf(o.crn, `${path}.crn`) !== caseCrn) valueError(`${path}.crn`, 'not the case asked for');
  fields(o, path, { createdAt: 'date?', updatedAt: 'date?', contactDate: 'date?', description: 'string?', notes: 'string?', type: 'object?', location: 'object?', outcome: 'object?', officer: 'object?' });
  for (const k of ['type', 'location', 'outcome'] as const) codedValue(o[k], `${path}.${k}`);
  const officer = optionalObject(o.officer, `${path}.officer`);
  if (officer) {
    fields(officer, `${path}.officer`, { code: 'string?', name: 'object?', team: 'object?' });
    const name = optionalObject(officer.name, `${path}.officer.name`);
    if (name) fields(name, `${path}.officer.name`, { forename: 'string?', surname: 'string?', middleName: 'string?' });
    const team = optionalObject(officer.team, `${path}.officer.team`);
    if (team) {
      fields(team, `${path}.officer.team`, { code: 'string?', description: 'string?', pdu: 'object?' });
      const pdu = optionalObject(team.pdu, `${path}.officer.team.pdu`);
      if (pdu) {
        fields(pdu, `${path}.officer.team.pdu`, { code: 'string?', description: 'string?', provider: 'object?' });
        codedValue(pdu.provider, `${path}.officer.team.pdu.provider`);
      }
    }
  }
  return o as unknown as ContactDto;
}

/**
 * `GET /case/{crn}/contacts`: a contact that does not fit is dropped and reported. A contact of
 * another case, a page longer than asked for or one out of date order (newest first: the gateway's
 * date filter relies on it) spoils the whole answer.
 */
export function decodeContactPage(body: unknown, report: Report, caseCrn: string, size: number): ContactPageDto {
  const o = object(body, '$');
  fields(o, '$', { totalResults: 'integer' });
  const total = o.totalResults as number;
  if (total < 0) valueError('$.totalResults', 'negative');
  const list = array(o.content, '$.content');
  if (list.length > size) valueError('$.content', `more contacts than the ${size} asked for`);
  list.forEach((c, i) => {
    const crnValue = typeof c === 'object' && c !== null ? (c as { crn?: unknown }).crn : undefined;
    if (crnValue !== caseCrn) valueError(`$.content[${i}].crn`, 'not the case asked for');
  });
  const content = items(list, '$.content', (c, at) => decodeContactItem(c, at, caseCrn), report);
  for (let i = 1; i < content.length; i++) {
    const before = Date.parse(content[i - 1]!.contactDate ?? '');
    const after = Date.parse(content[i]!.contactDate ?? '');
    if (after > before) valueError(`$.content[${i}].contactDate`, 'contacts not newest first');
  }
  return { content, totalResults: total };
}

/** `GET /case/{crn}/contacts/{contactId}`: the one contact asked for, or the answer is spoiled. */
export function decodeContact(body: unknown, caseCrn: string, id: string): ContactDto {
  const contact = decodeContactItem(body, '$', caseCrn);
  if (String(contact.id) !== id) valueError('$.id', 'not the contact asked for');
  return contact;
}

/** `GET /case/{crn}/access-limitations`: who is excluded or restricted (email addresses) and the messages. */
export function decodeAccessLimitations(body: unknown): LimitedAccessDetailDto {
  const o = object(body, '$');
  // Another document must never read as "no limitations" (the lists decide who may see the case).
  someOf(o, '$', ['excludedFrom', 'exclusionMessage', 'restrictedTo', 'restrictionMessage']);
  fields(o, '$', { exclusionMessage: 'string?', restrictionMessage: 'string?' });
  for (const list of ['excludedFrom', 'restrictedTo'] as const) {
    optionalArray(o[list], `$.${list}`)?.forEach((u, i) => fields(object(u, `$.${list}[${i}]`), `$.${list}[${i}]`, { email: 'string?' }));
  }
  return o as LimitedAccessDetailDto;
}
