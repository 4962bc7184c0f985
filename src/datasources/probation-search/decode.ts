import {
  array,
  crn,
  fields,
  items,
  keyedBatch,
  object,
  optionalArray,
  optionalCrn,
  optionalObject,
  optionalPrisonNumber,
  ordered,
  type KeyedBatch,
  type Report,
} from '../http/contract.js';
import type { OffenderDetailDto } from './routes.js';

/**
 * Checks of every probation-search field the mapping reads (docs/adr/0009): types as the spec
 * declares them, the CRN, previous CRN and NOMS number in their formats (they are used as keys,
 * returned as hmppsIds and sent on to manage-POM), age in a plausible domain. A bad entry of a
 * nested list (an alias, a disability, a phone number) spoils that entry only.
 */
export function decodeOffender(value: unknown, path: string, report: Report): OffenderDetailDto {
  const o = object(value, path);
  const ids = object(o.otherIds, `${path}.otherIds`);
  crn(ids.crn, `${path}.otherIds.crn`);
  optionalCrn(ids.previousCrn, `${path}.otherIds.previousCrn`);
  optionalPrisonNumber(ids.nomsNumber, `${path}.otherIds.nomsNumber`);
  fields(ids, `${path}.otherIds`, { pncNumber: 'string?', croNumber: 'string?' });
  fields(o, path, {
    firstName: 'string?', middleNames: 'string[]?', surname: 'string?', dateOfBirth: 'date?', gender: 'string?',
    softDeleted: 'boolean?', currentExclusion: 'boolean?', currentRestriction: 'boolean?',
    activeProbationManagedSentence: 'boolean?', age: 'integer?',
  });
  if (typeof o.age === 'number' && (o.age < 0 || o.age > 130)) {
    report('value', `${path}.age: outside 0..130`);
    o.age = null;
  }
  const aliases = optionalArray(o.offenderAliases, `${path}.offenderAliases`);
  if (aliases) {
    o.offenderAliases = items(aliases, `${path}.offenderAliases`, (a, at) => {
      fields(object(a, at), at, { firstName: 'string?', middleNames: 'string[]?', surname: 'string?', dateOfBirth: 'date?', gender: 'string?' });
      return a;
    }, report);
  }
  const profile = optionalObject(o.offenderProfile, `${path}.offenderProfile`);
  if (profile) {
    fields(profile, `${path}.offenderProfile`, { ethnicity: 'string?', nationality: 'string?', religion: 'string?', sexualOrientation: 'string?' });
    const disabilities = optionalArray(profile.disabilities, `${path}.offenderProfile.disabilities`);
    if (disabilities) {
      profile.disabilities = items(disabilities, `${path}.offenderProfile.disabilities`, (d, at) => {
        const disability = object(d, at);
        fields(disability, at, { disabilityType: 'object?', condition: 'object?', startDate: 'date?', endDate: 'date?', notes: 'string?' });
        for (const kv of ['disabilityType', 'condition'] as const) {
          const v = optionalObject(disability[kv], `${at}.${kv}`);
          if (v) fields(v, `${at}.${kv}`, { code: 'string?', description: 'string?' });
        }
        ordered(disability, 'startDate', 'endDate', at);
        return d;
      }, report);
    }
  }
  const contact = optionalObject(o.contactDetails, `${path}.contactDetails`);
  if (contact) {
    fields(contact, `${path}.contactDetails`, { emailAddresses: 'string[]?' });
    const phones = optionalArray(contact.phoneNumbers, `${path}.contactDetails.phoneNumbers`);
    if (phones) {
      contact.phoneNumbers = items(phones, `${path}.contactDetails.phoneNumbers`, (p, at) => {
        fields(object(p, at), at, { number: 'string?', type: 'string?' });
        return p;
      }, report);
    }
  }
  return o as unknown as OffenderDetailDto;
}

/** The keys an entry answers for: its CRN and previous CRN (checked). */
const crnKeys = (item: unknown, path: string): string[] => {
  const ids = object(object(item, path).otherIds, `${path}.otherIds`);
  const keys = [crn(ids.crn, `${path}.otherIds.crn`)];
  const previous = optionalCrn(ids.previousCrn, `${path}.otherIds.previousCrn`);
  if (previous) keys.push(previous);
  return keys;
};

/** The key an entry answers for in a NOMS-number batch (an entry without one answers none). */
const nomsKeys = (item: unknown, path: string): string[] => {
  const ids = object(object(item, path).otherIds, `${path}.otherIds`);
  const noms = optionalPrisonNumber(ids.nomsNumber, `${path}.otherIds.nomsNumber`);
  return noms ? [noms] : [];
};

export function decodeOffendersByCrn(body: unknown, report: Report): KeyedBatch<OffenderDetailDto> {
  return keyedBatch(array(body, '$'), '$', crnKeys, (item, path) => decodeOffender(item, path, report), report);
}

export function decodeOffendersByNomsNumber(body: unknown, report: Report): KeyedBatch<OffenderDetailDto> {
  return keyedBatch(array(body, '$'), '$', nomsKeys, (item, path) => decodeOffender(item, path, report), report);
}

/** A page of search results: a bad entry is dropped and reported, the rest of the page stands. */
export function decodeOffenderPage(body: unknown, report: Report): { content: OffenderDetailDto[]; totalElements: number | null } {
  const page = object(body, '$');
  fields(page, '$', { totalElements: 'integer?' });
  const content = items(array(page.content, '$.content'), '$.content', (item, path) => decodeOffender(item, path, report), report);
  return { content, totalElements: typeof page.totalElements === 'number' ? page.totalElements : null };
}
