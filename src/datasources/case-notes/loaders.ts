import { carryOmitted } from '../../domain/omitted.js';
import type { CaseNote, UpstreamPage } from '../../domain/records.js';
import { perQuestion } from '../batching.js';
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
 * the same person twice in `persons`) is fetched once. Notes the decoder left out are counted on the
 * page's items (`carryOmitted`, ADR 21).
 */
export const caseNotePageLoader = (routes: CaseNotesRoutes) =>
  perQuestion<CaseNotePageKey, UpstreamPage<CaseNote>>(async ({ prisonNumber, search }) => {
    const page = await routes.search(prisonNumber, search);
    return { items: carryOmitted(page.content, page.content.map(toCaseNote)), totalCount: page.totalElements };
  });
