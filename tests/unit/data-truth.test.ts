/**
 * The merge and reading rules behind issue 13 (every Person field matches its sources): address
 * matching, alerts that apply today, age, the one PNC form, the last prison of a released person.
 */
import { describe, expect, it } from '@jest/globals';
import { toProbationAddress } from '../../src/datasources/delius-integration/mapping.js';
import { toProbationRecord } from '../../src/datasources/probation-search/mapping.js';
import { toPrisonRecord } from '../../src/datasources/prisoner-search/mapping.js';
import type { PrisonerDto } from '../../src/datasources/prisoner-search/routes.js';
import { prisonNameOf, toAddress } from '../../src/datasources/prison-api/mapping.js';
import { comparable, premiseParts, sameAddress } from '../../src/domain/address.js';
import { pncCanonicalLong } from '../../src/domain/identifiers.js';
import { ageOn } from '../../src/domain/person.js';
import { alertAppliesOn, mergeAddresses } from '../../src/domain/profile.js';
import {
  criteriaProblem,
  joinLinked,
  nameCriterion,
  nameMatches,
  recordMatches,
  upstreamNamePattern,
  type SearchCriteria,
} from '../../src/domain/search.js';
import { londonDate } from '../../src/domain/time.js';

describe('addresses: one place held by both services appears once', () => {
  // Issue 13's example: Nomis holds the building name as the premise; Delius the number and the name.
  const prison = toAddress({ noFixedAddress: false, premise: 'Mill House', street: 'MILL LN', postalCode: 'S1 2AB', town: 'SHEFFIELD', country: 'England', startDate: '2024-01-01', addressType: 'HOME' });
  const probation = toProbationAddress({ buildingName: 'Mill House', addressNumber: '31', streetName: 'Mill Lane', postcode: 's12ab', town: 'Sheffield', district: 'Eastfield', from: '2024-01-02', type: { code: 'M', description: 'Main Address' } });

  it('matches across case, abbreviations, postcode spacing and the building/number split', () => {
    expect(sameAddress(prison, probation)).toBe(true);
    const merged = mergeAddresses([prison], [probation]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      sources: ['PRISON', 'PROBATION'],
      buildingName: 'Mill House',
      houseNumber: '31',
      street: 'Mill Lane',
      locality: 'Eastfield',
      postcode: 's12ab',
      town: 'Sheffield',
      country: 'England',
      startDate: '2024-01-02',
      types: [{ code: 'HOME', description: null }, { code: 'M', description: 'Main Address' }],
    });
  });

  it('reads a flat out of either side, and keeps flats apart', () => {
    const flat6 = toAddress({ noFixedAddress: false, flat: 'Flat 6', premise: '222', street: "St. John's Road", postalCode: 'LS1 1AA' });
    const deliusFlat6 = toProbationAddress({ buildingName: 'Flat 6', addressNumber: '222', streetName: 'St Johns Rd', postcode: 'LS1 1AA' });
    const deliusFlat7 = toProbationAddress({ buildingName: 'Apartment 7', addressNumber: '222', streetName: 'St Johns Rd', postcode: 'LS1 1AA' });
    expect(deliusFlat6).toMatchObject({ flat: 'Flat 6', buildingName: null, houseNumber: '222' });
    expect(sameAddress(flat6, deliusFlat6)).toBe(true);
    expect(sameAddress(flat6, deliusFlat7)).toBe(false);
    expect(mergeAddresses([flat6], [deliusFlat6, deliusFlat7])).toHaveLength(2);
  });

  it('keeps different places apart: another number, street, postcode or building', () => {
    const base = { noFixedAddress: false, premise: '12', street: 'High Street', postalCode: 'M1 1AA' };
    const a = toAddress(base);
    expect(sameAddress(a, toAddress({ ...base, premise: '14' }))).toBe(false);
    expect(sameAddress(a, toAddress({ ...base, street: 'High Road' }))).toBe(false);
    expect(sameAddress(a, toAddress({ ...base, postalCode: 'M1 1AB' }))).toBe(false);
    expect(sameAddress(a, toAddress({ ...base, postalCode: null }))).toBe(false);
    expect(sameAddress(toAddress({ ...base, premise: 'Oak House' }), toAddress({ ...base, premise: 'Beech House' }))).toBe(false);
    // One probation address matches one prison address only.
    expect(mergeAddresses([a, a], [toProbationAddress({ addressNumber: '12', streetName: 'High St', postcode: 'M11AA' })])).toHaveLength(2);
  });

  it('splits premises and compares spellings', () => {
    expect(premiseParts('Flat 6, Mill House', '31')).toEqual({ flat: 'Flat 6', buildingName: 'Mill House', houseNumber: '31' });
    expect(premiseParts('12A')).toEqual({ flat: null, buildingName: null, houseNumber: '12A' });
    expect(comparable("St. John's  Rd")).toBe(comparable('ST JOHNS ROAD'));
    expect(comparable('Zoë Court')).toBe('ZOE COURT');
  });
});

describe('alerts apply today by their dates, not by the upstream flag', () => {
  it('applies from activeFrom until the day before activeTo', () => {
    expect(alertAppliesOn({ activeFrom: '2026-01-01', activeTo: null }, '2026-12-06')).toBe(true);
    expect(alertAppliesOn({ activeFrom: '2026-01-01', activeTo: '2026-11-20' }, '2026-12-06')).toBe(false);
    expect(alertAppliesOn({ activeFrom: '2026-01-01', activeTo: '2026-12-06' }, '2026-12-06')).toBe(false);
    expect(alertAppliesOn({ activeFrom: '2026-01-01', activeTo: '2026-12-07' }, '2026-12-06')).toBe(true);
    expect(alertAppliesOn({ activeFrom: '2026-12-07', activeTo: null }, '2026-12-06')).toBe(false);
    expect(alertAppliesOn({ activeFrom: null, activeTo: null }, '2026-12-06')).toBe(true);
  });

  it('takes today in London', () => {
    expect(londonDate(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(londonDate(new Date('2026-12-06T23:30:00Z'))).toBe('2026-12-06');
    expect(londonDate(new Date('2026-03-29T00:30:00Z'))).toBe('2026-03-29');
  });
});

describe('age and PNC numbers', () => {
  it('counts whole years from the date of birth', () => {
    expect(ageOn('1979-11-02', '2026-12-06')).toBe(47);
    expect(ageOn('1979-12-07', '2026-12-06')).toBe(46);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn(null, '2026-12-06')).toBeNull();
  });

  it('gives every PNC number in the canonical long form', () => {
    expect(pncCanonicalLong('06/5590497T', 2026)).toBe('2006/5590497T');
    expect(pncCanonicalLong('95/6428329j', 2026)).toBe('1995/6428329J');
    expect(pncCanonicalLong('2012/0052494Q', 2026)).toBe('2012/52494Q');
    expect(pncCanonicalLong('26/1A', 2026)).toBe('2026/1A');
    expect(pncCanonicalLong('27/1A', 2026)).toBe('1927/1A');
    expect(pncCanonicalLong('not a pnc', 2026)).toBeNull();
  });

  const prisoner: PrisonerDto = {
    prisonerNumber: 'G4622GX',
    firstName: 'A',
    lastName: 'B',
    dateOfBirth: '1979-11-02',
    gender: 'Male',
    pncNumber: '06/5590497T',
    pncNumberCanonicalLong: '2006/5590497T',
    prisonId: 'OUT',
    lastPrisonId: 'LEI',
    prisonName: 'Outside',
    status: 'INACTIVE OUT',
  };

  it('prison and probation records give the same PNC form', () => {
    expect(toPrisonRecord(prisoner).pncNumber).toBe('2006/5590497T');
    expect(toPrisonRecord({ ...prisoner, pncNumberCanonicalLong: undefined }).pncNumber).toBe('2006/5590497T');
    expect(toProbationRecord({ offenderId: 1, otherIds: { crn: 'X123456', pncNumber: '2006/5590497T' } }).pncNumber).toBe('2006/5590497T');
  });

  it("names a prison as prisoner search does: the agency's long description", () => {
    expect(prisonNameOf({ agencyId: 'LEI', description: 'Leeds (HMP)', longDescription: 'HMP Leeds' })).toBe('HMP Leeds');
    expect(prisonNameOf({ agencyId: 'LEI', description: 'Leeds (HMP)' })).toBe('Leeds (HMP)');
    expect(prisonNameOf(null)).toBeNull();
  });

  it("gives a released person's last prison, not OUT", () => {
    expect(toPrisonRecord(prisoner).details).toMatchObject({ prisonId: 'LEI', prisonName: null, inPrison: false });
    expect(toPrisonRecord({ ...prisoner, prisonId: 'MDI', lastPrisonId: 'MDI', prisonName: 'HMP Moorland' }).details).toMatchObject({
      prisonId: 'MDI',
      prisonName: 'HMP Moorland',
    });
    expect(toPrisonRecord({ ...prisoner, lastPrisonId: undefined }).details.prisonId).toBeNull();
    // Row filters still see where the person is now.
    expect(toPrisonRecord(prisoner).prisonId).toBe('OUT');
  });
});

describe('search names: compared by the gateway, asked wider upstream', () => {
  const criteria = (over: Partial<SearchCriteria>): SearchCriteria => ({
    firstName: null, lastName: null, dateOfBirth: null, pncNumber: null, includeAliases: false, ...over,
  });
  /** What prisoner search does with a CONTAINS pattern: `*` any run, `?` any one character, whole value, any case. */
  const upstreamFinds = (pattern: string, value: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(value);

  it.each([
    ['Zoe', 'Zoë'], ['Bjornsdottir', 'Bjørnsdóttir'], ['ODowd', "O'Dowd"], ["O'Dowd", 'ODOWD'], ['Smith Jones', 'Smith-Jones'],
    ['AshbyWarrender', 'Ashby-Warrender'], ['Lukasz', 'Łukasz'], ['Qu*', 'Quennell'], ['st. john*', "St John-Smith"],
  ])('%s finds %s, and the upstream pattern lets it through', (typed, recorded) => {
    const wanted = nameCriterion(typed)!;
    expect(nameMatches(recorded, wanted)).toBe(true);
    expect(upstreamFinds(upstreamNamePattern(wanted), recorded)).toBe(true);
  });

  it.each([['Zoe', 'Zoey'], ['Qu*', 'Aquinas'], ['Smith', 'Smyth'], ['ODowd', 'Dowd']])('%s does not find %s', (typed, recorded) => {
    expect(nameMatches(recorded, nameCriterion(typed))).toBe(false);
  });

  it('checks names and date of birth on the record, or on an alias when asked to', () => {
    const record = { firstName: 'Zoë', lastName: 'Bjørnsdóttir', dateOfBirth: '1990-01-01', aliases: [{ firstName: 'Zoe', lastName: 'Berg', dateOfBirth: '1990-01-02' }] };
    expect(recordMatches(record, criteria({ lastName: 'Bjornsdottir', dateOfBirth: '1990-01-01' }))).toBe(true);
    expect(recordMatches(record, criteria({ lastName: 'Berg' }))).toBe(false);
    expect(recordMatches(record, criteria({ lastName: 'Berg', includeAliases: true }))).toBe(true);
    expect(recordMatches(record, criteria({ lastName: 'Berg', dateOfBirth: '1990-01-03', includeAliases: true }))).toBe(false);
  });

  it('accepts a trailing * after two letters or more', () => {
    expect(criteriaProblem(criteria({ lastName: 'Qu*' }))).toBeNull();
    expect(criteriaProblem(criteria({ lastName: 'Q*' }))).toMatch(/2 letters/);
    expect(criteriaProblem(criteria({ lastName: 'Q*u' }))).toMatch(/only letters/);
  });

  it('joins a probation-only and a prison-only match that the core person record links', () => {
    const prison = { prison: { prisonNumber: 'G1234AA' }, probation: null };
    const probation = { prison: null, probation: { crn: 'X123456' } };
    const other = { prison: null, probation: { crn: 'X654321' } };
    const joined = joinLinked([prison, probation, other], new Map([['X123456', 'G1234AA'], ['X654321', null]]));
    expect(joined).toEqual([other, { prison: { prisonNumber: 'G1234AA' }, probation: { crn: 'X123456' } }]);
    expect(joinLinked([prison, probation], new Map())).toEqual([prison, probation]);
  });
});
