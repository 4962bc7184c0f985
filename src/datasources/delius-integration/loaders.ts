import DataLoader from 'dataloader';
import { carryOmitted } from '../../domain/omitted.js';
import type { Address, ProbationCase } from '../../domain/profile.js';
import { perKey, perQuestion } from '../batching.js';
import type { ContactEvent, LimitedAccessDetails, UpstreamPage } from '../../domain/records.js';
import { toContactEvent, toLimitedAccessDetails, toProbationAddress, toProbationCase } from './mapping.js';
import type { ContactQuery, DeliusIntegrationRoutes } from './routes.js';

/*
 * Per-request loaders over the Delius integration API, keyed by CRN. The routes have no batch form:
 * a per-key failure rejects only that key. Entries the decoders left out (ADR 10) are counted on the
 * lists made from them (`carryOmitted`), for the error at the list's path (ADR 21).
 */

/** CRN -> the probation case (supervisions, risks, MAPPA, community manager), or `null`. */
export const probationCaseLoader = (routes: DeliusIntegrationRoutes) =>
  new DataLoader<string, ProbationCase | null>(
    perKey(async (crn) => {
      const dto = await routes.supervisions(crn);
      if (!dto) return null;
      const probationCase = toProbationCase(dto);
      // A supervision left out takes its offences and its sentence with it.
      carryOmitted(dto.supervisions, probationCase.offences);
      carryOmitted(dto.supervisions, probationCase.sentences);
      return probationCase;
    }),
  );

/** CRN -> addresses held by probation. */
export const probationAddressesLoader = (routes: DeliusIntegrationRoutes) =>
  new DataLoader<string, Address[]>(
    perKey(async (crn) => {
      const dtos = (await routes.addresses(crn)) ?? [];
      return carryOmitted(dtos, dtos.map(toProbationAddress));
    }),
  );

/** One page of a case's contact events: the CRN and the query sent for it. */
export interface ContactPageKey {
  crn: string;
  query: ContactQuery;
}

/** (CRN, page, size, MAPPA categories) -> one page of contact events, or `null` when Delius has no such case. */
export const contactEventPageLoader = (routes: DeliusIntegrationRoutes) =>
  perQuestion<ContactPageKey, UpstreamPage<ContactEvent> | null>(async ({ crn, query }) => {
    const page = await routes.contacts(crn, query);
    return page ? { items: carryOmitted(page.content, page.content.map(toContactEvent)), totalCount: page.totalResults } : null;
  });

/** (CRN, contact id, MAPPA categories) -> the contact event, or `null`. */
export const contactEventLoader = (routes: DeliusIntegrationRoutes) =>
  perQuestion<{ crn: string; id: string; mappaCategories: readonly number[] }, ContactEvent | null>(async ({ crn, id, mappaCategories }) => {
    const dto = await routes.contact(crn, id, mappaCategories);
    return dto ? toContactEvent(dto) : null;
  });

/** CRN -> who is excluded from or restricted to the case, or `null` when Delius has no such case. */
export const limitedAccessDetailsLoader = (routes: DeliusIntegrationRoutes) =>
  new DataLoader<string, LimitedAccessDetails | null>(
    perKey(async (crn) => {
      const dto = await routes.accessLimitations(crn);
      return dto ? toLimitedAccessDetails(dto) : null;
    }),
  );
