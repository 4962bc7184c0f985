/**
 * No list is ever silently shorter than its source gave it (issue 12, ADR 21): for every list whose
 * entries the decoders check one by one (`items`, src/datasources/http/contract.ts), an entry that
 * broke its contract is left out AND counted by an UPSTREAM_INVALID_RESPONSE error at the list's path
 * (`extensions.omittedEntries`, `extensions.missingSources`). Grouped by upstream; end to end against
 * the real gateway and simulators. Each case asks once without a fault (how many entries there are),
 * then with a simulator fault that spoils every entry of that list (`drift: 'nulls'` empties every
 * object below the top level, `drift: 'dates'` makes every date impossible; `routes` scopes it).
 */
import { describe, expect, it } from '@jest/globals';
import type { TestCertificates } from '../../local-stack/certs.js';
import type { GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, type FaultConfig, type UpstreamName } from '../../local-stack/simulators.js';
import { asConsumer, writeTestPolicy, type TestPolicy } from '../ops/support.js';
import { useGatewayStack } from '../support/stack.js';

const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

const stack = useGatewayStack<TestCertificates, TestPolicy>({
  population: 500,
  // police-dev sees only people in prison or on probation: a row filter the gateway applies to search results itself.
  policy: (dir) => writeTestPolicy(dir, {}, {}, { policeDev: '{ supervisionStatuses: [PRISONS, PROBATION] }' }),
  // Failures on purpose must not open the breakers between cases.
  env: { BREAKER_MIN_CALLS: '1000000', REQUEST_DEADLINE_MS: '4000', HEALTH_CHECK_INTERVAL_MS: '60000' },
});

async function ask(selection: string, id: string): Promise<GraphQLResult> {
  return asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy)(`query Lists($id: ID!) { person(hmppsId: $id) { ${selection} } }`, { id });
}

async function withFault<T>(upstream: UpstreamName, fault: FaultConfig, run: () => Promise<T>): Promise<T> {
  await stack.sims.setFault(upstream, fault);
  try {
    return await run();
  } finally {
    await stack.sims.clearFaults();
  }
}

/** The value at a dotted path below `person`. */
function at(result: GraphQLResult, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null | undefined)?.[k], result.body.data?.person);
}

const errors = (result: GraphQLResult) => (result.body.errors ?? []).map((e) => [(e.path ?? []).join('.'), e.extensions]);

interface Case {
  upstream: UpstreamName;
  fault: FaultConfig;
  selection: string;
  /** Dotted path (below `person`) of the list, where the error must be. */
  list: string;
  /** Dotted path (below `person`) of the entries counted (the list itself, or a connection's nodes). */
  entries?: string;
  source: 'PRISON' | 'PROBATION';
  id?: string;
}

/**
 * The list is there without the entries that broke their contract (here: all of them), and the only
 * error is one at the list's path counting them.
 */
async function expectCounted({ upstream, fault, selection, list, entries = list, source, id = linked.crn! }: Case): Promise<{ whole: GraphQLResult; spoiled: GraphQLResult }> {
  const whole = await ask(selection, id);
  expect(errors(whole)).toEqual([]);
  const count = (at(whole, entries) as unknown[]).length;
  expect(count).toBeGreaterThan(0);
  const spoiled = await withFault(upstream, fault, () => ask(selection, id));
  expect(at(spoiled, entries)).toEqual([]);
  expect(errors(spoiled)).toEqual([
    [`person.${list}`, expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', retryable: false, missingSources: [source], omittedEntries: count })],
  ]);
  return { whole, spoiled };
}

const person = (key: string) => wellKnownPeople().people.find((p) => p.key === key)!;
const dates = (route: string): FaultConfig => ({ drift: 'dates', routes: [route] });
const nulls = (route: string): FaultConfig => ({ drift: 'nulls', routes: [route] });

describe('Delius integration', () => {
  // `dates`, not `nulls`: a community manager emptied of its name spoils the whole case (a single value).
  it('dynamic risks that broke their contract: an error at probation.dynamicRisks counts them', async () => {
    await expectCounted({
      upstream: 'deliusIntegration', fault: dates('GET /case/{crn}/supervisions'),
      selection: 'probation { dynamicRisks { code } }', list: 'probation.dynamicRisks', source: 'PROBATION',
    });
  });

  it('status information (registrations) that broke its contract: an error at probation.statusInformation counts it', async () => {
    await expectCounted({
      upstream: 'deliusIntegration', fault: dates('GET /case/{crn}/supervisions'),
      selection: 'probation { statusInformation { code } }', list: 'probation.statusInformation', source: 'PROBATION', id: person('long-lists').crn!,
    });
  });

  it('contact events that broke their contract: the error at contactEvents counts those of the upstream page read; totalCount is still the upstream\'s', async () => {
    const { whole, spoiled } = await expectCounted({
      upstream: 'deliusIntegration', fault: dates('GET /case/{crn}/contacts'),
      selection: 'contactEvents(first: 10) { totalCount nodes { id } }', list: 'contactEvents', entries: 'contactEvents.nodes', source: 'PROBATION',
      id: person('hyphen-name').crn!,
    });
    expect(at(spoiled, 'contactEvents.totalCount')).toBe(at(whole, 'contactEvents.totalCount'));
  });

  it('contact events filtered by the gateway (from): every contact left out of the upstream pages scanned is counted; totalCount (the matches) does not count them', async () => {
    const id = person('hyphen-name').crn!;
    const selection = 'contactEvents(from: "2000-01-01", first: 100) { totalCount nodes { id } }';
    const whole = await ask(selection, id);
    const total = at(whole, 'contactEvents.totalCount') as number;
    expect(total).toBeGreaterThan(100); // more than one upstream page (100) is scanned
    const spoiled = await withFault('deliusIntegration', dates('GET /case/{crn}/contacts'), () => ask(selection, id));
    expect(at(spoiled, 'contactEvents')).toEqual({ totalCount: 0, nodes: [] });
    expect(errors(spoiled)).toEqual([
      ['person.contactEvents', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PROBATION'], omittedEntries: total })],
    ]);
  });
});

describe('Assess Risks and Needs', () => {
  it('risk score assessments that broke their contract: an error at riskScores counts them', async () => {
    await expectCounted({
      upstream: 'arns', fault: nulls('GET /risks/predictors/unsafe/all/{identifierType}/{identifierValue}'),
      selection: 'riskScores(first: 50) { nodes { completedAt } }', list: 'riskScores', entries: 'riskScores.nodes', source: 'PROBATION',
    });
  });

  it('risk management plans that broke their contract: an error at riskManagementPlans counts them', async () => {
    await expectCounted({
      upstream: 'arns', fault: nulls('GET /risks/risk-management-plan/{crn}'),
      selection: 'riskManagementPlans(first: 50) { nodes { completedAt } }', list: 'riskManagementPlans', entries: 'riskManagementPlans.nodes', source: 'PROBATION',
    });
  });

  it('criminogenic needs that broke their contract: the assessment stands, an error at each list of needs counts its own', async () => {
    const selection = 'criminogenicNeeds { assessedAt identified { section } notIdentified { section } }';
    const whole = await ask(selection, linked.crn!);
    expect(errors(whole)).toEqual([]);
    const counts = ['identified', 'notIdentified'].map((l) => (at(whole, `criminogenicNeeds.${l}`) as unknown[]).length);
    expect(counts.reduce((a, b) => a + b)).toBeGreaterThan(0);
    const spoiled = await withFault('arns', nulls('GET /needs/{crn}'), () => ask(selection, linked.crn!));
    expect(at(spoiled, 'criminogenicNeeds')).toEqual({ assessedAt: at(whole, 'criminogenicNeeds.assessedAt'), identified: [], notIdentified: [] });
    expect(errors(spoiled)).toEqual(
      ['identified', 'notIdentified']
        .map((l, i) => [`person.criminogenicNeeds.${l}`, counts[i]!] as const)
        .filter(([, n]) => n > 0)
        .map(([path, n]) => [path, expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PROBATION'], omittedEntries: n })]),
    );
  });
});

describe('Create and Vary a Licence', () => {
  it('licence summaries that broke their contract: an error at licences counts the licences left out', async () => {
    await expectCounted({
      upstream: 'cvl', fault: nulls('GET /public/licence-summaries/crn/{crn}'),
      selection: 'licences { id }', list: 'licences', source: 'PROBATION',
    });
  });
});

describe('case notes and adjudications', () => {
  it('case notes that broke their contract: the error at caseNotes counts those of the upstream page read; totalCount is still the upstream\'s', async () => {
    const { whole, spoiled } = await expectCounted({
      upstream: 'caseNotes', fault: dates('POST /search/case-notes/{personIdentifier}'),
      selection: 'caseNotes(first: 10) { totalCount nodes { id } }', list: 'caseNotes', entries: 'caseNotes.nodes', source: 'PRISON', id: linked.prisonNumber!,
    });
    expect(at(spoiled, 'caseNotes.totalCount')).toBe(at(whole, 'caseNotes.totalCount'));
  });

  it('adjudications that broke their contract: an error at adjudications counts them', async () => {
    await expectCounted({
      upstream: 'adjudications', fault: nulls('GET /reported-adjudications/prisoner/{prisonerNumber}'),
      selection: 'adjudications(first: 50) { nodes { chargeNumber } }', list: 'adjudications', entries: 'adjudications.nodes', source: 'PRISON', id: linked.prisonNumber!,
    });
  });
});

describe('prisoner search and probation search: lists inside a person\'s record', () => {
  // Entries deep in each prisoner (depth 3: the entries of its lists) drift; the prisoners stay whole.
  const prisonerLists: FaultConfig = { drift: 'types', driftDepth: 3, routes: ['POST /prisoner-search/prisoner-numbers'] };

  it('languages that broke their contract: an error at prison.languages counts them', async () => {
    await expectCounted({ upstream: 'prisonerSearch', fault: prisonerLists, selection: 'prison { languages { code } }', list: 'prison.languages', source: 'PRISON', id: linked.prisonNumber! });
  });

  it('personal care needs that broke their contract: an error at prison.personalCareNeeds counts them', async () => {
    await expectCounted({ upstream: 'prisonerSearch', fault: prisonerLists, selection: 'prison { personalCareNeeds { code } }', list: 'prison.personalCareNeeds', source: 'PRISON', id: linked.prisonNumber! });
  });

  it('distinguishing marks that broke their contract: an error at distinguishingMarks counts them', async () => {
    await expectCounted({
      upstream: 'prisonerSearch', fault: prisonerLists, selection: 'prison { physicalCharacteristics { distinguishingMarks { kind } } }',
      list: 'prison.physicalCharacteristics.distinguishingMarks', source: 'PRISON', id: person('aliases').prisonNumber!,
    });
  });

  it('disabilities that broke their contract: an error at protectedCharacteristics.disabilities counts them', async () => {
    await expectCounted({
      upstream: 'probationSearch', fault: { drift: 'dates', driftDepth: 3, routes: ['POST /crns'] }, selection: 'protectedCharacteristics { disabilities { type } }',
      list: 'protectedCharacteristics.disabilities', source: 'PROBATION', id: person('other-prison').crn!,
    });
  });

  it('phone numbers that broke their contract: an error at contactDetails.phoneNumbers counts them', async () => {
    await expectCounted({
      upstream: 'probationSearch', fault: { drift: 'types', driftDepth: 5, routes: ['POST /crns'] }, selection: 'contactDetails { phoneNumbers { number } }',
      list: 'contactDetails.phoneNumbers', source: 'PROBATION',
    });
  });

  it('aliases that broke their contract on both sides: the error(s) at aliases count what each source lost', async () => {
    const id = person('aliases').crn!;
    const selection = 'aliases { firstName }';
    const whole = await ask(selection, id);
    expect(errors(whole)).toEqual([]);
    const count = (at(whole, 'aliases') as unknown[]).length;
    expect(count).toBeGreaterThan(0);
    await stack.sims.setFault('prisonerSearch', { drift: 'dates', driftDepth: 3, routes: ['POST /prisoner-search/prisoner-numbers'] });
    const spoiled = await withFault('probationSearch', { drift: 'dates', driftDepth: 3, routes: ['POST /crns'] }, () => ask(selection, id));
    expect(at(spoiled, 'aliases')).toEqual([]);
    const found = errors(spoiled);
    expect(found.map(([path]) => path)).toEqual(found.map(() => 'person.aliases'));
    const extensions = found.map(([, e]) => e as { code: string; missingSources: string[]; omittedEntries: number });
    expect(extensions.every((e) => e.code === 'UPSTREAM_INVALID_RESPONSE')).toBe(true);
    // The merged list drops duplicates: the sources may have given more than it showed, never fewer.
    expect(extensions.reduce((n, e) => n + e.omittedEntries, 0)).toBeGreaterThanOrEqual(count);
  });
});

describe('Prison API sentence adjustments', () => {
  it('adjustments (days added or remitted) that broke their contract: an error at sentenceAdjustments counts them', async () => {
    await expectCounted({
      upstream: 'prisonApi', fault: { drift: 'types', driftDepth: 2, routes: ['GET /api/adjustments/{bookingId}/sentence-and-booking'] },
      selection: 'sentenceAdjustments { days }', list: 'sentenceAdjustments', source: 'PRISON', id: person('long-lists').prisonNumber!,
    });
  });
});

describe('Prison API reference codes', () => {
  // Before the test below: the codes are kept for an hour once fetched whole, and none of this one's are.
  it('a blank treatment code (it passes the decoder: a string) may be one adjustments are recorded under: reasonable adjustments are UPSTREAM_INVALID_RESPONSE (before: the code dropped, the list silently short or empty)', async () => {
    const spoiled = await withFault('prisonApi', { drift: 'blanks', driftDepth: 2, routes: ['GET /api/reference-domains/domains/{domain}/codes'] }, () =>
      ask('protectedCharacteristics { reasonableAdjustments { treatmentCode } }', linked.prisonNumber!),
    );
    expect(at(spoiled, 'protectedCharacteristics.reasonableAdjustments') ?? null).toBeNull();
    expect(errors(spoiled)).toEqual([
      ['person.protectedCharacteristics.reasonableAdjustments', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', area: 'prison' })],
    ]);
  });

  it('treatment codes that broke their contract: reasonable adjustments cannot all be asked for, so the field is UPSTREAM_INVALID_RESPONSE (before: a silently empty list)', async () => {
    const selection = 'protectedCharacteristics { reasonableAdjustments { treatmentCode } }';
    const id = linked.prisonNumber!;
    // The codes are kept for an hour once fetched whole: spoiled first, so this process has not kept them.
    const spoiled = await withFault('prisonApi', nulls('GET /api/reference-domains/domains/{domain}/codes'), () => ask(selection, id));
    expect(at(spoiled, 'protectedCharacteristics.reasonableAdjustments') ?? null).toBeNull();
    expect(errors(spoiled)).toEqual([
      ['person.protectedCharacteristics.reasonableAdjustments', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', area: 'prison' })],
    ]);
    const whole = await ask(selection, id);
    expect(errors(whole)).toEqual([]);
    expect((at(whole, 'protectedCharacteristics.reasonableAdjustments') as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('a date on a day that does not exist (30 February)', () => {
  it('reasonable adjustments dated on no day broke their contract: an error counts them (before: kept with the dates silently null)', async () => {
    await expectCounted({
      upstream: 'prisonApi', fault: { drift: 'days', routes: ['GET /api/bookings/{bookingId}/reasonable-adjustments'] },
      selection: 'protectedCharacteristics { reasonableAdjustments { treatmentCode startDate } }', list: 'protectedCharacteristics.reasonableAdjustments',
      source: 'PRISON', id: linked.prisonNumber!,
    });
  });
});

describe('aliases: one half of the person could not be had', () => {
  it('probation search down: the prison aliases stand, an error at aliases names PROBATION (before: the prison aliases alone, passed off as all)', async () => {
    const id = person('aliases').prisonNumber!;
    const spoiled = await withFault('probationSearch', { outage: true }, () => ask('aliases { firstName }', id));
    expect(at(spoiled, 'aliases')).toEqual(expect.any(Array));
    expect(errors(spoiled).filter(([path]) => path === 'person.aliases')).toEqual([
      ['person.aliases', expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', area: 'probation', missingSources: ['PROBATION'] })],
    ]);
  });
});

describe('searchPersons: a search hit that broke its contract', () => {
  const query = `query Search($c: PersonSearchCriteria!) { searchPersons(criteria: $c, first: 50) { totalCount nodes { hmppsId } } }`;
  const criteria = { firstName: linked.firstName, lastName: linked.lastName, dateOfBirth: linked.dateOfBirth };
  // Each prisoner or case of the page of hits (depth 2) spoiled; the page itself whole.
  const prisonHits: FaultConfig = { drift: 'dates', driftDepth: 2, routes: ['POST /attribute-search'] };
  const probationHits: FaultConfig = { drift: 'dates', driftDepth: 2, routes: ['POST /search/people'] };
  const search = (who: 'devConsumer' | 'policeDev' = 'devConsumer') => asConsumer(stack.gateway.consumerUrl, stack.certs, stack.policy, who)(query, { c: criteria });
  const found = (result: GraphQLResult) => result.body.data?.searchPersons as { totalCount: number; nodes: Array<{ hmppsId: string }> } | null;

  it('unreadable prisoner search hits: the person is still found through probation, and an error at searchPersons says how many prison records could not be read', async () => {
    const whole = await search();
    expect(errors(whole)).toEqual([]);
    expect(found(whole)).toEqual({ totalCount: 1, nodes: [{ hmppsId: linked.crn }] });
    const spoiled = await withFault('prisonerSearch', prisonHits, () => search());
    expect(found(spoiled)).toEqual({ totalCount: 1, nodes: [{ hmppsId: linked.crn }] });
    expect(errors(spoiled)).toEqual([
      ['searchPersons', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PRISON'], omittedEntries: 1 })],
    ]);
  });

  it('unreadable hits on both sides: no match, totalCount 0 (they are not counted as matches), and an error per source', async () => {
    await stack.sims.setFault('prisonerSearch', prisonHits);
    const spoiled = await withFault('probationSearch', probationHits, () => search());
    expect(found(spoiled)).toEqual({ totalCount: 0, nodes: [] });
    expect(errors(spoiled)).toEqual([
      ['searchPersons', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PRISON'], omittedEntries: 1 })],
      ['searchPersons', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PROBATION'], omittedEntries: 1 })],
    ]);
  });

  it('under a row filter the gateway applies itself (supervision status), an unreadable hit is not counted to the consumer: it may be a person it may not see', async () => {
    expect(found(await search('policeDev'))).toEqual({ totalCount: 1, nodes: [{ hmppsId: linked.crn }] });
    await stack.sims.setFault('prisonerSearch', prisonHits);
    const spoiled = await withFault('probationSearch', probationHits, () => search('policeDev'));
    expect(found(spoiled)).toEqual({ totalCount: 0, nodes: [] });
    expect(errors(spoiled)).toEqual([]);
  });
});

/**
 * Entries that pass the decoders but that the mapping cannot show (a field the schema makes non-null
 * missing or blank, though the spec lets it be absent; an entry the decoders did not look into): they
 * were dropped in mapping without a word (issue 12 item 7). Now they are counted like the entries the
 * decoders leave out. `blanks` empties every string, `nulls` every field, `days` makes every date one a
 * lenient parser takes but that is not a day (the 30th of February); blanks keeps dates.
 */
describe('entries that decode but cannot be shown', () => {
  const blanks = (route: string, driftDepth: number): FaultConfig => ({ drift: 'blanks', driftDepth, routes: [route] });

  it('prisoner search: languages without a code (Language.code is non-null): an error at prison.languages counts them', async () => {
    await expectCounted({
      upstream: 'prisonerSearch', fault: { drift: 'nulls', driftDepth: 3, routes: ['POST /prisoner-search/prisoner-numbers'] },
      selection: 'prison { languages { code } }', list: 'prison.languages', source: 'PRISON', id: linked.prisonNumber!,
    });
  });

  it('probation search: phone numbers without a number: an error at contactDetails.phoneNumbers counts them', async () => {
    await expectCounted({
      upstream: 'probationSearch', fault: { drift: 'nulls', driftDepth: 4, routes: ['POST /crns'] },
      selection: 'contactDetails { phoneNumbers { number } }', list: 'contactDetails.phoneNumbers', source: 'PROBATION',
    });
  });

  it('probation search: blank email addresses: an error at contactDetails.emails counts them', async () => {
    await expectCounted({
      upstream: 'probationSearch', fault: blanks('POST /crns', 4),
      selection: 'contactDetails { emails }', list: 'contactDetails.emails', source: 'PROBATION',
    });
  });

  it('Delius integration: risk flags with a blank code: an error at probation.dynamicRisks counts them', async () => {
    await expectCounted({
      upstream: 'deliusIntegration', fault: blanks('GET /case/{crn}/supervisions', 3),
      selection: 'probation { dynamicRisks { code } }', list: 'probation.dynamicRisks', source: 'PROBATION',
    });
  });

  it('Delius integration: status flags with a blank code: an error at probation.statusInformation counts them', async () => {
    await expectCounted({
      upstream: 'deliusIntegration', fault: blanks('GET /case/{crn}/supervisions', 3),
      selection: 'probation { statusInformation { code } }', list: 'probation.statusInformation', source: 'PROBATION', id: person('long-lists').crn!,
    });
  });

  it('Delius integration: blank emails of the staff excluded from a case: an error at limitedAccess.details.excludedFrom counts them', async () => {
    await expectCounted({
      upstream: 'deliusIntegration', fault: blanks('GET /case/{crn}/access-limitations', 2),
      selection: 'limitedAccess { details { excludedFrom } }', list: 'limitedAccess.details.excludedFrom', source: 'PROBATION', id: person('excluded').crn!,
    });
  });

  it('Delius integration: court appearances on a day that does not exist: the supervision is left out and counted at offences (before: the date dropped)', async () => {
    const id = person('long-lists').crn!;
    const selection = 'offences { source courtDates }';
    const whole = await ask(selection, id);
    expect(errors(whole)).toEqual([]);
    const probationOffences = (r: GraphQLResult) => ((at(r, 'offences') ?? []) as Array<{ source: string; courtDates: string[] }>).filter((o) => o.source === 'PROBATION');
    expect(probationOffences(whole).some((o) => o.courtDates.length > 0)).toBe(true);
    // Only the appearances and what lies as deep (supervisions[].courtAppearances[].date, offences' own fields at 4 stay).
    const spoiled = await withFault('deliusIntegration', { drift: 'days', driftDepth: 5, routes: ['GET /case/{crn}/supervisions'] }, () => ask(selection, id));
    expect(probationOffences(spoiled).filter((o) => o.courtDates.length > 0)).toEqual([]);
    expect(errors(spoiled)).toEqual([
      ['person.offences', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PROBATION'], omittedEntries: expect.any(Number) })],
    ]);
  });
});

describe('non-associations: an entry about people not asked for', () => {
  it('an entry that involves none of the prisoners asked for (the spec: either person must be one of them) spoils the answer; before: dropped without a word', async () => {
    const selection = 'nonAssociations(includeClosed: true) { id }';
    const id = linked.prisonNumber!;
    const whole = await ask(selection, id);
    expect(errors(whole)).toEqual([]);
    expect((at(whole, 'nonAssociations') as unknown[]).length).toBeGreaterThan(0);
    // Every prison number in the answer another one: none of its entries is the person's.
    const spoiled = await withFault('nonAssociations', { drift: 'strangers', routes: ['POST /non-associations/involving'] }, () => ask(selection, id));
    expect(at(spoiled, 'nonAssociations') ?? null).toBeNull();
    expect(errors(spoiled)).toEqual([['person.nonAssociations', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', retryable: false })]]);
  });
});

describe('Prison API: the sentences of an earlier booking', () => {
  it('an answer whose fields drifted (before: not checked at all, read as it came) is a contract fault: the prison sentences are missing with an error naming PRISON, the probation ones stand', async () => {
    const selection = 'sentences { source description }';
    const sources = (r: GraphQLResult) => ((at(r, 'sentences') ?? []) as Array<{ source: string }>).map((s) => s.source);
    const whole = await ask(selection, linked.crn!);
    expect(errors(whole)).toEqual([]);
    expect(sources(whole)).toContain('PRISON');
    expect(sources(whole)).toContain('PROBATION');
    const spoiled = await withFault('prisonApi', { drift: 'types', routes: ['GET /api/offender-sentences/booking/{bookingId}/sentences-and-offences'] }, () => ask(selection, linked.crn!));
    expect([...new Set(sources(spoiled))]).toEqual(['PROBATION']);
    expect(errors(spoiled)).toEqual([['person.sentences', expect.objectContaining({ code: 'UPSTREAM_INVALID_RESPONSE', missingSources: ['PRISON'] })]]);
  });
});
