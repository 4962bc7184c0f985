/**
 * Validates HTTP exchanges against the real upstream OpenAPI documents in
 * `<repo>/../shared/upstream-specs/`, so simulators (and anything else that plays an upstream)
 * are held to the published contracts rather than to our own idea of them.
 *
 * Decisions, with reasons:
 * - All documents are compiled with Ajv's JSON Schema 2020-12 dialect (what OpenAPI 3.1 uses).
 *   OpenAPI 3.0 documents (dps-manage-pom) are converted first: `nullable: true` becomes a `null`
 *   type (or `anyOf [..., null]`), siblings of `$ref` are dropped (3.0 ignores them), boolean
 *   `exclusiveMinimum/Maximum` become the numeric form.
 * - `$ref`s: each document's `components.schemas` is registered once per document under its own
 *   `$id` (as `$defs`), and every `#/components/schemas/X` is rewritten to `<$id>#/$defs/X`.
 *   Ajv resolves refs lazily, so recursive schemas (e.g. prisoner-search `Query`) work.
 * - Undeclared properties are refused: an object schema that lists `properties` and says nothing
 *   about extra ones gets `unevaluatedProperties: false` ("only what the schema says"). A fake
 *   upstream that invents fields would otherwise let the gateway depend on data the real service
 *   never sends. `allOf` branches are left open and the `allOf` parent is closed instead, which is
 *   what `unevaluatedProperties` is for. Explicit `additionalProperties` is always respected.
 * - Formats come from ajv-formats. `date-time` accepts an ISO 8601 date-time with or without an
 *   offset: these services are Spring/Kotlin apps that document `LocalDateTime` as `date-time`
 *   and send it without an offset (UK local time). Formats ajv-formats does not know are
 *   registered as permissive so they cannot crash compilation.
 * - Two springdoc renderings are read for what they mean (ARNS and CVL, issue 17):
 *   `{"type": "object", "example": "2026-04-13T18:53:39"}` (no properties, a date-time string as its
 *   example) is how springdoc documents a `LocalDateTime` held in a field typed `Any`: such a schema
 *   also accepts a `date-time` string (ARNS' `assessedOn`, `dateCompleted`...). A schema with a
 *   `discriminator` and a `mapping` (CVL's `AdditionalCondition`) is validated, for a mapped value of
 *   the discriminating property, against the mapped schema too, as OpenAPI defines (unless the
 *   subtypes extend the base with `allOf`, as prisoner search's `Matcher`, which says it already): so an electronic
 *   monitoring condition may carry its `restrictions`, and nothing else may.
 * - `*\/*` (and `application/*+json`) response media types are treated as `application/json`.
 * - Response lookup: exact status, then `4XX`-style range, then `default`. A status the operation
 *   does not declare is invalid (`undeclaredStatus: true`), so callers can decide knowingly.
 * - A declared response without `content`, or whose media type has no schema, has no body
 *   contract: any body is accepted and `schemaChecked` is false.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/* ajv and ajv-formats are CommonJS; under NodeNext their default export arrives wrapped. */
type Ajv2020Instance = import('ajv/dist/2020.js').default;
type Ajv2020Ctor = new (opts?: Record<string, unknown>) => Ajv2020Instance;
type FormatsPlugin = ((ajv: Ajv2020Instance) => Ajv2020Instance) & { get?: unknown };
const Ajv2020 = ((Ajv2020Module as unknown as { default?: Ajv2020Ctor }).default ??
  (Ajv2020Module as unknown as Ajv2020Ctor));
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin));

export type SpecUpstream =
  | 'prisonApi'
  | 'prisonerSearch'
  | 'alerts'
  | 'managePom'
  | 'probationSearch'
  | 'deliusIntegration'
  | 'personRecord'
  | 'arns'
  | 'cvl'
  | 'caseNotes'
  | 'adjudications'
  | 'incentives'
  | 'healthAndMedication'
  | 'nonAssociations'
  | 'personalRelationships'
  | 'prisonVisits';

export const SPEC_FILES: Readonly<Record<SpecUpstream, string>> = {
  prisonApi: 'nomis-prison-api.json',
  prisonerSearch: 'dps-prisoner-search.json',
  alerts: 'dps-alerts-api.json',
  managePom: 'dps-manage-pom.json',
  probationSearch: 'delius-probation-offender-search.json',
  deliusIntegration: 'delius-integration-api.json',
  personRecord: 'core-person-record.json',
  arns: 'arns-risks-and-needs.json',
  cvl: 'cvl-create-and-vary-licence.json',
  caseNotes: 'dps-case-notes.json',
  adjudications: 'dps-manage-adjudications.json',
  incentives: 'dps-incentives.json',
  healthAndMedication: 'dps-health-and-medication.json',
  nonAssociations: 'dps-non-associations.json',
  personalRelationships: 'dps-personal-relationships.json',
  prisonVisits: 'dps-manage-prison-visits.json',
};

export const SPEC_UPSTREAMS = Object.keys(SPEC_FILES) as SpecUpstream[];

export function hasSpec(upstream: string): upstream is SpecUpstream {
  return Object.prototype.hasOwnProperty.call(SPEC_FILES, upstream);
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `<repo root>/../shared/upstream-specs` (CI clones the repo with `shared` beside it). */
export function specsDir(): string {
  return path.resolve(REPO_ROOT, '..', 'shared', 'upstream-specs');
}

export interface ValidationResult {
  valid: boolean;
  errors: string[];
  /** The path template the request was matched to, when one was found. */
  template?: string;
  /** The response key used (`200`, `4XX`, `default`), when one was found. */
  responseKey?: string;
  /** True when the operation declares neither the status, its range, nor `default`. */
  undeclaredStatus?: boolean;
  /** True when a schema was actually applied to the body. */
  schemaChecked: boolean;
}

export interface ValidateOptions {
  /** The response Content-Type; when given it must fit the declared media types. */
  contentType?: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { [key: string]: unknown };

interface OperationEntry {
  method: string;
  template: string;
  segments: string[];
  literalCount: number;
  operation: SchemaObject;
}

export interface LoadedSpec {
  upstream: SpecUpstream;
  file: string;
  openapi: string;
  title: string;
  /** The document as published (read-only: do not mutate). */
  document: SchemaObject;
  operations: OperationEntry[];
  /** Operation keys, `METHOD /template`. */
  routes: string[];
}

interface SpecRuntime extends LoadedSpec {
  ajv: Ajv2020Instance;
  baseId: string;
  is30: boolean;
  allOfTargets: Set<string>;
  defs: Record<string, unknown>;
  validators: Map<string, ValidateFunction>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const cache = new Map<SpecUpstream, SpecRuntime>();

const isObject = (v: unknown): v is SchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/* ---------- schema walking (keyword-aware, so a property named `items` is not a keyword) ---------- */

const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'unevaluatedProperties', 'not', 'if', 'then', 'else',
  'contains', 'propertyNames', 'additionalItems', 'unevaluatedItems'];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** Applies `fn` bottom-up to every subschema; `fn` returns the replacement node. */
function mapSchema(node: unknown, fn: (n: SchemaObject, ctx: { allOfBranch: boolean }) => SchemaObject,
  allOfBranch = false): unknown {
  if (!isObject(node)) return node;
  const out: SchemaObject = { ...node };
  for (const k of SCHEMA_KEYWORDS) if (isObject(out[k])) out[k] = mapSchema(out[k], fn);
  for (const k of SCHEMA_ARRAY_KEYWORDS) {
    const arr = out[k];
    if (Array.isArray(arr)) out[k] = arr.map((s) => mapSchema(s, fn, k === 'allOf'));
  }
  for (const k of SCHEMA_MAP_KEYWORDS) {
    const map = out[k];
    if (isObject(map)) out[k] = Object.fromEntries(Object.entries(map).map(([n, s]) => [n, mapSchema(s, fn)]));
  }
  return fn(out, { allOfBranch });
}

/** OpenAPI 3.0 schema object -> JSON Schema 2020-12. */
function convert30(schema: unknown): unknown {
  return mapSchema(schema, (n) => {
    let s: SchemaObject = n;
    if (typeof s.$ref === 'string') {
      // 3.0: siblings of $ref are ignored, except that we honour `nullable` as intent.
      const nullable = s.nullable === true;
      s = { $ref: s.$ref };
      return nullable ? { anyOf: [s, { type: 'null' }] } : s;
    }
    if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
      s = { ...s, exclusiveMinimum: s.minimum };
      delete s.minimum;
    } else if (typeof s.exclusiveMinimum === 'boolean') {
      s = { ...s };
      delete s.exclusiveMinimum;
    }
    if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
      s = { ...s, exclusiveMaximum: s.maximum };
      delete s.maximum;
    } else if (typeof s.exclusiveMaximum === 'boolean') {
      s = { ...s };
      delete s.exclusiveMaximum;
    }
    if ('nullable' in s) {
      const nullable = s.nullable === true;
      s = { ...s };
      delete s.nullable;
      if (nullable) {
        if (typeof s.type === 'string') s.type = [s.type, 'null'];
        else if (Array.isArray(s.type)) s.type = [...new Set([...s.type, 'null'])];
        else s = { anyOf: [s, { type: 'null' }] };
        if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
      }
    }
    return s;
  });
}

const ISO_DATE_TIME_EXAMPLE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?/;

/** springdoc's renderings of `Any`-typed date-times and of discriminators, read as meant (see the header). */
function springdocIntent(schema: unknown, discriminators = false): unknown {
  return mapSchema(schema, (n) => {
    if (n.type === 'object' && !isObject(n.properties) && typeof n.example === 'string' && ISO_DATE_TIME_EXAMPLE.test(n.example)) {
      const { type: _type, ...rest } = n;
      return { ...rest, anyOf: [{ type: 'object' }, { type: 'string', format: 'date-time' }] };
    }
    const d = n.discriminator;
    if (discriminators && isObject(d) && typeof d.propertyName === 'string' && isObject(d.mapping) && isObject(n.properties)) {
      const name = d.propertyName;
      const branches = Object.entries(d.mapping)
        .filter(([, ref]) => typeof ref === 'string')
        .map(([value, ref]) => ({ if: { properties: { [name]: { const: value } }, required: [name] }, then: { $ref: ref } }));
      return { ...n, allOf: [...(Array.isArray(n.allOf) ? n.allOf : []), ...branches] };
    }
    return n;
  });
}

function rewriteRefs(schema: unknown, baseId: string): unknown {
  return mapSchema(schema, (n) => {
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#/components/schemas/')) {
      return { ...n, $ref: `${baseId}#/$defs/${n.$ref.slice('#/components/schemas/'.length)}` };
    }
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#')) {
      throw new Error(`Unsupported schema $ref ${n.$ref} (only #/components/schemas/* is expected)`);
    }
    return n;
  });
}

function defName(ref: unknown, baseId: string): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const prefixes = [`${baseId}#/$defs/`, '#/components/schemas/'];
  for (const p of prefixes) if (ref.startsWith(p)) return decodeURIComponent(ref.slice(p.length)).replace(/~1/g, '/').replace(/~0/g, '~');
  return undefined;
}

/** Closes object schemas ("only what the schema says"); see the header comment. */
function closeObjects(schema: unknown, rt: Pick<SpecRuntime, 'baseId' | 'defs'>, rootIsAllOfBranch: boolean): unknown {
  const isOpenFreeForm = (s: unknown, seen = new Set<string>()): boolean => {
    // A branch that is an object without `properties` (a free-form map) cannot be closed safely.
    if (!isObject(s)) return false;
    const name = defName(s.$ref, rt.baseId);
    if (name) {
      if (seen.has(name)) return false;
      seen.add(name);
      return isOpenFreeForm(rt.defs[name], seen);
    }
    if (Array.isArray(s.allOf)) return s.allOf.some((b) => isOpenFreeForm(b, seen));
    const typeHasObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
    return typeHasObject && !isObject(s.properties) && s.additionalProperties === undefined;
  };
  return mapSchema(schema, (n, ctx) => {
    const branch = ctx.allOfBranch;
    if (branch || 'additionalProperties' in n || 'unevaluatedProperties' in n) return n;
    if (isObject(n.properties)) return { ...n, unevaluatedProperties: false };
    if (Array.isArray(n.allOf) && !n.allOf.some((b) => isOpenFreeForm(b))) return { ...n, unevaluatedProperties: false };
    return n;
  }, rootIsAllOfBranch);
}

/* ---------- loading ---------- */

function createAjvFor(formatsUsed: Iterable<string>): Ajv2020Instance {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Spring documents LocalDateTime as `date-time` and sends it without an offset.
  const isoDateTime = /^\d\d\d\d-[0-1]\d-[0-3]\d[tT ](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:[zZ]|[+-]\d\d(?::?\d\d)?)?$/;
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => {
      if (!isoDateTime.test(s)) return false;
      const date = s.slice(0, 10);
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const probe = new Date(Date.UTC(y, m - 1, d));
      return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
    },
  });
  for (const f of formatsUsed) {
    if (!(f in ajv.formats)) ajv.addFormat(f, true);
  }
  return ajv;
}

/** An Ajv (2020-12) configured like the spec validators; exported for the validator's own tests. */
export function createSpecAjv(extraFormats: Iterable<string> = []): Ajv2020Instance {
  return createAjvFor(extraFormats);
}

function collectFormats(doc: unknown): Set<string> {
  const formats = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if (typeof v.format === 'string') formats.add(v.format);
      Object.values(v).forEach(walk);
    }
  };
  walk(doc);
  return formats;
}

/**
 * Known slips in the published documents, corrected (on a copy) before validation. Each is a defect
 * of the document, not a liberty with the contract: the comment says what the service really sends.
 */
const ERRATA: Partial<Record<SpecUpstream, Record<string, (schema: unknown) => unknown>>> = {
  prisonApi: {
    // `BookingAdjustment.type` is published with ONE enum value, the five names joined by commas
    // ("SPECIAL_REMISSION, ADDITIONAL_DAYS_AWARDED, ..."): an annotation slip in the service's
    // springdoc. The service answers one of the five, as `SentenceAdjustmentValues.type` does.
    BookingAdjustment: (schema) => {
      const type = (schema as { properties?: { type?: { enum?: string[] } } }).properties?.type;
      if (type?.enum?.length === 1 && type.enum[0]!.includes(',')) type.enum = type.enum[0]!.split(',').map((v) => v.trim());
      return schema;
    },
  },
};

function runtime(upstream: SpecUpstream): SpecRuntime {
  const cached = cache.get(upstream);
  if (cached) return cached;
  if (!hasSpec(upstream)) throw new Error(`No upstream spec is known for "${String(upstream)}"`);
  const file = path.join(specsDir(), SPEC_FILES[upstream]);
  const document = JSON.parse(readFileSync(file, 'utf8')) as SchemaObject;
  const openapi = String(document.openapi ?? document.swagger ?? '');
  if (!/^3\.[01]\./.test(openapi)) throw new Error(`${file}: unsupported OpenAPI version "${openapi}"`);
  const is30 = openapi.startsWith('3.0.');
  const baseId = `https://person-graph.invalid/upstream-specs/${SPEC_FILES[upstream]}`;
  const components = isObject(document.components) ? document.components : {};
  const rawSchemas = isObject(components.schemas) ? components.schemas : {};

  // Component schemas used as allOf branches stay open; their allOf parents are closed instead.
  const allOfTargets = new Set<string>();
  const noteAllOf = (n: SchemaObject): void => {
    if (Array.isArray(n.allOf)) {
      for (const b of n.allOf) {
        const name = isObject(b) ? defName(b.$ref, baseId) : undefined;
        if (name) allOfTargets.add(name);
      }
    }
  };
  const walkAll = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walkAll);
    else if (isObject(v)) {
      noteAllOf(v);
      Object.values(v).forEach(walkAll);
    }
  };
  walkAll(document);

  const defs: Record<string, unknown> = {};
  for (const [name, published] of Object.entries(rawSchemas)) {
    const schema = ERRATA[upstream]?.[name]?.(structuredClone(published)) ?? published;
    // A base schema its subtypes extend (allOf) is not expanded: the subtypes carry the branches.
    const converted = springdocIntent(is30 ? convert30(schema) : schema, !allOfTargets.has(name));
    defs[name] = rewriteRefs(converted, baseId);
  }
  const rtBase = { baseId, defs };
  const closedDefs: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(defs)) closedDefs[name] = closeObjects(schema, rtBase, allOfTargets.has(name));

  const ajv = createAjvFor(collectFormats(document));
  ajv.addSchema({ $id: baseId, $defs: closedDefs });

  const operations: OperationEntry[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [template, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const segments = template.split('/').filter((s) => s.length > 0);
    const literalCount = segments.filter((s) => !/^\{[^}]+\}$/.test(s)).length;
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (isObject(op)) operations.push({ method: m.toUpperCase(), template, segments, literalCount, operation: op });
    }
  }

  const rt: SpecRuntime = {
    upstream,
    file,
    openapi,
    title: String((isObject(document.info) && document.info.title) || SPEC_FILES[upstream]),
    document,
    operations,
    routes: operations.map((o) => `${o.method} ${o.template}`),
    ajv,
    baseId,
    is30,
    allOfTargets,
    defs,
    validators: new Map(),
  };
  cache.set(upstream, rt);
  return rt;
}

/** Loads (once) and returns the upstream's published OpenAPI document and its operations. */
export function loadSpec(upstream: SpecUpstream): LoadedSpec {
  const rt = runtime(upstream);
  return { upstream: rt.upstream, file: rt.file, openapi: rt.openapi, title: rt.title, document: rt.document,
    operations: rt.operations, routes: rt.routes };
}

/* ---------- operation lookup ---------- */

function stripQuery(p: string): string {
  let s = p;
  const q = s.search(/[?#]/);
  if (q >= 0) s = s.slice(0, q);
  if (/^https?:\/\//i.test(s)) s = new URL(s).pathname;
  return s;
}

function matchOperation(rt: SpecRuntime, method: string, pathOrTemplate: string): OperationEntry | undefined {
  const m = method.toUpperCase();
  const p = stripQuery(pathOrTemplate);
  const exact = rt.operations.find((o) => o.method === m && o.template === p);
  if (exact) return exact;
  const segs = p.split('/').filter((s) => s.length > 0);
  const candidates = rt.operations.filter((o) => o.method === m && o.segments.length === segs.length &&
    o.segments.every((t, i) => /^\{[^}]+\}$/.test(t) || t === segs[i]));
  // `/reference-data/alerts/types` beats `/reference-data/{attribute}`.
  candidates.sort((a, b) => b.literalCount - a.literalCount);
  return candidates[0];
}

/** True when the spec has exactly this path template with this method. */
export function specHasRoute(upstream: SpecUpstream, method: string, template: string): boolean {
  const rt = runtime(upstream);
  const m = method.toUpperCase();
  return rt.operations.some((o) => o.method === m && o.template === template);
}

/** The spec's path template for a concrete path (or template), if the method+path exist. */
export function findTemplate(upstream: SpecUpstream, method: string, pathOrTemplate: string): string | undefined {
  return matchOperation(runtime(upstream), method, pathOrTemplate)?.template;
}

function deref(rt: SpecRuntime, v: unknown): unknown {
  let cur = v;
  for (let i = 0; i < 10 && isObject(cur) && typeof cur.$ref === 'string'; i++) {
    const ref = cur.$ref;
    if (!ref.startsWith('#/')) throw new Error(`External $ref not supported: ${ref}`);
    let target: unknown = rt.document;
    for (const part of ref.slice(2).split('/')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new Error(`Unresolvable $ref ${ref} in ${rt.file}`);
    cur = target;
  }
  return cur;
}

/** Declared response keys of an operation (`200`, `404`, `4XX`, `default`, ...). */
export function declaredResponses(upstream: SpecUpstream, method: string, pathOrTemplate: string): string[] {
  const rt = runtime(upstream);
  const op = matchOperation(rt, method, pathOrTemplate);
  return op && isObject(op.operation.responses) ? Object.keys(op.operation.responses) : [];
}

function isJsonMedia(media: string): boolean {
  const base = media.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base === '*/*' || base === 'application/*' || /^application\/[^/]+\+json$/.test(base);
}

function pickJsonMedia(content: SchemaObject): { media: string; schema: unknown } | undefined {
  const entries = Object.entries(content).filter(([media]) => isJsonMedia(media));
  const preferred = entries.find(([m]) => m.startsWith('application/json')) ?? entries[0];
  if (!preferred) return undefined;
  const mediaObj = preferred[1];
  return { media: preferred[0], schema: isObject(mediaObj) ? mediaObj.schema : undefined };
}

function compile(rt: SpecRuntime, key: string, schema: unknown): ValidateFunction {
  const hit = rt.validators.get(key);
  if (hit) return hit;
  const converted = springdocIntent(rt.is30 ? convert30(schema) : schema);
  const rewritten = rewriteRefs(converted, rt.baseId);
  const closed = closeObjects(rewritten, rt, false);
  const fn = rt.ajv.compile(closed as object);
  rt.validators.set(key, fn);
  return fn;
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined, limit = 8): string[] {
  if (!errors) return [];
  const lines = errors.map((e) => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const params = e.params as Record<string, unknown>;
    let extra = '';
    if (params.unevaluatedProperty !== undefined) extra = `: "${String(params.unevaluatedProperty)}"`;
    else if (params.additionalProperty !== undefined) extra = `: "${String(params.additionalProperty)}"`;
    else if (params.allowedValues !== undefined) extra = `: ${JSON.stringify(params.allowedValues)}`;
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > limit ? [...unique.slice(0, limit), `... and ${unique.length - limit} more`] : unique;
}

function jsonSnippet(body: unknown): string {
  try {
    const s = JSON.stringify(body);
    return s === undefined ? String(body) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(body);
  }
}

/**
 * Validates a response (status + JSON body) against the operation matched by method and path.
 * `body` is the parsed JSON body, or `undefined` when there was no body.
 */
export function validateResponse(upstream: SpecUpstream, method: string, pathTemplateOrConcretePath: string,
  status: number, body: unknown, options: ValidateOptions = {}): ValidationResult {
  const rt = runtime(upstream);
  const op = matchOperation(rt, method, pathTemplateOrConcretePath);
  if (!op) {
    return { valid: false, schemaChecked: false,
      errors: [`${method.toUpperCase()} ${stripQuery(pathTemplateOrConcretePath)} is not an operation of ${SPEC_FILES[upstream]}`] };
  }
  const responses = isObject(op.operation.responses) ? op.operation.responses : {};
  const exactKey = String(status);
  const rangeKey = Object.keys(responses).find((k) => k.toUpperCase() === `${String(status)[0]}XX`);
  const key = exactKey in responses ? exactKey : rangeKey ?? ('default' in responses ? 'default' : undefined);
  const route = `${op.method} ${op.template}`;
  if (key === undefined) {
    return { valid: false, schemaChecked: false, template: op.template, undeclaredStatus: true,
      errors: [`status ${status} is not declared for ${route} (declared: ${Object.keys(responses).join(', ') || 'none'})`] };
  }
  const response = deref(rt, responses[key]);
  const content = isObject(response) && isObject(response.content) ? response.content : undefined;
  const base = { template: op.template, responseKey: key };
  if (!content || Object.keys(content).length === 0) return { valid: true, errors: [], schemaChecked: false, ...base };

  const picked = pickJsonMedia(content);
  // A declared non-JSON medium (image/jpeg beside application/json): its bytes are not JSON-shaped.
  if (picked && options.contentType && !isJsonMedia(options.contentType) && Object.keys(content).some((m) => !isJsonMedia(m) && sameMediaType(m, options.contentType!))) {
    return { valid: true, errors: [], schemaChecked: false, ...base };
  }
  if (!picked) {
    // Only non-JSON media declared (e.g. image/jpeg): nothing JSON-shaped to check.
    const errors: string[] = [];
    if (options.contentType && !Object.keys(content).some((m) => sameMediaType(m, options.contentType!))) {
      errors.push(`content-type "${options.contentType}" is not one of ${Object.keys(content).join(', ')}`);
    }
    return { valid: errors.length === 0, errors, schemaChecked: false, ...base };
  }
  const errors: string[] = [];
  if (options.contentType !== undefined && body !== undefined) {
    const ct = options.contentType ?? '';
    if (!isJsonMedia(ct) || ct.split(';')[0]!.trim() === '*/*') errors.push(`content-type "${ct}" is not JSON (declared: ${picked.media})`);
  }
  if (picked.schema === undefined) return { valid: errors.length === 0, errors, schemaChecked: false, ...base };
  if (body === undefined) {
    errors.push(`expected a JSON body for ${status} (${picked.media}) but the response had none`);
    return { valid: false, errors, schemaChecked: true, ...base };
  }
  const validate = compile(rt, `res ${route} ${key} ${picked.media}`, deref(rt, picked.schema));
  if (!validate(body as Json)) errors.push(...formatAjvErrors(validate.errors));
  if (errors.length > 0 && errors.every((e) => !e.startsWith('content-type'))) {
    errors.push(`body: ${jsonSnippet(body)}`);
  }
  return { valid: errors.length === 0, errors, schemaChecked: true, ...base };
}

function sameMediaType(declared: string, actual: string): boolean {
  const a = declared.split(';')[0]!.trim().toLowerCase();
  const b = actual.split(';')[0]!.trim().toLowerCase();
  return a === b || a === '*/*' || (a.endsWith('/*') && b.startsWith(a.slice(0, -1)));
}

/** Validates a JSON request body against the operation's declared request schema. */
export function validateRequestBody(upstream: SpecUpstream, method: string, pathTemplateOrConcretePath: string,
  body: unknown): ValidationResult {
  const rt = runtime(upstream);
  const op = matchOperation(rt, method, pathTemplateOrConcretePath);
  if (!op) {
    return { valid: false, schemaChecked: false,
      errors: [`${method.toUpperCase()} ${stripQuery(pathTemplateOrConcretePath)} is not an operation of ${SPEC_FILES[upstream]}`] };
  }
  const requestBody = deref(rt, op.operation.requestBody);
  const content = isObject(requestBody) && isObject(requestBody.content) ? requestBody.content : undefined;
  if (!content) {
    return body === undefined
      ? { valid: true, errors: [], schemaChecked: false, template: op.template }
      : { valid: false, errors: [`${op.method} ${op.template} declares no request body`], schemaChecked: false, template: op.template };
  }
  const picked = pickJsonMedia(content);
  if (!picked || picked.schema === undefined) return { valid: true, errors: [], schemaChecked: false, template: op.template };
  if (body === undefined) {
    const required = isObject(requestBody) && requestBody.required === true;
    return required
      ? { valid: false, errors: ['request body is required'], schemaChecked: true, template: op.template }
      : { valid: true, errors: [], schemaChecked: false, template: op.template };
  }
  const validate = compile(rt, `req ${op.method} ${op.template} ${picked.media}`, deref(rt, picked.schema));
  const ok = validate(body as Json);
  return { valid: ok, errors: ok ? [] : formatAjvErrors(validate.errors), schemaChecked: true, template: op.template };
}

/**
 * Compiles every response schema of every operation of the upstream (used by the validator's own
 * tests to prove that no schema in the published documents crashes the compiler).
 */
export function compileAllResponseSchemas(upstream: SpecUpstream): number {
  const rt = runtime(upstream);
  let n = 0;
  for (const op of rt.operations) {
    const responses = isObject(op.operation.responses) ? op.operation.responses : {};
    for (const [key, r] of Object.entries(responses)) {
      const response = deref(rt, r);
      const content = isObject(response) && isObject(response.content) ? response.content : undefined;
      const picked = content ? pickJsonMedia(content) : undefined;
      if (picked?.schema !== undefined) {
        compile(rt, `res ${op.method} ${op.template} ${key} ${picked.media}`, deref(rt, picked.schema));
        n++;
      }
    }
  }
  return n;
}

/** Internal helpers exposed for the validator's own tests. */
export const __testing = { convert30, closeObjects: (schema: unknown) => closeObjects(schema, { baseId: 'x', defs: {} }, false) };
