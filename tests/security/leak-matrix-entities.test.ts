/**
 * Leak matrix rows for federation's `Query._entities` while an identity-step upstream is down (issue
 * 16 with issue 14's rules): what a router is told about a representation is byte for byte what
 * `person(hmppsId)` tells the same consumer about the same id - the same error (code, message,
 * extensions) or the same person - for a filtered, an unknown and a visible id. So a filtered person
 * is never shown because the half that would hide them is down, a visible person is never told
 * NOT_FOUND during an outage, and filtered and unknown look alike then too.
 *
 * End to end over mutual TLS against the real gateway process and the real simulators, the upstream
 * made to fail at the simulator (its fault injection). The sample policy plus: `probation-partner`
 * (filtered to PROBATION) and a `released-desk` consumer (filtered to NONE: people under no
 * supervision) served through a router (the `through-router` role, Query._entities).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { REPO_ROOT, wellKnownPeople, wellKnownPerson, type UpstreamName } from '../../local-stack/simulators.js';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { ensureDevCertificates } from '../../scripts/certs.js';
import { useGatewayStack } from '../support/stack.js';
import { createSecurityCertificates, sampleApiKey, type Response } from '../../local-stack/consumer-identities.js';
import { useConsumerClients } from './support/consumer-clients.js';

const people = wellKnownPeople();
const person = wellKnownPerson;
const unknown = people.unknown;
/** Filtered to people under no supervision (neither in prison nor on probation). */
const RELEASED_DESK = 'released-desk';

function writePolicy(dir: string): { file: string } {
  const policy = parseYaml(readFileSync(join(REPO_ROOT, 'policy', 'sample.yaml'), 'utf8')) as Record<string, any>;
  policy.consumers['probation-partner'].roles.push('through-router');
  policy.consumers[RELEASED_DESK] = { roles: ['person-identity', 'through-router'], filters: { supervisionStatuses: ['NONE'] }, apiKeys: [hashApiKey(sampleApiKey(RELEASED_DESK))] };
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, toYaml(policy));
  return { file };
}

function certificates() {
  const certs = createSecurityCertificates();
  const pair = ensureDevCertificates(certs.dir, [RELEASED_DESK]).clients[RELEASED_DESK]!;
  certs.consumers[RELEASED_DESK] = { key: readFileSync(pair.key, 'utf8'), cert: readFileSync(pair.cert, 'utf8'), serial: '', apiKey: sampleApiKey(RELEASED_DESK) };
  return certs;
}

const stack = useGatewayStack({
  certificates,
  policy: (dir) => writePolicy(dir),
  // One attempt per call and no breaker: both questions meet the same outage, not retry or breaker luck.
  env: { UPSTREAM_RETRIES: '0', BREAKER_MIN_CALLS: '100000', BREAKER_CONSECUTIVE_FAILURES: '1000000', HEALTH_CHECK_INTERVAL_MS: '3600000' },
});
const as = useConsumerClients(stack, ['prison-operator', 'probation-partner', RELEASED_DESK]);

const SELECTION = 'hmppsId firstName lastName';
const PERSON = `query P($id: ID!) { person(hmppsId: $id) { ${SELECTION} } }`;
const ENTITIES = `query E($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${SELECTION} } } }`;

/** The answer about one id, where it stands in the response left out (path and locations differ by field). */
function answer(r: Response, field: 'person' | '_entities') {
  const data = r.body.data?.[field] as unknown;
  const value = field === '_entities' ? (data as unknown[] | undefined)?.[0] : data;
  const errors = (r.body.errors ?? []).map((e) => { const { path: _p, locations: _l, ...rest } = e as Record<string, unknown> & { extensions?: Record<string, unknown> }; return rest; });
  return { status: r.status, value, errors };
}

async function both(consumer: string, id: string) {
  const direct = await as(consumer).gql(PERSON, { id });
  const entity = await as(consumer).gql(ENTITIES, { r: [{ __typename: 'Person', hmppsId: id }] });
  return { person: answer(direct, 'person'), entities: answer(entity, '_entities') };
}

interface Row {
  upstream: UpstreamName;
  consumer: string;
  /** An id the consumer's filters hide, one nobody holds, one it may see. */
  filtered: string;
  unknown: string;
  visible: string;
}

const rows: Row[] = [
  // The prison half decides a prison filter: nothing can be told while prisoner search is down.
  { upstream: 'prisonerSearch', consumer: 'prison-operator', filtered: person('other-prison').prisonNumber!, unknown: unknown.prisonNumber, visible: person('linked').prisonNumber! },
  // A released person's supervision status is probation's to say: on licence, so NONE hides them and
  // PROBATION shows them; with probation search down it cannot be told either way.
  { upstream: 'probationSearch', consumer: RELEASED_DESK, filtered: person('released').prisonNumber!, unknown: unknown.prisonNumber, visible: person('released').prisonNumber! },
  { upstream: 'probationSearch', consumer: 'probation-partner', filtered: person('prison-only').prisonNumber!, unknown: unknown.prisonNumber, visible: person('released').prisonNumber! },
];

describe('federation: Query._entities during an identity-step outage answers exactly as Query.person', () => {
  afterAll(() => stack.sims.clearFaults());

  it.each(rows.map((r) => [`${r.upstream} down, ${r.consumer}`, r] as const))('%s: filtered, unknown and visible ids', async (_name, row) => {
    await stack.sims.setFault(row.upstream, { outage: true });
    try {
      for (const [kind, id] of [['filtered', row.filtered], ['unknown', row.unknown], ['visible', row.visible]] as const) {
        const got = await both(row.consumer, id);
        expect({ kind, id, answer: got.entities }).toEqual({ kind, id, answer: got.person });
        // Never the person, and never NOT_FOUND, when who may be seen cannot be told.
        expect({ kind, codes: got.entities.errors.map((e) => e.extensions?.code) }).not.toEqual({ kind, codes: expect.arrayContaining(['NOT_FOUND']) });
      }
      // Filtered and unknown: the same bytes through _entities too.
      const filtered = await as(row.consumer).gql(ENTITIES, { r: [{ __typename: 'Person', hmppsId: row.filtered }] });
      const nobody = await as(row.consumer).gql(ENTITIES, { r: [{ __typename: 'Person', hmppsId: row.unknown }] });
      expect(filtered.raw).toBe(nobody.raw);
    } finally {
      await stack.sims.clearFaults();
    }
  }, 60_000);

  it('with every upstream up, the same consumers see the same people through both (the rows above are not vacuous)', async () => {
    const released = person('released').prisonNumber!;
    expect((await both(RELEASED_DESK, released)).entities.errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const seen = await both('probation-partner', released);
    expect(seen.entities).toEqual(seen.person);
    expect(seen.entities.value).toMatchObject({ firstName: person('released').firstName });
  });
});
