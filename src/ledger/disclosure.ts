import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AuditCollector } from '../auth/audit.js';
import type { SearchDisclosure, SubjectDisclosure } from './record.js';

const PERSON_TYPE = 'Person';

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

  /** The fields selected on an object, fragments flattened, by response key (first node per key). */
  const fieldsOf = (set: SelectionSetNode, out = new Map<string, FieldNode>()): Map<string, FieldNode> => {
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
      } else if (sel.kind === Kind.INLINE_FRAGMENT) fieldsOf(sel.selectionSet, out);
      else {
        const fragment = fragments.get(sel.name.value);
        if (fragment) fieldsOf(fragment.selectionSet, out);
      }
    }
    return out;
  };

  type Subject = ReturnType<typeof subjectFor> | null;
  const walkObject = (value: Record<string, unknown>, type: GraphQLObjectType, set: SelectionSetNode, path: string, subject: Subject): void => {
    const fieldDefs = type.getFields();
    for (const [key, node] of fieldsOf(set)) {
      const name = node.name.value;
      if (name.startsWith('__') || !(key in value)) continue;
      const def = fieldDefs[name];
      if (!def) continue;
      const coordinate = `${type.name}.${name}`;
      const v = value[key];
      const childPath = path === '' ? key : `${path}/${key}`;
      if (audit.redactedPaths.has(childPath)) {
        subject?.redacted.add(coordinate);
        continue;
      }
      if (v === null || v === undefined) continue;
      subject?.disclosed.add(coordinate);
      const named = getNamedType(def.type);
      if (!isObjectType(named) || !node.selectionSet) continue;
      const visit = (item: unknown, itemPath: string) => {
        if (item === null || typeof item !== 'object') return;
        let s = subject;
        if (named.name === PERSON_TYPE) {
          const id = audit.personAtPath.get(itemPath);
          s = id ? subjectFor(id) : null;
        }
        walkObject(item as Record<string, unknown>, named, node.selectionSet!, itemPath, s);
      };
      if (isListType(getNullableType(def.type)) && Array.isArray(v)) v.forEach((item, i) => visit(item, `${childPath}/${i}`));
      else visit(v, childPath);
    }
  };
  walkObject(data, query, operation.selectionSet, '', null);

  for (const root of audit.rootFields) {
    const matched = audit.searchMatches.get(root.responseKey);
    if (!matched) continue;
    const page = data[root.responseKey] as { totalCount?: unknown; nodes?: unknown } | null | undefined;
    const confirmed = new Set<string>();
    if (page && page.totalCount !== undefined && page.totalCount !== null) matched.forEach((id) => confirmed.add(id));
    for (const [path, id] of audit.personAtPath) if (path.startsWith(`${root.responseKey}/`)) confirmed.add(id);
    searches.push({ field: root.field, responseKey: root.responseKey, criteria: root.criteria, confirmed: [...confirmed] });
  }

  return {
    subjects: [...subjects].map(([hmppsId, s]) => ({ hmppsId, disclosed: [...s.disclosed].sort(), redacted: [...s.redacted].sort() })),
    searches,
  };
}
