import { describe, expect, it } from '@jest/globals';
import type { PrisonerDto } from '../../../src/datasources/prisoner-search/routes.js';
import type { PrisonerSearchQueries } from '../../../src/datasources/prisoner-search/search.js';
import type { OffenderDetailDto } from '../../../src/datasources/probation-search/routes.js';
import type { ProbationSearchQueries } from '../../../src/datasources/probation-search/search.js';
import { searchBothSides, SearchTooBroadError } from '../../../src/datasources/search.js';
import type { SearchCriteria } from '../../../src/domain/search.js';
import { offender, prisoner } from './samples.js';

const criteria: SearchCriteria = { firstName: 'Robin', lastName: 'Example', dateOfBirth: null, pncNumber: null, includeAliases: false };

function sides(prison: PrisonerDto[], probation: OffenderDetailDto[], totals: { prison?: number; probation?: number } = {}) {
  const asked: string[] = [];
  const prisonerSearch: PrisonerSearchQueries = {
    search: async (_c, prisonIds) => {
      asked.push(`prison ${prisonIds?.join(',') ?? 'anywhere'}`);
      return { content: prison, total: totals.prison ?? prison.length };
    },
  };
  const probationSearch: ProbationSearchQueries = {
    search: async () => {
      asked.push('probation');
      return { content: probation, total: totals.probation ?? probation.length };
    },
  };
  return { prisonerSearch, probationSearch, asked };
}

const summary = (matches: Awaited<ReturnType<typeof searchBothSides>>) =>
  matches.map((m) => [m.prison?.prisonNumber ?? null, m.probation?.crn ?? null]);

describe('both-sides search (searchBothSides)', () => {
  it('returns each person once: a probation case carrying a prison number found in prison is the same person', async () => {
    const { prisonerSearch, probationSearch } = sides(
      [prisoner('A0001AA'), prisoner('B0002BB')],
      [offender('X000001', 'A0001AA'), offender('X000002', null)],
    );
    const matches = await searchBothSides(prisonerSearch, probationSearch, criteria, { prisonIds: null, includeProbation: true, limit: 50 });
    expect(summary(matches)).toEqual([
      ['A0001AA', 'X000001'],
      ['B0002BB', null],
      [null, 'X000002'],
    ]);
  });

  it('a probation case holding a number since merged into a prisoner is that prisoner', async () => {
    const { prisonerSearch, probationSearch } = sides([prisoner('A0001AA', ['C0003CC'])], [offender('X000003', 'C0003CC')]);
    const matches = await searchBothSides(prisonerSearch, probationSearch, criteria, { prisonIds: null, includeProbation: true, limit: 50 });
    expect(summary(matches)).toEqual([['A0001AA', 'X000003']]);
  });

  it('a prisons-only scope asks prisoner search within those prisons and does not ask probation', async () => {
    const { prisonerSearch, probationSearch, asked } = sides([prisoner('A0001AA')], [offender('X000009', null)]);
    const matches = await searchBothSides(prisonerSearch, probationSearch, criteria, { prisonIds: ['MDI'], includeProbation: false, limit: 50 });
    expect(asked).toEqual(['prison MDI']);
    expect(summary(matches)).toEqual([['A0001AA', null]]);
  });

  it('more matches than the limit on either side is too broad', async () => {
    const { prisonerSearch, probationSearch } = sides([], [], { probation: 51 });
    await expect(
      searchBothSides(prisonerSearch, probationSearch, criteria, { prisonIds: null, includeProbation: true, limit: 50 }),
    ).rejects.toBeInstanceOf(SearchTooBroadError);
  });
});
