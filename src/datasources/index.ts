import { UPSTREAMS, type Config, type UpstreamName } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { probationSearchRoutes } from './delius/routes.js';
import { prisonerSearchRoutes } from './dps/routes.js';
import { TokenProvider } from './http/token-provider.js';
import { UpstreamClient } from './http/upstream-client.js';
import { createPersonLoader } from './identity.js';
import { createRecordLoaders, type Routes } from './loaders.js';
import { personRecordRoutes } from './person-record/routes.js';

export { UpstreamError, type DataArea } from './http/errors.js';

/** Long-lived upstream clients (agents, token cache) shared by all requests. */
export class DataSources {
  readonly routes: Routes;
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
    this.routes = {
      prisonerSearch: prisonerSearchRoutes(this.clients.prisonerSearch),
      probationSearch: probationSearchRoutes(this.clients.probationSearch),
      personRecord: personRecordRoutes(this.clients.personRecord),
    };
  }

  /** Fresh loaders for one GraphQL request: batching and caching never cross requests. */
  forRequest() {
    const records = createRecordLoaders(this.routes, this.logger);
    return { records, person: createPersonLoader(records) };
  }

  close(): void {
    for (const client of Object.values(this.clients)) client.close();
  }
}

export type RequestLoaders = ReturnType<DataSources['forRequest']>;
