/**
 * Every GraphQL example in docs/consumers.md, run as written against the real gateway over mutual TLS (development
 * consumer, development policy) for well-known people: each answers HTTP 200 without a single error and with every
 * root field it asks for present; and together the examples select every field of `Person` (an example per data area).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, TypeInfo, parse, visit, visitWithTypeInfo, type GraphQLObjectType, type OperationDefinitionNode } from 'graphql';
import { postGraphQL } from '../../local-stack/https.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { buildSchema } from '../../src/server/schema.js';
import { useGatewayStack } from '../support/stack.js';

const stack = useGatewayStack({ population: 500 });
const people = wellKnownPeople().people;
const linked = people.find((p) => p.key === 'linked')!;
const prisonOnly = people.find((p) => p.key === 'prison-only')!;

const guide = readFileSync(join(REPO_ROOT, 'docs', 'consumers.md'), 'utf8');
const examples = [...guide.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

/** A value for each variable the examples declare, by name: a well-known person known to prison and probation. */
const VALUES: Record<string, unknown> = {
  hmppsId: linked.crn,
  ids: [linked.crn, prisonOnly.prisonNumber],
  lastName: linked.lastName,
  dateOfBirth: null,
  after: null,
};

function variablesOf(operation: OperationDefinitionNode): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) {
    const name = v.variable.name.value;
    if (!(name in VALUES)) throw new Error(`no test value for $${name}: add one to VALUES in this test`);
    variables[name] = VALUES[name];
  }
  return variables;
}

describe('docs/consumers.md examples, against the development stack', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(8));

  it.each(examples.map((e) => [/(?:query|mutation)\s+(\w+)/.exec(e)?.[1] ?? e.slice(0, 40), e]))('%s answers without an error', async (_name, example) => {
    const operation = parse(example).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const r = await postGraphQL(stack.gateway.consumerUrl, { query: example, variables: variablesOf(operation) }, { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
    expect([r.status, r.body.errors ?? []]).toEqual([200, []]);
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const key = selection.alias?.value ?? selection.name.value;
      expect([key, r.body.data?.[key] ?? null]).not.toEqual([key, null]);
    }
  });

  it('together select every field of Person', () => {
    const schema = buildSchema();
    const selected = new Set<string>();
    for (const example of examples) {
      const typeInfo = new TypeInfo(schema);
      visit(
        parse(example),
        visitWithTypeInfo(typeInfo, {
          Field() {
            const parent = typeInfo.getParentType();
            const field = typeInfo.getFieldDef();
            if (parent && field) selected.add(`${parent.name}.${field.name}`);
          },
        }),
      );
    }
    const person = schema.getType('Person') as GraphQLObjectType;
    const missing = Object.keys(person.getFields())
      .map((f) => `Person.${f}`)
      .filter((c) => !selected.has(c));
    expect(missing).toEqual([]);
  });
});
