import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuditCollector } from '../auth/audit.js';
import type { SearchDisclosure, SubjectDisclosure } from './record.js';

const PERSON_TYPE = 'Person';

/** One selected schema field of an object type under a selection set, as the walk reads it. */
interface FieldPlan {
  key: string;
  node: FieldNode;
  coordinate: string;
  named: GraphQLNamedType;
  list: boolean;
}

/** Plans by selection set node and object type (see `planOf`); a document's nodes hold their fragments' too. */
const PLANS = new WeakMap<SelectionSetNode, Map<GraphQLObjectType, FieldPlan[]>>();

/**
 * What a response disclosed, per subject: walks the response data beside the operation's selections
 * (so each value is known by its schema coordinate), attributing every non-null value to the nearest
 * person above it (the person guard recorded which person sits at which response path). A value a
 * redaction withheld or masked counts as redacted, not disclosed. Searches: the hashed criteria and
 * every subject whose existence the response confirmed (all matches when `totalCount` was sent).
 */
export function disclosureOf(
  schema: GraphQLSchema,
  document: DocumentNode | undefined,
  operationName: string | null,
  data: Record<string, unknown> | null | undefined,
  audit: AuditCollector,
): { subjects: SubjectDisclosure[]; searches: SearchDisclosure[] } {
  const subjects = new Map<string, { disclosed: Set<string>; redacted: Set<string> }>();
  const searches: SearchDisclosure[] = [];
  const query = schema.getQueryType();
  const operation = document?.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName === null || d.name?.value === operationName),
  );
  if (!data || !operation || !query || operation.operation !== 'query') return { subjects: [], searches: [] };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document!.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const subjectFor = (hmppsId: string) => {
    let s = subjects.get(hmppsId);
    if (!s) subjects.set(hmppsId, (s = { disclosed: new Set(), redacted: new Set() }));
    return s;
  };

  /** Whether a fragment's type condition applies to an object of `type`. */
  const applies = (condition: string | undefined, type: GraphQLObjectType): boolean => {
    if (condition === undefined || condition === type.name) return true;
    const named = schema.getType(condition);
    return named !== undefined && isAbstractType(named) && schema.isSubType(named, type);
  };

  /**
   * The fields selected on an object of `type`, fragments that apply flattened, by response key (first node per key).
   * A named fragment is taken once per selection (as graphql-js collects fields): a fragment bomb stays linear.
   */
  const fieldsOf = (
    set: SelectionSetNode,
    type: GraphQLObjectType,
    out = new Map<string, FieldNode>(),
    visited = new Set<string>(),
  ): Map<string, FieldNode> => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        if (!out.has(key)) out.set(key, sel);
        else {
          // The same key selected twice: merge the sub-selections.
          const first = out.get(key)!;
          if (first.selectionSet && sel.selectionSet) {
            out.set(key, { ...first, selectionSet: { ...first.selectionSet, selections: [...first.selectionSet.selections, ...sel.selectionSet.selections] } });
          }
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (applies(sel.typeCondition?.name.value, type)) fieldsOf(sel.selectionSet, type, out, visited);
      } else if (!visited.has(sel.name.value)) {
        visited.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type)) fieldsOf(fragment.selectionSet, type, out, visited);
      }
    }
    return out;
  };

  /**
   * The object type of a value: the field's own type, or for a union or interface (a router's `_entities` is a
   * list of the `_Entity` union) the member the value's `__typename`, its person path or the only member names.
   */
  const objectTypeOf = (named: GraphQLNamedType, item: Record<string, unknown>, itemPath: string): GraphQLObjectType | null => {
    if (isObjectType(named)) return named;
    if (!isAbstractType(named)) return null;
    const members = schema.getPossibleTypes(named);
    const typename = typeof item.__typename === 'string' ? item.__typename : audit.personAtPath.has(itemPath) ? PERSON_TYPE : null;
    if (typename !== null) return members.find((t) => t.name === typename) ?? null;
    return members.length === 1 ? members[0]! : null;
  };

  /**
   * What to read of an object of `type` under `set`: one entry per selected schema field (by response key),
   * worked out once per selection set and type - not once per object of a list - and kept with the
   * document's nodes (the same document, from the document cache, serves request after request).
   */
  const planOf = (set: SelectionSetNode, type: GraphQLObjectType): FieldPlan[] => {
    let byType = PLANS.get(set);
    if (!byType) PLANS.set(set, (byType = new Map()));
    let plan = byType.get(type);
    if (!plan) {
      const fieldDefs = type.getFields();
      plan = [];
      for (const [key, node] of fieldsOf(set, type)) {
        const name = node.name.value;
        const def = fieldDefs[name];
        if (name.startsWith('__') || !def) continue;
        plan.push({ key, node, coordinate: `${type.name}.${name}`, named: getNamedType(def.type), list: isListType(getNullableType(def.type)) });
      }
      byType.set(type, plan);
    }
    return plan;
  };

  type Subject = ReturnType<typeof subjectFor> | null;
  const walkObject = (value: Record<string, unknown>, type: GraphQLObjectType, set: SelectionSetNode, path: string, subject: Subject): void => {
    for (const { key, node, coordinate, named, list } of planOf(set, type)) {
      if (!(key in value)) continue;
      const v = value[key];
      const childPath = path === '' ? key : `${path}/${key}`;
      if (audit.redactedPaths.has(childPath)) {
        subject?.redacted.add(coordinate);
        continue;
      }
      if (v === null || v === undefined) continue;
      subject?.disclosed.add(coordinate);
      if (!node.selectionSet) continue;
      const visit = (item: unknown, itemPath: string) => {
        if (item === null || typeof item !== 'object') return;
        const itemType = objectTypeOf(named, item as Record<string, unknown>, itemPath);
        if (!itemType) return;
        let s = subject;
        if (itemType.name === PERSON_TYPE) {
          const id = audit.personAtPath.get(itemPath);
          s = id ? subjectFor(id) : null;
        }
        walkObject(item as Record<string, unknown>, itemType, node.selectionSet!, itemPath, s);
      };
      if (list && Array.isArray(v)) v.forEach((item, i) => visit(item, `${childPath}/${i}`));
      else visit(v, childPath);
    }
  };
  walkObject(data, query, operation.selectionSet, '', null);

  for (const root of audit.rootFields) {
    const matched = audit.searchMatches.get(root.responseKey);
    if (!matched) continue;
    const page = data[root.responseKey] as { totalCount?: unknown; nodes?: unknown } | null | undefined;
    const confirmed = new Set<string>();
    const alsoKnownAs = new Set<string>();
    if (page && page.totalCount !== undefined && page.totalCount !== null) {
      matched.forEach((id) => confirmed.add(id));
      (audit.searchMatchOtherIds.get(root.responseKey) ?? []).forEach((id) => alsoKnownAs.add(id));
    }
    for (const [path, id] of audit.personAtPath) if (path.startsWith(`${root.responseKey}/`)) confirmed.add(id);
    for (const id of confirmed) for (const other of audit.otherIdentifiers.get(id) ?? []) alsoKnownAs.add(other);
    searches.push({
      field: root.field,
      responseKey: root.responseKey,
      criteria: root.criteria,
      confirmed: [...confirmed],
      ...(alsoKnownAs.size > 0 ? { confirmedAlsoKnownAs: [...alsoKnownAs].sort() } : {}),
    });
  }

  return {
    subjects: [...subjects].map(([hmppsId, s]) => {
      const others = [...(audit.otherIdentifiers.get(hmppsId) ?? [])].sort();
      return { hmppsId, ...(others.length > 0 ? { alsoKnownAs: others } : {}), disclosed: [...s.disclosed].sort(), redacted: [...s.redacted].sort() };
    }),
    searches,
  };
}
