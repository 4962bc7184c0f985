import { describe, expect, it } from '@jest/globals';
import { parseHmppsId } from '../../src/domain/identifiers.js';
import { isLimitedAccess, isVisible, NO_ROW_FILTERS, probationMayDecide, supervisionStatusOf, visibilityByPrison, type SupervisionStatus } from '../../src/domain/visibility.js';
import { calendarDate, mergeAliases, personFrom } from '../../src/domain/person.js';
import { compareSortKeys, criteriaProblem, nameVariants } from '../../src/domain/search.js';
import { prisonRecord, probationRecord } from '../support/records.js';


describe('hmppsId parsing', () => {
  it.each([
    ['X123456', { kind: 'crn', crn: 'X123456' }],
    [' x123456 ', { kind: 'crn', crn: 'X123456' }],
    ['A1234BC', { kind: 'prisonNumber', prisonNumber: 'A1234BC' }],
    ['a1234bc', { kind: 'prisonNumber', prisonNumber: 'A1234BC' }],
  ])('accepts %j', (input, expected) => expect(parseHmppsId(input)).toEqual(expected));

  it.each(['', 'X12345', 'XX123456', 'A1234B', '2012/0123456A', 'A1234BC; DROP', '1234567', 'X1234567'])(
    'rejects %j',
    (input) => expect(parseHmppsId(input)).toBeNull(),
  );
});

describe('calendar dates', () => {
  it('keeps real days and rejects impossible ones', () => {
    expect(calendarDate('2000-02-29')).toBe('2000-02-29');
    expect(calendarDate('1999-02-29')).toBeNull();
    expect(calendarDate('2020-13-01')).toBeNull();
    expect(calendarDate('2020-04-31')).toBeNull();
    expect(calendarDate('2020-04-30T00:00:00Z')).toBeNull();
    expect(calendarDate(null)).toBeNull();
  });
});

describe('merging the prison and probation halves', () => {
  const probation = probationRecord({
    crn: 'X123456',
    prisonNumber: 'A1234BC',
    underActiveSupervision: true,
    currentExclusion: false,
    currentRestriction: false,
    firstName: 'Probationname',
    lastName: 'Smyth',
    dateOfBirth: null,
    aliases: [{ firstName: 'Al', middleNames: null, lastName: 'One', dateOfBirth: null, gender: null }],
  });
  const prison = prisonRecord({
    prisonNumber: 'A1234BC',
    prisonId: 'MDI',
    status: 'ACTIVE IN',
    firstName: 'Prisonname',
    lastName: 'Smith',
    dateOfBirth: '1980-01-31',
    pncNumber: '2012/0123456A',
    aliases: [
      { firstName: 'AL', middleNames: null, lastName: 'ONE', dateOfBirth: null, gender: null },
      { firstName: 'Bea', middleNames: null, lastName: 'Two', dateOfBirth: null, gender: null },
    ],
  });

  it('prefers probation values and fills the gaps from prison', () => {
    const person = personFrom(probation, prison)!;
    expect(person.crn).toBe('X123456');
    expect(person.prisonNumber).toBe('A1234BC');
    expect(person.combined.firstName).toBe('Probationname');
    expect(person.combined.dateOfBirth).toBe('1980-01-31');
    expect(person.combined.pncNumber).toBe('2012/0123456A');
    expect(person.combined.aliases.map((a) => a.firstName)).toEqual(['Al', 'Bea']);
  });

  it('uses the one half that exists, and nothing when neither does', () => {
    expect(personFrom(null, prison)!.combined.firstName).toBe('Prisonname');
    expect(personFrom(null, prison)!.crn).toBeNull();
    expect(personFrom(probation, null)!.prisonNumber).toBeNull();
    expect(personFrom(null, null)).toBeNull();
  });

  it('de-duplicates aliases case-insensitively', () => {
    expect(mergeAliases(probation.aliases, prison.aliases)).toHaveLength(2);
  });
});

describe('row filters', () => {
  const prison = personFrom(null, prisonRecord({ prisonNumber: 'A1234BC', prisonId: 'MDI', status: 'ACTIVE IN' }))!;
  const probation = personFrom(probationRecord({ crn: 'X123456', underActiveSupervision: true, currentExclusion: true }), null)!;

  it('derives supervision status from both sides', () => {
    expect(supervisionStatusOf(prison)).toBe('PRISONS');
    expect(supervisionStatusOf(probation)).toBe('PROBATION');
    expect(supervisionStatusOf(personFrom(null, { ...prison.prison!, status: 'INACTIVE OUT' })!)).toBe('NONE');
  });

  it('applies prison and supervision filters; no filter sees everyone', () => {
    expect(isVisible(prison, NO_ROW_FILTERS)).toBe(true);
    expect(isVisible(prison, { ...NO_ROW_FILTERS, prisons: new Set(['MDI']) })).toBe(true);
    expect(isVisible(prison, { ...NO_ROW_FILTERS, prisons: new Set(['LEI']) })).toBe(false);
    expect(isVisible(probation, { ...NO_ROW_FILTERS, prisons: new Set(['MDI']) })).toBe(false);
    expect(isVisible(probation, { ...NO_ROW_FILTERS, supervisionStatuses: new Set(['PROBATION']) })).toBe(true);
    expect(isVisible(prison, { ...NO_ROW_FILTERS, supervisionStatuses: new Set(['PROBATION']) })).toBe(false);
  });

  it('says what the prison half alone decides, and leaves a released person to the probation half only when it can decide', () => {
    const statuses = (...s: SupervisionStatus[]) => ({ ...NO_ROW_FILTERS, supervisionStatuses: new Set(s) });
    const inPrison = { prisonId: 'MDI', status: 'ACTIVE IN' };
    const released = { prisonId: 'OUT', status: 'INACTIVE OUT' };
    expect(visibilityByPrison(inPrison, NO_ROW_FILTERS)).toBe(true);
    expect(visibilityByPrison(inPrison, { ...NO_ROW_FILTERS, prisons: new Set(['LEI']) })).toBe(false);
    expect(visibilityByPrison(inPrison, statuses('PROBATION'))).toBe(false);
    expect(visibilityByPrison(inPrison, statuses('PRISONS'))).toBe(true);
    expect(visibilityByPrison(released, statuses('PRISONS'))).toBe(false);
    expect(visibilityByPrison(released, statuses('PROBATION', 'NONE'))).toBe(true);
    expect(visibilityByPrison(released, statuses('PROBATION'))).toBeUndefined();
    expect(visibilityByPrison(released, statuses('PRISONS', 'NONE'))).toBeUndefined();
    expect(probationMayDecide(NO_ROW_FILTERS)).toBe(false);
    expect(probationMayDecide(statuses('PRISONS'))).toBe(false);
    expect(probationMayDecide(statuses('PROBATION', 'NONE'))).toBe(false);
    expect(probationMayDecide(statuses('PRISONS', 'PROBATION'))).toBe(true);
    expect(probationMayDecide(statuses('NONE'))).toBe(true);
  });

  it('flags limited-access cases', () => {
    expect(isLimitedAccess(probation)).toBe(true);
    expect(isLimitedAccess(prison)).toBe(false);
  });
});

describe('search name variants', () => {
  it('adds the spellings a consumer cannot know, the typed one first', () => {
    expect(nameVariants('Zoë')).toEqual(['Zoë', 'Zoe']);
    expect(nameVariants('O’Dowd')).toEqual(['O’Dowd', "O'Dowd", 'ODowd']);
    expect(nameVariants('Ashby-Warrender')).toEqual(['Ashby-Warrender', 'Ashby Warrender', 'AshbyWarrender']);
    expect(nameVariants('  Smith  ')).toEqual(['Smith']);
  });

  it('bounds the number of spellings', () => {
    expect(nameVariants("Zoë-Ann O’Dée").length).toBeLessThanOrEqual(5);
  });

  it('orders results by last name, first name, date of birth, then id, ignoring accents and case', () => {
    const keys = [
      { lastName: 'zoë', firstName: 'A', dateOfBirth: null, hmppsId: 'X000003' },
      { lastName: 'Zoe', firstName: 'A', dateOfBirth: '1990-01-01', hmppsId: 'X000002' },
      { lastName: 'Adams', firstName: 'B', dateOfBirth: null, hmppsId: 'X000001' },
    ];
    expect([...keys].sort(compareSortKeys).map((k) => k.hmppsId)).toEqual(['X000001', 'X000002', 'X000003']);
  });

  it('validates criteria with a reason', () => {
    const none = { firstName: null, lastName: null, dateOfBirth: null, pncNumber: null, includeAliases: false };
    expect(criteriaProblem(none)).toMatch(/at least one/);
    expect(criteriaProblem({ ...none, lastName: 'Smith' })).toBeNull();
    expect(criteriaProblem({ ...none, lastName: 'Sm1th' })).toMatch(/only letters/);
    expect(criteriaProblem({ ...none, pncNumber: '2012/0123456A' })).toBeNull();
    expect(criteriaProblem({ ...none, pncNumber: '12345' })).toMatch(/pncNumber/);
  });
});
