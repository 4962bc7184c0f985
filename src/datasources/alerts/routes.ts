import { emptyBatch, type KeyedBatch } from '../http/contract.js';
import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodeAlertPage } from './decode.js';

/** DPS alerts API (dps-alerts-api.json). */
export interface AlertDto {
  prisonNumber: string;
  alertCode: { alertTypeCode?: string; alertTypeDescription?: string; code: string; description?: string };
  description?: string;
  activeFrom?: string;
  activeTo?: string;
  isActive: boolean;
  createdAt?: string;
}

export function alertsRoutes(client: UpstreamCaller) {
  return {
    /** Batch: every alert (active and inactive) of every given prison number, in one request. */
    async alertsOf(prisonNumbers: readonly string[]): Promise<KeyedBatch<AlertDto>> {
      const body = await client.call<KeyedBatch<AlertDto>>({
        route: 'POST /search/alerts/prison-numbers',
        method: 'POST',
        path: '/search/alerts/prison-numbers',
        searchParams: { includeInactive: true },
        json: prisonNumbers,
        decode: decodeAlertPage,
      });
      return body.body ?? emptyBatch();
    },
  };
}

export type AlertsRoutes = ReturnType<typeof alertsRoutes>;
