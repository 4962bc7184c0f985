/**
 * disclosureOf walks the response beside the operation's selections. A named fragment is taken once
 * per selection, as graphql-js collects fields: a fragment bomb whose fields cost nothing
 * (`__typename`) passes the cost gate and executes in linear time, and the ledger's walk must be
 * linear too (it used to expand every spread: 2^40 here).
 */
import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { AuditCollector } from '../../../src/auth/audit.js';
import { disclosureOf } from '../../../src/ledger/disclosure.js';
import { buildSchema } from '../../../src/server/schema.js';

const schema = buildSchema();

describe('disclosureOf', () => {
  it('attributes each disclosed field once, through a 40-deep fragment bomb, to the person at its path', () => {
    const frags = ['fragment F0 on Person { __typename firstName }', ...Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Person { ...F${i} ...F${i} }`)];
    const document = parse(`{ person(hmppsId: "A1234BC") { ...F40 } } ${frags.join(' ')}`);
    const audit = new AuditCollector(Buffer.from('k'));
    audit.personAtPath.set('person', 'A1234BC');
    const { subjects } = disclosureOf(schema, document, null, { person: { __typename: 'Person', firstName: 'Ann' } }, audit);
    expect(subjects).toEqual([{ hmppsId: 'A1234BC', disclosed: ['Person.firstName'], redacted: [] }]);
  });
});
