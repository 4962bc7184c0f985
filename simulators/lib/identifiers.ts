/**
 * Identifier formats used by the upstream systems, generated as bijections of the person
 * index so that every id is unique without any lookup table, and well-known people keep
 * their ids whatever the population size.
 */

import { hash32 } from './prng.js';

export const CRN_PATTERN = /^[A-Z][0-9]{6}$/;
export const PRISON_NUMBER_PATTERN = /^[A-Z][0-9]{4}[A-Z]{2}$/;

/** Leading letters used for generated CRNs. `Z` is never used, so `Z......` is always unknown. */
const CRN_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXY';
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CHECK_CHARS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/** Largest population whose identifiers are guaranteed unique. */
export const MAX_POPULATION = 1_000_000;

/** 10^4 digits x 26^2 suffixes; the multiplier 1_234_567 = 127 x 9721 is coprime with it. */
const PRISON_SPACE = 6_760_000;

export function crnFor(seedHash: number, index: number): string {
  const letter = CRN_LETTERS.charAt(hash32(seedHash, 'crn-letter', index) % CRN_LETTERS.length);
  const digits = (index * 387_433 + (hash32(seedHash, 'crn') % 1_000_000)) % 1_000_000;
  return `${letter}${String(digits).padStart(6, '0')}`;
}

function prisonNumber(leading: string, n: number): string {
  const digits = n % 10_000;
  const suffix = Math.floor(n / 10_000);
  return `${leading}${String(digits).padStart(4, '0')}${ALPHA.charAt(Math.floor(suffix / 26))}${ALPHA.charAt(suffix % 26)}`;
}

/** Current prison numbers start with G. */
export function prisonNumberFor(seedHash: number, index: number): string {
  return prisonNumber('G', (index * 1_234_567 + (hash32(seedHash, 'noms') % PRISON_SPACE)) % PRISON_SPACE);
}

/** Old prison numbers that were merged into a surviving record start with A. */
export function mergedPrisonNumberFor(seedHash: number, index: number): string {
  return prisonNumber('A', (index * 1_234_567 + (hash32(seedHash, 'merged-noms') % PRISON_SPACE)) % PRISON_SPACE);
}

/** Valid-format ids that no generated person ever has. */
export const UNKNOWN_CRN = 'Z999999';
export const UNKNOWN_PRISON_NUMBER = 'Z9999ZZ';

/** PNC number in the long form `YYYY/NNNNNNNC`. */
export function pncFor(seedHash: number, index: number, year: number): string {
  const serial = (index * 104_729 + (hash32(seedHash, 'pnc') % 10_000_000)) % 10_000_000;
  const yy = year % 100;
  const check = CHECK_CHARS.charAt((yy * 10_000_000 + serial) % 23);
  return `${year}/${String(serial).padStart(7, '0')}${check}`;
}

/** CRO number `NNNNNN/YYC`. */
export function croFor(seedHash: number, index: number, year: number): string {
  const serial = ((index * 7_727 + (hash32(seedHash, 'cro') % 900_000)) % 900_000) + 1;
  const yy = year % 100;
  const check = CHECK_CHARS.charAt((yy * 1_000_000 + serial) % 23);
  return `${String(serial).padStart(6, '0')}/${String(yy).padStart(2, '0')}${check}`;
}

/** National Insurance numbers with the QQ prefix, which is never issued to anyone. */
export function niNumberFor(seedHash: number, index: number): string {
  const n = (index * 48_271 + (hash32(seedHash, 'nino') % 1_000_000)) % 1_000_000;
  return `QQ${String(n).padStart(6, '0')}${'ABCD'.charAt(index % 4)}`;
}

/**
 * Canonical PNC for comparisons: upstreams accept 2- or 4-digit years and with or without
 * leading zeros in the serial, so `2012/0052494Q`, `12/52494Q` and `12/052494q` are equal.
 */
export function canonicalPnc(pnc: string): string | null {
  const m = /^\s*(\d{2}|\d{4})\/(\d{1,7})([A-Za-z])\s*$/.exec(pnc);
  if (!m) return null;
  const [, year = '', serial = '', check = ''] = m;
  return `${year.slice(-2)}/${Number(serial)}${check.toUpperCase()}`;
}

/** The short form `YY/NNNNNNNC` of a long-form PNC. */
export function shortPnc(pnc: string): string {
  return pnc.length > 4 && pnc.charAt(4) === '/' ? pnc.slice(2) : pnc;
}
