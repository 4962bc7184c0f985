/** The published JSON Schema of the policy file (policy/policy.schema.json) fits the policy files and refuses wrong shapes. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';

const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module;
const schema = JSON.parse(readFileSync(join('policy', 'policy.schema.json'), 'utf8')) as object;
const validate = new (Ajv2020 as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } })({ allErrors: true, strict: true }).compile(schema);

describe('policy JSON Schema', () => {
  const files = readdirSync('policy').filter((f) => f.endsWith('.yaml'));

  it.each(files)('policy/%s fits it and points editors at it', (file) => {
    const text = readFileSync(join('policy', file), 'utf8');
    const ok = validate(parseYaml(text));
    expect({ file, errors: ok ? null : validate.errors }).toEqual({ file, errors: null });
    expect(text).toContain('# yaml-language-server: $schema=./policy.schema.json');
  });

  it.each<[string, unknown]>([
    ['an empty file', {}],
    ['no consumers', { roles: {}, consumers: {} }],
    ['an unknown key', { roles: {}, consumers: { c: { roles: [], sudo: true } } }],
    ['a key that is not a hash', { roles: {}, consumers: { c: { roles: [], apiKeys: ['plain-secret'] } } }],
    ['an unknown redaction action', { roles: { r: { grants: [], redactions: [{ field: 'Person.firstName', action: 'blur' }] } }, consumers: { c: { roles: ['r'] } } }],
    ['a malformed coordinate', { roles: { r: { grants: ['Person firstName'] } }, consumers: { c: { roles: ['r'] } } }],
  ])('refuses %s', (_label, doc) => {
    expect(validate(doc)).toBe(false);
  });
});

describe('policy reference (docs/policy-reference.md)', () => {
  it('is the one generated from the schema (npm run docs:policy)', async () => {
    const { policyReference, REFERENCE_FILE } = await import('../../scripts/docs-policy.js');
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(policyReference());
  });
});

describe('the gateway checks a policy with the same JSON Schema', () => {
  it('refuses what the schema refuses even where its own checks let it through (a description that is not text)', async () => {
    const { parsePolicy, PolicyError } = await import('../../src/auth/policy.js');
    const { buildSchema } = await import('../../src/server/schema.js');
    const graph = buildSchema();
    const text = (description: string) =>
      `roles:\n  r:\n    description: ${description}\n    grants: [Query.person, Person.firstName]\nconsumers:\n  c:\n    roles: [r]\n`;
    expect(() => parsePolicy('ok.yaml', text('Names only.'), graph)).not.toThrow();
    let refused: unknown;
    try {
      parsePolicy('bad.yaml', text('42'), graph);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(PolicyError);
    expect((refused as InstanceType<typeof PolicyError>).problems).toEqual(['roles.r.description: must be string (policy/policy.schema.json)']);
  });
});
