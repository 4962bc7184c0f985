import { describe, expect, it } from '@jest/globals';
import { buildPolicy, loadPolicy, PolicyError } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';

const schema = buildSchema();

describe('consumer policy', () => {
  it('loads the development policy and expands wildcards', () => {
    const policy = loadPolicy('policy/development.yaml', schema);
    const dev = policy.consumer('dev-consumer')!;
    expect(dev.coordinates.has('Person.firstName')).toBe(true);
    expect(dev.coordinates.has('Alias.dateOfBirth')).toBe(true);
    const police = policy.consumer('police-dev')!;
    expect(police.coordinates.has('Person.firstName')).toBe(true);
    expect(police.coordinates.has('Person.dateOfBirth')).toBe(false);
    expect(policy.consumer('nobody')).toBeUndefined();
  });

  it('stops on unknown coordinates and roles, naming them', () => {
    const doc = {
      roles: { r: { grants: ['Person.shoeSize', 'Nope.*', 'Query.person'] } },
      consumers: { c: { roles: ['r', 'missing-role'] } },
    };
    expect(() => buildPolicy('test.yaml', doc, schema)).toThrow(PolicyError);
    try {
      buildPolicy('test.yaml', doc, schema);
    } catch (e) {
      expect((e as Error).message).toContain('"Person.shoeSize"');
      expect((e as Error).message).toContain('"Nope.*"');
      expect((e as Error).message).toContain('unknown role "missing-role"');
    }
  });

  it('reads trustedDocuments (default log-unknown), requestPurposes (default none) and onBehalfOf (default record), and names wrong values', () => {
    const roles = { r: { grants: ['Query.person'] } };
    const defaults = buildPolicy('test.yaml', { roles, consumers: { c: { roles: ['r'] } } }, schema).consumer('c')!;
    expect([defaults.trustedDocuments, defaults.requestPurposes, defaults.onBehalfOf]).toEqual(['log-unknown', null, 'record']);
    const set = buildPolicy('test.yaml', { roles, consumers: { c: { roles: ['r'], trustedDocuments: 'enforce', requestPurposes: ['safeguarding', 'crime-prevention'], onBehalfOf: 'require' } } }, schema).consumer('c')!;
    expect([set.trustedDocuments, set.requestPurposes, set.onBehalfOf]).toEqual(['enforce', ['safeguarding', 'crime-prevention'], 'require']);
    const wrong = { roles, consumers: { c: { roles: ['r'], trustedDocuments: 'strict', requestPurposes: [], onBehalfOf: 'trust' } } };
    expect(() => buildPolicy('test.yaml', wrong, schema)).toThrow(/trustedDocuments must be one of off, log-unknown, enforce \(got "strict"\)[\s\S]*requestPurposes must be a non-empty list[\s\S]*onBehalfOf must be one of ignore, record, require/);
  });
});
