import { CRN_PATTERN, PRISON_NUMBER_PATTERN } from '../../domain/identifiers.js';
import { withOmitted } from '../../domain/omitted.js';
import { calendarDate } from '../../domain/person.js';
import type { ContractReason } from './errors.js';

/**
 * Decoders for upstream answers (docs/adr/0010-upstream-response-validation.md): hand-written checks
 * of every field the mapping reads, run once per answer at the datasource boundary, before anything
 * is mapped, used as a key or sent on to another upstream. A field of another type than the spec
 * declares is a `shape` violation; a field of the right type outside its format or domain (an id
 * that is not an id, a negative height) a `value` violation.
 *
 * A violation in the answer as a whole (not an array where the spec says array) makes the call fail
 * with a contract fault (UPSTREAM_INVALID_RESPONSE at every path it feeds). A violation inside one
 * item of a list spoils that item only: `items` drops it and reports it (counted and logged as a
 * contract violation), the rest of the list stands, and the list carries how many were dropped
 * (`omittedFrom`, src/domain/omitted.ts): the consumer gets an error at the list's path (ADR 21).
 */
export class ContractViolation extends Error {
  constructor(
    readonly reason: Extract<ContractReason, 'shape' | 'value'>,
    readonly path: string,
    what: string,
  ) {
    // Paths and expectations only: never the offending value (it may be person data).
    super(`${path}: ${what}`);
    this.name = 'ContractViolation';
  }
}

export type Report = (reason: ContractReason, detail: string) => void;

export function shapeError(path: string, what: string): never {
  throw new ContractViolation('shape', path, what);
}

export function valueError(path: string, what: string): never {
  throw new ContractViolation('value', path, what);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function object(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) shapeError(path, 'expected an object');
  return value;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) shapeError(path, 'expected an array');
  return value;
}

/** Absent and `null` are allowed; anything else must be an array. */
export function optionalArray(value: unknown, path: string): unknown[] | null {
  if (value === undefined || value === null) return null;
  return array(value, path);
}

/** Absent and `null` are allowed; anything else must be an object. */
export function optionalObject(value: unknown, path: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  return object(value, path);
}

/** The kinds of field `fields` checks; a trailing `?` allows absent and `null`. */
export type FieldKind =
  | 'string'
  | 'string?'
  | 'number'
  | 'number?'
  | 'integer'
  | 'integer?'
  | 'boolean?'
  | 'date?'
  | 'string[]?'
  | 'object?'
  | 'array?';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Checks the listed fields of an object (other fields are not looked at): throws at the first that does not fit. */
export function fields(obj: Record<string, unknown>, path: string, spec: Record<string, FieldKind>): void {
  for (const name in spec) {
    const kind = spec[name]!;
    const value = obj[name];
    const optional = kind.endsWith('?');
    if (value === undefined || value === null) {
      if (optional) continue;
      shapeError(`${path}.${name}`, 'required field missing or null');
    }
    const base = optional ? kind.slice(0, -1) : kind;
    let ok: boolean;
    switch (base) {
      case 'string':
        ok = typeof value === 'string';
        break;
      case 'number':
        ok = typeof value === 'number' && Number.isFinite(value);
        break;
      case 'integer':
        ok = typeof value === 'number' && Number.isSafeInteger(value);
        break;
      case 'boolean':
        ok = typeof value === 'boolean';
        break;
      case 'date':
        ok = typeof value === 'string';
        if (ok && !ISO_DATE.test(value as string)) valueError(`${path}.${name}`, 'not an ISO date');
        // A day of the calendar (Date.parse takes 2021-02-30 for 2 March), read without a Date.
        if (ok && calendarDate((value as string).slice(0, 10)) === null) valueError(`${path}.${name}`, 'not a calendar date');
        break;
      case 'string[]':
        ok = Array.isArray(value) && value.every((v) => typeof v === 'string' || v === null);
        break;
      case 'object':
        ok = isObject(value);
        break;
      case 'array':
        ok = Array.isArray(value);
        break;
      default:
        ok = false;
    }
    if (!ok) shapeError(`${path}.${name}`, `expected ${base}`);
  }
}

/**
 * An object whose spec declares no required field still has to be that object: one whose fields are
 * all undeclared (another service's JSON) is another document, a `shape` violation, not an answer with
 * every field absent. `{}` stands (a service that leaves out null fields answers "nothing" so).
 */
export function someOf(obj: Record<string, unknown>, path: string, declared: readonly string[]): void {
  let fieldsSeen = false;
  for (const name in obj) {
    if (declared.includes(name)) return;
    fieldsSeen = true;
  }
  if (!fieldsSeen) return;
  shapeError(path, `none of the declared fields (${declared.join(', ')})`);
}

/**
 * The items of a list that pass `check`: an item that throws a ContractViolation is dropped and
 * reported (one bad item spoils that item, not the list), and the list returned is marked with how
 * many were dropped (`omittedFrom`). Other errors are bugs and propagate.
 */
export function items<T>(list: unknown[], path: string, check: (item: unknown, path: string) => T, report: Report): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      out.push(check(list[i], `${path}[${i}]`));
    } catch (e) {
      if (!(e instanceof ContractViolation)) throw e;
      report(e.reason, e.message);
    }
  }
  return withOmitted(out, list.length - out.length);
}

/** Identifier checks: an upstream id that does not fit its format is never used as a key, returned or sent on. */
export function crn(value: unknown, path: string): string {
  if (typeof value !== 'string') shapeError(path, 'expected a CRN string');
  if (!CRN_PATTERN.test(value)) valueError(path, 'not a CRN');
  return value;
}

export function optionalCrn(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return crn(value, path);
}

export function prisonNumber(value: unknown, path: string): string {
  if (typeof value !== 'string') shapeError(path, 'expected a prison number string');
  if (!PRISON_NUMBER_PATTERN.test(value)) valueError(path, 'not a prison number');
  return value;
}

export function optionalPrisonNumber(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return prisonNumber(value, path);
}

/** A booking id: a positive integer, as a number or a string of digits (specs differ). */
export function bookingId(value: unknown, path: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0) valueError(path, 'not a booking id');
    return String(value);
  }
  if (typeof value !== 'string') shapeError(path, 'expected a booking id');
  if (!/^[1-9][0-9]{0,17}$/.test(value)) valueError(path, 'not a booking id');
  return value;
}

/** A number within [min, max] (absent and null allowed). */
export function inRange(obj: Record<string, unknown>, name: string, path: string, min: number, max: number): void {
  const value = obj[name];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) shapeError(`${path}.${name}`, 'expected number');
  if (value < min || value > max) valueError(`${path}.${name}`, `outside ${min}..${max}`);
}

/** An end that is not before its start (both optional ISO dates, already checked by `fields`). */
export function ordered(obj: Record<string, unknown>, start: string, end: string, path: string): void {
  const from = obj[start];
  const to = obj[end];
  if (typeof from === 'string' && typeof to === 'string' && to.slice(0, 10) < from.slice(0, 10)) {
    valueError(`${path}.${end}`, `before ${start}`);
  }
}

/**
 * A batch answer keyed by an identifier (one item per known key): items whose key fits are kept or,
 * when another field does not fit, their keys listed as spoiled (the caller answers those keys with
 * UPSTREAM_INVALID_RESPONSE, never NOT_FOUND). An item whose key is missing or malformed cannot be
 * told apart from any asked key: `unattributable` is then true, and the caller answers every asked key
 * it did not find with UPSTREAM_INVALID_RESPONSE rather than "not known".
 */
export interface KeyedBatch<T> {
  items: T[];
  spoiled: Set<string>;
  unattributable: boolean;
  /** How many entries were left out per key (for lists keyed by person: ADR 21's `omittedEntries`). */
  omitted: Map<string, number>;
  /** How many entries were left out whose key was missing or malformed (any asked key may miss them). */
  unattributed: number;
}

export function keyedBatch<T>(
  list: unknown[],
  path: string,
  keysOf: (item: unknown, path: string) => string[],
  check: (item: unknown, path: string) => T,
  report: Report,
): KeyedBatch<T> {
  const out = emptyBatch<T>();
  for (let i = 0; i < list.length; i++) {
    const at = `${path}[${i}]`;
    let keys: string[];
    try {
      keys = keysOf(list[i], at);
    } catch (e) {
      if (!(e instanceof ContractViolation)) throw e;
      report(e.reason, e.message);
      out.unattributable = true;
      out.unattributed++;
      continue;
    }
    try {
      out.items.push(check(list[i], at));
    } catch (e) {
      if (!(e instanceof ContractViolation)) throw e;
      report(e.reason, e.message);
      for (const key of keys) {
        out.spoiled.add(key);
        out.omitted.set(key, (out.omitted.get(key) ?? 0) + 1);
      }
    }
  }
  return out;
}

export const emptyBatch = <T>(): KeyedBatch<T> => batchOf([]);

/** A batch of entries that all passed their checks. */
export const batchOf = <T>(items: T[]): KeyedBatch<T> => ({ items, spoiled: new Set(), unattributable: false, omitted: new Map(), unattributed: 0 });
