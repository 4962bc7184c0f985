/**
 * The documentation stays true to the code: the generated schema reference is up to date, the runbook covers
 * every alert, Secret and deployment setting, and the consumer guide's example queries are valid against the
 * live schema and its error codes are the ones the gateway sends.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, parse, validate } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { renderSchemaReference } from '../../scripts/docs-schema.js';
import { ERROR_CODES } from '../../src/errors/contract.js';
import { loadSchema } from '../../scripts/schema-lib.js';
import { ROOT, markdownAnchors, read } from './support.js';

const schema = loadSchema(join(ROOT, 'schema'));
/** `## Title` sections of a Markdown document, by lower-cased title. */
const sectionsOf = (md: string) => new Set([...md.matchAll(/^#{2,3}\s+(.+?)\s*$/gm)].map((m) => (m[1] as string).toLowerCase()));

describe('docs/schema.md (npm run docs:schema)', () => {
  it('is up to date with schema/*.graphql (run `npm run docs:schema` after changing the SDL)', () => {
    expect(read('docs/schema.md')).toBe(renderSchemaReference(schema));
  });

  it('documents every type, field and enum value of the schema', () => {
    const md = renderSchemaReference(schema);
    const anchors = markdownAnchors(md);
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      const root = type === schema.getQueryType();
      if (!root) expect([type.name, anchors.has(type.name.toLowerCase())]).toEqual([type.name, true]);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.keys(type.getFields())) {
          const documented = root ? md.includes(`### ${type.name}.${field}`) : md.includes(`| \`${field}\` |`);
          expect([`${type.name}.${field}`, documented]).toEqual([`${type.name}.${field}`, true]);
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) expect(md).toContain(`| \`${v.name}\` |`);
    }
  });
});

describe('docs/runbook.md', () => {
  const runbook = read('docs/runbook.md');
  const sections = [...sectionsOf(runbook)];

  it('has the sections of a system operation manual', () => {
    for (const wanted of [
      /^overview/,
      /sla/,
      /dependencies/,
      /throttling/,
      /expected load/,
      /resources/,
      /security and secrets/,
      /configuration/,
      /health checks/,
      /alerts/,
      /deploy and roll back/,
      /failover and recovery/,
      /troubleshooting/,
    ]) {
      expect([String(wanted), sections.some((s) => wanted.test(s))]).toEqual([String(wanted), true]);
    }
    for (const status of ['401', '403', '404', '429', '5xx']) expect([status, sections.some((s) => s.includes(status))]).toEqual([status, true]);
  });

  it('has a section for every alert of the PrometheusRule', () => {
    const rule = parseYaml(read('k8s/base/prometheusrule.yaml')) as { spec: { groups: Array<{ rules: Array<{ alert?: string }> }> } };
    const alerts = rule.spec.groups.flatMap((g) => g.rules).map((r) => r.alert).filter((a): a is string => !!a);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const alert of alerts) expect([alert, sections.includes(alert.toLowerCase())]).toEqual([alert, true]);
  });

  it('explains every setting the Kubernetes base sets', () => {
    const base = read('k8s/base/kustomization.yaml') + read('k8s/base/deployment.yaml');
    const names = new Set([...base.matchAll(/^\s+- ([A-Z][A-Z0-9_]+)=/gm), ...base.matchAll(/- name: ([A-Z][A-Z0-9_]+)$/gm)].map((m) => m[1] as string));
    expect(names.size).toBeGreaterThan(10);
    for (const name of names) expect([name, runbook.includes(`\`${name}\``)]).toEqual([name, true]);
  });
});

describe('docs/consumers.md', () => {
  const guide = read('docs/consumers.md');

  it('covers onboarding, examples, errors, pagination and limits', () => {
    const sections = [...sectionsOf(guide)];
    for (const wanted of [/certificate/, /api key/, /policy/, /example queries/, /error codes/, /pagination/, /limits/]) {
      expect([String(wanted), sections.some((s) => wanted.test(s))]).toEqual([String(wanted), true]);
    }
  });

  it('shows example queries that are valid against the live schema', () => {
    const examples = [...guide.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) expect([example, validate(schema, parse(example)).map((e) => e.message)]).toEqual([example, []]);
  });

  it('documents every error code the gateway sends (the error contract), and no other', () => {
    // Every code leaves through src/errors/contract.ts (tests/unit/error-contract.test.ts holds that).
    const documented = [...guide.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
