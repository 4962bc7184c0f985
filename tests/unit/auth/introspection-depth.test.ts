/**
 * The `ofType` depth rule: deeper than the limit is refused, through fragments too, and a fragment
 * bomb is measured per fragment (it used to be walked once per expanded spread: 2^n).
 */
import { describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery, parse, validate } from 'graphql';
import { MAX_OF_TYPE_DEPTH, maxOfTypeDepthRule } from '../../../src/auth/introspection-depth.js';
import { buildSchema } from '../../../src/server/schema.js';

const schema = buildSchema();
const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
const errorsOf = (source: string): string[] => validate(schema, parse(source), [maxOfTypeDepthRule()]).map((e) => e.message);

describe('maxOfTypeDepthRule', () => {
  it("passes graphql-js's own introspection query (what Sandbox sends)", () => {
    expect(errorsOf(getIntrospectionQuery())).toEqual([]);
  });

  it('refuses one ofType more than the limit, written inline or through fragments', () => {
    expect(errorsOf(`{ __type(name: "Person") { ${ofTypes(MAX_OF_TYPE_DEPTH)} } }`)).toEqual([]);
    expect(errorsOf(`{ __type(name: "Person") { ${ofTypes(MAX_OF_TYPE_DEPTH + 1)} } }`)).toEqual([`Introspection nests ofType more than ${MAX_OF_TYPE_DEPTH} deep.`]);
    const viaFragments = `{ __type(name: "Person") { ofType { ...A } } } fragment A on __Type { ofType { ...B } } fragment B on __Type { ${ofTypes(MAX_OF_TYPE_DEPTH - 1)} }`;
    expect(errorsOf(viaFragments)).toHaveLength(1);
  });

  it('measures a fragment bomb (each fragment spreads the previous one twice, 40 deep: 2^40 expanded) once per fragment', () => {
    const frags = [`fragment F0 on __Type { ${ofTypes(MAX_OF_TYPE_DEPTH - 1)} }`, ...Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on __Type { ...F${i} ...F${i} }`)];
    // Within the limit: every spread has to be measured to know it, so the walk is the whole bomb.
    expect(errorsOf(`{ __type(name: "Person") { ...F40 } } ${frags.join(' ')}`)).toEqual([]);
    expect(errorsOf(`{ __type(name: "Person") { ofType { ofType { ...F40 } } } } ${frags.join(' ')}`)).toHaveLength(1);
  });
});
