import DataLoader from 'dataloader';
import type { CaseNote, UpstreamPage } from '../../domain/records.js';
import { perKey } from '../batching.js';
import { toCaseNote } from './mapping.js';
import type { CaseNoteSearch, CaseNotesRoutes } from './routes.js';

/** One upstream page of a person's case notes: the prison number and the search sent for it. */
export interface CaseNotePageKey {
  prisonNumber: string;
  search: CaseNoteSearch;
}

/**
 * (prison number, search) -> one page of case notes. The case notes service has no batch route: one
 * call per person and page, in parallel, and the same page asked twice in an operation (two aliases,
 * the same person twice in `persons`) is fetched once.
 */
export const caseNotePageLoader = (routes: CaseNotesRoutes) =>
  new DataLoader<CaseNotePageKey, UpstreamPage<CaseNote>, string>(
    async (keys) => {
      const byKey = new Map(keys.map((k) => [JSON.stringify(k), k]));
      const answers = await perKey(async (key) => {
        const { prisonNumber, search } = byKey.get(key)!;
        const page = await routes.search(prisonNumber, search);
        return { items: page.content.map(toCaseNote), totalCount: page.totalElements };
      })(keys.map((k) => JSON.stringify(k)));
      return answers;
    },
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
