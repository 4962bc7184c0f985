import { array, fields, inRange, items, object, optionalArray, optionalObject, ordered, type Report } from '../http/contract.js';
import type { CaseAddressDto, SupervisionResponseDto } from './routes.js';

/**
 * Checks of every Delius integration field the mapping reads (docs/adr/0009). A supervision, risk
 * flag, status or address that does not fit is dropped and reported (the rest stand); a MAPPA detail
 * outside its domain (level 1-3) or a community manager of another shape spoils the whole answer
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
  appearances?.forEach((a, i) => fields(object(a, `${path}.courtAppearances[${i}]`), `${path}.courtAppearances[${i}]`, { type: 'string?', date: 'date?', court: 'string?' }));
  return s;
}

/** `GET /case/{crn}/addresses`: an address that does not fit (or ends before it starts) is dropped and reported. */
export function decodeCaseAddresses(body: unknown, report: Report): { contactDetails?: { addresses?: CaseAddressDto[] } } {
  const o = object(body, '$');
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

