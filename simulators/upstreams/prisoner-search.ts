/** DPS Prisoner Search (dps-prisoner-search.json). */

import { isValidDate } from '../lib/dates.js';
import { canonicalPnc } from '../lib/identifiers.js';
import {
  HttpError,
  type RouteContext,
  type UpstreamDefinition,
  hmppsError,
  intParam,
  listParam,
  objectBody,
  ok,
  optBoolean,
  optString,
  springPage,
} from '../lib/http.js';
import type { Person, Population } from '../lib/population.js';
import { corePrisoner, fullPrisoner, lightPrisoner, selectFields } from './prisoner-view.js';

const MAX_BATCH = 1000;

/** Top-level Prisoner attributes that attribute-search accepts. */
const PRISONER_ATTRIBUTES = new Set([
  'prisonerNumber', 'pncNumber', 'pncNumberCanonicalShort', 'pncNumberCanonicalLong', 'croNumber', 'bookingId', 'bookNumber',
  'title', 'firstName', 'middleNames', 'lastName', 'dateOfBirth', 'gender', 'ethnicity', 'raceCode', 'youthOffender',
  'maritalStatus', 'religion', 'nationality', 'smoker', 'personalCareNeeds', 'languages', 'currentFacialImageId',
  'militaryRecord', 'status', 'lastMovementTypeCode', 'lastMovementReasonCode', 'inOutStatus', 'prisonId', 'prisonName',
  'lastPrisonId', 'previousPrisonId', 'previousPrisonLeavingDate', 'cellLocation', 'aliases', 'alerts', 'csra', 'category',
  'complexityOfNeedLevel', 'legalStatus', 'imprisonmentStatus', 'imprisonmentStatusDescription', 'convictedStatus',
  'mostSeriousOffence', 'recall', 'indeterminateSentence', 'sentenceStartDate', 'releaseDate', 'confirmedReleaseDate',
  'sentenceExpiryDate', 'licenceExpiryDate', 'homeDetentionCurfewEligibilityDate', 'homeDetentionCurfewActualDate',
  'homeDetentionCurfewEndDate', 'topupSupervisionStartDate', 'topupSupervisionExpiryDate', 'additionalDaysAwarded',
  'nonDtoReleaseDate', 'nonDtoReleaseDateType', 'receptionDate', 'lastAdmissionDate', 'paroleEligibilityDate',
  'automaticReleaseDate', 'postRecallReleaseDate', 'conditionalReleaseDate', 'nonParoleDate', 'actualParoleDate',
  'tariffDate', 'releaseOnTemporaryLicenceDate', 'locationDescription', 'restrictedPatient', 'supportingPrisonId',
  'dischargedHospitalId', 'dischargedHospitalDescription', 'dischargeDate', 'dischargeDetails', 'currentIncentive',
  'heightCentimetres', 'weightKilograms', 'hairColour', 'rightEyeColour', 'leftEyeColour', 'facialHair', 'shapeOfFace',
  'build', 'shoeSize', 'tattoos', 'scars', 'marks', 'addresses', 'emailAddresses', 'phoneNumbers', 'identifiers',
  'allConvictedOffences',
]);

const LIST_ATTRIBUTES = new Set([
  'personalCareNeeds', 'languages', 'aliases', 'alerts', 'tattoos', 'scars', 'marks', 'addresses', 'emailAddresses', 'phoneNumbers',
  'identifiers', 'allConvictedOffences',
]);

const CORE_ATTRIBUTES = new Set([
  'prisonerNumber', 'croNumber', 'bookingId', 'firstName', 'middleNames', 'lastName', 'dateOfBirth', 'gender', 'status',
  'inOutStatus', 'prisonId', 'lastPrisonId', 'previousPrisonId',
]);

const LIGHT_ATTRIBUTES = new Set([...CORE_ATTRIBUTES, 'pncNumber', 'pncNumberCanonicalShort', 'pncNumberCanonicalLong', 'cellLocation', 'aliases', 'identifiers']);

// ---------------------------------------------------------------------------------------------
// Attribute-search query model

type Matcher =
  | { type: 'String'; attribute: string; condition: 'IS' | 'IS_NOT' | 'CONTAINS' | 'STARTSWITH' | 'IN'; searchTerm: string }
  | { type: 'Date'; attribute: string; minValue?: string; maxValue?: string; minInclusive: boolean; maxInclusive: boolean }
  | { type: 'DateTime'; attribute: string; minValue?: string; maxValue?: string }
  | { type: 'Int'; attribute: string; minValue?: number; maxValue?: number; minInclusive: boolean; maxInclusive: boolean }
  | { type: 'Boolean'; attribute: string; condition: boolean }
  | { type: 'PNC'; pncNumber: string };

interface Query {
  joinType: 'AND' | 'OR';
  matchers: Matcher[];
  subQueries: Query[];
}

function bad(message: string): never {
  throw new HttpError(400, message);
}

function parseJoin(v: unknown): 'AND' | 'OR' {
  if (v === undefined || v === null) return 'AND';
  if (v === 'AND' || v === 'OR') return v;
  return bad('joinType must be AND or OR');
}

function checkAttribute(attribute: unknown): string {
  if (typeof attribute !== 'string' || attribute === '') bad('matcher attribute is required');
  const root = attribute.split('.')[0] ?? '';
  if (!PRISONER_ATTRIBUTES.has(root)) bad(`Attribute ${attribute} is not a valid attribute`);
  return attribute;
}

function parseMatcher(m: unknown): Matcher {
  if (m === null || typeof m !== 'object') bad('matcher must be an object');
  const o = m as Record<string, unknown>;
  const incl = (v: unknown): boolean => (v === undefined || v === null ? true : v === true);
  switch (o.type) {
    case 'String': {
      const attribute = checkAttribute(o.attribute);
      const condition = o.condition;
      if (condition !== 'IS' && condition !== 'IS_NOT' && condition !== 'CONTAINS' && condition !== 'STARTSWITH' && condition !== 'IN') {
        bad('String matcher condition must be one of IS, IS_NOT, CONTAINS, STARTSWITH, IN');
      }
      if (typeof o.searchTerm !== 'string' || o.searchTerm.trim() === '') bad(`searchTerm is required for attribute ${attribute}`);
      return { type: 'String', attribute, condition, searchTerm: o.searchTerm.trim() };
    }
    case 'Date': {
      const attribute = checkAttribute(o.attribute);
      const minValue = o.minValue ?? undefined;
      const maxValue = o.maxValue ?? undefined;
      if (minValue === undefined && maxValue === undefined) bad(`Date matcher on ${attribute} needs minValue or maxValue`);
      if ((minValue !== undefined && !isValidDate(minValue)) || (maxValue !== undefined && !isValidDate(maxValue))) bad('Date matcher values must be dates (yyyy-MM-dd)');
      return { type: 'Date', attribute, minValue: minValue as string | undefined, maxValue: maxValue as string | undefined, minInclusive: incl(o.minInclusive), maxInclusive: incl(o.maxInclusive) };
    }
    case 'DateTime': {
      const attribute = checkAttribute(o.attribute);
      const minValue = typeof o.minValue === 'string' ? o.minValue : undefined;
      const maxValue = typeof o.maxValue === 'string' ? o.maxValue : undefined;
      if (minValue === undefined && maxValue === undefined) bad(`DateTime matcher on ${attribute} needs minValue or maxValue`);
      return { type: 'DateTime', attribute, minValue, maxValue };
    }
    case 'Int': {
      const attribute = checkAttribute(o.attribute);
      const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : typeof v === 'number' && Number.isInteger(v) ? v : bad('Int matcher values must be integers'));
      const minValue = num(o.minValue);
      const maxValue = num(o.maxValue);
      if (minValue === undefined && maxValue === undefined) bad(`Int matcher on ${attribute} needs minValue or maxValue`);
      return { type: 'Int', attribute, minValue, maxValue, minInclusive: incl(o.minInclusive), maxInclusive: incl(o.maxInclusive) };
    }
    case 'Boolean': {
      const attribute = checkAttribute(o.attribute);
      if (typeof o.condition !== 'boolean') bad('Boolean matcher condition must be true or false');
      return { type: 'Boolean', attribute, condition: o.condition };
    }
    case 'PNC': {
      if (typeof o.pncNumber !== 'string' || o.pncNumber.trim() === '') bad('PNC matcher needs pncNumber');
      return { type: 'PNC', pncNumber: o.pncNumber.trim() };
    }
    default:
      return bad(`Unknown matcher type ${String(o.type)} (Boolean, Date, DateTime, Int, PNC, String)`);
  }
}

function parseQuery(q: unknown, depth = 0): Query {
  if (depth > 10) bad('Queries are nested too deeply');
  if (q === null || typeof q !== 'object') bad('query must be an object');
  const o = q as Record<string, unknown>;
  const matchers = o.matchers === undefined || o.matchers === null ? [] : Array.isArray(o.matchers) ? o.matchers.map(parseMatcher) : bad('matchers must be an array');
  const subQueries = o.subQueries === undefined || o.subQueries === null ? [] : Array.isArray(o.subQueries) ? o.subQueries.map((s) => parseQuery(s, depth + 1)) : bad('subQueries must be an array');
  if (matchers.length === 0 && subQueries.length === 0) bad('Each query must contain at least one matcher or sub-query');
  return { joinType: parseJoin(o.joinType), matchers, subQueries };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

class DocSource {
  private core: Record<string, unknown> | undefined;
  private light: Record<string, unknown> | undefined;
  private full: Record<string, unknown> | undefined;

  constructor(
    private readonly pop: Population,
    public person: Person,
  ) {}

  /** Re-point at another person (one DocSource per scan keeps garbage down). */
  reset(person: Person): this {
    this.person = person;
    this.core = undefined;
    this.light = undefined;
    this.full = undefined;
    return this;
  }

  doc(root: string): Record<string, unknown> {
    if (CORE_ATTRIBUTES.has(root)) {
      this.core ??= corePrisoner(this.person);
      return this.core;
    }
    if (LIGHT_ATTRIBUTES.has(root)) {
      this.light ??= lightPrisoner(this.pop, this.person);
      return this.light;
    }
    this.full ??= fullPrisoner(this.pop, this.person);
    return this.full;
  }
}

function pathValues(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) return value.flatMap((v) => pathValues(v, path));
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  return pathValues((value as Record<string, unknown>)[head ?? ''], rest);
}

function wildcardRegex(term: string): RegExp {
  const escaped = term.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

type ValueTest = (v: unknown) => boolean;
const compiled = new WeakMap<Matcher, ValueTest>();

/** A test of one attribute value; for IS_NOT it tests equality and the caller negates. */
function valueTest(m: Matcher): ValueTest {
  const hit = compiled.get(m);
  if (hit) return hit;
  let test: ValueTest;
  switch (m.type) {
    case 'String': {
      const term = m.searchTerm.toLowerCase();
      const asString = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));
      if (m.condition === 'IS' || m.condition === 'IS_NOT') {
        test = (v) => asString(v)?.toLowerCase() === term;
      } else if (m.condition === 'CONTAINS') {
        const re = /[*?]/.test(m.searchTerm) ? wildcardRegex(m.searchTerm) : undefined;
        test = re
          ? (v) => {
              const sv = asString(v);
              return sv !== undefined && re.test(sv);
            }
          : (v) => asString(v)?.toLowerCase().includes(term) === true;
      } else if (m.condition === 'STARTSWITH') {
        test = (v) => asString(v)?.toLowerCase().startsWith(term) === true;
      } else {
        const options = new Set(m.searchTerm.split(',').map((x) => x.trim()));
        test = (v) => {
          const sv = asString(v);
          return sv !== undefined && options.has(sv);
        };
      }
      break;
    }
    case 'Date':
      test = (v) => typeof v === 'string' && inRange(v.slice(0, 10), m.minValue, m.maxValue, m.minInclusive, m.maxInclusive);
      break;
    case 'DateTime':
      test = (v) => typeof v === 'string' && inRange(v.slice(0, 19), m.minValue?.slice(0, 19), m.maxValue?.slice(0, 19), true, true);
      break;
    case 'Int':
      test = (v) => typeof v === 'number' && inRange(v, m.minValue, m.maxValue, m.minInclusive, m.maxInclusive);
      break;
    case 'Boolean':
      test = (v) => v === m.condition;
      break;
    case 'PNC': {
      const want = canonicalPnc(m.pncNumber);
      test = (v) => want !== null && typeof v === 'string' && canonicalPnc(v) === want;
      break;
    }
  }
  compiled.set(m, test);
  return test;
}

function inRange<T extends string | number>(v: T, min: T | undefined, max: T | undefined, minInc: boolean, maxInc: boolean): boolean {
  if (min !== undefined && (minInc ? v < min : v <= min)) return false;
  if (max !== undefined && (maxInc ? v > max : v >= max)) return false;
  return true;
}

function isNegative(m: Matcher): boolean {
  return m.type === 'String' && m.condition === 'IS_NOT';
}

function matchValues(m: Matcher, values: unknown[]): boolean {
  const test = valueTest(m);
  return isNegative(m) ? !values.some(test) : values.some(test);
}

function attributeOf(m: Matcher): string {
  return m.type === 'PNC' ? 'pncNumber' : m.attribute;
}

/** Scalar attributes read straight from the person model during scans. */
const CORE_GETTERS: Record<string, (p: Person) => string | undefined> = {
  prisonerNumber: (p) => p.prisonNumber ?? undefined,
  firstName: (p) => p.firstName,
  lastName: (p) => p.lastName,
  dateOfBirth: (p) => p.dateOfBirth,
  prisonId: (p) => p.prisonId ?? undefined,
  lastPrisonId: (p) => p.lastPrisonId ?? undefined,
  previousPrisonId: (p) => p.previousPrisonId ?? undefined,
  croNumber: (p) => p.croNumber ?? undefined,
};

function evalMatcher(src: DocSource, m: Matcher): boolean {
  const attribute = attributeOf(m);
  const getter = m.type === 'PNC' ? undefined : CORE_GETTERS[attribute];
  if (getter !== undefined) {
    const hit = valueTest(m)(getter(src.person));
    return isNegative(m) ? !hit : hit;
  }
  const path = attribute.split('.');
  return matchValues(m, pathValues(src.doc(path[0] ?? ''), path));
}

function evalQuery(src: DocSource, q: Query): boolean {
  if (q.joinType === 'OR') {
    return q.matchers.some((m) => evalMatcher(src, m)) || q.subQueries.some((s) => evalQuery(src, s));
  }
  // AND: matchers on the same list (e.g. aliases.firstName + aliases.lastName) must hold for one element.
  let grouped: Map<string, Matcher[]> | undefined;
  for (const m of q.matchers) {
    const attribute = attributeOf(m);
    const dot = attribute.indexOf('.');
    const root = dot < 0 ? attribute : attribute.slice(0, dot);
    if (dot > 0 && LIST_ATTRIBUTES.has(root)) {
      grouped ??= new Map();
      const g = grouped.get(root);
      if (g) g.push(m);
      else grouped.set(root, [m]);
    } else if (!evalMatcher(src, m)) {
      return false;
    }
  }
  for (const [root, ms] of grouped ?? []) {
    const elements = pathValues(src.doc(root), [root]);
    const anyElement = elements.some((el) => ms.every((m) => matchValues(m, pathValues(el, attributeOf(m).split('.').slice(1)))));
    const allNegative = ms.every((m) => m.type === 'String' && m.condition === 'IS_NOT');
    if (!anyElement && !(allNegative && elements.length === 0)) return false;
  }
  return q.subQueries.every((s) => evalQuery(src, s));
}

/** Index-backed candidate narrowing: null means "scan every prisoner". */
function matcherCandidates(pop: Population, m: Matcher): number[] | null {
  if (m.type === 'PNC') {
    const p = pop.byPncValue(m.pncNumber);
    return p ? [p.index] : [];
  }
  if (m.type === 'String' && m.condition === 'IS') {
    switch (m.attribute) {
      case 'prisonerNumber': {
        const p = pop.byPrisonNumberValue(m.searchTerm.toUpperCase());
        return p ? [p.index] : [];
      }
      case 'firstName':
      case 'lastName':
      case 'aliases.firstName':
      case 'aliases.lastName':
        return [...pop.candidatesByName(m.searchTerm)];
      case 'identifiers.value': {
        const v = m.searchTerm.toUpperCase();
        const found = [pop.byMergedPrisonNumber(v), pop.byPncValue(v)].filter((p): p is Person => p !== undefined);
        return found.length > 0 || /^[A-Z][0-9]{4}[A-Z]{2}$/.test(v) ? found.map((p) => p.index) : null;
      }
      default:
        return null;
    }
  }
  if (m.type === 'Date' && (m.attribute === 'dateOfBirth' || m.attribute === 'aliases.dateOfBirth') && m.minValue !== undefined && m.minValue === m.maxValue && m.minInclusive && m.maxInclusive) {
    return [...pop.candidatesByDob(m.minValue)];
  }
  return null;
}

function queryCandidates(pop: Population, q: Query): number[] | null {
  const parts = [...q.matchers.map((m) => matcherCandidates(pop, m)), ...q.subQueries.map((s) => queryCandidates(pop, s))];
  return combineCandidates(parts, q.joinType);
}

function combineCandidates(parts: (number[] | null)[], join: 'AND' | 'OR'): number[] | null {
  if (join === 'AND') {
    let best: number[] | null = null;
    for (const p of parts) if (p !== null && (best === null || p.length < best.length)) best = p;
    return best;
  }
  if (parts.some((p) => p === null)) return null;
  return [...new Set(parts.flatMap((p) => p ?? []))];
}

function byPrisonerNumber(a: Person, b: Person): number {
  const x = a.prisonNumber ?? '';
  const y = b.prisonNumber ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function prisonersFrom(pop: Population, candidates: readonly number[] | null, predicate: (p: Person, src: DocSource) => boolean): Person[] {
  const result: Person[] = [];
  // Candidate lists from the name indexes can repeat an index; the full prisoner list cannot.
  const list = candidates === null ? pop.prisoners : [...new Set(candidates)];
  let src: DocSource | undefined;
  for (const i of list) {
    const p = pop.get(i);
    if (p === undefined || p.prisonNumber === null) continue;
    src = src === undefined ? new DocSource(pop, p) : src.reset(p);
    if (predicate(p, src)) result.push(p);
  }
  return result.sort(byPrisonerNumber);
}

// ---------------------------------------------------------------------------------------------
// Simple-criteria searches (global search, prisoner detail)

function nameMatches(actual: string, wanted: string | undefined, wildcard: boolean): boolean {
  if (wanted === undefined) return true;
  if (wildcard && /[*?]/.test(wanted)) return wildcardRegex(wanted).test(actual);
  return actual.toLowerCase() === wanted.toLowerCase();
}

interface NameCriteria {
  firstName?: string;
  lastName?: string;
  dateOfBirth?: string;
  includeAliases: boolean;
  wildcard: boolean;
}

function personNameMatches(p: Person, c: NameCriteria): boolean {
  const own = nameMatches(p.firstName, c.firstName, c.wildcard) && nameMatches(p.lastName, c.lastName, c.wildcard) && (c.dateOfBirth === undefined || c.dateOfBirth === p.dateOfBirth);
  if (own || !c.includeAliases) return own;
  return p.aliases.some(
    (a) => nameMatches(a.firstName, c.firstName, c.wildcard) && nameMatches(a.lastName, c.lastName, c.wildcard) && (c.dateOfBirth === undefined || c.dateOfBirth === a.dateOfBirth),
  );
}

function nameCandidates(pop: Population, c: NameCriteria): number[] | null {
  if (c.lastName !== undefined && !(c.wildcard && /[*?]/.test(c.lastName))) return [...pop.candidatesByName(c.lastName)];
  if (c.firstName !== undefined && !(c.wildcard && /[*?]/.test(c.firstName))) return [...pop.candidatesByName(c.firstName)];
  if (c.dateOfBirth !== undefined) return [...pop.candidatesByDob(c.dateOfBirth)];
  return null;
}

function dateCriterion(o: Record<string, unknown>, key: string): string | undefined {
  const v = optString(o, key);
  if (v !== undefined && !isValidDate(v)) bad(`${key} must be a date (yyyy-MM-dd)`);
  return v;
}

function identifierMatches(p: Person, id: string): boolean {
  const u = id.toUpperCase();
  if (p.prisonNumber === u) return true;
  if (p.croNumber !== null && p.croNumber.toUpperCase() === u) return true;
  if (String(1_200_000 + p.index * 2) === id) return true;
  const c = canonicalPnc(id);
  return c !== null && p.pncNumber !== null && canonicalPnc(p.pncNumber) === c;
}

// ---------------------------------------------------------------------------------------------

export function createPrisonerSearch(pop: Population): UpstreamDefinition {
  const render = (ctx: RouteContext, p: Person): Record<string, unknown> => selectFields(fullPrisoner(pop, p), listParam(ctx.query, 'responseFields'));

  return {
    name: 'prisonerSearch',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message, status),
    routes: [
      {
        method: 'GET',
        path: '/prisoner/{id}',
        handler: (ctx) => {
          const id = (ctx.params.id ?? '').toUpperCase();
          const p = pop.byPrisonNumberValue(id);
          if (p === undefined) throw new HttpError(404, `Prisoner not found with id ${id}`);
          return ok(render(ctx, p));
        },
      },
      {
        method: 'POST',
        path: '/prisoner-search/prisoner-numbers',
        handler: (ctx) => {
          const body = objectBody(ctx);
          const numbers = body.prisonerNumbers;
          if (!Array.isArray(numbers) || numbers.some((n) => typeof n !== 'string')) bad('prisonerNumbers must be a list of prisoner numbers');
          if (numbers.length === 0) bad('prisonerNumbers must not be empty');
          if (numbers.length > MAX_BATCH) bad(`At most ${MAX_BATCH} prisoner numbers may be requested`);
          const found = new Map<number, Person>();
          for (const n of numbers as string[]) {
            const p = pop.byPrisonNumberValue(n.toUpperCase());
            if (p) found.set(p.index, p);
          }
          return ok([...found.values()].map((p) => render(ctx, p)));
        },
      },
      {
        method: 'POST',
        path: '/attribute-search',
        handler: (ctx) => {
          const body = objectBody(ctx);
          const queriesRaw = body.queries;
          if (!Array.isArray(queriesRaw) || queriesRaw.length === 0) bad('queries must contain at least one query');
          const queries = queriesRaw.map((q) => parseQuery(q));
          const top: Query = { joinType: parseJoin(body.joinType), matchers: [], subQueries: queries };
          const pagination = (body.pagination ?? {}) as Record<string, unknown>;
          const bodyPage = typeof pagination.page === 'number' ? pagination.page : 0;
          const bodySize = typeof pagination.size === 'number' ? pagination.size : 10;
          const page = intParam(ctx.query, 'page', bodyPage, 0, 1_000_000);
          const size = intParam(ctx.query, 'size', bodySize, 1, 10_000);
          if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1) bad('pagination page must be >= 0 and size >= 1');
          const result = prisonersFrom(pop, queryCandidates(pop, top), (_p, src) => evalQuery(src, top));
          const paged = springPage(result, { page, size }, true);
          return ok({ ...paged, content: paged.content.map((p) => render(ctx, p)) });
        },
      },
      {
        method: 'POST',
        path: '/global-search',
        handler: (ctx) => {
          const body = objectBody(ctx);
          const prisonerIdentifier = optString(body, 'prisonerIdentifier');
          const c: NameCriteria = {
            firstName: optString(body, 'firstName'),
            lastName: optString(body, 'lastName'),
            dateOfBirth: dateCriterion(body, 'dateOfBirth'),
            includeAliases: optBoolean(body, 'includeAliases') ?? false,
            wildcard: false,
          };
          const gender = optString(body, 'gender');
          const location = optString(body, 'location');
          if (prisonerIdentifier === undefined && c.firstName === undefined && c.lastName === undefined && c.dateOfBirth === undefined) {
            bad('Invalid search - please provide a minimum of 1 search attribute');
          }
          const page = intParam(ctx.query, 'page', 0, 0, 1_000_000, false);
          const size = intParam(ctx.query, 'size', 10, 1, 100_000, false);
          const candidates = prisonerIdentifier !== undefined ? idCandidates(pop, prisonerIdentifier) : nameCandidates(pop, c);
          const result = prisonersFrom(pop, candidates, (p) => {
            if (prisonerIdentifier !== undefined && !identifierMatches(p, prisonerIdentifier)) return false;
            if (!personNameMatches(p, c)) return false;
            if (gender !== undefined && gender !== 'ALL' && gender !== p.sex) return false;
            if (location === 'IN' && p.prisonId === 'OUT') return false;
            if (location === 'OUT' && p.prisonId !== 'OUT') return false;
            return true;
          });
          const paged = springPage(result, { page, size }, false);
          return ok({ ...paged, content: paged.content.map((p) => render(ctx, p)) });
        },
      },
      {
        method: 'POST',
        path: '/prisoner-detail',
        handler: (ctx) => {
          const body = objectBody(ctx);
          const prisonIds = body.prisonIds;
          if (!Array.isArray(prisonIds) || prisonIds.length === 0 || prisonIds.some((x) => typeof x !== 'string')) bad('prisonIds must be a non-empty list of prison codes');
          const pagination = body.pagination as Record<string, unknown> | undefined;
          if (pagination === undefined || pagination === null || typeof pagination !== 'object') bad('pagination is required');
          const page = pagination.page;
          const size = pagination.size;
          if (typeof page !== 'number' || !Number.isInteger(page) || page < 0) bad('pagination.page must be an integer >= 0');
          if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) bad('pagination.size must be an integer >= 1');
          const prisons = new Set((prisonIds as string[]).map((x) => x.toUpperCase()));
          const c: NameCriteria = {
            firstName: optString(body, 'firstName'),
            lastName: optString(body, 'lastName'),
            dateOfBirth: dateCriterion(body, 'dateOfBirth'),
            includeAliases: optBoolean(body, 'includeAliases') ?? false,
            wildcard: true,
          };
          const nomsNumber = optString(body, 'nomsNumber')?.toUpperCase();
          const pncNumber = optString(body, 'pncNumber');
          const croNumber = optString(body, 'croNumber')?.toUpperCase();
          const wantPnc = pncNumber === undefined ? undefined : canonicalPnc(pncNumber);
          let candidates: number[] | null = nameCandidates(pop, c);
          if (nomsNumber !== undefined) {
            const p = pop.byPrisonNumberValue(nomsNumber);
            candidates = p ? [p.index] : [];
          } else if (pncNumber !== undefined) {
            const p = pop.byPncValue(pncNumber);
            candidates = p ? [p.index] : [];
          }
          const result = prisonersFrom(pop, candidates, (p) => {
            if (p.prisonId === null || !prisons.has(p.prisonId)) return false;
            if (nomsNumber !== undefined && p.prisonNumber !== nomsNumber) return false;
            if (pncNumber !== undefined && (wantPnc === null || p.pncNumber === null || canonicalPnc(p.pncNumber) !== wantPnc)) return false;
            if (croNumber !== undefined && p.croNumber?.toUpperCase() !== croNumber) return false;
            return personNameMatches(p, c);
          });
          const paged = springPage(result, { page, size }, true);
          return ok({ ...paged, content: paged.content.map((p) => render(ctx, p)) });
        },
      },
    ],
  };
}

function idCandidates(pop: Population, id: string): number[] {
  const found = [pop.byPrisonNumberValue(id.toUpperCase()), pop.byPncValue(id)].filter((p): p is Person => p !== undefined);
  const booking = pop.byBookingId(Number(id));
  if (booking) found.push(booking.person);
  if (found.length > 0) return found.map((p) => p.index);
  // CRO numbers are not indexed: fall back to a scan.
  return pop.prisoners.filter((i) => pop.get(i)?.croNumber?.toUpperCase() === id.toUpperCase());
}
