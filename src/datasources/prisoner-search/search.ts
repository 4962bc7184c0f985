import type { SearchCriteria } from '../../domain/search.js';
import { nameVariants } from '../../domain/search.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodePrisonerPage } from './decode.js';
import { PRISONER_FIELDS, type PrisonerDto } from './routes.js';

type Matcher = Record<string, unknown>;
interface Query {
  joinType: 'AND' | 'OR';
  matchers?: Matcher[];
  subQueries?: Query[];
}

const anyOf = (attribute: string, values: string[]): Query => ({
  joinType: 'OR',
  matchers: values.map((searchTerm) => ({ type: 'String', attribute, condition: 'IS', searchTerm })),
});

/** The attribute-search query for the criteria: names match any of their variants, in the record or an alias. */
export function attributeQuery(c: SearchCriteria, prisonIds: readonly string[] | null): Query {
  const personQuery = (firstAttr: string, lastAttr: string): Query => ({
    joinType: 'AND',
    subQueries: [
      ...(c.firstName ? [anyOf(firstAttr, nameVariants(c.firstName))] : []),
      ...(c.lastName ? [anyOf(lastAttr, nameVariants(c.lastName))] : []),
    ],
  });
  const names: Query[] = [];
  if (c.firstName || c.lastName) {
    names.push(
      c.includeAliases
        ? { joinType: 'OR', subQueries: [personQuery('firstName', 'lastName'), personQuery('aliases.firstName', 'aliases.lastName')] }
        : personQuery('firstName', 'lastName'),
    );
  }
  const matchers: Matcher[] = [];
  if (c.dateOfBirth) {
    matchers.push({ type: 'Date', attribute: 'dateOfBirth', minValue: c.dateOfBirth, maxValue: c.dateOfBirth });
  }
  if (c.pncNumber) matchers.push({ type: 'PNC', pncNumber: c.pncNumber.trim() });
  if (prisonIds) matchers.push({ type: 'String', attribute: 'prisonId', condition: 'IN', searchTerm: prisonIds.join(',') });
  return { joinType: 'AND', matchers, subQueries: names };
}

export function prisonerSearchQueries(client: UpstreamCaller) {
  return {
    /** Up to `limit` prisoners matching; `total` is the upstream's count of all matches. */
    async search(c: SearchCriteria, prisonIds: readonly string[] | null, limit: number) {
      const query = attributeQuery(c, prisonIds);
      const body = await client.call<{ content: PrisonerDto[]; totalElements: number | null }>({
        route: 'POST /attribute-search',
        method: 'POST',
        path: '/attribute-search',
        searchParams: { page: 0, size: limit, responseFields: PRISONER_FIELDS },
        json: { joinType: 'AND', queries: [query], pagination: { page: 0, size: limit } },
        decode: decodePrisonerPage,
      });
      const content = body.body?.content ?? [];
      return { content, total: body.body?.totalElements ?? content.length };
    },
  };
}

export type PrisonerSearchQueries = ReturnType<typeof prisonerSearchQueries>;
