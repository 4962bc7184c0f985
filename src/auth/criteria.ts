/**
 * What you may not read, you may not search by (issue 14). A `searchPersons` criterion is a question
 * about a field: a consumer that may not read the field unredacted could otherwise learn its value
 * by searching (a PNC number that comes back masked, a date of birth it may not select, a masked
 * last name confirmed by a count of 1). So each criterion needs the coordinates it reads, granted and
 * not always redacted; a redaction that applies only to limited-access people leaves the criterion
 * usable but those people out of the matches and the count (the resolver does that).
 */
import {
  Kind,
  getVariableValues,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { ConsumerGrant } from './policy.js';

export type CriterionName = 'firstName' | 'lastName' | 'dateOfBirth' | 'pncNumber';

/** The coordinates each criterion reads; with `includeAliases`, the alias fields as well. */
export const CRITERION_FIELDS: Record<CriterionName, { person: string[]; alias: string[] }> = {
  firstName: { person: ['Person.firstName'], alias: ['Person.aliases', 'Alias.firstName'] },
  lastName: { person: ['Person.lastName'], alias: ['Person.aliases', 'Alias.lastName'] },
  dateOfBirth: { person: ['Person.dateOfBirth'], alias: ['Person.aliases', 'Alias.dateOfBirth'] },
  pncNumber: { person: ['Person.identifiers', 'Identifiers.pncNumber'], alias: [] },
};
const CRITERIA = Object.keys(CRITERION_FIELDS) as CriterionName[];

export interface CriterionRefusal {
  criterion: CriterionName;
  /** The coordinate the consumer may not read unredacted. */
  coordinate: string;
}

export type UsedCriteria = { names: CriterionName[]; includeAliases: boolean };

const coordinatesFor = (used: UsedCriteria, name: CriterionName) =>
  used.includeAliases ? [...CRITERION_FIELDS[name].person, ...CRITERION_FIELDS[name].alias] : CRITERION_FIELDS[name].person;

/** The criteria this consumer may not use: a coordinate not granted, or redacted for everyone. */
export function refusedCriteria(grant: ConsumerGrant, used: UsedCriteria): CriterionRefusal[] {
  const refused: CriterionRefusal[] = [];
  for (const criterion of used.names) {
    const coordinate = coordinatesFor(used, criterion).find((c) => {
      const redaction = grant.redactions.get(c);
      return !grant.coordinates.has(c) || (redaction !== undefined && !redaction.limitedAccessOnly);
    });
    if (coordinate) refused.push({ criterion, coordinate });
  }
  return refused;
}

/** Whether a search with these criteria must leave limited-access people out (a criterion's field is redacted for them). */
export function hidesLimitedAccess(grant: ConsumerGrant, used: UsedCriteria): boolean {
  return used.names.some((criterion) => coordinatesFor(used, criterion).some((c) => grant.redactions.get(c)?.limitedAccessOnly === true));
}

/**
 * The criteria every `searchPersons` of the operation uses (inline or through variables, through
 * fragments on Query). Variables that do not coerce are left to execution, which refuses them.
 */
export function searchCriteriaOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown>,
): UsedCriteria[] {
  const query = schema.getQueryType();
  const field = query?.getFields().searchPersons;
  if (!query || !field) return [];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const nodes: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === 'searchPersons') nodes.push(s);
      } else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return nodes.map((node) => {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, coerced.coerced);
    } catch {
      return { names: [], includeAliases: false };
    }
    const criteria = (args.criteria ?? {}) as Record<string, unknown>;
    return {
      names: CRITERIA.filter((c) => criteria[c] !== null && criteria[c] !== undefined),
      includeAliases: criteria.includeAliases === true,
    };
  });
}
