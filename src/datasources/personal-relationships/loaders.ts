import DataLoader from 'dataloader';
import type { Contact } from '../../domain/prison-welfare.js';
import { perKey } from '../batching.js';
import { toContact, toNumberOfChildren } from './mapping.js';
import { CONTACTS_MAX_PAGES, type PersonalRelationshipsRoutes } from './routes.js';

/**
 * Prison number -> every contact, in the upstream's order: the route has no batch form, so per person
 * (in parallel, deduplicated), reading its pages (0-based) one after another up to the cap.
 */
export const contactsLoader = (routes: PersonalRelationshipsRoutes) =>
  new DataLoader<string, Contact[]>(
    perKey(async (n) => {
      const contacts: Contact[] = [];
      for (let page = 0; page < CONTACTS_MAX_PAGES; page++) {
        const dto = await routes.contactPage(n, page);
        if (!dto) break;
        contacts.push(...dto.content.map(toContact));
        if (page + 1 >= dto.totalPages || dto.content.length === 0) break;
      }
      return contacts;
    }),
  );

/** Prison number -> the recorded number of children, or `null`. */
export const numberOfChildrenLoader = (routes: PersonalRelationshipsRoutes) =>
  new DataLoader<string, string | null>(perKey(async (n) => toNumberOfChildren(await routes.numberOfChildren(n))));
