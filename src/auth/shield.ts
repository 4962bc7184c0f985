import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { AuthContext } from './consumer.js';

type FieldRule = ReturnType<ReturnType<typeof rule>>;
type RuleTree = Record<string, Record<string, FieldRule>>;

function forbidden(coordinate: string): GraphQLError {
  return new GraphQLError(`Your access policy does not include ${coordinate}.`, {
    extensions: { code: 'FORBIDDEN', coordinates: [coordinate] },
  });
}

/**
 * graphql-shield rules generated from the policy: every field of every object type gets a rule that
 * allows it only when the consumer's grant includes its coordinate. Anything not covered falls back
 * to deny. Upstream errors pass through untouched (`allowExternalErrors`), so they are not mistaken
 * for authorisation failures.
 */
export function policyShield(schema: GraphQLSchema) {
  const tree: RuleTree = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    tree[type.name] = {};
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      (tree[type.name] as RuleTree[string])[field] = rule(`grant:${coordinate}`, { cache: 'no_cache' })(
        (_parent, _args, ctx: AuthContext) => ctx.consumer.grant?.coordinates.has(coordinate) === true || forbidden(coordinate),
      );
    }
  }
  return shield(tree as IRules, {
    fallbackRule: rule('deny-unlisted', { cache: 'no_cache' })(() => false),
    fallbackError: () => new GraphQLError('Not permitted.', { extensions: { code: 'FORBIDDEN' } }),
    allowExternalErrors: true,
  });
}
