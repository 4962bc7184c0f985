import type { UpstreamCaller } from '../http/upstream-client.js';
import { decodePrimaryPom } from './decode.js';

/** Manage POM cases (dps-manage-pom.json): the prison offender manager allocated to a prisoner. */
export interface PrimaryPomDto {
  manager?: { code?: number; forename?: string; surname?: string };
  prison?: { code?: string };
}

export function managePomRoutes(client: UpstreamCaller) {
  return {
    /** `null` when no offender manager is allocated (404). */
    primaryPom(prisonNumber: string): Promise<PrimaryPomDto | null> {
      return client.get(
        'GET /api/allocation/{nomsNumber}/primary_pom',
        `/api/allocation/${encodeURIComponent(prisonNumber)}/primary_pom`,
        undefined,
        [404],
        decodePrimaryPom,
      );
    },
  };
}

export type ManagePomRoutes = ReturnType<typeof managePomRoutes>;
