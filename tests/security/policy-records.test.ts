/** The case-record filters of the policy (ADR 16): caseNoteTypes and mappaCategories, read, combined, and watched on reload. */
import { describe, expect, it } from '@jest/globals';
import { buildPolicy, PolicyError } from '../../src/auth/policy.js';
import { wideningsOf } from '../../src/auth/policy-widening.js';
import { buildSchema } from '../../src/server/schema.js';

const schema = buildSchema();
const policyWith = (filters: Record<string, unknown>) =>
  buildPolicy('test.yaml', { roles: { r: { grants: ['Query.person', 'Person.caseNotes', 'Person.contactEvents'], filters } }, consumers: { c: { roles: ['r'] } } }, schema);

describe('case-record filters', () => {
  it('caseNoteTypes and mappaCategories (numbers as YAML writes them, or strings) become the consumer\'s filters', () => {
    const grant = policyWith({ caseNoteTypes: ['CAB', 'NEG'], mappaCategories: [1, '2'] }).consumer('c')!;
    expect(grant.rowFilters.caseNoteTypes).toEqual(new Set(['CAB', 'NEG']));
    expect(grant.rowFilters.mappaCategories).toEqual(new Set(['1', '2']));
    expect(policyWith({}).consumer('c')!.rowFilters).toMatchObject({ caseNoteTypes: null, mappaCategories: null });
    expect(policyWith({ mappaCategories: ['*'] }).consumer('c')!.rowFilters.mappaCategories).toBeNull();
  });

  it('values outside their domain are refused, naming the filter', () => {
    const problems = (filters: Record<string, unknown>) => {
      try {
        policyWith(filters);
        return [];
      } catch (e) {
        return (e as PolicyError).problems;
      }
    };
    expect(problems({ mappaCategories: [5] }).join()).toMatch(/filter "mappaCategories" has invalid values/);
    expect(problems({ caseNoteTypes: ['cab'] }).join()).toMatch(/filter "caseNoteTypes" has invalid values/);
  });

  it('a reload that widens or lifts them is reported', () => {
    const before = policyWith({ caseNoteTypes: ['CAB'], mappaCategories: [1] });
    expect(wideningsOf(before, policyWith({ caseNoteTypes: ['CAB', 'OMIC'], mappaCategories: [1] }))).toEqual([
      { consumer: 'c', change: 'filter-widened', what: ['caseNoteTypes'] },
    ]);
    expect(wideningsOf(before, policyWith({ caseNoteTypes: ['CAB'] }))).toEqual([{ consumer: 'c', change: 'filter-lifted', what: ['mappaCategories'] }]);
    expect(wideningsOf(before, policyWith({ caseNoteTypes: ['CAB'], mappaCategories: [] }))).toEqual([]);
  });
});
