import type { SearchCriteria } from '../../domain/search.js';
import { nameCriterion, nameVariants, upstreamNamePattern } from '../../domain/search.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodePrisonerPage, PRISONER_RESPONSE_FIELDS } from './decode.js';
import type { PrisonerDto } from './routes.js';

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

/** Names as a wildcard pattern (`CONTAINS`): wide enough for the gateway's own matching to filter. */
const like = (attribute: string, typed: string): Query => ({
  joinType: 'AND',
  matchers: [{ type: 'String', attribute, condition: 'CONTAINS', searchTerm: upstreamNamePattern(nameCriterion(typed)!) }],
});

/**
 * The attribute-search query for the criteria, in the record or an alias. `pattern`: names as
 * wildcard patterns (`upstreamNamePattern`); `exact`: names as any of their typed spellings
 * (`nameVariants`), for when the patterns would match too many.
 */
export function attributeQuery(c: SearchCriteria, prisonIds: readonly string[] | null, names: 'pattern' | 'exact' = 'pattern'): Query {
  const name = (attribute: string, typed: string) => (names === 'pattern' ? like(attribute, typed) : anyOf(attribute, nameVariants(typed)));
  const personQuery = (firstAttr: string, lastAttr: string): Query => ({
    joinType: 'AND',
    subQueries: [...(c.firstName ? [name(firstAttr, c.firstName)] : []), ...(c.lastName ? [name(lastAttr, c.lastName)] : [])],
  });
  const nameQueries: Query[] = [];
  if (c.firstName || c.lastName) {
    nameQueries.push(
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
  return { joinType: 'AND', matchers, subQueries: nameQueries };
}

export function prisonerSearchQueries(client: UpstreamCaller) {
  return {
    /**
     * Up to `limit` prisoners that may match (the caller filters them by `recordMatches`); `total`
     * is the upstream's count. Names are looked for by pattern; when the patterns match more than
     * `limit` records (a common name without other criteria), by their typed spellings instead.
     */
    async search(c: SearchCriteria, prisonIds: readonly string[] | null, limit: number) {
      const once = async (names: 'pattern' | 'exact') => {
        const body = await client.call<{ content: PrisonerDto[]; totalElements: number | null }>({
          route: 'POST /attribute-search',
          method: 'POST',
          path: '/attribute-search',
          searchParams: { page: 0, size: limit, responseFields: PRISONER_RESPONSE_FIELDS },
          json: { joinType: 'AND', queries: [attributeQuery(c, prisonIds, names)], pagination: { page: 0, size: limit } },
          decode: decodePrisonerPage,
        });
        const content = body.body?.content ?? [];
        return { content, total: body.body?.totalElements ?? content.length };
      };
      const wide = await once('pattern');
      const prefix = [c.firstName, c.lastName].some((n) => n?.trim().endsWith('*'));
      return wide.total > limit && (c.firstName || c.lastName) && !prefix ? once('exact') : wide;
    },
  };
}

export type PrisonerSearchQueries = ReturnType<typeof prisonerSearchQueries>;
