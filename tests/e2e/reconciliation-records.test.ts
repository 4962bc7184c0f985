/**
 * Data truth for the case records (issue 17 areas 5-7) over the whole population (2,000 by default;
 * `RECONCILIATION_POPULATION` for more): every person fetched through the real gateway in batches
 * (`persons`), with the first page of their case notes (sensitive ones included: the development
 * consumer is granted them), of their probation contact events and their limited-access details,
 * compared field by field with the raw upstream answers read over HTTP and mapped here, apart from
 * src/ (times with tests/support/reference-profile.ts's zone-database reading). Order is compared
 * too. Prints the values checked and the mismatches per field; passes only with none.
 */
import { describe, expect, it } from '@jest/globals';
import { Population, DEFAULT_SEED } from '../../simulators/lib/population.js';
import { postGraphQL } from '../../local-stack/https.js';
import { londonInstant } from '../support/reference-profile.js';
import { useGatewayStack } from '../support/stack.js';

const POPULATION = Number(process.env.RECONCILIATION_POPULATION ?? 2000);
const BATCH = 50;
const PAGE = 100;

const stack = useGatewayStack({
  population: POPULATION,
  timeoutMs: POPULATION > 10_000 ? 120_000 : 60_000,
  env: { MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000', UPSTREAM_TIMEOUT_MS: '10000', REQUEST_DEADLINE_MS: '60000', SHUTDOWN_TIMEOUT_MS: '70000' },
});

type Json = any;

const RECORDS = `hmppsId
  caseNotes(first: ${PAGE}, includeSensitive: true) { totalCount nodes { id type { code description } subType { code description } occurredAt createdAt
    authorName text prisonCode sensitive systemGenerated amendments { createdAt authorName text } } }
  contactEvents(first: ${PAGE}) { totalCount nodes { id contactDate createdAt updatedAt type { code description } description
    location { code description } outcome { code description } notes
    officer { code forename surname team { code description } provider { code description } } } }
  limitedAccess { excluded restricted details { exclusionMessage excludedFrom restrictionMessage restrictedTo } }`;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const coded = (v: Json): Json => (v && text(v.code) ? { code: v.code, description: text(v.description) } : null);

function refCaseNote(n: Json): Json {
  return {
    id: n.caseNoteId,
    type: { code: n.type, description: text(n.typeDescription) },
    subType: { code: n.subType, description: text(n.subTypeDescription) },
    occurredAt: londonInstant(n.occurrenceDateTime),
    createdAt: londonInstant(n.creationDateTime),
    authorName: text(n.authorName),
    text: text(n.text),
    prisonCode: text(n.locationId),
    sensitive: n.sensitive,
    systemGenerated: n.systemGenerated === true,
    amendments: (n.amendments ?? []).map((a: Json) => ({ createdAt: londonInstant(a.creationDateTime), authorName: text(a.authorName), text: text(a.additionalNoteText) })),
  };
}

function refContact(c: Json): Json {
  const o = c.officer;
  return {
    id: String(c.id),
    contactDate: c.contactDate ?? null,
    createdAt: c.createdAt ?? null,
    updatedAt: c.updatedAt ?? null,
    type: coded(c.type),
    description: text(c.description),
    location: coded(c.location),
    outcome: coded(c.outcome),
    notes: text(c.notes),
    officer: o ? { code: text(o.code), forename: text(o.name?.forename), surname: text(o.name?.surname), team: coded(o.team), provider: coded(o.team?.pdu?.provider) } : null,
  };
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Nested objects and lists become one entry per leaf, named by its path. */
function leaves(prefix: string, e: unknown, a: unknown, out: Array<[string, string, unknown, unknown]>, where = prefix): void {
  if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) out.push([`${prefix} (length)`, where, e.length, a.length]);
    e.forEach((x, i) => leaves(`${prefix}[]`, x, a[i], out, `${where}[${i}]`));
    return;
  }
  if (e !== null && typeof e === 'object' && a !== null && typeof a === 'object' && !Array.isArray(e)) {
    for (const k of new Set([...Object.keys(e), ...Object.keys(a as object)])) leaves(`${prefix}.${k}`, (e as Json)[k], (a as Json)[k], out, `${where}.${k}`);
    return;
  }
  out.push([prefix, where, e ?? null, a ?? null]);
}

describe(`reconciliation of the case records (population ${POPULATION})`, () => {
  it('case notes, contact events and limited-access details match the raw upstream answers', async () => {
    const started = Date.now();
    const people = new Population({ size: POPULATION, seed: DEFAULT_SEED }).people;
    const token = await stack.sims.token();
    const urls = stack.sims.urls;
    const call = async (url: string, body?: unknown): Promise<Json> => {
      const res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${url} -> ${res.status}`);
      return res.json();
    };

    // Raw answers, read independently.
    const expected = new Map<string, Json>();
    await pool(people, 16, async (p) => {
      const id = p.crn ?? p.prisonNumber!;
      const [notes, contacts, offender] = await Promise.all([
        p.prisonNumber ? call(`${urls.caseNotes}/search/case-notes/${p.prisonNumber}`, { page: 1, size: PAGE, includeSensitive: true }) : null,
        p.crn ? call(`${urls.deliusIntegration}/case/${p.crn}/contacts?mappaCategories=1,2,3,4&page=0&size=${PAGE}`) : null,
        p.crn ? call(`${urls.probationSearch}/crns`, [p.crn]).then((l: Json[]) => l[0]) : null,
      ]);
      const limited = offender && (offender.currentExclusion === true || offender.currentRestriction === true);
      const access = limited ? await call(`${urls.deliusIntegration}/case/${p.crn}/access-limitations`) : null;
      const emails = (l: Json[] | undefined) => (l ?? []).map((u) => text(u.email)).filter((e) => e !== null);
      expected.set(id, {
        hmppsId: id,
        caseNotes: notes ? { totalCount: notes.metadata.totalElements, nodes: notes.content.map(refCaseNote) } : null,
        contactEvents: contacts ? { totalCount: contacts.totalResults, nodes: contacts.content.map(refContact) } : null,
        limitedAccess: offender
          ? {
              excluded: offender.currentExclusion === true,
              restricted: offender.currentRestriction === true,
              details: access
                ? {
                    exclusionMessage: offender.currentExclusion ? text(access.exclusionMessage) : null,
                    excludedFrom: offender.currentExclusion ? emails(access.excludedFrom) : [],
                    restrictionMessage: offender.currentRestriction ? text(access.restrictionMessage) : null,
                    restrictedTo: offender.currentRestriction ? emails(access.restrictedTo) : [],
                  }
                : null,
            }
          : null,
      });
    });
    const rawMs = Date.now() - started;

    // Gateway answers.
    const ids = [...expected.keys()];
    const actual = new Map<string, Json>();
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
    await pool(batches, 3, async (batch) => {
      const res = await postGraphQL(stack.gateway.consumerUrl, { query: `query R($ids: [ID!]!) { persons(hmppsIds: $ids) { ${RECORDS} } }`, variables: { ids: batch } },
        { ca: stack.certs.ca, ...stack.certs.client.devConsumer });
      if (res.status !== 200 || res.body.errors) throw new Error(`gateway answered ${res.status}: ${JSON.stringify(res.body.errors ?? res.raw).slice(0, 500)}`);
      (res.body.data!.persons as Json[]).forEach((p, i) => actual.set(batch[i]!, p));
    });

    const tally = new Map<string, { checked: number; wrong: number; examples: string[] }>();
    for (const [id, e] of expected) {
      const pairs: Array<[string, string, unknown, unknown]> = [];
      leaves('person', e, actual.get(id), pairs);
      for (const [field, where, x, y] of pairs) {
        const t = tally.get(field) ?? { checked: 0, wrong: 0, examples: [] };
        t.checked++;
        if (JSON.stringify(x) !== JSON.stringify(y)) {
          t.wrong++;
          if (t.examples.length < 3) t.examples.push(`${id} ${where}: expected ${JSON.stringify(x)} got ${JSON.stringify(y)}`);
        }
        tally.set(field, t);
      }
    }
    const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce((s, [, t]) => s + t.checked, 0);
    const wrong = rows.reduce((s, [, t]) => s + t.wrong, 0);
    console.log([
      `reconciliation (case records): ${ids.length} people, ${total} values checked, ${wrong} mismatches; raw answers in ${rawMs} ms, ${Date.now() - started} ms in all`,
      ...rows.map(([f, t]) => `  ${f.padEnd(70)} ${String(t.checked).padStart(7)} checked ${String(t.wrong).padStart(6)} wrong`),
      ...rows.filter(([, t]) => t.wrong > 0).flatMap(([f, t]) => [`  ${f}:`, ...t.examples.map((x) => `    ${x}`)]),
    ].join('\n'));
    expect(total).toBeGreaterThan(POPULATION * 10);
    expect(wrong).toBe(0);
  }, Math.max(240_000, POPULATION * 60));
});
