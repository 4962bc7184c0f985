import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { AuthObserver } from '../auth/consumer.js';
import { printSchema, type GraphQLSchema } from 'graphql';
import { UPSTREAMS, type Config, type UpstreamName } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { Metrics, type CircuitState } from '../observability/metrics.js';
import { fetchToken, HealthChecker, pingUpstream, type HealthTarget } from './health.js';
import { Health } from './management.js';
import { RateLimiter, type ConsumerRate } from './rate-limit.js';
import { useTelemetry } from './telemetry.js';

/**
 * The operational side of one gateway process, in one place: metrics, rate limiting, background
 * health checks and build information. gateway.ts wires it to its listeners.
 */
/** What the health checks ask of the upstream clients: each one's circuit state (src/datasources). */
export interface UpstreamStates {
  circuitState(name: UpstreamName | 'auth'): CircuitState;
}

export class Operations {
  readonly metrics = new Metrics();
  readonly limiter: RateLimiter;
  readonly checker: HealthChecker;
  readonly health: Health;
  private schemaHash: string | null = null;
  private policyHash: () => string | null = () => null;
  private upstreams: UpstreamStates | null = null;

  constructor(
    private readonly config: Config,
    logger: Logger,
  ) {
    this.limiter = new RateLimiter(config.rateLimit, this.metrics, logger.child({ component: 'rate-limit' }));
    const { timeoutMs } = config.health;
    const circuit = (name: UpstreamName | 'auth') => () => this.upstreams?.circuitState(name) ?? 'closed';
    const targets: HealthTarget[] = [
      { name: 'auth', probe: () => fetchToken(config.auth, timeoutMs), circuit: circuit('auth') },
      ...UPSTREAMS.map((name) => ({ name, probe: () => pingUpstream(config.upstreams[name].baseUrl, timeoutMs), circuit: circuit(name) })),
    ];
    if (config.rateLimit.redisUrl) targets.push({ name: 'redis', probe: () => this.limiter.ping() });
    this.checker = new HealthChecker(targets, config.health, this.metrics, logger.child({ component: 'health' }));
    this.health = new Health(
      { version: config.version, commit: config.commit, startedAt: new Date().toISOString() },
      { schemaHash: () => this.schemaHash, policyHash: () => this.policyHash(), checker: this.checker, metrics: this.metrics },
    );
  }

  /** A consumer's budget: its policy entry's `rateLimit`, else the configured default. */
  rateOr(rate: ConsumerRate | null | undefined): ConsumerRate {
    return rate ?? { perSecond: this.config.rateLimit.perSecond, burst: this.config.rateLimit.burst };
  }

  /** For the authenticator: refusals by reason and client-certificate days-to-expiry by consumer and serial. */
  readonly authObserver: AuthObserver = {
    refused: (reason) => this.metrics.authRefusals.inc({ reason }),
    certificateExpiry: (consumer, serial, days) => this.metrics.certificateExpiryDays.set({ consumer, serial }, days),
    policyReloaded: (outcome) => this.metrics.policyReloads.inc({ outcome }),
  };

  /** The Apollo side of request telemetry (operation name and hash, error codes, outcome). */
  apolloPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
    return useTelemetry<TContext>(this.metrics);
  }

  /**
   * Once the schema, the policy and the upstream clients exist: build information for /info, the
   * rate-limit store and the first round of health checks (not awaited).
   */
  async start(parts: { schema: GraphQLSchema; policyHash: () => string; upstreams: UpstreamStates }): Promise<void> {
    this.schemaHash = sha256(printSchema(parts.schema));
    this.policyHash = parts.policyHash;
    this.upstreams = parts.upstreams;
    await this.limiter.start();
    void this.checker.start();
  }

  async stop(): Promise<void> {
    this.checker.stop();
    await this.limiter.close();
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
