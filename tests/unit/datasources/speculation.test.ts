/**
 * lookupsOf and selectsField read a Person selection through fragments. A fragment bomb of free
 * fields (`__typename` costs nothing, so the gate lets it through to execution) is walked once per
 * fragment and place, not once per expanded spread (it used to be 2^40 here).
 */
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { lookupsOf, selectsField } from '../../../src/datasources/speculation.js';

/** The `person` field node of a one-operation document, and its fragments by name. */
function personField(source: string): { nodes: FieldNode[]; fragments: Record<string, FragmentDefinitionNode> } {
  const doc = parse(source);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return { nodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

const bomb = (leaf: string) =>
  `{ person(hmppsId: "A1234BC") { ...T40 } } fragment T0 on Person { __typename ${leaf} } ${Array.from({ length: 40 }, (_, i) => `fragment T${i + 1} on Person { ...T${i} ...T${i} }`).join(' ')}`;

describe('speculative lookups of a selection', () => {
  it('reads fields and two-level paths through fragments', () => {
    const { nodes, fragments } = personField('{ person(hmppsId: "A1234BC") { ...F responsibleOfficer { ... on ResponsibleOfficer { communityManager { name { forename } } } } } } fragment F on Person { alerts { totalCount } }');
    expect([...lookupsOf(nodes, fragments)].sort()).toEqual(['alerts', 'probationCase']);
    expect(selectsField(nodes, fragments, 'alerts')).toBe(true);
    expect(selectsField(nodes, fragments, 'addresses')).toBe(false);
  });

  it('walks a 40-deep fragment bomb of free fields once per fragment', () => {
    const { nodes, fragments } = personField(bomb('addresses { postcode }'));
    expect([...lookupsOf(nodes, fragments)].sort()).toEqual(['prisonAddresses', 'probationAddresses']);
    expect(selectsField(nodes, fragments, 'addresses')).toBe(true);
    const free = personField(bomb(''));
    expect(lookupsOf(free.nodes, free.fragments).size).toBe(0);
    expect(selectsField(free.nodes, free.fragments, 'courtName')).toBe(false);
  });
});
