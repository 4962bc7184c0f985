/**
 * Hand-written people at fixed low indices (0..n-1). They exist in every population of at least
 * `WELL_KNOWN.length` people, with the same ids and answers whatever the population size, so
 * tests can name them. Names are invented and deliberately absent from the random name pools.
 */

import type { Alias, PersonKind, Sex } from './population.js';

export interface WellKnownSpec {
  key: string;
  kind: PersonKind;
  description: string;
  firstName: string;
  middleNames?: string[];
  lastName: string;
  dateOfBirth: string;
  sex: Sex;
  /** Prison code, or OUT for released (then lastPrisonId says where from). */
  prisonId?: string;
  lastPrisonId?: string;
  previousPrisonId?: string;
  merged?: boolean;
  deliusStaleNoms?: boolean;
  exclusion?: boolean;
  restriction?: boolean;
  activeSupervision?: boolean;
  aliases?: Alias[];
  alertCount?: number;
  addressCount?: number;
  offenceCount?: number;
  supervisionCount?: number;
  bookingCount?: number;
  pomAllocated?: boolean;
  pnc?: boolean;
  cro?: boolean;
}

export const WELL_KNOWN: readonly WellKnownSpec[] = [
  {
    key: 'linked',
    kind: 'linked',
    description: 'In prison (MDI) and on probation; core person record links the CRN and prison number. Alerts include local date-times on both sides of the March and October 2025 clock changes.',
    firstName: 'Marlowe', middleNames: ['Aurelio'], lastName: 'Quennell', dateOfBirth: '1984-03-12', sex: 'M',
    prisonId: 'MDI', alertCount: 6, addressCount: 2, offenceCount: 3, supervisionCount: 2, bookingCount: 2, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'prison-only',
    kind: 'prison-only',
    description: 'Known only to prisons (LEI): prison number, no CRN.',
    firstName: 'Tobias', lastName: 'Wrenfield', dateOfBirth: '1979-11-02', sex: 'M',
    prisonId: 'LEI', alertCount: 2, addressCount: 1, offenceCount: 2, bookingCount: 1, pomAllocated: true, pnc: true, cro: false,
  },
  {
    key: 'probation-only',
    kind: 'probation-only',
    description: 'Known only to probation: CRN, no prison number.',
    firstName: 'Imogen', lastName: 'Fairweather', dateOfBirth: '1991-06-30', sex: 'F',
    addressCount: 2, offenceCount: 2, supervisionCount: 1, activeSupervision: true, pnc: true, cro: true,
  },
  {
    key: 'linked-no-cpr',
    kind: 'linked-no-cpr',
    description: 'In prison (BMI) and on probation, but core person record has no record: link via Delius (otherIds.nomsNumber) or prisoner search.',
    firstName: 'Caspian', lastName: 'Oakhurst', dateOfBirth: '1988-01-09', sex: 'M',
    prisonId: 'BMI', alertCount: 1, addressCount: 1, offenceCount: 2, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'merged',
    kind: 'linked',
    description: 'Old prison number merged into the surviving one (prisonNumber). Prisoner search 404s the old number but lists it as identifiers type MERGED; Delius still holds the OLD number; core person record answers the old number with 301 to the surviving one.',
    firstName: 'Rosalind', lastName: 'Ashcombe', dateOfBirth: '1975-09-17', sex: 'F',
    prisonId: 'EWI', merged: true, deliusStaleNoms: true, alertCount: 2, addressCount: 1, offenceCount: 2, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'excluded',
    kind: 'probation-only',
    description: 'Limited access: Delius exclusion (currentExclusion, access-limitations excludedFrom).',
    firstName: 'Peregrine', lastName: 'Voss', dateOfBirth: '1969-04-25', sex: 'M',
    exclusion: true, addressCount: 1, offenceCount: 1, supervisionCount: 1, activeSupervision: true, pnc: true, cro: false,
  },
  {
    key: 'restricted',
    kind: 'linked',
    description: 'Limited access: Delius restriction (currentRestriction, access-limitations restrictedTo); also in prison (PVI).',
    firstName: 'Leontyne', lastName: 'Marchbank', dateOfBirth: '1993-12-05', sex: 'F',
    prisonId: 'PVI', restriction: true, alertCount: 1, addressCount: 1, offenceCount: 1, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'aliases',
    kind: 'linked',
    description: 'Three aliases (different first name, surname spelling and date of birth); findable through alias search.',
    firstName: 'Barnaby', lastName: 'Calloway', dateOfBirth: '1982-07-14', sex: 'M',
    prisonId: 'WWI', alertCount: 1, addressCount: 1, offenceCount: 2, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
    aliases: [
      { firstName: 'Barney', middleNames: [], lastName: 'Calloway', dateOfBirth: '1982-07-14', sex: 'M' },
      { firstName: 'Barnaby', middleNames: ['Jon'], lastName: 'Kellaway', dateOfBirth: '1983-07-14', sex: 'M' },
      { firstName: 'Bernard', middleNames: [], lastName: 'Hollinsworth', dateOfBirth: '1982-07-14', sex: 'M' },
    ],
  },
  {
    key: 'no-addresses',
    kind: 'linked',
    description: 'No addresses in any system (Nomis, Delius, core person record).',
    firstName: 'Ottilie', lastName: 'Brackenbury', dateOfBirth: '1997-02-28', sex: 'F',
    prisonId: 'LPI', addressCount: 0, alertCount: 0, offenceCount: 1, supervisionCount: 1, bookingCount: 1, pomAllocated: false, pnc: true, cro: false,
  },
  {
    key: 'many-alerts',
    kind: 'prison-only',
    description: '240 alerts (some inactive): exercises paging of alerts.',
    firstName: 'Ignatius', lastName: 'Pemberton', dateOfBirth: '1971-10-31', sex: 'M',
    prisonId: 'MHI', alertCount: 240, addressCount: 1, offenceCount: 3, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'other-prison',
    kind: 'linked',
    description: 'In a different prison (CFI) from `linked`, with a previous prison (SWI).',
    firstName: 'Cosmo', lastName: 'Ravensworth', dateOfBirth: '1986-05-19', sex: 'M',
    prisonId: 'CFI', previousPrisonId: 'SWI', alertCount: 1, addressCount: 1, offenceCount: 2, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'hyphen-name',
    kind: 'linked',
    description: 'Hyphenated first and last names.',
    firstName: 'Jean-Luc', lastName: 'Ashby-Warrender', dateOfBirth: '1980-08-08', sex: 'M',
    prisonId: 'NMI', alertCount: 1, addressCount: 1, offenceCount: 1, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'apostrophe-name',
    kind: 'linked',
    description: 'Apostrophe in the last name.',
    firstName: 'Fionnuala', lastName: "O'Dowd", dateOfBirth: '1990-03-17', sex: 'F',
    prisonId: 'EWI', alertCount: 1, addressCount: 1, offenceCount: 1, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'non-ascii-name',
    kind: 'linked',
    description: 'Non-ASCII letters in first, middle and last names.',
    firstName: 'Zoë', middleNames: ['Siân'], lastName: 'Bjørnsdóttir', dateOfBirth: '1994-12-24', sex: 'F',
    prisonId: 'EWI', alertCount: 1, addressCount: 1, offenceCount: 1, supervisionCount: 1, bookingCount: 1, pomAllocated: true, pnc: true, cro: true,
  },
  {
    key: 'released',
    kind: 'linked',
    description: 'Released from prison (prisonId OUT, lastPrisonId LEI), now supervised on licence.',
    firstName: 'Ambrose', lastName: 'Tillingham', dateOfBirth: '1977-01-15', sex: 'M',
    prisonId: 'OUT', lastPrisonId: 'LEI', alertCount: 1, addressCount: 2, offenceCount: 2, supervisionCount: 1, activeSupervision: true, bookingCount: 1, pomAllocated: false, pnc: true, cro: true,
  },
  {
    key: 'long-lists',
    kind: 'linked',
    description: 'Very long lists: 35 addresses, 60 offences, 12 supervisions, 2 bookings.',
    firstName: 'Horatio', lastName: 'Pendlebury', dateOfBirth: '1965-06-06', sex: 'M',
    prisonId: 'BXI', alertCount: 12, addressCount: 35, offenceCount: 60, supervisionCount: 12, bookingCount: 2, pomAllocated: true, pnc: true, cro: true,
  },
];
