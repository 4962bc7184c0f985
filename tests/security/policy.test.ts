/** The policy model: parsing, validation against the live schema, filter and redaction semantics. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse as yamlParse } from 'yaml';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { isInterfaceType, isObjectType } from 'graphql';
import { buildPolicy, CARRIERS, combineFilters, loadPolicy, parsePolicy, PolicyError } from '../../src/auth/policy.js';
import { buildSchema } from '../../src/server/schema.js';

const schema = buildSchema();

function problemsOf(doc: unknown): string[] {
  try {
    buildPolicy('test.yaml', doc, schema);
    return [];
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
}

const consumer = (roles: Record<string, unknown>, own: Record<string, unknown> = {}) =>
  buildPolicy('test.yaml', { roles, consumers: { c: { roles: Object.keys(roles), ...own } } }, schema).consumer('c')!;

describe('policy files in the repository', () => {
  it.each(['policy/development.yaml', 'policy/sample.yaml'])('%s is valid against the live schema', (file) => {
    const policy = loadPolicy(file, schema);
    expect(policy.consumerNames.length).toBeGreaterThan(0);
    expect(policy.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('the sample policy has at least four roles', () => {
    const doc = yamlParse(readFileSync('policy/sample.yaml', 'utf8')) as { roles: object };
    expect(Object.keys(doc.roles).length).toBeGreaterThanOrEqual(4);
  });
});

describe('grants', () => {
  it('expands Type.* and * and keeps exact coordinates', () => {
    expect([...consumer({ r: { grants: ['Identifiers.*'] } }).coordinates].sort()).toEqual(
      ['Identifiers.crn', 'Identifiers.croNumber', 'Identifiers.mergedFromPrisonNumber', 'Identifiers.pncNumber', 'Identifiers.prisonNumber'],
    );
    const all = consumer({ r: { grants: ['*'] } }).coordinates;
    expect(all.has('Query.person')).toBe(true);
    expect(all.has('Alias.gender')).toBe(true);
    expect([...all].some((c) => c.startsWith('__'))).toBe(false);
  });

  it('the federation fields are granted only by name: neither * nor Query.* reaches them (ADR 11)', () => {
    for (const wildcard of ['*', 'Query.*']) {
      const c = consumer({ r: { grants: [wildcard] } }).coordinates;
      expect([wildcard, c.has('Query.person'), c.has('Query._entities'), c.has('Query._service')]).toEqual([wildcard, true, false, false]);
    }
    const named = consumer({ r: { grants: ['Query._entities', 'Query._service', '_Service.sdl'] } }).coordinates;
    expect([...named].sort()).toEqual(['Query._entities', 'Query._service', '_Service.sdl']);
  });

  it('a consumer gets the union of its roles', () => {
    const c = consumer({ a: { grants: ['Query.person', 'Person.firstName'] }, b: { grants: ['Person.lastName'] } });
    expect([...c.coordinates].sort()).toEqual(['Person.firstName', 'Person.lastName', 'Query.person']);
  });

  it('stops on unknown coordinates, roles, filters and keys, naming each', () => {
    const problems = problemsOf({
      roles: {
        r: { grants: ['Person.shoeSize', 'Nope.*', '__Schema.types', 'Query.person'], filters: { prison: ['MDI'] }, extra: 1 },
      },
      consumers: { c: { roles: ['r', 'missing-role'], suspend: true }, d: { roles: 'r' } },
      certificateRevocationList: ['not-hex!'],
      unknownTopLevel: {},
    });
    const text = problems.join('\n');
    for (const expected of ['"Person.shoeSize"', '"Nope.*"', '"__Schema.types"', 'unknown filter "prison"', 'unknown key "extra"',
      'unknown role "missing-role"', 'unknown key "suspend"', 'consumer "d": roles must be a list', '"not-hex!"', 'unknown key "unknownTopLevel"']) {
      expect(text).toContain(expected);
    }
  });

  it('refuses invalid filter values and flags', () => {
    const text = problemsOf({
      roles: { r: { grants: ['Query.person'], filters: { prisons: ['mdi', 'MDI'], supervisionStatuses: ['JAIL'], alertCodes: 'XA' } } },
      consumers: { c: { roles: ['r'], introspection: 'yes', rateLimit: { perSecond: 0 } } },
    }).join('\n');
    expect(text).toContain('filter "prisons" has invalid values "mdi"');
    expect(text).toContain('filter "supervisionStatuses" has invalid values "JAIL"');
    expect(text).toContain('filter "alertCodes" must be a list');
    expect(text).toContain('introspection must be true or false');
    expect(text).toContain('rateLimit must be');
  });

  it('refuses API keys that are not hashes (a key pasted by mistake is never accepted)', () => {
    const text = problemsOf({ roles: { r: { grants: ['Query.person'] } }, consumers: { c: { roles: ['r'], apiKeys: ['pgk_thisIsAKeyNotAHash0123456789abcdef'] } } }).join('\n');
    expect(text).toContain('API key #1 is not a hash');
    const ok = consumer({ r: { grants: ['Query.person'] } }, { apiKeys: [hashApiKey('k'.repeat(40)), { id: 'rotation-2027', hash: hashApiKey('j'.repeat(40)) }] });
    expect(ok.apiKeys.map((k) => k.id)).toEqual(['#1', 'rotation-2027']);
  });

  it('keeps the rate limit for the rate limiter and defaults flags to false', () => {
    const c = consumer({ r: { grants: ['Query.person'] } }, { rateLimit: { perSecond: 5, burst: 10 } });
    expect(c.rateLimit).toEqual({ perSecond: 5, burst: 10 });
    expect(c.suspended).toBe(false);
    expect(c.introspection).toBe(false);
    expect(consumer({ r: { grants: ['Query.person'] } }).rateLimit).toBeNull();
  });

  it('refuses a consumer named like the trusted proxy', () => {
    expect(() =>
      buildPolicy('t', { roles: { r: { grants: ['Query.person'] } }, consumers: { gateway: { roles: ['r'] } } }, schema, { reservedNames: ['gateway'] }),
    ).toThrow(/trusted proxy/);
  });
});

describe('row filters', () => {
  const set = (xs: string[]) => new Set(xs);

  it('combine by union over roles and the consumer entry', () => {
    const c = consumer({ a: { grants: ['Query.person'], filters: { prisons: ['MDI'] } }, b: { grants: ['Query.person'], filters: { prisons: ['LEI'] } } }, { filters: { prisons: ['BMI'] } });
    expect(c.rowFilters.prisons).toEqual(set(['MDI', 'LEI', 'BMI']));
  });

  it('"*" anywhere lifts the filter; a filter nobody mentions does not restrict', () => {
    expect(combineFilters([{ prisons: ['MDI'] }, { prisons: ['*'] }]).prisons).toBeNull();
    expect(combineFilters([{ prisons: ['MDI'] }]).supervisionStatuses).toBeNull();
    expect(combineFilters([{}, {}])).toEqual({ prisons: null, supervisionStatuses: null, alertCodes: null, caseNoteTypes: null, mappaCategories: null });
  });

  it('an empty list grants nothing, until another role or the consumer adds values', () => {
    expect(combineFilters([{ prisons: [] }]).prisons).toEqual(set([]));
    expect(combineFilters([{ prisons: [] }, { prisons: ['MDI'] }]).prisons).toEqual(set(['MDI']));
    expect(combineFilters([{ alertCodes: [] }, { alertCodes: ['XA'] }, { alertCodes: ['HA'] }]).alertCodes).toEqual(set(['XA', 'HA']));
  });
});

describe('redactions', () => {
  it('take the strictest of several roles: remove beats mask, always beats LAO-only', () => {
    const c = consumer({
      a: { grants: ['Person.*'], redactions: [{ field: 'Person.firstName', action: 'mask', limitedAccessOnly: true }, { field: 'Person.lastName', action: 'mask' }] },
      b: { grants: ['Alias.*'], redactions: [{ field: 'Person.firstName', action: 'remove', limitedAccessOnly: true }, { field: 'Person.lastName', action: 'mask', limitedAccessOnly: true }] },
    });
    expect(c.redactions.get('Person.firstName')).toEqual({ action: 'remove', limitedAccessOnly: true });
    expect(c.redactions.get('Person.lastName')).toEqual({ action: 'mask', limitedAccessOnly: false });
  });

  it('are checked against the field type: mask needs a string, remove needs a nullable field or a list', () => {
    const text = problemsOf({
      roles: {
        r: {
          grants: ['Person.*'],
          redactions: [
            { field: 'Person.dateOfBirth', action: 'mask' },
            { field: 'Person.hmppsId', action: 'remove' },
            { field: 'Person.shoeSize', action: 'remove' },
            { field: 'Person.firstName', action: 'hide' },
            { field: 'Person.aliases', action: 'remove' },
          ],
        },
      },
      consumers: {},
    }).join('\n');
    expect(text).toContain('"Person.dateOfBirth": mask needs a String or ID field');
    expect(text).toContain('"Person.hmppsId": remove needs a nullable field or a list');
    expect(text).toContain('"Person.shoeSize": unknown schema coordinate');
    expect(text).toContain('action must be mask or remove');
    expect(text).not.toContain('Person.aliases');
  });
});

describe('certificate revocation list', () => {
  it('revokes globally or per consumer; serials compare in any hex spelling', () => {
    const policy = buildPolicy('t', { roles: {}, consumers: {}, certificateRevocationList: ['0a:1B:02', 'FF/police', '00c0ffee'] }, schema);
    expect(policy.isRevoked('A1B02', 'anyone')).toBe(true);
    expect(policy.isRevoked('C0FFEE', 'anyone')).toBe(true);
    expect(policy.isRevoked('FF', 'police')).toBe(true);
    expect(policy.isRevoked('FF', 'prison')).toBe(false);
  });
});

describe('YAML', () => {
  it('refuses duplicate keys (two entries for one consumer) and bad YAML with a message', () => {
    expect(() => parsePolicy('t', 'consumers:\n  a: {roles: []}\n  a: {roles: []}\n', schema)).toThrow(PolicyError);
    expect(() => parsePolicy('t', 'roles: [\n', schema)).toThrow(/not valid YAML/);
  });
});

describe('reload when the file changes', () => {
  it('applies a valid new file atomically, keeps the old policy for a bad one, and says why', async () => {
    const { mkdtempSync, renameSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { PolicyStore } = await import('../../src/auth/policy-store.js');
    const dir = mkdtempSync(join(tmpdir(), 'pg-watch-'));
    const file = join(dir, 'policy.yaml');
    const lines: Array<Record<string, unknown>> = [];
    const logger = { error: (o: Record<string, unknown>) => lines.push(o), warn: (o: Record<string, unknown>) => lines.push(o) } as never;
    const write = (text: string) => {
      // As a ConfigMap or an editor does: a new file renamed over the old one.
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    };
    write('roles:\n  r:\n    grants: [Query.person]\nconsumers:\n  a:\n    roles: [r]\n');
    const store = new PolicyStore(file, schema, logger);
    try {
      store.watch();
      const held = store.current;
      write('roles:\n  r:\n    grants: [Query.person, Person.firstName]\nconsumers:\n  a:\n    roles: [r]\n  b:\n    roles: [r]\n');
      for (const until = Date.now() + 10_000; store.current === held && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
      expect(store.current.consumerNames).toEqual(['a', 'b']);
      expect(store.current.consumer('a')!.coordinates.has('Person.firstName')).toBe(true);
      // A request that took the old policy keeps it whole.
      expect(held.consumerNames).toEqual(['a']);

      const good = store.current;
      write('roles:\n  r:\n    grants: [Person.shoeSize]\nconsumers:\n  a:\n    roles: [r]\n');
      expect(store.reload('manual')).toBe(false);
      expect(store.current).toBe(good);
      expect(JSON.stringify(lines.at(-1))).toContain('Person.shoeSize');
      expect(lines.at(-1)).toMatchObject({ event: 'policy-reload', outcome: 'rejected' });
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A PolicyStore over a scratch file holding `initial`, its log lines and reload outcomes; removed afterwards. */
  async function withStore(initial: string, run: (t: { file: string; store: import('../../src/auth/policy-store.js').PolicyStore; lines: Array<Record<string, unknown>>; outcomes: string[] }) => Promise<void>) {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { PolicyStore } = await import('../../src/auth/policy-store.js');
    const dir = mkdtempSync(join(tmpdir(), 'pg-reload-'));
    const file = join(dir, 'policy.yaml');
    const lines: Array<Record<string, unknown>> = [];
    const outcomes: string[] = [];
    const logger = { error: (o: Record<string, unknown>) => lines.push(o), warn: (o: Record<string, unknown>) => lines.push(o) } as never;
    writeFileSync(file, initial);
    const store = new PolicyStore(file, schema, logger, { onReload: (o) => outcomes.push(o) });
    try {
      await run({ file, store, lines, outcomes });
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('refuses a reload that would leave no consumers (empty file, no consumers), counts it, and keeps the old policy', async () => {
    const { writeFileSync } = await import('node:fs');
    await withStore('roles:\n  r:\n    grants: [Query.person]\nconsumers:\n  a:\n    roles: [r]\n', async ({ file, store, lines, outcomes }) => {
      const good = store.current;
      for (const text of ['', '# nothing here\n', 'roles:\n  r:\n    grants: [Query.person]\nconsumers: {}\n']) {
        writeFileSync(file, text);
        expect([text, store.reload('manual')]).toEqual([text, false]);
        expect(store.current).toBe(good);
        expect(lines.at(-1)).toMatchObject({ event: 'policy-reload', outcome: 'rejected' });
      }
      expect(outcomes).toEqual(['rejected', 'rejected', 'rejected']);
    });
  });

  it('applies a reload that lifts a filter or widens grants, with a warning naming the consumer and the change', async () => {
    const { writeFileSync } = await import('node:fs');
    const narrow =
      'roles:\n  r:\n    grants: [Query.person, Person.firstName]\n    filters: { prisons: [MDI] }\n  wide:\n    grants: [Query.person, Person.firstName, Person.dateOfBirth]\n' +
      'consumers:\n  a:\n    roles: [r]\n  b:\n    roles: [r]\n';
    await withStore(narrow, async ({ file, store, lines }) => {
      writeFileSync(file, narrow.replace('    filters: { prisons: [MDI] }\n', '').replace('  b:\n    roles: [r]', '  b:\n    roles: [wide]'));
      expect(store.reload('manual')).toBe(true);
      expect(lines.filter((l) => l.event === 'policy-widened')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ consumer: 'a', change: 'filter-lifted', what: ['prisons'] }),
          expect.objectContaining({ consumer: 'b', change: 'granted', what: ['Person.dateOfBirth'] }),
        ]),
      );
      // Narrowing again warns about nothing.
      lines.length = 0;
      writeFileSync(file, narrow);
      expect(store.reload('manual')).toBe(true);
      expect(lines.filter((l) => l.event === 'policy-widened')).toEqual([]);
    });
  });

  it('warns too when a redaction is weakened, an API key is added or trusted documents are relaxed (and not the other way round)', async () => {
    const { writeFileSync } = await import('node:fs');
    const [k1, k2] = [hashApiKey('first-key-for-the-widening-test-0123456789'), hashApiKey('second-key-for-the-widening-test-0123456789')];
    const strict =
      'roles:\n  r:\n    grants: [Query.person, Person.firstName, Person.lastName, Person.identifiers, Identifiers.pncNumber]\n' +
      '    redactions:\n      - {field: Person.lastName, action: remove}\n      - {field: Identifiers.pncNumber, action: mask}\n' +
      `consumers:\n  a:\n    roles: [r]\n    trustedDocuments: enforce\n    apiKeys: ['${k1}']\n`;
    const loose = strict
      .replace('{field: Person.lastName, action: remove}', '{field: Person.lastName, action: mask}')
      .replace('{field: Identifiers.pncNumber, action: mask}', '{field: Identifiers.pncNumber, action: mask, limitedAccessOnly: true}')
      .replace('trustedDocuments: enforce', 'trustedDocuments: log-unknown')
      .replace(`apiKeys: ['${k1}']`, `apiKeys: ['${k1}', '${k2}']`);
    await withStore(strict, async ({ file, store, lines }) => {
      writeFileSync(file, loose);
      expect([store.reload('manual'), lines.filter((l) => l.outcome === 'rejected')]).toEqual([true, []]);
      const warned = lines.filter((l) => l.event === 'policy-widened').map(({ consumer, change, what }) => ({ consumer, change, what }));
      expect(warned).toEqual([
        { consumer: 'a', change: 'redaction-weakened', what: ['Identifiers.pncNumber', 'Person.lastName'] },
        { consumer: 'a', change: 'api-key-added', what: [expect.any(String)] },
        { consumer: 'a', change: 'trusted-documents-relaxed', what: ['enforce -> log-unknown'] },
      ]);
      // The warning names the key by its label, never by its hash.
      expect(JSON.stringify(warned)).not.toContain(k2.split(':')[2]!);
      // Relaxing further (log-unknown -> off) warns again; tightening everything back warns about nothing.
      lines.length = 0;
      writeFileSync(file, loose.replace('trustedDocuments: log-unknown', 'trustedDocuments: off'));
      expect(store.reload('manual')).toBe(true);
      expect(lines.filter((l) => l.event === 'policy-widened')).toEqual([expect.objectContaining({ change: 'trusted-documents-relaxed', what: ['log-unknown -> off'] })]);
      lines.length = 0;
      writeFileSync(file, strict);
      expect(store.reload('manual')).toBe(true);
      expect(lines.filter((l) => l.event === 'policy-widened')).toEqual([]);
    });
  });
});

describe('an identifier a consumer may not see never comes back through another field (issue 14)', () => {
  const grants = ['Query.person', 'Person.hmppsId', 'Person.identifiers', 'Identifiers.*'];

  it.each<[string, Record<string, unknown>]>([
    ['CRN removed', { field: 'Identifiers.crn', action: 'remove' }],
    ['CRN masked', { field: 'Identifiers.crn', action: 'mask' }],
    ['prison number removed', { field: 'Identifiers.prisonNumber', action: 'remove' }],
    ['CRN masked for limited-access people only', { field: 'Identifiers.crn', action: 'mask', limitedAccessOnly: true }],
  ])('%s while Person.hmppsId is granted unredacted: refused, naming both fields', (_label, redaction) => {
    const problems = problemsOf({ roles: { r: { grants, redactions: [redaction] } }, consumers: { c: { roles: ['r'] } } });
    expect(problems).toEqual([expect.stringMatching(/consumer "c".*Person\.hmppsId.*Identifiers\.(crn|prisonNumber)/)]);
  });

  it('accepted when hmppsId is redacted as strictly, or not granted', () => {
    const redactions = [{ field: 'Identifiers.crn', action: 'remove' }];
    expect(problemsOf({ roles: { r: { grants, redactions: [...redactions, { field: 'Person.hmppsId', action: 'mask' }] } }, consumers: { c: { roles: ['r'] } } })).toEqual([]);
    expect(problemsOf({ roles: { r: { grants: grants.filter((g) => g !== 'Person.hmppsId'), redactions } }, consumers: { c: { roles: ['r'] } } })).toEqual([]);
    // LAO-only for the id and always for hmppsId is stricter: fine. The other way round is not.
    expect(problemsOf({ roles: { r: { grants, redactions: [{ field: 'Identifiers.crn', action: 'remove', limitedAccessOnly: true }, { field: 'Person.hmppsId', action: 'mask' }] } }, consumers: { c: { roles: ['r'] } } })).toEqual([]);
    expect(problemsOf({ roles: { r: { grants, redactions: [{ field: 'Identifiers.crn', action: 'remove' }, { field: 'Person.hmppsId', action: 'mask', limitedAccessOnly: true }] } }, consumers: { c: { roles: ['r'] } } })).toHaveLength(1);
  });

  it('Licence.prisonNumber repeats the prison number: granted unredacted beside a removed prison number, refused', () => {
    const licence = ['Query.person', 'Person.identifiers', 'Identifiers.*', 'Person.licences', 'Licence.*'];
    const hidden = { field: 'Identifiers.prisonNumber', action: 'remove' };
    expect(problemsOf({ roles: { r: { grants: licence, redactions: [hidden] } }, consumers: { c: { roles: ['r'] } } }))
      .toEqual([expect.stringMatching(/consumer "c".*Licence\.prisonNumber.*Identifiers\.prisonNumber/)]);
    expect(problemsOf({ roles: { r: { grants: licence, redactions: [hidden, { field: 'Licence.prisonNumber', action: 'remove' }] } }, consumers: { c: { roles: ['r'] } } })).toEqual([]);
    expect(problemsOf({ roles: { r: { grants: licence.filter((g) => g !== 'Licence.*').concat('Licence.id'), redactions: [hidden] } }, consumers: { c: { roles: ['r'] } } })).toEqual([]);
  });

  /** Field names that hold (or may hold) one of the ids of Identifiers. */
  const ID_SHAPED: Array<[RegExp, string[]]> = [
    [/^hmppsId$/, ['crn', 'prisonNumber']],
    [/(^c|C)rn$/, ['crn']],
    [/(^p|P)risonNumber$|^(nomsNumber|nomsId|offenderNo|prisonerNumber)$/, ['prisonNumber']],
    [/(^p|P)ncNumber$/, ['pncNumber']],
    [/(^c|C)roNumber$/, ['croNumber']],
  ];
  /** Id-shaped fields that repeat no id of the person they are read on, and why. */
  const NOT_CARRIERS: Record<string, string> = {
    'Identifiers.mergedFromPrisonNumber': 'the older prison number the consumer itself asked by (null otherwise)',
  };

  it('every id-shaped field of the schema is an id or a carrier of it, so a new area cannot slip past the validator', () => {
    const schema = buildSchema();
    const missing: string[] = [];
    let seen = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if ((!isObjectType(type) && !isInterfaceType(type)) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) {
        const coordinate = `${type.name}.${field}`;
        const ids = ID_SHAPED.find(([pattern]) => pattern.test(field))?.[1];
        if (!ids || coordinate in NOT_CARRIERS) continue;
        seen++;
        for (const id of ids) {
          const key = `Identifiers.${id}`;
          if (coordinate !== key && !(CARRIERS[key] ?? []).includes(coordinate)) missing.push(`${coordinate} (carries ${key}?)`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(seen).toBeGreaterThanOrEqual(6); // hmppsId, the four ids, Licence.prisonNumber
    // Every carrier named exists (a renamed field would silently stop being checked).
    for (const [id, carriers] of Object.entries(CARRIERS)) {
      for (const c of [id, ...carriers]) {
        const [typeName, fieldName] = c.split('.') as [string, string];
        const type = schema.getType(typeName);
        expect([c, type && (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields()]).toEqual([c, true]);
      }
    }
  });
});
