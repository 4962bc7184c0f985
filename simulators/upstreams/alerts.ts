/** DPS Prisoner Alerts API (dps-alerts-api.json). */

import { wallClockToday } from '../lib/dates.js';
import { type AlertModel, alerts } from '../lib/details.js';
import { HttpError, type UpstreamDefinition, boolParam, hmppsError, intParam, listParam, ok, springPage, stringArrayBody } from '../lib/http.js';
import type { Person, Population } from '../lib/population.js';

const MAX_BATCH = 1000;

/**
 * As the real service: active when the active-to date is absent or after today, worked out when
 * asked (on the real today, not the population's fixed one: an alert that said active after its
 * end would be a contradiction the gateway refuses).
 */
const isActiveNow = (a: AlertModel): boolean => a.activeTo === null || a.activeTo > wallClockToday();

function alertDto(p: Person, a: AlertModel): Record<string, unknown> {
  return {
    alertUuid: a.uuid,
    prisonNumber: p.prisonNumber,
    alertCode: { alertTypeCode: a.ref.typeCode, alertTypeDescription: a.ref.typeDescription, code: a.ref.code, description: a.ref.description },
    description: a.description,
    authorisedBy: a.authorisedBy,
    activeFrom: a.activeFrom,
    activeTo: a.activeTo ?? undefined,
    isActive: isActiveNow(a),
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    createdByDisplayName: a.createdByDisplayName,
    lastModifiedAt: a.lastModifiedAt ?? undefined,
    lastModifiedBy: a.lastModifiedAt ? a.createdBy : undefined,
    lastModifiedByDisplayName: a.lastModifiedAt ? a.createdByDisplayName : undefined,
    activeToLastSetAt: a.activeTo ? (a.lastModifiedAt ?? undefined) : undefined,
    activeToLastSetBy: a.activeTo ? a.createdBy : undefined,
    activeToLastSetByDisplayName: a.activeTo ? a.createdByDisplayName : undefined,
    prisonCodeWhenCreated: a.prisonCode,
  };
}

type SortKey = 'activeFrom' | 'activeTo' | 'createdAt';

function parseSort(values: string[]): { key: SortKey; desc: boolean } {
  const first = values[0];
  if (first === undefined) return { key: 'activeFrom', desc: true };
  const [field = '', dir = 'asc'] = first.split(',');
  if (field !== 'activeFrom' && field !== 'activeTo' && field !== 'createdAt') throw new HttpError(400, `Cannot sort alerts by ${field}`);
  return { key: field, desc: dir.toLowerCase() === 'desc' };
}

export function createAlerts(pop: Population): UpstreamDefinition {
  return {
    name: 'alerts',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/prisoners/{prisonNumber}/alerts',
        handler: (ctx) => {
          const q = ctx.query;
          const p = pop.byPrisonNumberValue((ctx.params.prisonNumber ?? '').toUpperCase());
          const isActive = boolParam(q, 'isActive');
          const types = new Set(listParam(q, 'alertType'));
          const codes = new Set(listParam(q, 'alertCode'));
          const fromStart = q.get('activeFromStart') ?? undefined;
          const fromEnd = q.get('activeFromEnd') ?? undefined;
          const search = q.get('search')?.toLowerCase();
          const page = intParam(q, 'page', 0, 0, 1_000_000);
          const size = Math.min(intParam(q, 'size', 20, 1, 1_000_000), 2000);
          const sort = parseSort(q.getAll('sort'));
          let list = p ? alerts(pop, p) : [];
          list = list.filter(
            (a) =>
              (isActive === undefined || isActiveNow(a) === isActive) &&
              (types.size === 0 || types.has(a.ref.typeCode)) &&
              (codes.size === 0 || codes.has(a.ref.code)) &&
              (fromStart === undefined || a.activeFrom >= fromStart) &&
              (fromEnd === undefined || a.activeFrom <= fromEnd) &&
              (search === undefined || a.description.toLowerCase().includes(search) || a.authorisedBy.toLowerCase().includes(search)),
          );
          const value = (a: AlertModel): string => (sort.key === 'activeTo' ? (a.activeTo ?? '') : sort.key === 'createdAt' ? a.createdAt : a.activeFrom);
          list.sort((a, b) => {
            const c = value(a).localeCompare(value(b)) || a.id - b.id;
            return sort.desc ? -c : c;
          });
          const paged = springPage(list, { page, size }, true);
          return ok({ ...paged, content: paged.content.map((a) => alertDto(p as Person, a)) });
        },
      },
      {
        method: 'POST',
        path: '/search/alerts/prison-numbers',
        handler: (ctx) => {
          const numbers = stringArrayBody(ctx, MAX_BATCH, 'prison numbers');
          const includeInactive = boolParam(ctx.query, 'includeInactive') ?? false;
          const content: Record<string, unknown>[] = [];
          const seen = new Set<number>();
          for (const n of numbers) {
            const p = pop.byPrisonNumberValue(n.toUpperCase());
            if (p === undefined || seen.has(p.index)) continue;
            seen.add(p.index);
            for (const a of alerts(pop, p)) if (includeInactive || isActiveNow(a)) content.push(alertDto(p, a));
          }
          return ok({ content });
        },
      },
    ],
  };
}
