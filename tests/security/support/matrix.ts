/**
 * The leak matrix, generated from the live schema and a policy: for every consumer and every schema
 * coordinate its policy does not grant, operations that try to reach that coordinate in every way a
 * client can write one. It grows with the schema: a new field is a new row.
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export interface Probe {
  consumer: string;
  /** The coordinate the probe tries to reach. */
  target: string;
  variant: Variant;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export const VARIANTS = [
  'plain',
  'alias',
  'named-fragment',
  'inline-fragment',
  'nested-fragments',
  'variables-and-skip',
  'typename-disguise',
  'other-path',
  'fragment-named-like-introspection',
  'unexecuted-operation',
  'with-introspection',
] as const;
export type Variant = (typeof VARIANTS)[number];

type Step = { type: GraphQLObjectType; field: GraphQLField<unknown, unknown> };

/** Every object type (except introspection types) with the coordinates of its fields. */
export function allCoordinates(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !isIntrospectionType(t))
    .flatMap((t) => Object.keys(t.getFields()).map((f) => `${t.name}.${f}`));
}

/** Up to `max` shortest distinct paths (root field first) from Query to objects of each type. */
function pathsTo(schema: GraphQLSchema, max = 2): Map<string, Step[][]> {
  const query = schema.getQueryType()!;
  const found = new Map<string, Step[][]>([[query.name, [[]]]]);
  let frontier: Array<{ type: GraphQLObjectType; path: Step[] }> = [{ type: query, path: [] }];
  for (let depth = 0; depth < 8 && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { type, path } of frontier) {
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type);
        if (!isObjectType(target) || path.some((s) => s.type === target)) continue;
        const known = found.get(target.name) ?? [];
        if (known.length >= max) continue;
        const p = [...path, { type, field }];
        known.push(p);
        found.set(target.name, known);
        next.push({ type: target, path: p });
      }
    }
    frontier = next;
  }
  return found;
}

function literal(type: GraphQLInputType): string {
  const t = getNullableType(type);
  if (isListType(t)) return `[${literal(t.ofType)}]`;
  if (isInputObjectType(t)) {
    const fields = Object.values(t.getFields());
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    const chosen = required.length > 0 ? required : fields.filter((f) => getNamedType(f.type).name === 'String').slice(0, 1);
    return `{ ${chosen.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isEnumType(t)) return t.getValues()[0]!.name;
  if (isScalarType(t)) {
    switch (t.name) {
      case 'ID':
        return '"A1234BC"';
      case 'Int':
        return '1';
      case 'Float':
        return '1.5';
      case 'Boolean':
        return 'true';
      case 'Date':
        return '"1980-01-01"';
      case 'DateTime':
        return '"2020-01-01T00:00:00Z"';
      default:
        return '"Smith"';
    }
  }
  return 'null';
}

const required = (args: readonly GraphQLArgument[]) => args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);

function argumentsText(field: GraphQLField<unknown, unknown>, asVariables: Map<string, GraphQLArgument> | null): string {
  const args = required(field.args);
  if (args.length === 0) return '';
  return `(${args
    .map((a) => {
      if (!asVariables) return `${a.name}: ${literal(a.type)}`;
      const name = `v${asVariables.size}`;
      asVariables.set(name, a);
      return `${a.name}: $${name}`;
    })
    .join(', ')})`;
}

/** `field(args) { __typename }` or `field(args)`. */
function selectionOf(field: GraphQLField<unknown, unknown>, alias: string | null, vars: Map<string, GraphQLArgument> | null, extra = ''): string {
  const sub = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${alias ? `${alias}: ` : ''}${field.name}${argumentsText(field, vars)}${extra}${sub}`;
}

/** Wraps `inner` (a selection on the path's last type) in the path from the root. */
function wrap(path: Step[], inner: string, vars: Map<string, GraphQLArgument> | null): string {
  let text = inner;
  for (let i = path.length - 1; i >= 0; i--) text = `${selectionOf(path[i]!.field, null, vars).replace(' { __typename }', '')} { ${text} }`;
  return text;
}

/** The same values as `literal`, as JSON for variables. */
function variableValue(type: GraphQLInputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [variableValue(t.ofType)];
  if (isInputObjectType(t)) {
    const fields = Object.values(t.getFields());
    const mandatory = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    const chosen = mandatory.length > 0 ? mandatory : fields.filter((f) => getNamedType(f.type).name === 'String').slice(0, 1);
    return Object.fromEntries(chosen.map((f) => [f.name, variableValue(f.type)]));
  }
  if (isEnumType(t)) return t.getValues()[0]!.name;
  return JSON.parse(literal(t));
}

function operation(body: string, vars: Map<string, GraphQLArgument> | null, extraVars = ''): string {
  const declared = vars && vars.size > 0 ? [...vars].map(([n, a]) => `$${n}: ${String(a.type)}`).join(', ') : '';
  const all = [declared, extraVars].filter((s) => s !== '').join(', ');
  return `query Probe${all ? `(${all})` : ''} { ${body} }`;
}

/** The probes for one consumer: every coordinate outside `granted`, each in every variant. */
export function probesFor(schema: GraphQLSchema, consumer: string, granted: ReadonlySet<string>): Probe[] {
  const paths = pathsTo(schema);
  const probes: Probe[] = [];
  for (const coordinate of allCoordinates(schema)) {
    if (granted.has(coordinate)) continue;
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName) as GraphQLObjectType;
    const field = type.getFields()[fieldName]!;
    const routes = paths.get(typeName);
    if (!routes || routes.length === 0) continue; // unreachable from Query
    const [path, second] = routes as [Step[], Step[] | undefined];
    const at = (inner: string, vars: Map<string, GraphQLArgument> | null = null) => wrap(path, inner, vars);
    const add = (variant: Variant, query: string, extra: Partial<Probe> = {}) => probes.push({ consumer, target: coordinate, variant, query, ...extra });
    const plain = selectionOf(field, null, null);

    add('plain', operation(at(plain), null));
    add('alias', operation(at(selectionOf(field, 'innocent', null)), null));
    add('named-fragment', `${operation(at('...Leak'), null)} fragment Leak on ${typeName} { ${plain} }`);
    add('inline-fragment', operation(at(`... on ${typeName} { ${plain} }`), null));
    add('nested-fragments', `${operation(at('...Outer'), null)} fragment Outer on ${typeName} { ... on ${typeName} { ...Inner } } fragment Inner on ${typeName} { ${plain} }`);
    const vars = new Map<string, GraphQLArgument>();
    const withVars = at(selectionOf(field, null, vars, ' @skip(if: $skip)'), vars);
    add('variables-and-skip', operation(withVars, vars, '$skip: Boolean!'), {
      variables: { skip: true, ...Object.fromEntries([...vars].map(([n, a]) => [n, variableValue(a.type)])) },
    });
    add('typename-disguise', operation(at(`... on ${typeName} { __typename: ${plain} }`), null));
    if (second) add('other-path', operation(wrap(second, plain, null), null));
    add('fragment-named-like-introspection', `${operation(at('...__schema'), null)} fragment __schema on ${typeName} { ${plain} }`);
    add('unexecuted-operation', `query Harmless { __typename } ${operation(at(plain), null)}`, { operationName: 'Harmless' });
    add('with-introspection', operation(`__type(name: "${typeName}") { name } ${at(plain)}`, null));
  }
  return probes;
}

/** Introspection without any data field: refused unless the consumer may introspect. */
export const INTROSPECTION_PROBES = [
  '{ __schema { queryType { name } } }',
  '{ __type(name: "Person") { name fields { name } } }',
  '{ __schema { types { name fields { name type { name } } } } }',
  'query { ...S } fragment S on Query { __schema { types { name } } }',
  '{ a: __type(name: "Query") { fields { name } } }',
];
