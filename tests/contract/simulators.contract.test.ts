/**
 * Contract tests of the upstream simulators against the real upstream OpenAPI documents.
 *
 * For every route the simulators serve (as reported by `/admin/routes`):
 *  (a) the route must exist, with that method and exact path template, in the real spec;
 *  (b) a request builder must exist below (a served route without one fails, so coverage cannot
 *      silently shrink), issuing requests for every well-known person and the unknown ids;
 *  (c) every response (status + body) is validated against the spec;
 *  (d) every route must have produced at least one validated 2xx response;
 *  (e) a per-route count table is printed at the end.
 * Requests without a token / with a bad or expired token must get 401 (bodies validated where the
 * spec declares a 401 response).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  findTemplate,
  hasSpec,
  specHasRoute,
  validateRequestBody,
  validateResponse,
  type SpecUpstream,
} from '../support/openapi.js';
import { startSimulators, wellKnownPeople, type SimulatorHandle } from '../../local-stack/simulators.js';
import { DEFAULT_SEED, Population } from '../../simulators/lib/population.js';
import { decodePrisonerBatch, PRISONER_RESPONSE_FIELDS } from '../../src/datasources/prisoner-search/decode.js';

type Person = ReturnType<typeof wellKnownPeople>['people'][number];
/** `not-held`: a real well-known id that this particular upstream does not hold (e.g. a prison-only person in Delius). */
type IdKind = 'known' | 'not-held' | 'merged' | 'unknown' | 'batch' | 'search';
type AuthMode = 'valid' | 'none' | 'invalid' | 'expired';

interface Exchange {
  status: number;
  /** Parsed JSON body; `undefined` when the body was empty or not JSON (see `notJson`). */
  body: unknown;
  notJson: boolean;
  contentType: string | null;
  location: string | null;
  rawText: string;
}

interface Probe {
  /** Person key, `unknown`, `batch:...` or `search:...`: shown in failures. */
  subject: string;
  idKind: IdKind;
  /** Concrete path relative to the upstream base URL, with query string. */
  path: string;
  body?: unknown;
  /** Behaviour a consumer would notice (e.g. a known prisoner must be found): message on failure. */
  expect?: (x: Exchange) => string | undefined;
  /** Harvests ids (booking ids, reference codes) for later builders. */
  collect?: (x: Exchange) => void;
}

interface BuildContext {
  people: Person[];
  unknown: { crn: string; prisonNumber: string };
  prisonNumbers: string[];
  mergedNumbers: Array<{ person: Person; old: string }>;
  crns: string[];
  prisonIds: string[];
  bookingIds: Map<string, number>;
  healthTreatCodes: Set<string>;
  /** Licence ids CVL listed for the well-known people (for the per-licence route). */
  licenceIds: Set<number>;
  /** Image ids seen in image lists (phase 1), for the image-bytes route (phase 2). */
  imageIds: Set<number>;
}

type Builder = { phase?: 1 | 2; build: (ctx: BuildContext) => Probe[] };

const POPULATION = 2000;
const CONCURRENCY = 16;
const UNKNOWN_BOOKING_ID = 987654321;
/** Contact event ids seen in `GET /case/{crn}/contacts` answers, asked for one by one in phase 2. */
const contactIds: Array<{ crn: string; id: number }> = [];

/* ---------------- request helpers ---------------- */

const enc = encodeURIComponent;
const qs = (params: Record<string, string | number | boolean | Array<string | number> | undefined>): string => {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${enc(k)}=${enc(String(item))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** GET-style probes for every person with a current prison number, each merged old number, and the unknown one. */
function perPrisonNumber(ctx: BuildContext, path: (n: string) => string, opts: {
  merged?: boolean; expectKnown?: (p: Person) => Probe['expect']; expectUnknown?: Probe['expect']; collect?: (p: Person) => Probe['collect'];
  notHeld?: (p: Person) => boolean; expectMerged?: (p: Person) => Probe['expect'];
} = {}): Probe[] {
  const probes: Probe[] = [];
  for (const p of ctx.people) {
    if (!p.prisonNumber) continue;
    const notHeld = opts.notHeld?.(p) ?? false;
    probes.push({ subject: p.key, idKind: notHeld ? 'not-held' : 'known', path: path(p.prisonNumber),
      expect: notHeld ? undefined : opts.expectKnown?.(p), collect: opts.collect?.(p) });
  }
  if (opts.merged !== false) {
    for (const { person, old } of ctx.mergedNumbers) {
      probes.push({ subject: `${person.key} (merged ${old})`, idKind: 'merged', path: path(old), expect: opts.expectMerged?.(person) });
    }
  }
  probes.push({ subject: `unknown ${ctx.unknown.prisonNumber}`, idKind: 'unknown', path: path(ctx.unknown.prisonNumber), expect: opts.expectUnknown });
  return probes;
}

function perCrn(ctx: BuildContext, path: (crn: string) => string, opts: {
  expectKnown?: (p: Person) => Probe['expect']; expectUnknown?: Probe['expect']; notHeld?: (p: Person) => boolean;
} = {}): Probe[] {
  const probes: Probe[] = [];
  for (const p of ctx.people) {
    if (!p.crn) continue;
    const notHeld = opts.notHeld?.(p) ?? false;
    probes.push({ subject: p.key, idKind: notHeld ? 'not-held' : 'known', path: path(p.crn), expect: notHeld ? undefined : opts.expectKnown?.(p) });
  }
  probes.push({ subject: `unknown ${ctx.unknown.crn}`, idKind: 'unknown', path: path(ctx.unknown.crn), expect: opts.expectUnknown });
  return probes;
}

function perBookingId(ctx: BuildContext, path: (id: number) => string): Probe[] {
  const probes: Probe[] = [];
  for (const p of ctx.people) {
    const id = p.prisonNumber ? ctx.bookingIds.get(p.prisonNumber) : undefined;
    if (id !== undefined) probes.push({ subject: `${p.key} (booking ${id})`, idKind: 'known', path: path(id) });
  }
  probes.push({ subject: `unknown booking ${UNKNOWN_BOOKING_ID}`, idKind: 'unknown', path: path(UNKNOWN_BOOKING_ID) });
  return probes;
}

/** Search probes for every well-known person: by name, by name + DOB, by PNC, by name with aliases. */
function perPersonSearch(ctx: BuildContext, path: string, bodies: {
  byName: (p: Person) => unknown; byDob: (p: Person) => unknown; byPnc?: (p: Person, pnc: string) => unknown;
  withAliases: (p: Person) => unknown; byCrn?: (p: Person, crn: string) => unknown; byNoms?: (p: Person, noms: string) => unknown;
  byCro?: (p: Person, cro: string) => unknown; nobody: () => unknown;
}, expectFound?: (p: Person) => Probe['expect']): Probe[] {
  const probes: Probe[] = [];
  for (const p of ctx.people) {
    // Name-only searches can legitimately page the person out of the first 10 hits: no expectation.
    probes.push({ subject: `search:name ${p.key}`, idKind: 'search', path, body: bodies.byName(p) });
    probes.push({ subject: `search:dob ${p.key}`, idKind: 'search', path, body: bodies.byDob(p), expect: expectFound?.(p) });
    probes.push({ subject: `search:aliases ${p.key}`, idKind: 'search', path, body: bodies.withAliases(p), expect: expectFound?.(p) });
    if (p.pncNumber && bodies.byPnc) probes.push({ subject: `search:pnc ${p.key}`, idKind: 'search', path, body: bodies.byPnc(p, p.pncNumber), expect: expectFound?.(p) });
    if (p.croNumber && bodies.byCro) probes.push({ subject: `search:cro ${p.key}`, idKind: 'search', path, body: bodies.byCro(p, p.croNumber) });
    if (p.crn && bodies.byCrn) probes.push({ subject: `search:crn ${p.key}`, idKind: 'search', path, body: bodies.byCrn(p, p.crn) });
    if (p.prisonNumber && bodies.byNoms) probes.push({ subject: `search:noms ${p.key}`, idKind: 'search', path, body: bodies.byNoms(p, p.prisonNumber) });
  }
  probes.push({ subject: 'search:nobody', idKind: 'search', path, body: bodies.nobody() });
  return probes;
}

/* ---------------- behaviour checks (kept few and obvious) ---------------- */

const expectStatus = (...allowed: number[]) => (x: Exchange): string | undefined =>
  allowed.includes(x.status) ? undefined : `expected status ${allowed.join(' or ')}, got ${x.status}`;

const expectEmptyArray = (x: Exchange): string | undefined =>
  x.status !== 200 ? `expected 200, got ${x.status}` : Array.isArray(x.body) && x.body.length === 0 ? undefined : 'expected an empty array for unknown ids';

function expectArrayContaining(field: (item: Record<string, unknown>) => unknown, wanted: string[], what: string) {
  return (x: Exchange): string | undefined => {
    if (x.status !== 200 || !Array.isArray(x.body)) return `expected 200 with an array, got ${x.status}`;
    const got = new Set(x.body.filter(isObj).map((i) => field(i)));
    const missing = wanted.filter((w) => !got.has(w));
    return missing.length ? `${what} missing from the batch answer: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}` : undefined;
  };
}

/** A search must find the person it was built from when they are known to that service. */
function expectPersonInResults(items: (body: unknown) => unknown[] | undefined, idOf: (item: Record<string, unknown>) => unknown, id: string | null) {
  return (x: Exchange): string | undefined => {
    if (!id) return undefined;
    if (x.status !== 200) return `expected 200, got ${x.status}`;
    const list = items(x.body);
    if (!list) return 'no result list in the answer';
    return list.filter(isObj).some((i) => idOf(i) === id) ? undefined : `search did not return ${id}`;
  };
}

const pageContent = (b: unknown): unknown[] | undefined => (isObj(b) && Array.isArray(b.content) ? b.content : undefined);
const arrayBody = (b: unknown): unknown[] | undefined => (Array.isArray(b) ? b : undefined);
const otherIds = (i: Record<string, unknown>): Record<string, unknown> => (isObj(i.otherIds) ? i.otherIds : {});

/* ---------------- request builders: one per served route ---------------- */

const str = (attribute: string, searchTerm: string) => ({ type: 'String', attribute, condition: 'IS', searchTerm });
const date = (attribute: string, d: string) => ({ type: 'Date', attribute, minValue: d, maxValue: d });
const pagination = { page: 0, size: 10 };

/** Core person record has no record for this kind of well-known person. */
const notInCpr = (p: Person): boolean => p.kind === 'linked-no-cpr';

const BUILDERS: Record<string, Builder> = {
  /* ----- DPS prisoner search ----- */
  'prisonerSearch GET /prisoner/{id}': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}`, {
      expectKnown: (p) => (x) => x.status !== 200 ? `expected 200, got ${x.status}` : isObj(x.body) && x.body.prisonerNumber === p.prisonNumber ? undefined : 'wrong prisonerNumber in answer',
      expectUnknown: expectStatus(404),
      collect: (p) => (x) => {
        if (x.status === 200 && isObj(x.body) && typeof x.body.bookingId === 'string' && /^\d+$/.test(x.body.bookingId) && p.prisonNumber && !ctx.bookingIds.has(p.prisonNumber)) {
          ctx.bookingIds.set(p.prisonNumber, Number(x.body.bookingId));
        }
      },
    }),
  },
  'prisonerSearch POST /prisoner-search/prisoner-numbers': {
    build: (ctx) => [
      { subject: 'batch:all prison numbers (+merged, +unknown)', idKind: 'batch', path: `/prisoner-search/prisoner-numbers`,
        body: { prisonerNumbers: [...ctx.prisonNumbers, ...ctx.mergedNumbers.map((m) => m.old), ctx.unknown.prisonNumber] },
        expect: expectArrayContaining((i) => i.prisonerNumber, ctx.prisonNumbers, 'prisoner numbers') },
      { subject: 'batch:first two', idKind: 'batch', path: `/prisoner-search/prisoner-numbers`, body: { prisonerNumbers: ctx.prisonNumbers.slice(0, 2) } },
      { subject: 'batch:unknown only', idKind: 'unknown', path: `/prisoner-search/prisoner-numbers`, body: { prisonerNumbers: [ctx.unknown.prisonNumber] }, expect: expectEmptyArray },
    ],
  },
  'prisonerSearch POST /attribute-search': {
    build: (ctx) => {
      const path = `/attribute-search${qs({ page: 0, size: 10 })}`;
      const q = (...matchers: unknown[]) => ({ joinType: 'AND', queries: [{ joinType: 'AND', matchers }], pagination });
      const found = (p: Person) => expectPersonInResults(pageContent, (i) => i.prisonerNumber, p.prisonNumber);
      const probes = perPersonSearch(ctx, path, {
        byName: (p) => q(str('firstName', p.firstName), str('lastName', p.lastName)),
        byDob: (p) => q(str('lastName', p.lastName), date('dateOfBirth', p.dateOfBirth)),
        byPnc: (_p, pnc) => q({ type: 'PNC', pncNumber: pnc }),
        // The REST facade's shape: an OR of the person's own names/DOB and the alias names/DOB.
        withAliases: (p) => ({ joinType: 'AND', pagination, queries: [{ joinType: 'OR', subQueries: [
          { joinType: 'AND', matchers: [str('firstName', p.firstName), str('lastName', p.lastName), date('dateOfBirth', p.dateOfBirth)] },
          { joinType: 'AND', matchers: [str('aliases.firstName', p.firstName), str('aliases.lastName', p.lastName), date('aliases.dateOfBirth', p.dateOfBirth)] },
        ] }] }),
        nobody: () => q(str('lastName', 'NOBODY-BY-THIS-NAME')),
      }, found);
      // Prison filter as the facade adds it, and the merged-number lookup it uses after a 404.
      for (const p of ctx.people.filter((x) => x.prisonNumber && x.prisonId)) {
        probes.push({ subject: `search:name+prison ${p.key}`, idKind: 'search', path,
          body: q(str('lastName', p.lastName), { type: 'String', attribute: 'prisonId', condition: 'IN', searchTerm: ctx.prisonIds.join(',') }) });
      }
      for (const { person, old } of ctx.mergedNumbers) {
        probes.push({ subject: `search:merged ${person.key} (${old})`, idKind: 'search', path,
          body: q(str('identifiers.type', 'MERGED'), str('identifiers.value', old)) });
      }
      return probes;
    },
  },
  'prisonerSearch POST /global-search': {
    build: (ctx) => {
      const path = `/global-search${qs({ page: 0, size: 10 })}`;
      const found = (p: Person) => expectPersonInResults(pageContent, (i) => i.prisonerNumber, p.prisonNumber);
      return perPersonSearch(ctx, path, {
        byName: (p) => ({ firstName: p.firstName, lastName: p.lastName, gender: 'ALL', location: 'ALL', includeAliases: false }),
        byDob: (p) => ({ lastName: p.lastName, dateOfBirth: p.dateOfBirth, gender: 'ALL', location: 'ALL' }),
        byPnc: (_p, pnc) => ({ prisonerIdentifier: pnc }),
        byNoms: (_p, noms) => ({ prisonerIdentifier: noms }),
        withAliases: (p) => ({ firstName: p.firstName, lastName: p.lastName, dateOfBirth: p.dateOfBirth, includeAliases: true }),
        nobody: () => ({ lastName: 'NOBODY-BY-THIS-NAME' }),
      }, found);
    },
  },
  'prisonerSearch POST /prisoner-detail': {
    build: (ctx) => {
      const path = `/prisoner-detail`;
      const prisonIds = ctx.prisonIds;
      return perPersonSearch(ctx, path, {
        byName: (p) => ({ firstName: p.firstName, lastName: p.lastName, prisonIds, includeAliases: false, fuzzyMatch: false, pagination }),
        byDob: (p) => ({ lastName: p.lastName, dateOfBirth: p.dateOfBirth, prisonIds, pagination }),
        byPnc: (_p, pnc) => ({ pncNumber: pnc, prisonIds, pagination }),
        byCro: (_p, cro) => ({ croNumber: cro, prisonIds, pagination }),
        byNoms: (_p, noms) => ({ nomsNumber: noms, prisonIds, pagination }),
        withAliases: (p) => ({ firstName: p.firstName, lastName: p.lastName, dateOfBirth: p.dateOfBirth, prisonIds, includeAliases: true, pagination }),
        nobody: () => ({ lastName: 'NOBODY-BY-THIS-NAME', prisonIds, pagination }),
      });
    },
  },

  /* ----- Delius probation offender search ----- */
  'probationSearch POST /crns': {
    build: (ctx) => [
      { subject: 'batch:all crns (+unknown)', idKind: 'batch', path: '/crns', body: [...ctx.crns, ctx.unknown.crn],
        expect: expectArrayContaining((i) => otherIds(i).crn, ctx.crns, 'CRNs') },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/crns', body: [ctx.unknown.crn], expect: expectEmptyArray },
    ],
  },
  'probationSearch POST /nomsNumbers': {
    build: (ctx) => [
      { subject: 'batch:all prison numbers (+merged, +unknown)', idKind: 'batch', path: '/nomsNumbers',
        body: [...ctx.prisonNumbers, ...ctx.mergedNumbers.map((m) => m.old), ctx.unknown.prisonNumber] },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/nomsNumbers', body: [ctx.unknown.prisonNumber], expect: expectEmptyArray },
    ],
  },
  'probationSearch POST /search/people': {
    build: (ctx) => {
      const path = `/search/people${qs({ page: 0, size: 10 })}`;
      const found = (p: Person) => expectPersonInResults(pageContent, (i) => otherIds(i).crn, p.crn);
      return perPersonSearch(ctx, path, {
        byName: (p) => ({ firstName: p.firstName, surname: p.lastName, includeAliases: false }),
        byDob: (p) => ({ surname: p.lastName, dateOfBirth: p.dateOfBirth }),
        byPnc: (_p, pnc) => ({ pncNumber: pnc }),
        byCro: (_p, cro) => ({ croNumber: cro }),
        byCrn: (_p, crn) => ({ crn }),
        byNoms: (_p, noms) => ({ nomsNumber: noms }),
        withAliases: (p) => ({ firstName: p.firstName, surname: p.lastName, dateOfBirth: p.dateOfBirth, includeAliases: true }),
        nobody: () => ({ surname: 'NOBODY-BY-THIS-NAME' }),
      }, found);
    },
  },
  'probationSearch POST /search': {
    build: (ctx) => {
      const found = (p: Person) => expectPersonInResults(arrayBody, (i) => otherIds(i).crn, p.crn);
      return perPersonSearch(ctx, '/search', {
        byName: (p) => ({ firstName: p.firstName, surname: p.lastName }),
        byDob: (p) => ({ surname: p.lastName, dateOfBirth: p.dateOfBirth }),
        byPnc: (_p, pnc) => ({ pncNumber: pnc }),
        byCrn: (_p, crn) => ({ crn }),
        byNoms: (_p, noms) => ({ nomsNumber: noms }),
        withAliases: (p) => ({ firstName: p.firstName, surname: p.lastName, dateOfBirth: p.dateOfBirth, includeAliases: true }),
        nobody: () => ({ surname: 'NOBODY-BY-THIS-NAME' }),
      }, found);
    },
  },

  /* ----- Delius integration ----- */
  'deliusIntegration POST /search/probation-cases': {
    build: (ctx) => {
      const found = (p: Person) => expectPersonInResults(arrayBody, (i) => otherIds(i).crn, p.crn);
      return perPersonSearch(ctx, '/search/probation-cases', {
        byName: (p) => ({ firstName: p.firstName, surname: p.lastName }),
        byDob: (p) => ({ surname: p.lastName, dateOfBirth: p.dateOfBirth }),
        byPnc: (_p, pnc) => ({ pncNumber: pnc }),
        byCrn: (_p, crn) => ({ crn }),
        byNoms: (_p, noms) => ({ nomsNumber: noms }),
        withAliases: (p) => ({ firstName: p.firstName, surname: p.lastName, dateOfBirth: p.dateOfBirth, includeAliases: true }),
        nobody: () => ({ surname: 'NOBODY-BY-THIS-NAME' }),
      }, found);
    },
  },
  'deliusIntegration GET /case/{crn}/supervisions': { build: (ctx) => perCrn(ctx, (c) => `/case/${enc(c)}/supervisions`) },
  'deliusIntegration GET /case/{crn}/addresses': { build: (ctx) => perCrn(ctx, (c) => `/case/${enc(c)}/addresses`) },
  'deliusIntegration GET /case/{crn}/access-limitations': { build: (ctx) => perCrn(ctx, (c) => `/case/${enc(c)}/access-limitations`) },
  'deliusIntegration GET /identifier-converter/noms-to-crn/{nomsId}': {
    // Delius does not hold prison-only people, and holds the OLD number of a merged person.
    build: (ctx) => perPrisonNumber(ctx, (n) => `/identifier-converter/noms-to-crn/${enc(n)}`,
      { notHeld: (p) => !p.crn || p.mergedPrisonNumbers.length > 0 }),
  },
  'deliusIntegration GET /exists-in-delius/crn/{crn}': {
    build: (ctx) => perCrn(ctx, (c) => `/exists-in-delius/crn/${enc(c)}`, {
      expectKnown: () => (x) => x.status === 200 && isObj(x.body) && x.body.existsInDelius === true ? undefined : `expected 200 with existsInDelius true, got ${x.status}`,
    }),
  },
  'deliusIntegration POST /probation-cases/access': {
    build: (ctx) => [
      { subject: 'batch:all crns', idKind: 'batch', path: `/probation-cases/access${qs({ username: 'PERSON_GRAPH_CONTRACT' })}`, body: { crns: ctx.crns } },
      { subject: 'batch:all crns, no username', idKind: 'batch', path: '/probation-cases/access', body: { crns: [...ctx.crns, ctx.unknown.crn] } },
    ],
  },

  // Contact events (issue 17): every case, all MAPPA categories and one only; a second page; ids harvested for the next route.
  'deliusIntegration GET /case/{crn}/contacts': {
    build: (ctx) => [
      ...perCrn(ctx, (c) => `/case/${enc(c)}/contacts${qs({ mappaCategories: [1, 2, 3, 4], page: 0, size: 50 })}`, {
        expectKnown: (p) => (x) => {
          if (x.status !== 200 || !isObj(x.body) || !Array.isArray(x.body.content)) return `expected a 200 page, got ${x.status}`;
          for (const c of x.body.content) if (isObj(c) && typeof c.id === 'number') contactIds.push({ crn: p.crn!, id: c.id });
          return p.key === 'hyphen-name' && x.body.totalResults !== 150 ? `expected 150 contacts, got ${String(x.body.totalResults)}` : undefined;
        },
      }),
      ...perCrn(ctx, (c) => `/case/${enc(c)}/contacts${qs({ mappaCategories: 1, page: 1, size: 10 })}`),
    ],
  },
  'deliusIntegration GET /case/{crn}/contacts/{contactId}': {
    phase: 2,
    build: (ctx) => [
      ...contactIds.slice(0, 40).map(({ crn, id }): Probe => ({
        subject: `${crn} contact ${id}`, idKind: 'known', path: `/case/${enc(crn)}/contacts/${id}${qs({ mappaCategories: [1, 2, 3, 4] })}`, expect: expectStatus(200),
      })),
      { subject: `unknown ${ctx.unknown.crn}`, idKind: 'unknown', path: `/case/${enc(ctx.unknown.crn)}/contacts/1${qs({ mappaCategories: [1, 2, 3, 4] })}` },
    ],
  },

  /* ----- DPS case notes (issue 17) ----- */
  'caseNotes POST /search/case-notes/{personIdentifier}': {
    build: (ctx) => {
      const path = (n: string) => `/search/case-notes/${enc(n)}`;
      const probes: Probe[] = [];
      for (const p of ctx.people) {
        if (!p.prisonNumber) continue;
        probes.push({ subject: p.key, idKind: 'known', path: path(p.prisonNumber), body: { page: 1, size: 20, includeSensitive: false } });
        probes.push({
          subject: `${p.key} (sensitive, by type and date)`, idKind: 'known', path: path(p.prisonNumber),
          body: { page: 1, size: 100, includeSensitive: true, typeSubTypes: [{ type: 'CAB', subTypes: [] }, { type: 'OMIC', subTypes: ['GEN'] }], occurredFrom: '2020-01-01T00:00:00', occurredTo: '2026-12-31T23:59:59' },
        });
      }
      const many = ctx.people.find((p) => p.key === 'long-lists')!;
      probes.push({
        subject: 'long-lists (page 3)', idKind: 'known', path: path(many.prisonNumber!), body: { page: 3, size: 100 },
        expect: (x) => (isObj(x.body) && isObj(x.body.metadata) && Number(x.body.metadata.totalElements) > 300 ? undefined : 'expected hundreds of notes'),
      });
      probes.push({ subject: `unknown ${ctx.unknown.prisonNumber}`, idKind: 'unknown', path: path(ctx.unknown.prisonNumber), body: { page: 1, size: 20 } });
      return probes;
    },
  },

  /* ----- Core person record ----- */
  'personRecord GET /person/probation/{crn}': {
    build: (ctx) => perCrn(ctx, (c) => `/person/probation/${enc(c)}`, { expectUnknown: expectStatus(404), notHeld: notInCpr }),
  },
  'personRecord GET /person/prison/{prisonNumber}': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/person/prison/${enc(n)}`, {
      expectUnknown: expectStatus(404), notHeld: notInCpr,
      // The spec's 301 for a merged-away prison number: it must point at the surviving record.
      expectMerged: (p) => (x) => x.status !== 301 ? undefined
        : x.location?.endsWith(`/person/prison/${p.prisonNumber}`) ? undefined : `301 Location "${x.location}" does not point at /person/prison/${p.prisonNumber}`,
    }),
  },

  /* ----- DPS alerts ----- */
  'alerts GET /prisoners/{prisonNumber}/alerts': {
    build: (ctx) => [
      ...perPrisonNumber(ctx, (n) => `/prisoners/${enc(n)}/alerts${qs({ isActive: true, page: 0, size: 1000, sort: 'activeFrom,DESC' })}`),
      ...perPrisonNumber(ctx, (n) => `/prisoners/${enc(n)}/alerts`, { merged: false }),
    ],
  },
  'alerts POST /search/alerts/prison-numbers': {
    build: (ctx) => [
      { subject: 'batch:all prison numbers (+unknown), active', idKind: 'batch', path: `/search/alerts/prison-numbers${qs({ includeInactive: false })}`,
        body: [...new Set([...ctx.prisonNumbers, ctx.unknown.prisonNumber])] },
      { subject: 'batch:all prison numbers, incl. inactive', idKind: 'batch', path: `/search/alerts/prison-numbers${qs({ includeInactive: true })}`,
        body: [...new Set(ctx.prisonNumbers)] },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/search/alerts/prison-numbers', body: [ctx.unknown.prisonNumber] },
    ],
  },

  /* ----- DPS manage POM cases ----- */
  'managePom GET /api/allocation/{nomsNumber}/primary_pom': { build: (ctx) => perPrisonNumber(ctx, (n) => `/api/allocation/${enc(n)}/primary_pom`) },
  'managePom GET /api/allocation/{nomsNumber}': { build: (ctx) => perPrisonNumber(ctx, (n) => `/api/allocation/${enc(n)}`) },

  /* ----- DPS incentives, health and medication, non-associations (issue 18) ----- */
  'incentives GET /incentive-reviews/prisoner/{prisonerNumber}': {
    // `no-addresses` has never had an incentive review: the service answers 404 for it.
    build: (ctx) => perPrisonNumber(ctx, (n) => `/incentive-reviews/prisoner/${enc(n)}`, { notHeld: (p) => p.key === 'no-addresses' }),
  },
  'incentives POST /incentive-reviews/bookings': {
    phase: 2,
    build: (ctx) => [
      { subject: 'batch:all discovered booking ids (+unknown)', idKind: 'batch', path: '/incentive-reviews/bookings', body: [...ctx.bookingIds.values(), UNKNOWN_BOOKING_ID],
        expect: (x) => Array.isArray(x.body) && x.body.length >= ctx.bookingIds.size - 1 ? undefined : 'expected a level for every reviewed booking' },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/incentive-reviews/bookings', body: [UNKNOWN_BOOKING_ID] },
    ],
  },
  'healthAndMedication GET /prisoners/{prisonerNumber}': {
    // `no-addresses` has no health and medication record (404, like an unknown prisoner).
    build: (ctx) => perPrisonNumber(ctx, (n) => `/prisoners/${enc(n)}`, { notHeld: (p) => p.key === 'no-addresses' }),
  },
  'nonAssociations POST /non-associations/involving': {
    build: (ctx) => [
      { subject: 'batch:all prison numbers (+unknown), open', idKind: 'batch', path: '/non-associations/involving',
        body: [...new Set([...ctx.prisonNumbers, ctx.unknown.prisonNumber])],
        expect: (x) => Array.isArray(x.body) && x.body.length > 0 ? undefined : 'expected the well-known non-associations' },
      { subject: 'batch:all prison numbers, open and closed', idKind: 'batch', path: `/non-associations/involving${qs({ includeOpen: true, includeClosed: true })}`,
        body: [...new Set(ctx.prisonNumbers)] },
      { subject: 'batch:all prison numbers, in MDI only', idKind: 'batch', path: `/non-associations/involving${qs({ prisonId: 'MDI', includeClosed: true })}`,
        body: [...new Set(ctx.prisonNumbers)] },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/non-associations/involving', body: [ctx.unknown.prisonNumber] },
    ],
  },
  'personalRelationships GET /prisoner/{prisonNumber}/contact': {
    build: (ctx) => [
      ...perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}/contact`),
      ...perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}/contact${qs({ page: 0, size: 100, sort: 'lastName,asc' })}`, { merged: false }),
      ...perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}/contact${qs({ emergencyContactOrNextOfKin: true, active: true, relationshipType: 'S' })}`, { merged: false }),
    ],
  },
  'personalRelationships GET /prisoner/{prisonerNumber}/number-of-children': {
    // `no-addresses` has no number of children recorded (404).
    build: (ctx) => perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}/number-of-children`, { notHeld: (p) => p.key === 'no-addresses' }),
  },
  /* ----- DPS manage prison visits (issue 18) ----- */
  'prisonVisits GET /visits/search/future/{prisonerId}': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/visits/search/future/${enc(n)}`, {
      expectKnown: (p) => (x) => (x.status === 200 && Array.isArray(x.body) && x.body.filter(isObj).every((v) => v.prisonerId === p.prisonNumber && v.visitStatus === 'BOOKED')
        ? undefined : `expected 200 with ${p.prisonNumber}'s booked visits, got ${x.status}`),
      expectUnknown: expectEmptyArray,
    }),
  },
  'prisonVisits GET /visits/search': {
    build: (ctx) => {
      const search = (n: string, extra: Record<string, string | number | undefined> = {}) =>
        `/visits/search${qs({ prisonerId: n, visitStatus: 'BOOKED,CANCELLED', page: 0, size: 20, ...extra })}`;
      const inPrisonerPage = (p: Person) => (x: Exchange) => (x.status === 200 && isObj(x.body) && Array.isArray(x.body.content)
        && x.body.content.filter(isObj).every((v) => v.prisonerId === p.prisonNumber) ? undefined : `expected 200 with a page of ${p.prisonNumber}'s visits, got ${x.status}`);
      return [
        ...perPrisonNumber(ctx, (n) => search(n), { expectKnown: inPrisonerPage }),
        ...perPrisonNumber(ctx, (n) => search(n, { visitStartDate: '2025-01-01', visitEndDate: '2030-12-31', page: 1, size: 5 }), { merged: false }),
        ...perPrisonNumber(ctx, (n) => search(n, { visitStatus: 'CANCELLED', size: 100 }), { merged: false }),
        ...perPrisonNumber(ctx, (n) => search(n, { prisonId: 'MDI' }), { merged: false }),
        { subject: 'search:no status', idKind: 'search', path: `/visits/search${qs({ prisonerId: ctx.unknown.prisonNumber, page: 0, size: 20 })}`, expect: expectStatus(400) },
        { subject: 'search:no prisoner or prison', idKind: 'search', path: `/visits/search${qs({ visitStatus: 'BOOKED', page: 0, size: 20 })}`, expect: expectStatus(400) },
      ];
    },
  },
  'nonAssociations GET /prisoner/{prisonerNumber}/non-associations': {
    build: (ctx) => [
      ...perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}/non-associations`),
      ...perPrisonNumber(ctx, (n) => `/prisoner/${enc(n)}/non-associations${qs({ includeClosed: true, includeOtherPrisons: true })}`, { merged: false }),
    ],
  },

  /* ----- Nomis prison API ----- */
  'prisonApi GET /api/offenders/{offenderNo}': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/api/offenders/${enc(n)}`, {
      expectKnown: (p) => (x) => x.status !== 200 ? `expected 200, got ${x.status}` : isObj(x.body) && x.body.offenderNo === p.prisonNumber ? undefined : 'wrong offenderNo in answer',
      expectUnknown: expectStatus(404),
      collect: (p) => (x) => {
        if (x.status === 200 && isObj(x.body) && typeof x.body.bookingId === 'number' && p.prisonNumber) ctx.bookingIds.set(p.prisonNumber, x.body.bookingId);
      },
    }),
  },
  'prisonApi GET /api/offenders/{offenderNo}/addresses': { build: (ctx) => perPrisonNumber(ctx, (n) => `/api/offenders/${enc(n)}/addresses`) },
  'prisonApi GET /api/bookings/offenderNo/{offenderNo}/offenceHistory': {
    build: (ctx) => [
      ...perPrisonNumber(ctx, (n) => `/api/bookings/offenderNo/${enc(n)}/offenceHistory`),
      ...perPrisonNumber(ctx, (n) => `/api/bookings/offenderNo/${enc(n)}/offenceHistory${qs({ convictionsOnly: false })}`, { merged: false }),
    ],
  },
  'prisonApi GET /api/offender-sentences': {
    build: (ctx) => [
      { subject: 'batch:all prison numbers (+unknown)', idKind: 'batch', path: `/api/offender-sentences${qs({ offenderNo: [...ctx.prisonNumbers, ctx.unknown.prisonNumber] })}` },
      ...ctx.prisonIds.slice(0, 3).map((agencyId): Probe => ({ subject: `batch:agency ${agencyId} + numbers`, idKind: 'batch',
        path: `/api/offender-sentences${qs({ agencyId, offenderNo: ctx.prisonNumbers })}` })),
    ],
  },
  'prisonApi POST /api/offender-sentences': {
    build: (ctx) => [
      { subject: 'batch:all prison numbers (+unknown)', idKind: 'batch', path: '/api/offender-sentences', body: [...ctx.prisonNumbers, ctx.unknown.prisonNumber] },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/api/offender-sentences', body: [ctx.unknown.prisonNumber] },
    ],
  },
  'prisonApi POST /api/offender-sentences/bookings': {
    phase: 2,
    build: (ctx) => [
      { subject: 'batch:all discovered booking ids (+unknown)', idKind: 'batch', path: '/api/offender-sentences/bookings', body: [...ctx.bookingIds.values(), UNKNOWN_BOOKING_ID] },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/api/offender-sentences/bookings', body: [UNKNOWN_BOOKING_ID] },
    ],
  },
  'prisonApi POST /api/bookings/offence-history': {
    phase: 2,
    build: (ctx) => [
      { subject: 'batch:all discovered booking ids (+unknown)', idKind: 'batch', path: '/api/bookings/offence-history', body: [...ctx.bookingIds.values(), UNKNOWN_BOOKING_ID] },
      { subject: 'batch:unknown only', idKind: 'unknown', path: '/api/bookings/offence-history', body: [UNKNOWN_BOOKING_ID] },
    ],
  },
  'prisonApi GET /api/offender-sentences/booking/{bookingId}/sentences-and-offences': {
    phase: 2,
    build: (ctx) => perBookingId(ctx, (id) => `/api/offender-sentences/booking/${id}/sentences-and-offences`),
  },
  'prisonApi GET /api/offenders/{offenderNo}/booking/latest/sentence-summary': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/api/offenders/${enc(n)}/booking/latest/sentence-summary`),
  },
  'prisonApi GET /api/offenders/{offenderNo}/sentences': { build: (ctx) => perPrisonNumber(ctx, (n) => `/api/offenders/${enc(n)}/sentences`) },
  'prisonApi GET /api/images/offenders/{offenderNo}': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/api/images/offenders/${enc(n)}`, {
      collect: () => (x) => {
        if (x.status === 200 && Array.isArray(x.body)) for (const i of x.body.filter(isObj)) if (typeof i.imageId === 'number') ctx.imageIds.add(i.imageId);
      },
    }),
  },
  'prisonApi GET /api/bookings/offenderNo/{offenderNo}/visit/balances': {
    // A released person and `no-addresses` hold no visit orders balance (404).
    build: (ctx) => perPrisonNumber(ctx, (n) => `/api/bookings/offenderNo/${enc(n)}/visit/balances`, {
      notHeld: (p) => p.key === 'released' || p.key === 'no-addresses',
      expectKnown: () => (x) => (x.status === 200 && isObj(x.body) && typeof x.body.remainingVo === 'number' ? undefined : `expected 200 with a balance, got ${x.status}`),
      expectUnknown: expectStatus(404),
    }),
  },
  'prisonApi GET /api/offenders/{offenderNo}/offender-restrictions': {
    build: (ctx) => [
      ...perPrisonNumber(ctx, (n) => `/api/offenders/${enc(n)}/offender-restrictions`),
      ...perPrisonNumber(ctx, (n) => `/api/offenders/${enc(n)}/offender-restrictions${qs({ activeRestrictionsOnly: false })}`, { merged: false }),
    ],
  },
  'prisonApi POST /api/bookings/offenders': {
    build: (ctx) => {
      const collect = (x: Exchange): void => {
        if (x.status !== 200 || !Array.isArray(x.body)) return;
        for (const i of x.body.filter(isObj)) {
          if (typeof i.offenderNo === 'string' && typeof i.bookingId === 'number' && !ctx.bookingIds.has(i.offenderNo)) ctx.bookingIds.set(i.offenderNo, i.bookingId);
        }
      };
      const all = [...new Set([...ctx.prisonNumbers, ctx.unknown.prisonNumber])];
      return [
        { subject: 'batch:all prison numbers, active only', idKind: 'batch', path: `/api/bookings/offenders${qs({ activeOnly: true })}`, body: all, collect },
        { subject: 'batch:all prison numbers, incl. inactive', idKind: 'batch', path: `/api/bookings/offenders${qs({ activeOnly: false })}`, body: all, collect },
        { subject: 'batch:unknown only', idKind: 'unknown', path: `/api/bookings/offenders${qs({ activeOnly: false })}`, body: [ctx.unknown.prisonNumber] },
      ];
    },
  },
  'prisonApi GET /api/reference-domains/domains/{domain}/codes': {
    build: (ctx) => [
      { subject: 'reference:HEALTH_TREAT', idKind: 'known', path: '/api/reference-domains/domains/HEALTH_TREAT/codes', expect: expectStatus(200),
        collect: (x) => {
          if (x.status === 200 && Array.isArray(x.body)) for (const c of x.body.filter(isObj)) if (typeof c.code === 'string') ctx.healthTreatCodes.add(c.code);
        } },
      { subject: 'reference:unknown domain', idKind: 'unknown', path: '/api/reference-domains/domains/NO_SUCH_DOMAIN/codes' },
    ],
  },
  'prisonApi GET /api/agencies/{agencyId}': {
    build: () => [
      { subject: 'agency:MDI', idKind: 'known', path: '/api/agencies/MDI', expect: expectStatus(200) },
      { subject: 'agency:unknown', idKind: 'unknown', path: '/api/agencies/ZZZ' },
    ],
  },
  /* ----- DPS manage adjudications (issue 18) ----- */
  'adjudications GET /reported-adjudications/prisoner/{prisonerNumber}': {
    build: (ctx) => perPrisonNumber(ctx, (n) => `/reported-adjudications/prisoner/${enc(n)}`, {
      expectKnown: (p) => (x) => (x.status === 200 && Array.isArray(x.body) && x.body.filter(isObj).every((a) => a.prisonerNumber === p.prisonNumber) ? undefined : `expected 200 with ${p.prisonNumber}'s adjudications, got ${x.status}`),
      expectUnknown: expectEmptyArray,
    }),
  },

  /* ----- Nomis prison API: prison life (issue 18) ----- */
  'prisonApi POST /api/movements/offenders': {
    build: (ctx) => {
      const all = [...new Set([...ctx.prisonNumbers, ctx.unknown.prisonNumber])];
      return [
        { subject: 'batch:all prison numbers, every movement of every booking', idKind: 'batch', path: `/api/movements/offenders${qs({ latestOnly: false, allBookings: true })}`, body: all,
          expect: expectArrayContaining((i) => i.offenderNo, ctx.prisonNumbers, 'prison numbers') },
        { subject: 'batch:all prison numbers, defaults (latest only)', idKind: 'batch', path: '/api/movements/offenders', body: all },
        { subject: 'batch:court and transfer movements only', idKind: 'batch', path: `/api/movements/offenders${qs({ latestOnly: false, movementTypes: ['CRT', 'TRN'] })}`, body: all },
        { subject: 'batch:unknown only', idKind: 'unknown', path: `/api/movements/offenders${qs({ latestOnly: false, allBookings: true })}`, body: [ctx.unknown.prisonNumber], expect: expectEmptyArray },
      ];
    },
  },
  'prisonApi GET /api/adjustments/{bookingId}/sentence-and-booking': {
    phase: 2,
    build: (ctx) => perBookingId(ctx, (id) => `/api/adjustments/${id}/sentence-and-booking`),
  },
  'prisonApi GET /api/images/{imageId}/data': {
    phase: 2,
    build: (ctx) => [
      ...[...ctx.imageIds].slice(0, 12).map((id): Probe => ({ subject: `image ${id}`, idKind: 'known', path: `/api/images/${id}/data`,
        expect: (x) => (x.status === 200 && x.contentType === 'image/jpeg' && x.rawText.length > 0 ? undefined : `expected 200 image/jpeg, got ${x.status} ${x.contentType}`) })),
      { subject: 'image: unknown id', idKind: 'unknown', path: `/api/images/${UNKNOWN_BOOKING_ID}/data` },
    ],
  },
  'prisonApi GET /api/bookings/{bookingId}/reasonable-adjustments': {
    phase: 2,
    build: (ctx) => {
      const types = ctx.healthTreatCodes.size ? [...ctx.healthTreatCodes] : ['PEEP', 'WHEELCHR_ACC'];
      return perBookingId(ctx, (id) => `/api/bookings/${id}/reasonable-adjustments${qs({ type: types })}`);
    },
  },
};

/* ---------------- issue 17: risks and needs (ARNS), licences (CVL) ---------------- */

/**
 * Risk and licence data is random for everyone but the well-known people: 300 generated people with a
 * CRN are asked too (all assessment shapes, both predictor generations, every licence type and status).
 */
const RISK_SAMPLE = (() => {
  const population = new Population({ size: POPULATION, seed: DEFAULT_SEED });
  return population.probationCases.filter((i) => population.get(i)!.key === null).slice(0, 300).map((i) => population.get(i)!.crn!);
})();
const sampled = (path: (crn: string) => string, collect?: (x: Exchange) => void): Probe[] =>
  RISK_SAMPLE.map((crn) => ({ subject: `sample ${crn}`, idKind: 'known', path: path(crn), ...(collect ? { collect } : {}) }));

const RISK_BUILDERS: Record<string, Builder> = {
  'arns GET /risks/predictors/unsafe/all/{identifierType}/{identifierValue}': {
    build: (ctx) => [
      ...perCrn(ctx, (c) => `/risks/predictors/unsafe/all/CRN/${enc(c)}`, { expectKnown: () => expectStatus(200), expectUnknown: expectStatus(404) }),
      ...sampled((c) => `/risks/predictors/unsafe/all/CRN/${enc(c)}`),
    ],
  },
  // No serious-harm summary (404) for people never assessed or last assessed more than a year ago.
  'arns GET /risks/rosh/{crn}': {
    build: (ctx) => [
      ...perCrn(ctx, (c) => `/risks/rosh/${enc(c)}`, { expectKnown: () => expectStatus(200, 404), expectUnknown: expectStatus(404) }),
      ...sampled((c) => `/risks/rosh/${enc(c)}`),
    ],
  },
  'arns GET /risks/risk-management-plan/{crn}': {
    build: (ctx) => [
      ...perCrn(ctx, (c) => `/risks/risk-management-plan/${enc(c)}`, { expectKnown: () => expectStatus(200), expectUnknown: expectStatus(404) }),
      ...sampled((c) => `/risks/risk-management-plan/${enc(c)}`),
    ],
  },
  'arns GET /needs/{crn}': {
    build: (ctx) => [
      ...perCrn(ctx, (c) => `/needs/${enc(c)}`, { expectKnown: () => expectStatus(200, 404), expectUnknown: expectStatus(404) }),
      ...perCrn(ctx, (c) => `/needs/${enc(c)}${qs({ excludeIncomplete: true })}`),
      ...sampled((c) => `/needs/${enc(c)}`),
    ],
  },
  'cvl GET /public/licence-summaries/crn/{crn}': {
    build: (ctx) => {
      const collect = (x: Exchange): void => {
        if (Array.isArray(x.body)) for (const l of x.body.filter(isObj)) if (typeof l.id === 'number') ctx.licenceIds.add(l.id);
      };
      return [
        ...perCrn(ctx, (c) => `/public/licence-summaries/crn/${enc(c)}`, { expectKnown: () => (x) => {
          collect(x);
          return x.status === 200 ? undefined : `expected 200, got ${x.status}`;
        } }),
        ...sampled((c) => `/public/licence-summaries/crn/${enc(c)}`, collect),
      ];
    },
  },
  'cvl GET /public/licences/id/{licenceId}': {
    phase: 2,
    build: (ctx) => [
      ...[...ctx.licenceIds].map((id): Probe => ({ subject: `licence ${id}`, idKind: 'known', path: `/public/licences/id/${id}`, expect: expectStatus(200) })),
      { subject: 'licence unknown', idKind: 'unknown', path: '/public/licences/id/1', expect: expectStatus(404) },
    ],
  },
};
Object.assign(BUILDERS, RISK_BUILDERS);

/* ---------------- bookkeeping ---------------- */

/** `u404`/`u401`: accepted 404 (id not held) / 401 (no or bad token) on operations whose spec lists no such status. */
interface RouteStats { total: number; s2xx: number; s3xx: number; s4xx: number; s5xx: number; u404: number; u401: number; failed: number }
interface Failure { route: string; subject: string; request: string; status: number | string; problems: string[] }

const stats = new Map<string, RouteStats>();
const failures: Failure[] = [];
const notes: string[] = [];
let served: Record<string, string[]> = {};
let handle: SimulatorHandle | undefined;
let startupError: unknown;
let mainRunDone = false;
const firstProbe = new Map<string, Probe>();
/** One schema-checked 2xx JSON body per route, for the mutation test. */
const samples = new Map<string, { upstream: SpecUpstream; method: string; path: string; status: number; body: unknown }>();

function statFor(routeKey: string): RouteStats {
  let s = stats.get(routeKey);
  if (!s) {
    s = { total: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, u404: 0, u401: 0, failed: 0 };
    stats.set(routeKey, s);
  }
  return s;
}

function servedRouteKeys(): Array<{ upstream: string; method: string; template: string; key: string }> {
  const out: Array<{ upstream: string; method: string; template: string; key: string }> = [];
  for (const [upstream, routes] of Object.entries(served)) {
    if (upstream === 'admin') continue;
    for (const r of routes) {
      const [method = '', template = ''] = r.trim().split(/\s+/, 2);
      if (upstream === 'auth' && /token/i.test(template)) continue;
      out.push({ upstream, method: method.toUpperCase(), template, key: `${upstream} ${method.toUpperCase()} ${template}` });
    }
  }
  return out;
}

async function exchange(upstream: SpecUpstream, method: string, probe: Probe, auth: AuthMode, token: string): Promise<Exchange> {
  if (!handle) throw new Error('simulators not started');
  const base = handle.urls[upstream].replace(/\/+$/, '');
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (auth === 'valid' || auth === 'expired') headers.Authorization = `Bearer ${token}`;
  if (auth === 'invalid') headers.Authorization = 'Bearer not-a-token-issued-by-the-simulator';
  if (probe.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${probe.path}`, {
    method, headers, redirect: 'manual', signal: AbortSignal.timeout(15_000),
    body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
  });
  const rawText = await res.text();
  let body: unknown;
  let notJson = false;
  if (rawText.length > 0) {
    try {
      body = JSON.parse(rawText);
    } catch {
      notJson = true;
    }
  }
  return { status: res.status, body, notJson, contentType: res.headers.get('content-type'), location: res.headers.get('location'), rawText };
}

/** Issues one probe, validates request and response, records stats and failures. */
async function runProbe(upstream: SpecUpstream, method: string, template: string, probe: Probe, auth: AuthMode, token: string): Promise<Exchange | undefined> {
  const routeKey = `${upstream} ${method} ${template}`;
  const request = `${method} ${probe.path}${auth === 'valid' ? '' : ` [auth: ${auth}]`}`;
  const subject = probe.subject;
  const st = statFor(routeKey);

  if (auth === 'valid' && probe.body !== undefined) {
    const rq = validateRequestBody(upstream, method, probe.path, probe.body);
    if (!rq.valid) failures.push({ route: routeKey, subject, request, status: '(request)', problems: ['test bug: request body breaks the spec', ...rq.errors.slice(0, 4)] });
  }
  const matched = findTemplate(upstream, method, probe.path);
  if (matched !== template) {
    failures.push({ route: routeKey, subject, request, status: '(request)', problems: [`test bug: ${probe.path} matches ${matched ?? 'no template'}, not ${template}`] });
  }

  let x: Exchange;
  try {
    x = await exchange(upstream, method, probe, auth, token);
  } catch (err) {
    st.total++;
    st.failed++;
    failures.push({ route: routeKey, subject, request, status: 'no response', problems: [String(err)] });
    return undefined;
  }
  st.total++;
  const cls = Math.floor(x.status / 100);
  if (cls === 2) st.s2xx++;
  else if (cls === 3) st.s3xx++;
  else if (cls === 4) st.s4xx++;
  else if (cls === 5) st.s5xx++;

  const problems: string[] = [];
  // A body declared as something else (a JPEG) is checked by its content type below, not parsed.
  const binary = x.contentType !== null && !/json/i.test(x.contentType) && x.status < 300;
  if (x.notJson && !binary) problems.push(`body is not JSON: ${x.rawText.slice(0, 80)}`);
  const v = validateResponse(upstream, method, probe.path, x.status, x.body, { contentType: x.rawText.length ? x.contentType : undefined });

  if (auth !== 'valid') {
    // Every one of these specs declares bearer-token security, so 401 is the contract even where
    // the operation does not list a 401 response; its body is validated wherever one is declared.
    if (x.status !== 401) problems.push(`expected 401 for a request with ${auth === 'none' ? 'no' : `an ${auth}`} token, got ${x.status}`);
    else if (!v.valid && v.undeclaredStatus) st.u401++;
    else if (!v.valid) problems.push(...v.errors.slice(0, 6));
  } else if (x.notJson && !binary) {
    // Already reported above; schema errors on a body that is not JSON would only add noise.
  } else if (x.status >= 500) {
    problems.push(`server error ${x.status}: ${x.rawText.slice(0, 120)}`);
  } else if (!v.valid && v.undeclaredStatus && x.status === 404 && ['unknown', 'merged', 'not-held'].includes(probe.idKind)) {
    // The generated specs omit Spring's error responses on some operations (e.g. prisoner-search
    // GET /prisoner/{id} declares only 200): a 404 for an id the service does not hold is the only
    // sane answer there, so it is counted (column "404 undecl.") rather than failed.
    st.u404++;
  } else if (!v.valid) {
    problems.push(...v.errors.slice(0, 6));
  }
  if (auth === 'valid' && probe.expect) {
    const m = probe.expect(x);
    if (m) problems.push(`behaviour: ${m}`);
  }
  if (auth === 'valid' && problems.length === 0 && v.schemaChecked && cls === 2 && x.body !== undefined && !samples.has(routeKey)) {
    samples.set(routeKey, { upstream, method, path: probe.path, status: x.status, body: x.body });
  }
  if (problems.length) {
    st.failed++;
    failures.push({ route: routeKey, subject, request, status: x.status, problems });
  }
  if (auth === 'valid') probe.collect?.(x);
  return x;
}

/** The first JSON object in a body (root, or first element / page content first element). */
function firstObject(body: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(body)) return body.map(firstObject).find((o) => o !== undefined);
  if (!isObj(body)) return undefined;
  for (const v of Object.values(body)) {
    if (Array.isArray(v) && v.some(isObj)) return v.find(isObj) as Record<string, unknown>;
  }
  return body;
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function buildContext(): BuildContext {
  const wk = wellKnownPeople();
  const people = wk.people;
  const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
  return {
    people,
    unknown: wk.unknown,
    prisonNumbers: uniq(people.map((p) => p.prisonNumber).filter((n): n is string => !!n)),
    mergedNumbers: people.flatMap((p) => p.mergedPrisonNumbers.map((old) => ({ person: p, old }))),
    crns: uniq(people.map((p) => p.crn).filter((c): c is string => !!c)),
    prisonIds: uniq(people.map((p) => p.prisonId).filter((c): c is string => !!c)).sort(),
    bookingIds: new Map(),
    healthTreatCodes: new Set(),
    licenceIds: new Set(),
    imageIds: new Set(),
  };
}

function formatFailures(list: Failure[], max = 40): string {
  const byRoute = new Map<string, Failure[]>();
  for (const f of list) byRoute.set(f.route, [...(byRoute.get(f.route) ?? []), f]);
  const lines: string[] = [`${list.length} response(s) broke the upstream contract, on ${byRoute.size} route(s):`];
  let shown = 0;
  for (const [route, fs] of byRoute) {
    lines.push(`\n● ${route}: ${fs.length} failing`);
    for (const f of fs.slice(0, 3)) {
      if (shown++ >= max) break;
      lines.push(`  - ${f.subject} -> ${f.status}  (${f.request})`);
      for (const p of f.problems.slice(0, 5)) lines.push(`      ${p}`);
    }
    if (fs.length > 3) lines.push(`  ... ${fs.length - 3} more on this route (e.g. ${fs.slice(3, 6).map((f) => f.subject).join('; ')})`);
  }
  return lines.join('\n');
}

function printTable(): void {
  const keys = [...stats.keys()].sort();
  const head = ['route', 'responses', '2xx', '3xx', '4xx', '5xx', '404 undecl.', '401 undecl.', 'failed'];
  const cols = (s: RouteStats): number[] => [s.total, s.s2xx, s.s3xx, s.s4xx, s.s5xx, s.u404, s.u401, s.failed];
  const rows = keys.map((k) => [k, ...cols(stats.get(k)!).map(String)]);
  const tot = keys.reduce((a, k) => cols(stats.get(k)!).map((n, i) => n + a[i]!), new Array<number>(head.length - 1).fill(0));
  rows.push(['TOTAL', ...tot.map(String)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [
    '',
    'Upstream contract validation: responses validated per simulator route',
    'Every response is validated (status + body). "undecl." = accepted although the operation lists no such status, body unchecked:',
    '404 for an id that upstream does not hold (unknown / merged / not held there), 401 for a missing, forged or expired token.',
    fmt(head), sep, ...rows.slice(0, -1).map(fmt), sep, fmt(rows[rows.length - 1]!),
    ...(notes.length ? ['', ...notes] : []),
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/* ---------------- the tests ---------------- */

describe('upstream simulators honour the real upstream contracts', () => {
  beforeAll(async () => {
    try {
      handle = await startSimulators({ population: POPULATION, timeoutMs: 45_000 });
      served = await handle.routes();
    } catch (err) {
      startupError = err;
    }
  }, 60_000);

  afterAll(async () => {
    try {
      if (stats.size > 0) printTable();
    } finally {
      await handle?.stop();
    }
  }, 20_000);

  it('starts and reports the routes it serves', () => {
    expect(startupError).toBeUndefined();
    expect(handle).toBeDefined();
    expect(servedRouteKeys().length).toBeGreaterThan(0);
  });

  it('serves only routes that exist, with that method and exact path template, in the real specs', () => {
    const notInSpec = servedRouteKeys()
      .filter((r) => !(hasSpec(r.upstream) && specHasRoute(r.upstream, r.method, r.template)))
      .map((r) => (hasSpec(r.upstream) ? `${r.key}  (not in ${r.upstream}'s spec)` : `${r.key}  (no spec exists for upstream "${r.upstream}")`));
    expect(notInSpec).toEqual([]);
  });

  it('has a request builder for every served route (so coverage cannot silently shrink)', () => {
    const missing = servedRouteKeys().filter((r) => !BUILDERS[r.key]).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('answers every well-known person, the merged numbers and the unknown ids within the contract', async () => {
    expect(handle).toBeDefined();
    const token = await handle!.token();
    const ctx = buildContext();
    expect(ctx.people.length).toBeGreaterThan(0);
    const routes = servedRouteKeys().filter((r) => hasSpec(r.upstream) && BUILDERS[r.key] && specHasRoute(r.upstream, r.method, r.template));
    for (const phase of [1, 2] as const) {
      const jobs: Array<{ r: (typeof routes)[number]; probe: Probe }> = [];
      for (const r of routes.filter((x) => (BUILDERS[x.key]!.phase ?? 1) === phase)) {
        const probes = BUILDERS[r.key]!.build(ctx);
        if (probes[0] && !firstProbe.has(r.key)) firstProbe.set(r.key, probes[0]);
        for (const probe of probes) jobs.push({ r, probe });
      }
      await pool(jobs, CONCURRENCY, async ({ r, probe }) => {
        await runProbe(r.upstream as SpecUpstream, r.method, r.template, probe, 'valid', token);
      });
      if (phase === 1) {
        const withPrison = ctx.people.filter((p) => p.prisonNumber).length;
        notes.push(`booking ids discovered for ${ctx.bookingIds.size} of ${withPrison} well-known people with a prison number; HEALTH_TREAT codes: ${ctx.healthTreatCodes.size}`);
      }
    }
    mainRunDone = true;
    const contractFailures = failures.filter((f) => !f.request.includes('[auth:'));
    if (contractFailures.length) throw new Error(formatFailures(contractFailures));
  }, 90_000);

  it('gives every served route at least one validated 2xx response', () => {
    expect(mainRunDone).toBe(true);
    const without2xx = servedRouteKeys()
      .filter((r) => hasSpec(r.upstream))
      .filter((r) => (stats.get(r.key)?.s2xx ?? 0) === 0)
      .map((r) => `${r.key} (responses: ${stats.get(r.key)?.total ?? 0})`);
    expect(without2xx).toEqual([]);
  });

  it('rejects mutated copies of real simulator bodies on every route (the validator has teeth)', () => {
    expect(mainRunDone).toBe(true);
    const toothless: string[] = [];
    for (const [route, smp] of samples) {
      const wrongRoot = Array.isArray(smp.body) ? { unexpected: smp.body } : [smp.body];
      if (validateResponse(smp.upstream, smp.method, smp.path, smp.status, wrongRoot).valid) toothless.push(`${route}: a wrong root type passed`);
      const injected = structuredClone(smp.body);
      const target = firstObject(injected);
      if (target) {
        target.contractProbeUndeclaredField = 'x';
        if (validateResponse(smp.upstream, smp.method, smp.path, smp.status, injected).valid) toothless.push(`${route}: an undeclared property passed`);
      }
    }
    expect(samples.size).toBeGreaterThan(0);
    expect(toothless).toEqual([]);
  });

  it('prisoner search honours responseFields as its spec says: the named fields only, absent or empty = all, dotted names pick below', async () => {
    expect(handle).toBeDefined();
    const token = await handle!.token();
    const numbers = buildContext().prisonNumbers;
    const batch = async (responseFields?: string): Promise<Array<Record<string, unknown>>> => {
      const query = responseFields === undefined ? '' : `?${new URLSearchParams({ responseFields }).toString()}`;
      const r = await fetch(`${handle!.urls.prisonerSearch}/prisoner-search/prisoner-numbers${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prisonerNumbers: numbers }),
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as Array<Record<string, unknown>>).sort((a, b) => String(a.prisonerNumber).localeCompare(String(b.prisonerNumber)));
    };
    const whole = await batch();
    expect(whole.length).toBeGreaterThan(0);
    expect(await batch('')).toEqual(whole);
    // The gateway's list: exactly those of the record's fields, with the same values, and the gateway's decoder accepts them.
    const asked = new Set(PRISONER_RESPONSE_FIELDS.split(','));
    const selected = await batch(PRISONER_RESPONSE_FIELDS);
    expect(selected).toEqual(whole.map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => asked.has(k)))));
    expect(JSON.stringify(selected).length).toBeLessThan(JSON.stringify(whole).length / 2);
    const violations: string[] = [];
    const decoded = decodePrisonerBatch(selected, (reason, detail) => violations.push(`${reason}: ${detail}`));
    expect(violations).toEqual([]);
    expect(decoded.items.length).toBe(selected.length);
    // Dotted names: the named field of each entry below; a name also asked whole keeps the whole value.
    const withAliases = whole.filter((p) => Array.isArray(p.aliases) && p.aliases.length > 0);
    expect(withAliases.length).toBeGreaterThan(0);
    const dotted = await batch('prisonerNumber,aliases.firstName,languages.code,languages');
    for (const p of dotted) {
      const full = whole.find((w) => w.prisonerNumber === p.prisonerNumber)!;
      expect(Object.keys(p).sort()).toEqual(['aliases', 'languages', 'prisonerNumber'].filter((k) => k in full));
      expect(p.aliases).toEqual((full.aliases as Array<Record<string, unknown>>).map((a) => ('firstName' in a ? { firstName: a.firstName } : {})));
      expect(p.languages).toEqual(full.languages);
    }
  });

  it('refuses requests without a token, with a forged token and with an expired token (401, body per spec)', async () => {
    expect(handle).toBeDefined();
    const before = failures.length;
    const routes = servedRouteKeys().filter((r) => hasSpec(r.upstream) && firstProbe.has(r.key));
    const jobs = routes.flatMap((r) => (['none', 'invalid'] as const).map((auth) => ({ r, auth })));
    await pool(jobs, CONCURRENCY, async ({ r, auth }) => {
      await runProbe(r.upstream as SpecUpstream, r.method, r.template, firstProbe.get(r.key)!, auth, '');
    });

    // Expired tokens: one route per upstream, then a fresh token must work again.
    const oldToken = await handle!.token();
    await handle!.expireTokens();
    const onePerUpstream = [...new Map(routes.map((r) => [r.upstream, r])).values()];
    for (const r of onePerUpstream) await runProbe(r.upstream as SpecUpstream, r.method, r.template, firstProbe.get(r.key)!, 'expired', oldToken);
    const fresh = await handle!.token();
    for (const r of onePerUpstream) {
      const x = await exchange(r.upstream as SpecUpstream, r.method, firstProbe.get(r.key)!, 'valid', fresh);
      if (x.status === 401) {
        failures.push({ route: r.key, subject: firstProbe.get(r.key)!.subject, request: `${r.method} ${firstProbe.get(r.key)!.path} [auth: fresh token after expiry]`,
          status: 401, problems: ['a token issued after expireTokens() was refused'] });
      }
    }
    const authFailures = failures.slice(before);
    if (authFailures.length) throw new Error(formatFailures(authFailures));
  }, 60_000);
});
