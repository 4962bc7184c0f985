/**
 * What an operation document asks for, worked out once per document: every schema coordinate it
 * selects (in any operation or fragment, under any alias, directive or type condition), whether it
 * introspects, and its shape (depth, aliases, top-level fields, directives). Fragments are measured
 * once each and memoised, so fragment "bombs" cost linear time. The cost (which depends on
 * variables: page sizes, id lists) is computed per request.
 */
import {
  Kind,
  TypeInfo,
  getNamedType,
  getNullableType,
  isAbstractType,
  isIntrospectionType,
  isListType,
  isObjectType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  typeFromAST,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface DocumentFacts {
  /** Concrete coordinates (`Type.field`); a field selected on an interface counts for every implementation. */
  coordinates: ReadonlySet<string>;
  introspection: boolean;
  /** Deepest field nesting of any operation (introspection subtrees excluded: graphql-js bounds those). */
  depth: number;
  /** Aliased fields, counting a fragment once per spread. */
  aliases: number;
  /** Most top-level fields of any operation, through fragments. */
  rootFields: number;
  directives: number;
}

const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, DocumentFacts>>();

/** Facts of a validated document (memoised per schema and document object). */
export function documentFacts(schema: GraphQLSchema, document: DocumentNode): DocumentFacts {
  let bySchema = cache.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    cache.set(schema, bySchema);
  }
  const known = bySchema.get(document);
  if (known) return known;
  const facts = analyse(schema, document);
  bySchema.set(document, facts);
  return facts;
}

function analyse(schema: GraphQLSchema, document: DocumentNode): DocumentFacts {
  const coordinates = new Set<string>();
  let introspection = false;
  let directives = 0;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Directive() {
        directives++;
      },
      Field(node) {
        const name = node.name.value;
        if (name === '__typename') return;
        if (name === '__schema' || name === '__type') {
          introspection = true;
          return;
        }
        const parent = typeInfo.getParentType();
        if (!parent || isIntrospectionType(parent)) return;
        if (isObjectType(parent)) coordinates.add(`${parent.name}.${name}`);
        else if (isAbstractType(parent)) {
          for (const type of schema.getPossibleTypes(parent)) coordinates.add(`${type.name}.${name}`);
        }
      },
    }),
  );

  const fragments = fragmentMap(document);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const depthMemo = new Map<string, number>();
  const aliasMemo = new Map<string, number>();
  const rootMemo = new Map<string, number>();
  const inProgress = new Set<string>();

  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__schema' || s.name.value === '__type') continue;
        max = Math.max(max, 1 + depthOf(s.selectionSet));
      } else if (s.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, depthOf(s.selectionSet));
      else max = Math.max(max, memo(depthMemo, s.name.value, (f) => depthOf(f.selectionSet)));
    }
    return max;
  };
  const aliasesOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += (s.alias && s.alias.value !== s.name.value ? 1 : 0) + aliasesOf(s.selectionSet);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += aliasesOf(s.selectionSet);
      else n += memo(aliasMemo, s.name.value, (f) => aliasesOf(f.selectionSet));
    }
    return n;
  };
  const rootFieldsOf = (set: SelectionSetNode): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += s.name.value === '__typename' ? 0 : 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += rootFieldsOf(s.selectionSet);
      else n += memo(rootMemo, s.name.value, (f) => rootFieldsOf(f.selectionSet));
    }
    return n;
  };
  function memo(table: Map<string, number>, name: string, compute: (f: FragmentDefinitionNode) => number): number {
    const known = table.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Cycles and unknown fragments fail standard validation first; never recurse forever regardless.
    if (!fragment || inProgress.has(name)) return 0;
    inProgress.add(name);
    const value = compute(fragment);
    inProgress.delete(name);
    table.set(name, value);
    return value;
  }

  return {
    coordinates,
    introspection,
    depth: Math.max(0, ...operations.map((o) => depthOf(o.selectionSet))),
    aliases: operations.reduce((n, o) => n + aliasesOf(o.selectionSet), 0) + unusedFragmentAliases(fragments, aliasMemo, aliasesOf),
    rootFields: Math.max(0, ...operations.map((o) => rootFieldsOf(o.selectionSet))),
    directives,
  };
}

/** Fragments no operation spreads fail validation; counted anyway so nothing escapes the count. */
function unusedFragmentAliases(
  fragments: Map<string, FragmentDefinitionNode>,
  counted: Map<string, number>,
  aliasesOf: (set: SelectionSetNode) => number,
): number {
  let n = 0;
  for (const [name, fragment] of fragments) if (!counted.has(name)) n += aliasesOf(fragment.selectionSet);
  return n;
}

function fragmentMap(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

/** Arguments whose value is a page size. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit', 'pageSize'];

/**
 * The cost of running `operation`: each field costs 1, times the number of items its list can hold.
 * A list's size is its page-size argument (`first` - given, from a variable, or the schema default),
 * or the length of the list of ids it was given (`persons(hmppsIds)`), or `defaultListSize` for a
 * plain list. The lists inside a sized field (a connection's `nodes`) are not counted twice.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  defaultListSize: number,
): number {
  const fragments = fragmentMap(document);
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const costOf = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType, sized: boolean): number => {
    if (!set) return 0;
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) total += fieldCost(s, parent, sized);
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition ? typeFromAST(schema, s.typeCondition) : parent;
        total += costOf(s.selectionSet, isCompositeType(type) ? type : parent, sized);
      } else {
        const key = `${s.name.value}:${sized}`;
        const known = memo.get(key);
        if (known !== undefined) {
          total += known;
          continue;
        }
        const fragment = fragments.get(s.name.value);
        if (!fragment || inProgress.has(key)) continue;
        inProgress.add(key);
        const type = typeFromAST(schema, fragment.typeCondition);
        const value = costOf(fragment.selectionSet, isCompositeType(type) ? type : parent, sized);
        inProgress.delete(key);
        memo.set(key, value);
        total += value;
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, parentSized: boolean): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return name === '__typename' ? 0 : 1;
    if (isAbstractType(parent) && !isInterfaceType(parent)) return 0;
    const field = (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
    if (!field) return 0;
    const size = sizeArgument(field, node.arguments ?? [], variables);
    const returnsList = isListType(getNullableType(field.type));
    let multiplier = 1;
    if (size !== null) multiplier = size;
    else if (returnsList) multiplier = parentSized ? 1 : (idListLength(field, node.arguments ?? [], variables) ?? defaultListSize);
    const named = getNamedType(field.type);
    const children = isCompositeType(named) ? costOf(node.selectionSet, named, size !== null) : 0;
    return multiplier * (1 + children);
  };

  return costOf(operation.selectionSet, root, false);
}

function argumentValue(field: GraphQLField<unknown, unknown>, nodes: readonly ArgumentNode[], name: string, variables: Record<string, unknown>): unknown {
  const def = field.args.find((a) => a.name === name);
  if (!def) return undefined;
  const node = nodes.find((a) => a.name.value === name);
  if (!node) return def.defaultValue;
  if (node.value.kind === Kind.VARIABLE) return variables[node.value.name.value] ?? def.defaultValue;
  return valueFromAST(node.value, def.type, variables);
}

function sizeArgument(field: GraphQLField<unknown, unknown>, nodes: readonly ArgumentNode[], variables: Record<string, unknown>): number | null {
  for (const name of SIZE_ARGUMENTS) {
    const value = argumentValue(field, nodes, name, variables);
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
  }
  return null;
}

/** `persons(hmppsIds: [...])`: as many items as ids asked for. */
function idListLength(field: GraphQLField<unknown, unknown>, nodes: readonly ArgumentNode[], variables: Record<string, unknown>): number | null {
  for (const arg of field.args) {
    if (!isListType(getNullableType(arg.type)) || isInputObjectType(getNamedType(arg.type))) continue;
    const value = argumentValue(field, nodes, arg.name, variables);
    if (Array.isArray(value)) return value.length;
  }
  return null;
}
