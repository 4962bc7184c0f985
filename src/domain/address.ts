/**
 * When two addresses are the same place (docs/adr/0009-address-matching.md). Prison (Nomis) and
 * probation (Delius) record one address in different shapes and spellings: Nomis has a flat and a
 * premise (a number or a building name), Delius a building name and a house number; either may
 * abbreviate ("Rd"), upper-case, punctuate or space a postcode differently. Pure.
 */

/** The parts of the first line of an address. */
export interface PremiseParts {
  /** Flat, apartment or unit as written, e.g. `Flat 6`. */
  flat: string | null;
  buildingName: string | null;
  /** House number, e.g. `31` or `31A`. */
  houseNumber: string | null;
}

const FLAT = /^(?:flat|apartment|apt\.?|unit)\s+\S+$/i;
const HOUSE_NUMBER = /^\d+[A-Za-z]?$/;

/**
 * Splits premise fields (each possibly several comma-separated pieces, e.g. `Flat 6, Mill House`)
 * into flat, building name and house number. A building name of several pieces keeps them in order.
 */
export function premiseParts(...values: (string | null | undefined)[]): PremiseParts {
  const parts: PremiseParts = { flat: null, buildingName: null, houseNumber: null };
  const names: string[] = [];
  for (const value of values) {
    for (const piece of (value ?? '').split(',')) {
      const p = piece.trim().replace(/\s+/g, ' ');
      if (!p) continue;
      if (FLAT.test(p)) parts.flat ??= p;
      else if (HOUSE_NUMBER.test(p)) parts.houseNumber ??= p;
      else names.push(p);
    }
  }
  parts.buildingName = names.length > 0 ? names.join(', ') : null;
  return parts;
}

/** Street-type abbreviations (Royal Mail) and the word they stand for. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  RD: 'ROAD', ST: 'STREET', AVE: 'AVENUE', AV: 'AVENUE', LN: 'LANE', CL: 'CLOSE', CRES: 'CRESCENT', DR: 'DRIVE',
  CT: 'COURT', PL: 'PLACE', SQ: 'SQUARE', GDNS: 'GARDENS', TERR: 'TERRACE', TER: 'TERRACE', GRN: 'GREEN', GR: 'GROVE',
  GRV: 'GROVE', PK: 'PARK', WY: 'WAY', HSE: 'HOUSE', BLDGS: 'BUILDINGS', MT: 'MOUNT', PDE: 'PARADE', HTS: 'HEIGHTS',
};

/**
 * A value as compared: accents, case and punctuation ignored, runs of spaces as one, abbreviations
 * written out ("St. John's Rd" and "ST JOHNS ROAD" compare equal; "St" is read as "Street"
 * wherever it stands, on both sides alike, so "St Johns" still equals "St. Johns").
 */
export function comparable(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/['’]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => ABBREVIATIONS[w] ?? w)
    .join(' ');
}

/** A postcode as compared: no spaces, upper case. */
export function comparablePostcode(postcode: string | null | undefined): string {
  return (postcode ?? '').toUpperCase().replace(/\s+/g, '');
}

/** What the matching rule reads of an address. */
export interface AddressLine extends PremiseParts {
  street: string | null;
  postcode: string | null;
}

/** The flat's own number or letter: "Flat 6" and "Apartment 6" are the same flat. */
const flatId = (flat: string | null) => comparable(flat).replace(/^(?:FLAT|APARTMENT|APT|UNIT) /, '');

/**
 * The same place when: the postcodes agree (both given), the streets agree, the flats agree when
 * both name one, and the house numbers and the building names agree where both name them, with at
 * least one of the two named by both (or neither address naming either).
 */
export function sameAddress(a: AddressLine, b: AddressLine): boolean {
  const postcode = comparablePostcode(a.postcode);
  if (!postcode || postcode !== comparablePostcode(b.postcode)) return false;
  if (comparable(a.street) !== comparable(b.street)) return false;
  if (a.flat && b.flat && flatId(a.flat) !== flatId(b.flat)) return false;
  const agree = (x: string | null, y: string | null) => (x && y ? (comparable(x) === comparable(y) ? 1 : -1) : 0);
  const numbers = agree(a.houseNumber, b.houseNumber);
  const names = agree(a.buildingName, b.buildingName);
  if (numbers < 0 || names < 0) return false;
  return numbers > 0 || names > 0 || (!a.houseNumber && !b.houseNumber && !a.buildingName && !b.buildingName);
}
