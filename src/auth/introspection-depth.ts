import { Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { graphQLError } from '../errors/contract.js';

/**
 * `ofType` chains a document may nest. graphql-js's own introspection query (and so GraphiQL and
 * Apollo Sandbox) nests 9; a real type needs at most a few. graphql-js's MaxIntrospectionDepthRule
 * bounds `fields`/`interfaces`/`possibleTypes` nesting but does not count `ofType`, so a 60-deep chain
 * would be answered.
 */
export const MAX_OF_TYPE_DEPTH = 10;

/**
 * Refuses a document whose `ofType` selections nest deeper than `max` (through fragments too). A
 * fragment's depth is measured once per document: a fragment that spreads the previous one twice,
 * forty times over, is 2^40 selections expanded but 41 fragments measured.
 */
export function maxOfTypeDepthRule(max = MAX_OF_TYPE_DEPTH): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragmentDepth = new Map<string, number>();
    const deepest = (set: SelectionSetNode | undefined, visiting: Set<string>): number => {
      let out = 0;
      for (const selection of set?.selections ?? []) {
        let depth: number;
        if (selection.kind === Kind.FIELD) {
          depth = (selection.name.value === 'ofType' ? 1 : 0) + deepest(selection.selectionSet, visiting);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = deepest(selection.selectionSet, visiting);
        } else {
          const name = selection.name.value;
          const known = fragmentDepth.get(name);
          if (known !== undefined) depth = known;
          else {
            if (visiting.has(name)) continue; // a fragment cycle is reported by NoFragmentCyclesRule
            const fragment = context.getFragment(name);
            visiting.add(name);
            depth = deepest(fragment?.selectionSet, visiting);
            visiting.delete(name);
            fragmentDepth.set(name, depth);
          }
        }
        out = Math.max(out, depth);
        if (out > max) return out;
      }
      return out;
    };
    return {
      OperationDefinition(node) {
        const depth = deepest(node.selectionSet, new Set());
        if (depth > max) {
          context.reportError(
            graphQLError('GRAPHQL_VALIDATION_FAILED', `Introspection nests ofType more than ${max} deep.`, {}, { stopsOperation: true, nodes: [node] }),
          );
        }
        return false;
      },
    };
  };
}
