import { UPSTREAMS, type Config, type UpstreamName } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { probationSearchRoutes } from './delius/routes.js';
import { prisonerSearchRoutes } from './dps/routes.js';
import { TokenProvider } from './http/token-provider.js';
import { UpstreamClient, type RequestScope } from './http/upstream-client.js';
import { createPersonLoader } from './identity.js';
import { createRecordLoaders, type Routes } from './loaders.js';
import { personRecordRoutes } from './person-record/routes.js';

export { UpstreamError, type DataArea } from './http/errors.js';
export type { RequestScope } from './http/upstream-client.js';

/** Long-lived upstream clients (agents, token cache) shared by all requests. */
export class DataSources {
  private readonly clients: Record<UpstreamName, UpstreamClient>;

  constructor(
    config: Pick<Config, 'auth' | 'upstreams'>,
    private readonly logger: Logger,
  ) {
    const tokens = new TokenProvider(
      { ...config.auth, timeoutMs: config.upstreams.prisonerSearch.timeoutMs },
      logger.child({ component: 'token' }),
    );
    const upstreamLogger = logger.child({ component: 'upstream' });
    this.clients = Object.fromEntries(
      UPSTREAMS.map((name) => [name, new UpstreamClient(name, config.upstreams[name], tokens, upstreamLogger)]),
    ) as Record<UpstreamName, UpstreamClient>;
  }

  /** Routes and fresh loaders for one GraphQL request: batching and caching never cross requests. */
  forRequest(scope: RequestScope) {
    const routes: Routes = {
      prisonerSearch: prisonerSearchRoutes(this.clients.prisonerSearch.scoped(scope)),
      probationSearch: probationSearchRoutes(this.clients.probationSearch.scoped(scope)),
      personRecord: personRecordRoutes(this.clients.personRecord.scoped(scope)),
    };
    const records = createRecordLoaders(routes, this.logger);
    return { records, person: createPersonLoader(records) };
  }

  close(): void {
    for (const client of Object.values(this.clients)) client.close();
  }
}

export type RequestLoaders = ReturnType<DataSources['forRequest']>;
