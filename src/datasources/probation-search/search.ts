import { omittedFrom, withOmitted } from '../../domain/omitted.js';
import type { SearchCriteria } from '../../domain/search.js';
import { nameVariants } from '../../domain/search.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeOffenderPage } from './decode.js';
import type { OffenderDetailDto } from './routes.js';

/** The search service takes one spelling per request; never more than this many requests per search. */
const MAX_SPELLINGS = 6;

export function probationSearchQueries(client: UpstreamCaller) {
  const searchOnce = async (body: Record<string, unknown>, limit: number) => {
    const response = await client.call<{ content: OffenderDetailDto[]; totalElements: number | null }>({
      route: 'POST /search/people',
      method: 'POST',
      path: '/search/people',
      searchParams: { page: 0, size: limit },
      json: body,
      decode: decodeOffenderPage,
    });
    const content = response.body?.content ?? [];
    return { content, total: response.body?.totalElements ?? content.length };
  };

  return {
    /**
     * Up to `limit` probation cases that may match (the caller filters them by `recordMatches`).
     * Probation search compares whole names, ignoring case only: with a date of birth or a PNC
     * number, the cases are asked for by those alone and the names are left to the caller;
     * otherwise over every typed spelling of the names (in parallel). `total` is the largest
     * upstream count of any one request (the counts overlap). Cases the decoder left out are counted
     * on `content` the same way: the most any one request left out (ADR 21).
     */
    async search(c: SearchCriteria, limit: number) {
      const byOthers = c.dateOfBirth !== null || c.pncNumber !== null;
      const firsts = c.firstName && !byOthers ? nameVariants(c.firstName) : [null];
      const lasts = c.lastName && !byOthers ? nameVariants(c.lastName) : [null];
      const spellings = firsts.flatMap((f) => lasts.map((l) => [f, l] as const)).slice(0, MAX_SPELLINGS);
      const results = await Promise.all(
        spellings.map(([firstName, surname]) =>
          searchOnce(
            {
              firstName,
              surname,
              dateOfBirth: c.dateOfBirth,
              pncNumber: c.pncNumber?.trim() ?? null,
              includeAliases: c.includeAliases,
            },
            limit,
          ),
        ),
      );
      const byCrn = new Map<string, OffenderDetailDto>();
      for (const r of results) for (const dto of r.content) byCrn.set(dto.otherIds.crn, dto);
      const omitted = Math.max(...results.map((r) => omittedFrom(r.content)));
      return { content: withOmitted([...byCrn.values()], omitted), total: Math.max(...results.map((r) => r.total)) };
    },
  };
}

export type ProbationSearchQueries = ReturnType<typeof probationSearchQueries>;
