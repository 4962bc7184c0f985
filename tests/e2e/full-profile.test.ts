/**
 * Issues 17 and 18, "must show": one full-profile query with every area of `Person` selected (the bench's
 * FULL_PROFILE and NEWER_AREAS, plus the limited-access details and the image links) for every well-known
 * person at once, through mutual TLS with the development consumer (granted everything). No error but the
 * expected ones (none today: EXPECTED_ERRORS), and every area has data for at least one of them.
 *
 * `PRINT_PROFILES=1` prints an abridged JSON of every person (each list cut to its first item and a
 * count); `WRITE_EXAMPLES=1` (re)writes docs/examples/full-profile.md, the abridged answer for three of
 * them, which this test otherwise checks is there and was made from the query as it is now.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { FULL_PROFILE, NEWER_AREAS } from '../../bench/lib.js';
import { postGraphQL } from '../../local-stack/https.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { buildSchema } from '../../src/server/schema.js';
import { useGatewayStack } from '../support/stack.js';

type Json = any;

/** Beyond the bench's profile: who a limited-access case excludes or restricts, and the image links. */
const EXTRA = `limitedAccess { details { exclusionMessage excludedFrom restrictionMessage restrictedTo } } images { url urlExpiresAt }`;
const QUERY = `query FullProfile($ids: [ID!]!) { persons(hmppsIds: $ids) { ${FULL_PROFILE}
  ${NEWER_AREAS}
  ${EXTRA} } }`;
const QUERY_HASH = createHash('sha256').update(QUERY).digest('hex').slice(0, 16);
/** Person fields a profile cannot select without knowing something first (an id of the person's). */
const NOT_IN_PROFILE = ['contactEvent'];
/** Errors expected in the answer, as `code path`: none (every upstream is healthy and the consumer granted all). */
const EXPECTED_ERRORS: string[] = [];
/** The people the consumer guide's example shows: in prison and on probation; limited access; released on licence. */
const EXAMPLE_PEOPLE = ['linked', 'restricted', 'released'];
const EXAMPLE_FILE = join(REPO_ROOT, 'docs', 'examples', 'full-profile.md');

const stack = useGatewayStack({ env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' } });
const people = wellKnownPeople().people;
const idOf = (p: (typeof people)[number]) => p.crn ?? p.prisonNumber!;

/** Each list cut to its first item, followed by how many more there were; the rest as it is. */
function abridge(value: Json): Json {
  if (Array.isArray(value)) return value.length > 1 ? [abridge(value[0]), `... and ${value.length - 1} more`] : value.map(abridge);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abridge(v)]));
  return value;
}

/** Whether an area's answer holds anything: not null, not an empty list, not a page of none. */
function hasData(value: Json): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && 'totalCount' in value) return value.totalCount > 0;
  if (typeof value === 'object') return Object.values(value).some(hasData);
  return true;
}

function exampleMarkdown(byKey: Map<string, Json>): string {
  const parts = [
    '# A full profile, abridged',
    '',
    '<!-- Written by tests/e2e/full-profile.test.ts (WRITE_EXAMPLES=1); do not edit by hand. -->',
    `<!-- query sha256 ${QUERY_HASH} -->`,
    '',
    'Every area of `Person` for three well-known people of the simulators, asked in one `persons` query over',
    'mutual TLS by the development consumer (granted everything: a real consumer sees what its policy grants,',
    '[policy reference](../policy-reference.md)). Each list is cut to its first item and a count of the rest.',
    'Synthetic people: `linked` (in prison at MDI and on probation), `restricted` (limited access: a Delius',
    'restriction; in prison at PVI), `released` (released from LEI, on licence). Dates depend on the day the file was',
    'written (the simulators place visits and reviews relative to today).',
    '',
    '```graphql',
    QUERY.replace(/\n\s*/g, '\n  '),
    '```',
    '',
  ];
  for (const key of EXAMPLE_PEOPLE) {
    parts.push(`## ${key}`, '', '```json', JSON.stringify(abridge(byKey.get(key)), null, 2), '```', '');
  }
  return parts.join('\n');
}

describe('a full profile of every well-known person, through mutual TLS', () => {
  it('selects every Person field but those needing an id of the person', () => {
    const op = parse(QUERY).definitions[0] as OperationDefinitionNode;
    const persons = op.selectionSet.selections[0] as FieldNode;
    const selected = new Set(persons.selectionSet!.selections.map((s) => (s as FieldNode).name.value));
    const fields = Object.keys((buildSchema().getType('Person') as { getFields(): Record<string, unknown> }).getFields());
    expect(fields.filter((f) => !selected.has(f))).toEqual(NOT_IN_PROFILE);
  });

  it('answers every area, with data for at least one person each, and no unexpected error', async () => {
    const ids = people.map(idOf);
    const r = await postGraphQL(stack.gateway.consumerUrl, { query: QUERY, variables: { ids } },
      { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
    expect(r.status).toBe(200);
    const body = r.body as { data?: { persons: Json[] }; errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }> };
    const errors = (body.errors ?? []).map((e) => `${e.extensions?.code} ${(e.path ?? []).join('.')}`);
    expect(errors.filter((e) => !EXPECTED_ERRORS.includes(e))).toEqual([]);
    const persons = body.data!.persons;
    expect(persons.map((p) => p?.hmppsId ?? null)).toEqual(ids);

    const op = parse(QUERY).definitions[0] as OperationDefinitionNode;
    const areas = [...new Set((op.selectionSet.selections[0] as FieldNode).selectionSet!.selections.map((s) => (s as FieldNode).name.value))];
    const empty = areas.filter((area) => !persons.some((p) => hasData(p[area])));
    expect(empty).toEqual([]);

    const byKey = new Map(people.map((p, i) => [p.key, persons[i]]));
    if (process.env.PRINT_PROFILES === '1') {
      console.log(JSON.stringify(Object.fromEntries([...byKey].map(([k, v]) => [k, abridge(v)])), null, 2));
    }
    if (process.env.WRITE_EXAMPLES === '1') {
      mkdirSync(dirname(EXAMPLE_FILE), { recursive: true });
      writeFileSync(EXAMPLE_FILE, exampleMarkdown(byKey));
    }
    // The committed example was made from this query (WRITE_EXAMPLES=1 remakes it).
    expect(existsSync(EXAMPLE_FILE)).toBe(true);
    const example = readFileSync(EXAMPLE_FILE, 'utf8');
    expect(example).toContain(`<!-- query sha256 ${QUERY_HASH} -->`);
    for (const key of EXAMPLE_PEOPLE) expect(example).toContain(`## ${key}\n`);
  }, 120_000);
});
