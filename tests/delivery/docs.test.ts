/**
 * The documentation stays true to the code: the generated schema reference is up to date, the runbook covers
 * every alert, Secret and deployment setting, and the consumer guide's example queries are valid against the
 * live schema and its error codes are the ones the gateway sends.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getNamedType, isAbstractType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, parse, validate, type GraphQLNamedType } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { renderSchemaReference } from '../../scripts/docs-schema.js';
import { UPSTREAM_URL_VARS } from '../../src/config/index.js';
import { ERROR_CODES, httpStatusesOf, type ErrorCode } from '../../src/errors/contract.js';
import { loadSchema } from '../../scripts/schema-lib.js';
import { MAX_PAGE_SIZE } from '../../src/resolvers/pagination.js';
import { MAX_PERSONS } from '../../src/resolvers/query.js';
import { ROOT, configReads, markdownAnchors, minimalEnv, read } from './support.js';

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

describe('docs/runbook.md: every upstream', () => {
  const runbook = read('docs/runbook.md');
  /** A `## Title` section's text, up to the next `## ` heading. */
  const section = (title: string) => runbook.split(/^## /m).find((s) => s.startsWith(`${title}\n`)) ?? '';
  const variables = ['HMPPS_AUTH_URL', ...Object.values(UPSTREAM_URL_VARS)];

  it('has a row in the dependency table for each upstream base URL the gateway reads (src/config)', () => {
    const rows = section('Dependencies').split('\n').filter((l) => l.startsWith('|'));
    expect(variables.filter((v) => !rows.some((row) => row.includes(`\`${v}\``)))).toEqual([]);
  });

  it('lists each of them among the Kubernetes settings of the Configuration section', () => {
    const rows = section('Configuration').split('\n').filter((l) => l.startsWith('|'));
    expect(variables.filter((v) => !rows.some((row) => row.includes(`\`${v}\``)))).toEqual([]);
  });
});

describe('docs/policy-reference.md (npm run docs:policy)', () => {
  const reference = read('docs/policy-reference.md');

  it('names every Person field, and every type reached from Person, as a coordinate to grant', () => {
    const seen = new Set<string>(['Person', 'PageInfo']);
    const types: string[] = [];
    const walk = (t: GraphQLNamedType): void => {
      if (seen.has(t.name)) return;
      seen.add(t.name);
      if (isAbstractType(t)) return schema.getPossibleTypes(t).forEach(walk);
      if (!isObjectType(t)) return;
      types.push(t.name);
      for (const f of Object.values(t.getFields())) walk(getNamedType(f.type));
    };
    const person = schema.getType('Person');
    if (!isObjectType(person)) throw new Error('no Person type');
    for (const f of Object.values(person.getFields())) walk(getNamedType(f.type));
    expect(Object.keys(person.getFields()).filter((f) => !reference.includes(`Person.${f}`))).toEqual([]);
    expect(types.filter((t) => !new RegExp(`\\b${t}\\.`).test(reference))).toEqual([]);
  });

  it('is linked from the consumer guide (Access policy) and from the runbook', () => {
    const guide = read('docs/consumers.md');
    const accessPolicy = guide.split(/^### /m).find((s) => s.startsWith('Access policy\n')) ?? '';
    expect(accessPolicy).toContain('](policy-reference.md)');
    expect(read('docs/runbook.md')).toContain('](policy-reference.md)');
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

  it('states the limits a deployed gateway applies: the config defaults with the Kubernetes base settings (fails when they drift)', () => {
    // What consumers meet: src/config defaults, overridden by the settings every environment gets (k8s/base).
    const kustomization = parseYaml(read('k8s/base/kustomization.yaml')) as { configMapGenerator: Array<{ name: string; literals?: string[] }> };
    const deployed = Object.fromEntries(
      (kustomization.configMapGenerator.find((g) => g.name === 'person-graph-env')?.literals ?? [])
        .map((l) => l.split('=') as [string, string])
        .filter(([name]) => /^(MAX_|QUERY_COST|RATE_LIMIT_PER_SECOND|RATE_LIMIT_BURST|REQUEST_DEADLINE_MS)/.test(name)),
    );
    const { config, problems } = configReads({ ...minimalEnv(), ...deployed });
    expect(problems).toEqual([]);
    const n = (v: number) => v.toLocaleString('en-GB');
    const limits = config!.security.limits;
    const expected = [
      '| limit | value | refused with |',
      '|---|---|---|',
      `| request rate | per your policy (default ${n(config!.rateLimit.perSecond)} requests/s, burst ${n(config!.rateLimit.burst)}) | \`RATE_LIMITED\`, HTTP 429 |`,
      `| request body | ${n(limits.maxRequestBytes / 1024)} KiB | \`BAD_REQUEST\`, HTTP 413 |`,
      `| page size (\`first\`) | 1–${MAX_PAGE_SIZE} | \`BAD_USER_INPUT\` |`,
      `| ids per \`persons\` | ${MAX_PERSONS} | \`BAD_USER_INPUT\` |`,
      `| query depth | ${limits.maxDepth} levels | \`QUERY_TOO_COMPLEX\` |`,
      `| aliases | ${n(limits.maxAliases)} | \`QUERY_TOO_COMPLEX\` |`,
      `| top-level fields | ${n(limits.maxRootFields)} | \`QUERY_TOO_COMPLEX\` |`,
      `| directives | ${n(limits.maxDirectives)} | \`QUERY_TOO_COMPLEX\` |`,
      `| tokens | ${n(limits.maxTokens)} | \`QUERY_TOO_COMPLEX\` |`,
      `| cost (fields × list sizes) | ${n(limits.maxCost)} | \`QUERY_TOO_COMPLEX\` |`,
      `| request deadline | ${n(config!.requestDeadlineMs / 1000)} s; fields not ready by then come back null with \`UPSTREAM_TIMEOUT\` | — |`,
    ].join('\n');
    const section = guide.slice(guide.indexOf('## Limits'));
    const table = /\n(\| limit \|[\s\S]*?)\n\n/.exec(section)?.[1];
    expect(table).toBe(expected);
  });

  it('documents every error code the gateway sends (the error contract), and no other', () => {
    // Every code leaves through src/errors/contract.ts (tests/unit/error-contract.test.ts holds that).
    const documented = [...guide.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it("gives each code the HTTP statuses of the contract: every one it may stop a request with, and 200 only beside data", () => {
    const rows = [...guide.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]! as ErrorCode, [...m[2]!.matchAll(/\b[1-5]\d\d\b/g)].map((n) => Number(n[0])).sort()] as const);
    expect(rows.length).toBe(Object.keys(ERROR_CODES).length);
    for (const [code, documented] of rows) {
      const contract = [...httpStatusesOf(code)];
      // 200: an error at a path inside an executed operation (beside data) leaves the status alone.
      expect([code, documented.filter((s) => s !== 200)]).toEqual([code, contract.filter((s) => s !== 200).sort()]);
      if (contract.includes(200)) expect([code, documented.includes(200)]).toEqual([code, true]);
    }
  });
});

describe('docker-compose.yml header', () => {
  it("shows a curl a consumer can run: the server's CA, a client certificate and the API key", () => {
    const header = read('docker-compose.yml').split('\n').filter((l) => l.startsWith('#')).join('\n');
    const curl = /#\s+curl --cacert[\s\S]*?https:\/\/localhost:8443\/graphql[^\n]*/.exec(header)?.[0] ?? '';
    for (const part of ['--cacert .dev/certs/ca.crt', '--cert .dev/certs/clients/dev-consumer.crt', '--key .dev/certs/clients/dev-consumer.key', "-H 'x-api-key: dev-consumer-development-api-key-not-a-secret'"]) {
      expect([part, curl.includes(part)]).toEqual([part, true]);
    }
  });
});

describe('README screenshots of the development IDEs (UPDATE_SCREENSHOTS=1 npx jest tests/e2e/dev-ide.test.ts)', () => {
  const readme = read('README.md');
  it.each(['docs/graphiql.png', 'docs/sandbox.png'])('%s exists, is a PNG, is shown in the README and written by the browser test', (file) => {
    const bytes = readFileSync(join(ROOT, file));
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(2_000);
    expect(readme).toMatch(new RegExp(`!\\[[^\\]]+\\]\\(${file.replace('.', '\\.')}\\)`));
    expect(read('tests/e2e/dev-ide.test.ts')).toContain(`'docs', '${file.slice('docs/'.length)}'`);
  });
});
