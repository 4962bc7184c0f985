import { UPSTREAMS, type Config, type UpstreamName } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { probationSearchRoutes } from './delius/routes.js';
import { prisonerSearchRoutes } from './dps/routes.js';
import { TokenProvider } from './http/token-provider.js';
import { UpstreamClient, type RequestScope } from './http/upstream-client.js';
import { createPersonLoader } from './identity.js';
import { createRecordLoaders, type Routes } from './loaders.js';
import { personRecordRoutes } from './person-record/routes.js';
import type { SearchCriteria } from '../domain/search.js';
import { alertsRoutes } from './alerts/routes.js';
import { deliusCaseRoutes } from './delius/case-routes.js';
import { probationSearchQueries } from './delius/search.js';
import { prisonerSearchQueries } from './dps/search.js';
import { managePomRoutes } from './manage-pom/routes.js';
import { createNomisLoaders, NomisReferenceData } from './nomis/loaders.js';
import { nomisRoutes } from './nomis/routes.js';
import { createProfileLoaders } from './profile-loaders.js';
import { searchBothSides, type SearchOptions } from './search.js';

export { UpstreamError, type DataArea } from './http/errors.js';
export type { RequestScope } from './http/upstream-client.js';
export { SearchTooBroadError, type SearchMatch } from './search.js';

/** Long-lived upstream clients (agents, token cache) shared by all requests. */
export class DataSources {
  private readonly clients: Record<UpstreamName, UpstreamClient>;
  /** Reference codes shared by all requests (fetched on a process scope, not one request's). */
  private readonly referenceData: NomisReferenceData;

  constructor(
    config: Pick<Config, 'auth' | 'upstreams'>,
    private readonly logger: Logger,
    metrics?: Metrics,
  ) {
    const { timeoutMs, breaker } = config.upstreams.prisonerSearch;
    const tokens = new TokenProvider({ ...config.auth, timeoutMs, breaker, metrics }, logger.child({ component: 'token' }));
    const upstreamLogger = logger.child({ component: 'upstream' });
    this.clients = Object.fromEntries(
      UPSTREAMS.map((name) => [name, new UpstreamClient(name, config.upstreams[name], tokens, upstreamLogger, metrics)]),
    ) as Record<UpstreamName, UpstreamClient>;
    this.referenceData = new NomisReferenceData(() => this.clients.prisonApi.scoped({ requestId: 'reference-data' }));
  }

  /** Routes and fresh loaders for one GraphQL request: batching and caching never cross requests. */
  forRequest(scope: RequestScope) {
    const routes: Routes = {
      prisonerSearch: prisonerSearchRoutes(this.clients.prisonerSearch.scoped(scope)),
      probationSearch: probationSearchRoutes(this.clients.probationSearch.scoped(scope)),
      personRecord: personRecordRoutes(this.clients.personRecord.scoped(scope)),
    };
    const records = createRecordLoaders(routes, this.logger);
    const profile = createProfileLoaders({
      alerts: alertsRoutes(this.clients.alerts.scoped(scope)),
      managePom: managePomRoutes(this.clients.managePom.scoped(scope)),
      deliusCase: deliusCaseRoutes(this.clients.deliusIntegration.scoped(scope)),
    });
    const prisonerQueries = prisonerSearchQueries(this.clients.prisonerSearch.scoped(scope));
    const probationQueries = probationSearchQueries(this.clients.probationSearch.scoped(scope));
    return {
      records,
      person: createPersonLoader(records),
      profile,
      nomis: createNomisLoaders(nomisRoutes(this.clients.prisonApi.scoped(scope)), this.referenceData),
      search: (criteria: SearchCriteria, options: SearchOptions) =>
        searchBothSides(prisonerQueries, probationQueries, criteria, options),
    };
  }

  close(): void {
    for (const client of Object.values(this.clients)) client.close();
  }
}

export type RequestLoaders = ReturnType<DataSources['forRequest']>;
