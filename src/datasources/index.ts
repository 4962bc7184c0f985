import { UPSTREAMS, type Config, type UpstreamName } from '../config/index.js';
import type { RowFilters } from '../domain/visibility.js';
import type { Logger } from '../observability/logger.js';
import type { CircuitState, Metrics } from '../observability/metrics.js';
import { TokenProvider } from './http/token-provider.js';
import { UpstreamClient, type RequestScope } from './http/upstream-client.js';
import { IMAGE_DATA } from './prison-api/prison-life-routes.js';
import { PrisonApiReferenceData } from './prison-api/reference-data.js';
import { RequestLoaders } from './request-loaders.js';

export { UpstreamError, type DataArea } from './http/errors.js';
export type { RequestScope } from './http/upstream-client.js';
export { RequestLoaders } from './request-loaders.js';
export { SearchTooBroadError, unreadableHits, type SearchMatch } from './search.js';
export { coverIds } from './identity.js';
export { linksAmong } from './person-record/loaders.js';
export { lookupsOf, selectsField } from './speculation.js';

/** Long-lived upstream clients (agents, token cache) shared by all requests. */
export class DataSources {
  private readonly clients: Record<UpstreamName, UpstreamClient>;
  private readonly tokens: TokenProvider;
  /** Reference codes shared by all requests (fetched on a process scope, not one request's). */
  private readonly referenceData: PrisonApiReferenceData;

  constructor(
    config: Pick<Config, 'auth' | 'upstreams'>,
    private readonly logger: Logger,
    metrics?: Metrics,
  ) {
    const { timeoutMs, breaker } = config.upstreams.prisonerSearch;
    const tokens = new TokenProvider({ ...config.auth, timeoutMs, breaker, metrics }, logger.child({ component: 'token' }));
    this.tokens = tokens;
    const upstreamLogger = logger.child({ component: 'upstream' });
    this.clients = Object.fromEntries(
      UPSTREAMS.map((name) => [name, new UpstreamClient(name, config.upstreams[name], tokens, upstreamLogger, metrics)]),
    ) as Record<UpstreamName, UpstreamClient>;
    this.referenceData = new PrisonApiReferenceData(() => this.clients.prisonApi.scoped({ requestId: 'reference-data' }));
  }

  /** The circuit state of one upstream's client (or of the token endpoint's), for /health. */
  circuitState(name: UpstreamName | 'auth'): CircuitState {
    return name === 'auth' ? this.tokens.circuitState : this.clients[name].circuitState;
  }

  /** Fresh loaders for one GraphQL request (built on first use): batching and caching never cross requests. */
  forRequest(scope: RequestScope, filters?: RowFilters): RequestLoaders {
    return new RequestLoaders({ clients: this.clients, referenceData: this.referenceData, logger: this.logger }, scope, filters);
  }

  /**
   * A photograph's bytes from the Prison API, streamed (`GET /images/{id}` on the consumer
   * listener); `null` when the upstream does not hold the image. At most `maxBytes`.
   */
  openImage(imageId: string, scope: RequestScope, maxBytes: number) {
    return this.clients.prisonApi.openStream(
      { route: IMAGE_DATA, path: `/api/images/${encodeURIComponent(imageId)}/data`, maxBytes, mediaTypes: ['image/jpeg', 'image/png'] },
      scope,
    );
  }

  close(): void {
    for (const client of Object.values(this.clients)) client.close();
  }
}
