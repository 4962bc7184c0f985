/**
 * Execution-time authorisation, generated from the policy: graphql-shield rules on every field, a
 * person guard on every field that returns people, and redactions. Applied with graphql-middleware's
 * `applyMiddleware` (every field, default resolvers included - the declared-resolvers-only mode skips
 * fields without a resolver and leaked a denied field when measured).
 *
 * Cost. Shield makes every field it runs on asynchronous, which made a 2,000 x 10 response ~11x
 * slower. So each field's wrapper first looks the coordinate up in the consumer's "pre-authorised"
 * map: coordinates the policy grants the consumer, other than root fields and fields that return
 * people. Shield's rule for such a field is "granted to this consumer", which the operation gate has
 * already evaluated for this very request before execution started (an operation selecting anything
 * else never executes), and whose answer cannot differ within a request (the request holds one
 * policy version). Those fields call their resolver directly and stay synchronous; a redaction, if
 * the map holds one, is applied to the value on the way out. Every other field - root fields,
 * fields returning people (one call per list, not per person), and anything not granted, should the
 * gate ever let it through - goes through shield (`fallbackRule: deny`).
 *
 * See docs/adr/0005-consumer-security.md.
 */
import {
  getNamedType,
  getNullableType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware, type IMiddlewareFunction } from 'graphql-middleware';
import { rule, shield, type IRules } from 'graphql-shield';
import { isLimitedAccess, type RowFilters } from '../domain/visibility.js';
import type { PersonRef } from '../domain/person.js';
import { MATCHED_HMPPS_IDS, MATCHED_OTHER_IDS } from '../domain/search.js';
import { personNotFound } from '../errors/contract.js';
import { logContextOf, type LogContext } from '../observability/log-context.js';
import { visibleOrNotFound } from '../resolvers/visibility.js';
import type { Logger } from '../observability/logger.js';
import type { AuditCollector } from './audit.js';
import type { AuthContext } from './consumer.js';
import { forbiddenField } from './errors.js';
import { MASK, type ConsumerGrant, type Redaction } from './policy.js';

/** The type whose objects are people: every field returning it is guarded by the row filters. */
export const PERSON_TYPE = 'Person';

/** Per-request security state, created with the request context. */
export interface RequestSecurity {
  /** Coordinates that may skip shield for this consumer, with the redaction each needs (see above). */
  preAuthorised: ReadonlyMap<string, Redaction | null>;
  /** The development listener may introspect whatever the policy says. */
  introspectionAllowed: boolean;
  audit: AuditCollector;
  /** Limited-access status of each person in the response, by response path (only when needed). */
  limitedAccessByPath: Map<string, boolean> | null;
}

export interface SecurityContext extends AuthContext, Partial<LogContext> {
  security: RequestSecurity;
  rowFilters: RowFilters;
}

type FieldRule = ReturnType<ReturnType<typeof rule>>;
type Resolve = (parent: unknown, args: Record<string, unknown>, ctx: SecurityContext, info: GraphQLResolveInfo) => unknown;
type Middleware = (resolve: Resolve, parent: unknown, args: Record<string, unknown>, ctx: SecurityContext, info: GraphQLResolveInfo) => unknown;

/** What the schema says about authorisation-relevant fields (computed once per schema). */
export interface SchemaSecurityFacts {
  /** Fields returning people (`Person`, `[Person]`, `[Person!]!`, and `[_Entity]!`, a union holding Person). */
  personFields: ReadonlySet<string>;
  /** Root fields (Query, Mutation). */
  rootFields: ReadonlySet<string>;
  /** Root fields through which person data can be reached (audited). */
  personDataRootFields: ReadonlySet<string>;
  /** Object types whose objects belong to one person (reachable from Person): for LAO-only redactions. */
  personOwnedTypes: ReadonlySet<string>;
}

/**
 * Whether values of this type may be people: `Person` itself, or a union with `Person` among its
 * members (federation's `_Entity`, which `Query._entities` returns).
 */
function mayBePerson(type: GraphQLNamedType): boolean {
  return type.name === PERSON_TYPE || (isUnionType(type) && type.getTypes().some((t) => t.name === PERSON_TYPE));
}

export function schemaSecurityFacts(schema: GraphQLSchema): SchemaSecurityFacts {
  const personFields = new Set<string>();
  const rootFields = new Set<string>();
  const roots = [schema.getQueryType(), schema.getMutationType()].filter((t) => t != null);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (mayBePerson(getNamedType(field.type))) personFields.add(`${type.name}.${field.name}`);
    }
  }
  for (const root of roots) for (const name of Object.keys(root.getFields())) rootFields.add(`${root.name}.${name}`);
  const reaches = (typeName: string, target: string, seen = new Set<string>()): boolean => {
    if (typeName === target) return true;
    if (seen.has(typeName)) return false;
    seen.add(typeName);
    const type = schema.getType(typeName);
    if (isUnionType(type)) return type.getTypes().some((t) => reaches(t.name, target, seen));
    if (!isObjectType(type)) return false;
    return Object.values(type.getFields()).some((f) => reaches(getNamedType(f.type).name, target, seen));
  };
  const personDataRootFields = new Set(
    [...rootFields].filter((c) => {
      const [typeName, fieldName] = c.split('.') as [string, string];
      const root = schema.getType(typeName);
      return isObjectType(root) && reaches(getNamedType(root.getFields()[fieldName]!.type).name, PERSON_TYPE);
    }),
  );
  const personOwnedTypes = new Set<string>();
  const collect = (typeName: string) => {
    if (personOwnedTypes.has(typeName)) return;
    const type = schema.getType(typeName);
    if (!isObjectType(type)) return;
    personOwnedTypes.add(typeName);
    for (const f of Object.values(type.getFields())) collect(getNamedType(f.type).name);
  };
  collect(PERSON_TYPE);
  return { personFields, rootFields, personDataRootFields, personOwnedTypes };
}

const preAuthorisedCache = new WeakMap<ConsumerGrant, ReadonlyMap<string, Redaction | null>>();

/** Granted coordinates other than root fields and fields returning people, each with its redaction. */
export function preAuthorisedFor(grant: ConsumerGrant, facts: SchemaSecurityFacts): ReadonlyMap<string, Redaction | null> {
  let map = preAuthorisedCache.get(grant);
  if (!map) {
    map = new Map(
      [...grant.coordinates]
        .filter((c) => !facts.personFields.has(c) && !facts.rootFields.has(c))
        .map((c) => [c, grant.redactions.get(c) ?? null] as const),
    );
    preAuthorisedCache.set(grant, map);
  }
  return map;
}

/** Whether responses for this consumer need people tracked by path (LAO-only redactions below Person). */
export function needsLimitedAccessTracking(grant: ConsumerGrant): boolean {
  for (const [coordinate, redaction] of grant.redactions) {
    if (redaction.limitedAccessOnly && !coordinate.startsWith(`${PERSON_TYPE}.`)) return true;
  }
  return false;
}

export interface AuthorisationOptions {
  logger: Logger;
}

/** The schema with shield, person guards and redactions applied to every field. */
export function applyAuthorisation(schema: GraphQLSchema, options: AuthorisationOptions): GraphQLSchema {
  const facts = schemaSecurityFacts(schema);
  const tree: Record<string, Record<string, FieldRule>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const rules: Record<string, FieldRule> = {};
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      // Contextual: the answer depends only on who is asking (cached per request by shield).
      rules[field] = rule(`granted:${coordinate}`, { cache: 'contextual' })(
        (_parent, _args, ctx: SecurityContext) => ctx.consumer.grant.coordinates.has(coordinate) || forbiddenField(coordinate),
      );
    }
    tree[type.name] = rules;
  }
  const generated = shield(tree as IRules, {
    fallbackRule: rule('deny-unlisted', { cache: 'contextual' })(() => false),
    fallbackError: (_thrown: unknown, _parent: unknown, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) =>
      forbiddenField(`${info.parentType.name}.${info.fieldName}`),
    // Errors from resolvers (NOT_FOUND, UPSTREAM_UNAVAILABLE, ...) pass through unchanged.
    allowExternalErrors: true,
  }).generate(schema) as Record<string, Record<string, Middleware>>;

  const fieldMap: Record<string, Record<string, Middleware>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const fields: Record<string, Middleware> = {};
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const shielded = generated[type.name]?.[field.name];
      if (typeof shielded !== 'function') throw new Error(`shield produced no rule for ${coordinate}`);
      const after = postProcessor(coordinate, type.name, field, facts, options);
      fields[field.name] = (resolve, parent, args, ctx, info) => {
        const redaction = ctx.security.preAuthorised.get(coordinate);
        if (redaction === null) return resolve(parent, args, ctx, info);
        if (redaction !== undefined) return redact(resolve(parent, args, ctx, info), redaction, field.type, type.name, parent, ctx, info);
        const next: Resolve = after ? (p, a, c, i) => after(resolve(p, a, c, i), p, a, c, i) : resolve;
        return shielded(next, parent, args, ctx, info);
      };
    }
    fieldMap[type.name] = fields;
  }
  return applyMiddleware(schema, fieldMap as unknown as Record<string, Record<string, IMiddlewareFunction>>);
}

type After = (value: unknown, parent: unknown, args: Record<string, unknown>, ctx: SecurityContext, info: GraphQLResolveInfo) => unknown;

/** What happens to a field's value after its resolver: people checked, root arguments audited, redactions. */
function postProcessor(
  coordinate: string,
  typeName: string,
  field: GraphQLField<unknown, unknown>,
  facts: SchemaSecurityFacts,
  options: AuthorisationOptions,
): After | null {
  const steps: After[] = [];
  if (facts.personDataRootFields.has(coordinate)) {
    steps.push((value, _p, args, ctx, info) => {
      ctx.security.audit.rootField(field, args, info);
      return then(value, (v) => {
        const page = typeof v === 'object' && v !== null ? (v as { [MATCHED_HMPPS_IDS]?: unknown; [MATCHED_OTHER_IDS]?: unknown }) : undefined;
        const matched = page?.[MATCHED_HMPPS_IDS];
        const others = page?.[MATCHED_OTHER_IDS];
        if (Array.isArray(matched)) ctx.security.audit.searchMatched(String(info.path.key), matched as string[], Array.isArray(others) ? (others as string[]) : []);
        return v;
      });
    });
  }
  if (facts.personFields.has(coordinate)) steps.push(personGuard(coordinate, field.type, options));
  // Redactions are looked up per request: a policy reload may add or remove them.
  steps.push((value, parent, _a, ctx, info) => {
    const redaction = ctx.consumer.grant.redactions.get(coordinate);
    return redaction ? redact(value, redaction, field.type, typeName, parent, ctx, info) : value;
  });
  return (value, parent, args, ctx, info) => steps.reduce((v, step) => step(v, parent, args, ctx, info), value);
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';
const then = (v: unknown, f: (x: unknown) => unknown): unknown => (isThenable(v) ? Promise.resolve(v).then(f) : f(v));

function isPersonRef(v: unknown): v is PersonRef {
  return typeof v === 'object' && v !== null && 'combined' in v && 'prison' in v && 'probation' in v;
}

/**
 * Second line behind the resolvers' own row filtering, with the same decision (`visibleOrNotFound`,
 * src/resolvers/visibility.ts): a person outside the consumer's filters is reported exactly as a person
 * who does not exist (`null` + NOT_FOUND) - or, where the schema does not allow a null (`[Person!]!`),
 * left out. A person whose visibility cannot be told (`visibilityOf` is `null`: a half that decides it
 * could not be asked) is withheld too, with that half's failure in its place, as the resolvers answer
 * it. A resolver that let one through is a bug and is logged.
 */
function personGuard(coordinate: string, type: GraphQLOutputType, options: AuthorisationOptions): After {
  const list = isListType(getNullableType(type));
  const itemsNullable = list && !isNonNullType((getNullableType(type) as { ofType: GraphQLOutputType }).ofType);
  const outOfScope = (ctx: SecurityContext) => {
    options.logger.error({ ...logContextOf(ctx), event: 'row-filter-bypass', coordinate, consumer: ctx.consumer.name }, 'a resolver returned a person outside the row filters; withheld');
  };
  /** `true`, or the error that stands in the withheld person's place. */
  const admit = (person: unknown, ctx: SecurityContext, path: string): true | GraphQLError => {
    if (!isPersonRef(person)) {
      options.logger.error({ ...logContextOf(ctx), event: 'row-filter-unknown-shape', coordinate }, 'a person field returned something that is not a person; withheld');
      return personNotFound();
    }
    // The resolvers' own decision (src/resolvers/visibility.ts): the person, or what stands in its place.
    const decided = visibleOrNotFound(person, ctx);
    if (decided !== person) {
      outOfScope(ctx);
      return decided as GraphQLError;
    }
    ctx.security.audit.returned(person, path);
    if (ctx.security.limitedAccessByPath) ctx.security.limitedAccessByPath.set(path, isLimitedAccess(person));
    return true;
  };
  return (value, _p, _a, ctx, info) =>
    then(value, (v) => {
      if (v === null || v === undefined || v instanceof Error) return v;
      // The path identifies the person in the response for the disclosure ledger (and for LAO redactions).
      const base = pathKey(info.path);
      if (!list) {
        const admitted = admit(v, ctx, base);
        if (admitted !== true) throw admitted;
        return v;
      }
      if (!Array.isArray(v)) return v;
      const out: unknown[] = [];
      v.forEach((item, index) => {
        const check = (p: unknown) => {
          if (p === null || p === undefined || p instanceof Error) return p;
          const admitted = admit(p, ctx, `${base}/${index}`);
          return admitted === true ? p : new Withheld(admitted);
        };
        const checked = then(item, check);
        if (checked instanceof Withheld) {
          if (itemsNullable) out.push(checked.error);
        } else if (isThenable(checked)) {
          // An item that is still a promise cannot be dropped from the list any more: it becomes an error.
          out.push(Promise.resolve(checked).then((r) => (r instanceof Withheld ? r.error : r)));
        } else out.push(checked);
      });
      return out;
    });
}

/** A list item withheld by the person guard: dropped where the list may not hold a null, else its error. */
class Withheld {
  constructor(readonly error: GraphQLError) {}
}

export function pathKey(path: GraphQLResolveInfo['path'] | undefined): string {
  const keys: Array<string | number> = [];
  for (let p = path; p; p = p.prev) keys.push(p.key);
  return keys.reverse().join('/');
}

/**
 * The person a nested value belongs to: the nearest Person object above it in the response. Its
 * limited-access status was recorded by the person guard; unknown counts as limited (redact).
 */
function limitedAccessAbove(info: GraphQLResolveInfo, ctx: SecurityContext): boolean {
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) {
    if (p.typename === PERSON_TYPE) return ctx.security.limitedAccessByPath?.get(pathKey(p.prev)) ?? true;
  }
  return true;
}

function redact(
  value: unknown,
  redaction: Redaction,
  type: GraphQLOutputType,
  typeName: string,
  parent: unknown,
  ctx: SecurityContext,
  info: GraphQLResolveInfo,
): unknown {
  if (redaction.limitedAccessOnly) {
    const limited = typeName === PERSON_TYPE ? (isPersonRef(parent) ? isLimitedAccess(parent) : true) : limitedAccessAbove(info, ctx);
    if (!limited) return value;
  }
  return then(value, (v) => {
    if (v === null || v === undefined || v instanceof Error) return v;
    ctx.security.audit.redacted(pathKey(info.path), `${typeName}.${info.fieldName}`);
    if (redaction.action === 'remove') return isNonNullType(type) ? [] : null;
    return Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? x : MASK)) : MASK;
  });
}
