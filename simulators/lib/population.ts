/**
 * The one underlying person model that drives every upstream simulator. A person's core
 * (identity, names, where they are, list sizes) is built eagerly for the whole population;
 * long lists (alerts, addresses, sentences...) are generated on demand, deterministically,
 * by `details.ts`.
 */

import { SNAPSHOT_DATE, addDays, fromDays, toDays } from './dates.js';
import {
  MAX_POPULATION,
  UNKNOWN_CRN,
  UNKNOWN_PRISON_NUMBER,
  canonicalPnc,
  croFor,
  crnFor,
  mergedPrisonNumberFor,
  niNumberFor,
  pncFor,
  prisonNumberFor,
} from './identifiers.js';
import { Rng, hash32 } from './prng.js';
import { FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, MIDDLE_NAMES, PRISONS, SURNAMES } from './reference.js';
import { WELL_KNOWN, type WellKnownSpec } from './well-known-specs.js';

export type PersonKind = 'prison-only' | 'probation-only' | 'linked' | 'linked-no-cpr';
export type Sex = 'M' | 'F';

export interface Alias {
  firstName: string;
  middleNames: string[];
  lastName: string;
  dateOfBirth: string;
  sex: Sex;
}

export interface Person {
  index: number;
  /** Key in well-known-people.json, or null for an ordinary generated person. */
  key: string | null;
  kind: PersonKind;
  crn: string | null;
  /** Current (surviving) prison number. */
  prisonNumber: string | null;
  /** Old prison numbers merged into this record. */
  mergedPrisonNumbers: string[];
  /** The prison number Delius holds: can be a stale, merged number. */
  deliusNomsNumber: string | null;
  /** Whether core person record knows this person at all. */
  inCpr: boolean;
  title: string;
  firstName: string;
  middleNames: string[];
  lastName: string;
  dateOfBirth: string;
  sex: Sex;
  pncNumber: string | null;
  croNumber: string | null;
  niNumber: string | null;
  aliases: Alias[];
  /** Current location: a prison code, `OUT` once released; null when never in prison. */
  prisonId: string | null;
  lastPrisonId: string | null;
  previousPrisonId: string | null;
  previousPrisonLeavingDate: string | null;
  receptionDate: string | null;
  bookingCount: number;
  exclusion: boolean;
  restriction: boolean;
  activeSupervision: boolean;
  alertCount: number;
  addressCount: number;
  offenceCount: number;
  supervisionCount: number;
  pomAllocated: boolean;
}

export interface PopulationOptions {
  size: number;
  seed: string;
}

export const DEFAULT_SEED = 'person-graph-2026';
export const MIN_POPULATION = WELL_KNOWN.length;
export { MAX_POPULATION, UNKNOWN_CRN, UNKNOWN_PRISON_NUMBER };

const BOOKING_BASE = 1_200_000;
const MEMO_CAPACITY = 50_000;

export class Population {
  readonly size: number;
  readonly seed: string;
  readonly seedHash: number;
  readonly people: Person[];
  readonly prisoners: number[] = [];
  readonly probationCases: number[] = [];
  private readonly byCrn = new Map<string, number>();
  private readonly byPrisonNumber = new Map<string, number>();
  private readonly byMergedNumber = new Map<string, number>();
  private readonly byDeliusNoms = new Map<string, number>();
  private readonly byPnc = new Map<string, number>();
  private readonly byName = new Map<string, number[]>();
  private readonly byDob = new Map<string, number[]>();

  constructor(options: PopulationOptions) {
    if (!Number.isInteger(options.size) || options.size < MIN_POPULATION || options.size > MAX_POPULATION) {
      throw new Error(`population must be an integer between ${MIN_POPULATION} and ${MAX_POPULATION}`);
    }
    this.size = options.size;
    this.seed = options.seed;
    this.seedHash = hash32('seed', options.seed);
    this.people = new Array<Person>(this.size);
    for (let i = 0; i < this.size; i++) {
      const person = buildPerson(this.seed, this.seedHash, i, WELL_KNOWN[i]);
      this.people[i] = person;
      this.index(person);
    }
  }

  private index(p: Person): void {
    if (p.crn !== null) {
      this.byCrn.set(p.crn, p.index);
      this.probationCases.push(p.index);
    }
    if (p.prisonNumber !== null) {
      this.byPrisonNumber.set(p.prisonNumber, p.index);
      this.prisoners.push(p.index);
    }
    for (const old of p.mergedPrisonNumbers) this.byMergedNumber.set(old, p.index);
    if (p.crn !== null && p.deliusNomsNumber !== null) this.byDeliusNoms.set(p.deliusNomsNumber, p.index);
    if (p.pncNumber !== null) {
      const c = canonicalPnc(p.pncNumber);
      if (c !== null) this.byPnc.set(c, p.index);
    }
    // Candidate lists may hold an index twice (e.g. alias with the same surname): callers de-duplicate.
    const last = p.lastName.toLowerCase();
    const first = p.firstName.toLowerCase();
    push(this.byName, last, p.index);
    if (first !== last) push(this.byName, first, p.index);
    push(this.byDob, p.dateOfBirth, p.index);
    for (const a of p.aliases) {
      const al = a.lastName.toLowerCase();
      const af = a.firstName.toLowerCase();
      if (al !== last && al !== first) push(this.byName, al, p.index);
      if (af !== last && af !== first && af !== al) push(this.byName, af, p.index);
      if (a.dateOfBirth !== p.dateOfBirth) push(this.byDob, a.dateOfBirth, p.index);
    }
  }

  get(index: number): Person | undefined {
    return this.people[index];
  }

  private readonly memoCache = new Map<string, unknown>();

  /**
   * Deterministic details are cached (bounded, least recently used first out) so that hot people
   * under load are not regenerated on every request. Cached values must never be mutated.
   */
  memo<T>(kind: string, index: number, build: () => T): T {
    const key = `${kind}:${index}`;
    const hit = this.memoCache.get(key);
    if (hit !== undefined) {
      this.memoCache.delete(key);
      this.memoCache.set(key, hit);
      return hit as T;
    }
    const value = build();
    this.memoCache.set(key, value);
    if (this.memoCache.size > MEMO_CAPACITY) {
      const oldest = this.memoCache.keys().next().value;
      if (oldest !== undefined) this.memoCache.delete(oldest);
    }
    return value;
  }

  byCrnValue(crn: string): Person | undefined {
    const i = this.byCrn.get(crn);
    return i === undefined ? undefined : this.people[i];
  }

  /** Current prison number only (merged numbers are not found, as in prisoner search). */
  byPrisonNumberValue(prisonNumber: string): Person | undefined {
    const i = this.byPrisonNumber.get(prisonNumber);
    return i === undefined ? undefined : this.people[i];
  }

  byMergedPrisonNumber(prisonNumber: string): Person | undefined {
    const i = this.byMergedNumber.get(prisonNumber);
    return i === undefined ? undefined : this.people[i];
  }

  /** The person whose Delius record carries this NOMS number. */
  byDeliusNomsNumber(nomsNumber: string): Person | undefined {
    const i = this.byDeliusNoms.get(nomsNumber);
    return i === undefined ? undefined : this.people[i];
  }

  byPncValue(pnc: string): Person | undefined {
    const c = canonicalPnc(pnc);
    const i = c === null ? undefined : this.byPnc.get(c);
    return i === undefined ? undefined : this.people[i];
  }

  /** People whose first name, last name or an alias name equals `name` (case-insensitive). */
  candidatesByName(name: string): readonly number[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  candidatesByDob(dob: string): readonly number[] {
    return this.byDob.get(dob) ?? [];
  }

  byBookingId(bookingId: number): { person: Person; bookingSeq: number } | undefined {
    if (!Number.isInteger(bookingId) || bookingId < BOOKING_BASE) return undefined;
    const offset = bookingId - BOOKING_BASE;
    const person = this.people[Math.floor(offset / 2)];
    const bookingSeq = offset % 2;
    if (person === undefined || person.prisonNumber === null || bookingSeq >= person.bookingCount) return undefined;
    return { person, bookingSeq };
  }
}

/** Booking id of a person's booking: sequence 0 is the latest. */
export function bookingIdFor(person: Person, bookingSeq: number): number {
  return BOOKING_BASE + person.index * 2 + bookingSeq;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function titleFor(sex: Sex, rng: Rng): string {
  return sex === 'M' ? 'Mr' : rng.pick(['Ms', 'Miss', 'Mrs']);
}

function randomDob(rng: Rng): string {
  // born 1955..2006
  return fromDays(toDays('1955-01-01') + rng.int(51 * 365));
}

function buildPerson(seed: string, seedHash: number, index: number, spec: WellKnownSpec | undefined): Person {
  const rng = Rng.of(seed, 'person', index);
  const roll = rng.next();
  let kind: PersonKind = roll < 0.35 ? 'linked' : roll < 0.4 ? 'linked-no-cpr' : roll < 0.68 ? 'prison-only' : 'probation-only';
  if (spec) kind = spec.kind;
  const hasPrison = kind !== 'probation-only';
  const hasProbation = kind !== 'prison-only';

  const sex: Sex = spec?.sex ?? (rng.chance(0.82) ? 'M' : 'F');
  const firstName = spec?.firstName ?? rng.pick(sex === 'M' ? FIRST_NAMES_MALE : FIRST_NAMES_FEMALE);
  const middleNames = spec?.middleNames ?? (rng.chance(0.3) ? [rng.pick(MIDDLE_NAMES)] : []);
  const lastName = spec?.lastName ?? rng.pick(SURNAMES);
  const dateOfBirth = spec?.dateOfBirth ?? randomDob(rng);
  const birthYear = Number(dateOfBirth.slice(0, 4));
  const firstCaughtYear = Math.min(2025, Math.max(1995, birthYear + 17 + rng.int(12)));

  const hasPnc = spec?.pnc ?? rng.chance(0.88);
  const hasCro = spec?.cro ?? rng.chance(0.7);

  const merged = hasPrison && (spec ? spec.merged === true : rng.chance(0.02));
  const prisonNumber = hasPrison ? prisonNumberFor(seedHash, index) : null;
  const mergedPrisonNumbers = merged ? [mergedPrisonNumberFor(seedHash, index)] : [];
  // Delius sometimes still holds the number that was merged away.
  const staleDelius = merged && (spec ? spec.deliusStaleNoms === true : rng.chance(0.5));
  const crn = hasProbation ? crnFor(seedHash, index) : null;
  // A few ordinary linked people's Delius records hold no prison number: only core person record
  // links them (hashed apart from the person stream, so every other value stays as it was).
  const deliusWithoutNoms = !spec && kind === 'linked' && !merged && hash32(seedHash, 'delius-without-noms', index) % 30 === 0;
  const deliusNomsNumber =
    (kind === 'linked' || kind === 'linked-no-cpr') && !deliusWithoutNoms ? (staleDelius ? (mergedPrisonNumbers[0] ?? null) : prisonNumber) : null;

  let prisonId: string | null = null;
  let lastPrisonId: string | null = null;
  let previousPrisonId: string | null = null;
  let previousPrisonLeavingDate: string | null = null;
  let receptionDate: string | null = null;
  if (hasPrison) {
    const current = rng.pick(PRISONS).code;
    const released = spec ? spec.prisonId === 'OUT' : rng.chance(0.2);
    lastPrisonId = spec?.lastPrisonId ?? (spec?.prisonId && spec.prisonId !== 'OUT' ? spec.prisonId : current);
    prisonId = released ? 'OUT' : lastPrisonId;
    const hadPrevious = spec ? spec.previousPrisonId !== undefined : rng.chance(0.3);
    if (hadPrevious) {
      previousPrisonId = spec?.previousPrisonId ?? PRISONS[(PRISONS.findIndex((p) => p.code === lastPrisonId) + 1 + rng.int(PRISONS.length - 1)) % PRISONS.length]?.code ?? null;
    }
    receptionDate = addDays(SNAPSHOT_DATE, -(30 + rng.int(2500)));
    if (previousPrisonId !== null) previousPrisonLeavingDate = addDays(receptionDate, 20 + rng.int(300));
  }

  const aliases: Alias[] = spec?.aliases?.map((a) => ({ ...a, middleNames: [...a.middleNames] })) ?? [];
  if (!spec && rng.chance(0.15)) {
    const n = 1 + rng.int(3);
    for (let a = 0; a < n; a++) {
      const variant = rng.int(3);
      aliases.push({
        firstName: variant === 0 ? rng.pick(sex === 'M' ? FIRST_NAMES_MALE : FIRST_NAMES_FEMALE) : firstName,
        middleNames: [],
        lastName: variant === 1 ? rng.pick(SURNAMES) : lastName,
        dateOfBirth: variant === 2 ? addDays(dateOfBirth, rng.between(-400, 400)) : dateOfBirth,
        sex,
      });
    }
  }

  const longLists = !spec && rng.chance(0.005);
  const manyAlerts = !spec && rng.chance(0.003);
  const alertCount = hasPrison ? (spec?.alertCount ?? (manyAlerts ? 200 + rng.int(61) : weightedSmall(rng, 7))) : 0;
  const addressCount = spec?.addressCount ?? (rng.chance(0.08) ? 0 : longLists ? 20 + rng.int(21) : 1 + rng.int(4));
  const offenceCount = spec?.offenceCount ?? (longLists ? 40 + rng.int(41) : 1 + rng.int(5));
  const supervisionCount = hasProbation ? (spec?.supervisionCount ?? (longLists ? 10 + rng.int(6) : 1 + rng.int(3))) : 0;

  return {
    index,
    key: spec?.key ?? null,
    kind,
    crn,
    prisonNumber,
    mergedPrisonNumbers,
    deliusNomsNumber,
    inCpr: kind !== 'linked-no-cpr',
    title: titleFor(sex, rng),
    firstName,
    middleNames,
    lastName,
    dateOfBirth,
    sex,
    pncNumber: hasPnc ? pncFor(seedHash, index, firstCaughtYear) : null,
    croNumber: hasCro ? croFor(seedHash, index, firstCaughtYear) : null,
    niNumber: rng.chance(0.6) ? niNumberFor(seedHash, index) : null,
    aliases,
    prisonId,
    lastPrisonId,
    previousPrisonId,
    previousPrisonLeavingDate,
    receptionDate,
    bookingCount: hasPrison ? (spec?.bookingCount ?? (rng.chance(0.25) ? 2 : 1)) : 0,
    exclusion: hasProbation && (spec ? spec.exclusion === true : rng.chance(0.01)),
    restriction: hasProbation && (spec ? spec.restriction === true : rng.chance(0.01)),
    activeSupervision: hasProbation && (spec?.activeSupervision ?? rng.chance(0.7)),
    alertCount,
    addressCount,
    offenceCount,
    supervisionCount,
    pomAllocated: hasPrison && prisonId !== 'OUT' && (spec?.pomAllocated ?? rng.chance(0.8)),
  };
}

/** Mostly small counts: 0 is common, `max` is rare. */
function weightedSmall(rng: Rng, max: number): number {
  return Math.floor(Math.pow(rng.next(), 2) * (max + 1));
}
