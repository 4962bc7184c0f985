/**
 * Partial merged lists (issue 12 item 7, ADR 21): `addresses`, `offences` and `sentences` are merged
 * from prison and probation. When one side cannot be had, the other side's entries are returned AND
 * an error at the list's path names the missing source (`extensions.missingSources`). Entries a source
 * gave that broke its contract (dropped by the decoders) are never silently fewer items: an error at
 * the list's path names the source and how many were left out (`extensions.omittedEntries`). The same
 * for single-source lists (alerts, images). End to end against the real gateway and simulators.
 */
import { describe, expect, it } from '@jest/globals';
import type { TestCertificates } from '../../local-stack/certs.js';
import type { GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, type FaultConfig, type UpstreamName } from '../../local-stack/simulators.js';
import { asConsumer, writeTestPolicy, type TestPolicy } from '../ops/support.js';
import { useGatewayStack } from '../support/stack.js';

const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

const LISTS = `hmppsId
  addresses { postcode sources }
  offences { description source }
  sentences { description source }
  alerts(first: 100) { totalCount }
  images { id }`;

const stack = useGatewayStack<TestCertificates, TestPolicy>({
  population: 500,
  policy: (dir) => writeTestPolicy(dir),
  // Failures on purpose must not open the breakers between cases.
  env: { BREAKER_MIN_CALLS: '1000000', REQUEST_DEADLINE_MS: '4000', HEALTH_CHECK_INTERVAL_MS: '60000' },
});

type Entry = { source?: string; sources?: string[] };
interface Lists {
  addresses: Entry[] | null;
  offences: Entry[] | null;
  sentences: Entry[] | null;
  alerts: { totalCount: number } | null;
  images: unknown[] | null;
}

async function lists(id: string): Promise<GraphQLResult> {
  return asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy)(`query Lists($id: ID!) { person(hmppsId: $id) { ${LISTS} } }`, { id });
}

async function withFault(upstream: UpstreamName, fault: FaultConfig, id = linked.crn!): Promise<GraphQLResult> {
  await stack.sims.setFault(upstream, fault);
  try {
    return await lists(id);
  } finally {
    await stack.sims.clearFaults();
  }
}

const sourcesOf = (entries: Entry[] | null | undefined): string[] => [...new Set((entries ?? []).flatMap((e) => e.sources ?? [e.source!]))].sort();
const errorAt = (result: GraphQLResult, field: string) => (result.body.errors ?? []).filter((e) => (e.path ?? []).join('.') === `person.${field}`);
const person = (result: GraphQLResult) => result.body.data?.person as Lists | null | undefined;
const failing = (route: string): FaultConfig => ({ errorRate: 1, errorStatuses: [503], routes: [route] });

describe('one side of a merged list is unavailable: the other side stands, with an error naming the missing source', () => {
  it('baseline: the linked person has prison and probation entries in each merged list, and no error', async () => {
    const result = await lists(linked.crn!);
    expect(result.body.errors).toBeUndefined();
    const p = person(result)!;
    expect([sourcesOf(p.addresses), sourcesOf(p.offences), sourcesOf(p.sentences)]).toEqual([
      ['PRISON', 'PROBATION'],
      ['PRISON', 'PROBATION'],
      ['PRISON', 'PROBATION'],
    ]);
  });

  it('probation addresses unavailable: prison addresses returned, UPSTREAM_UNAVAILABLE at addresses naming PROBATION', async () => {
    const result = await withFault('deliusIntegration', failing('GET /case/{crn}/addresses'));
    const p = person(result)!;
    expect(p.addresses).not.toBeNull();
    expect(sourcesOf(p.addresses)).toEqual(['PRISON']);
    expect(errorAt(result, 'addresses').map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', area: 'probation', retryable: true, missingSources: ['PROBATION'] }),
    ]);
  });

  it('prison addresses unavailable: probation addresses returned, the error names PRISON', async () => {
    const result = await withFault('prisonApi', failing('GET /api/offenders/{offenderNo}/addresses'));
    const p = person(result)!;
    expect(sourcesOf(p.addresses)).toEqual(['PROBATION']);
    expect(errorAt(result, 'addresses').map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', area: 'prison', missingSources: ['PRISON'] }),
    ]);
  });

  it('probation supervisions unavailable: prison offences and sentences returned, each with an error naming PROBATION', async () => {
    const result = await withFault('deliusIntegration', failing('GET /case/{crn}/supervisions'));
    const p = person(result)!;
    expect([sourcesOf(p.offences), sourcesOf(p.sentences)]).toEqual([['PRISON'], ['PRISON']]);
    for (const field of ['offences', 'sentences']) {
      expect([field, errorAt(result, field).map((e) => e.extensions?.missingSources)]).toEqual([field, [['PROBATION']]]);
    }
  });

  it('probation search down (the probation half is missing): every merged list holds the prison entries, each with an error naming PROBATION', async () => {
    const result = await withFault('probationSearch', { outage: true }, linked.prisonNumber!);
    const p = person(result)!;
    expect([sourcesOf(p.addresses), sourcesOf(p.offences), sourcesOf(p.sentences)]).toEqual([['PRISON'], ['PRISON'], ['PRISON']]);
    for (const field of ['addresses', 'offences', 'sentences']) {
      expect([field, errorAt(result, field).map((e) => e.extensions)]).toEqual([
        field,
        [expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', area: 'probation', missingSources: ['PROBATION'] })],
      ]);
    }
  });

  it('both sides unavailable: the list is null, with one error naming both sources', async () => {
    await stack.sims.setFault('prisonApi', failing('GET /api/offenders/{offenderNo}/addresses'));
    const result = await withFault('deliusIntegration', failing('GET /case/{crn}/addresses'));
    expect(person(result)!.addresses).toBeNull();
    expect(errorAt(result, 'addresses').map((e) => e.extensions?.missingSources)).toEqual([['PRISON', 'PROBATION']]);
  });
});

describe('entries a source gave that broke its contract: never silently fewer items', () => {
  it('prison addresses with impossible dates: the probation addresses stand, UPSTREAM_INVALID_RESPONSE at addresses counts the omitted prison entries', async () => {
    const result = await withFault('prisonApi', { drift: 'dates', routes: ['GET /api/offenders/{offenderNo}/addresses'] });
    const p = person(result)!;
    expect(sourcesOf(p.addresses)).toEqual(['PROBATION']);
    expect(errorAt(result, 'addresses').map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', area: 'prison', retryable: false, missingSources: ['PRISON'], omittedEntries: expect.any(Number) }),
    ]);
    expect(errorAt(result, 'addresses')[0]!.extensions!.omittedEntries).toBeGreaterThan(0);
  });

  it('probation supervisions with impossible dates: prison offences and sentences stand, an error at each counts what probation lost', async () => {
    const result = await withFault('deliusIntegration', { drift: 'dates', routes: ['GET /case/{crn}/supervisions'] });
    const p = person(result)!;
    expect([sourcesOf(p.offences), sourcesOf(p.sentences)]).toEqual([['PRISON'], ['PRISON']]);
    for (const field of ['offences', 'sentences']) {
      expect([field, errorAt(result, field).map((e) => [e.extensions?.code, e.extensions?.missingSources])]).toEqual([
        field,
        [['UPSTREAM_INVALID_RESPONSE', ['PROBATION']]],
      ]);
    }
  });

  it('alerts with impossible dates: the page is there and an error at alerts says entries were left out', async () => {
    const result = await withFault('alerts', { drift: 'dates' }, linked.prisonNumber!);
    expect(person(result)!.alerts).not.toBeNull();
    expect(errorAt(result, 'alerts').map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', area: 'prison', missingSources: ['PRISON'], omittedEntries: expect.any(Number) }),
    ]);
  });

  it('images with impossible capture dates: the list is there and an error at images says entries were left out', async () => {
    const result = await withFault('prisonApi', { drift: 'dates', routes: ['GET /api/images/offenders/{offenderNo}'] }, linked.prisonNumber!);
    expect(person(result)!.images).not.toBeNull();
    expect(errorAt(result, 'images').map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PRISON'], omittedEntries: expect.any(Number) }),
    ]);
  });
});

describe('single-source lists inside an answer: entries left out are counted at the list', () => {
  it('incentive reviews that broke their contract: the level stands, an error at reviews counts the omitted reviews', async () => {
    const query = 'query Incentive($id: ID!) { person(hmppsId: $id) { incentiveLevel { level reviews { level } } } }';
    const ask = () => asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy)(query, { id: linked.prisonNumber! });
    const whole = await ask();
    const reviews = (whole.body.data?.person as { incentiveLevel: { reviews: unknown[] } }).incentiveLevel.reviews.length;
    expect(reviews).toBeGreaterThan(0);
    // `nulls` empties every object below the top: the summary stands, each review in it is all null.
    await stack.sims.setFault('incentives', { drift: 'nulls', routes: ['GET /incentive-reviews/prisoner/{prisonerNumber}'] });
    try {
      const result = await ask();
      expect(result.body.data?.person).toEqual({ incentiveLevel: { level: expect.any(String), reviews: [] } });
      expect((result.body.errors ?? []).map((e) => [e.path, e.extensions])).toEqual([
        [['person', 'incentiveLevel', 'reviews'], expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PRISON'], omittedEntries: reviews })],
      ]);
    } finally {
      await stack.sims.clearFaults();
    }
  });
});
