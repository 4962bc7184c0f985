/**
 * No person data in logs: the end-to-end flows (look-ups by every kind of id, persons, searches by
 * name, date of birth and PNC, refused fields, malformed input, upstream faults, token renewal,
 * shutdown) against the real gateway at debug level, capturing everything it writes to stdout and
 * stderr; none of the names, dates of birth or PNC numbers used may appear.
 */
import { describe, expect, it } from '@jest/globals';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';
import { wellKnownPeople, type FaultConfig, type UpstreamName } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';
import { personDataOf } from './support.js';

const known = wellKnownPeople();
const PROFILE = `hmppsId firstName middleNames lastName dateOfBirth gender knownToPrison knownToProbation
  identifiers { crn prisonNumber mergedFromPrisonNumber pncNumber croNumber }
  aliases { firstName lastName dateOfBirth }
  prison { prisonId cellLocation } probation { underActiveSupervision }
  addresses { postcode } alerts(first: 3) { totalCount } responsibleOfficer { communityManager { forename surname } }`;

const stack = useGatewayStack({ env: { LOG_LEVEL: 'debug', REQUEST_DEADLINE_MS: '1500', UPSTREAM_TIMEOUT_MS: '400' } });
const responses: string[] = [];

async function as(who: 'devConsumer' | 'policeDev', query: string, variables?: Record<string, unknown>, operationName?: string): Promise<GraphQLResult> {
  const result = await postGraphQL(stack.gateway.consumerUrl, { query, variables, operationName }, { ca: stack.certs.ca, ...stack.certs.client[who] });
  responses.push(result.raw);
  return result;
}

describe('logs', () => {
  it('hold none of the names, dates of birth or PNC numbers of the people asked about, across every flow', async () => {
    const people = known.people;
    // Look-ups by every id, one at a time and all together.
    for (const p of people) {
      for (const id of [p.crn, p.prisonNumber, ...p.mergedPrisonNumbers]) {
        if (id) await as('devConsumer', `query Look($id: ID!) { person(hmppsId: $id) { ${PROFILE} } }`, { id });
      }
    }
    const ids = people.flatMap((p) => [p.crn ?? p.prisonNumber!]);
    await as('devConsumer', `query Many($ids: [ID!]!) { persons(hmppsIds: $ids) { hmppsId firstName lastName dateOfBirth } }`, { ids });
    // Searches by name, date of birth and PNC: as variables and as literals in the query text.
    for (const p of people.slice(0, 8)) {
      const q = 'query Find($c: PersonSearchCriteria!) { searchPersons(criteria: $c, first: 5) { totalCount nodes { firstName lastName dateOfBirth } } }';
      await as('devConsumer', q, { c: { firstName: p.firstName, lastName: p.lastName } });
      await as('devConsumer', q, { c: { lastName: p.lastName, dateOfBirth: p.dateOfBirth, includeAliases: true } });
      if (p.pncNumber) await as('devConsumer', q, { c: { pncNumber: p.pncNumber } });
      await as(
        'devConsumer',
        `{ searchPersons(criteria: { firstName: ${JSON.stringify(p.firstName)}, lastName: ${JSON.stringify(p.lastName)}, dateOfBirth: "${p.dateOfBirth}" }) { totalCount } }`,
      );
    }
    // Refused fields, malformed variables carrying person data, a search that is too wide.
    const linked = people.find((p) => p.key === 'linked')!;
    await as('policeDev', `{ person(hmppsId: "${linked.crn}") { firstName dateOfBirth identifiers { pncNumber } } }`);
    await as('devConsumer', 'query Bad($id: ID!) { person(hmppsId: $id) { firstName } }', { id: { firstName: linked.firstName, dob: linked.dateOfBirth } });
    await as('devConsumer', `{ person(hmppsId: "${linked.lastName}") { firstName } }`);
    await as('devConsumer', `{ searchPersons(criteria: { dateOfBirth: "${linked.dateOfBirth}x" }) { totalCount } }`);
    await as('devConsumer', `{ searchPersons(criteria: { pncNumber: ${JSON.stringify(linked.pncNumber)}, firstName: 5 }) { totalCount } }`);
    // An operation name is the consumer's own text: person data in it, with a document that does
    // not parse and with one that has no such operation.
    const named = `${linked.firstName} ${linked.lastName} ${linked.dateOfBirth}`;
    await as('devConsumer', '{ person(', undefined, named);
    await as('devConsumer', 'query Look { __typename }', undefined, named);
    // Upstream trouble while person data flows: outage, malformed bodies, hangs, expired tokens.
    const faults: Array<[UpstreamName, FaultConfig]> = [
      ['probationSearch', { outage: true }],
      ['prisonerSearch', { malformedJson: true }],
      ['alerts', { hang: true }],
      ['deliusIntegration', { errorRate: 1, errorStatuses: [503] }],
    ];
    for (const [upstream, fault] of faults) {
      await stack.sims.setFault(upstream, fault);
      await as('devConsumer', `query Faulty($id: ID!) { person(hmppsId: $id) { ${PROFILE} } }`, { id: linked.prisonNumber });
      await as('devConsumer', 'query FaultySearch($c: PersonSearchCriteria!) { searchPersons(criteria: $c) { totalCount nodes { firstName } } }', {
        c: { firstName: linked.firstName, lastName: linked.lastName },
      });
      await stack.sims.setFault(upstream, {});
    }
    await stack.sims.expireTokens();
    await as('devConsumer', `{ person(hmppsId: "${linked.crn}") { firstName } }`);
    expect(await stack.gateway.stop()).toBe(0);

    // The flows really carried person data through the gateway ...
    const sensitive = personDataOf(people);
    const answered = responses.join('\n');
    for (const p of [linked, people.find((x) => x.key === 'non-ascii-name')!]) {
      expect(answered).toContain(p.firstName);
      expect(answered).toContain(p.dateOfBirth);
    }
    // ... and the logs are complete: debug upstream lines, access lines, the shutdown.
    const logs = stack.gateway.logs.join('\n');
    expect(stack.gateway.logs.filter((l) => l.includes('"event":"access"')).length).toBeGreaterThanOrEqual(responses.length);
    expect(logs).toContain('"msg":"upstream call"');
    expect(logs).toContain('"event":"stopped"');
    // ... yet none of it is in the logs, in any spelling JSON could give it.
    const leaks = sensitive.filter((value) => {
      const escaped = JSON.stringify(value).slice(1, -1);
      const ascii = value.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return [value, escaped, ascii, value.toUpperCase()].some((v) => logs.includes(v));
    });
    expect(leaks).toEqual([]);
  });
});
