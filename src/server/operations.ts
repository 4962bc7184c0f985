import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import type { AuthObserver } from '../auth/consumer.js';
import { printSchema, type GraphQLSchema } from 'graphql';
import { UPSTREAMS, type Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { HealthChecker, type HealthTarget } from './health.js';
import type { Health } from './management.js';
import { RateLimiter, type ConsumerRate } from './rate-limit.js';
import { useTelemetry } from './telemetry.js';

/**
 * The operational side of one gateway process, in one place: metrics, rate limiting, background
 * health checks and build information. gateway.ts wires it to its listeners.
 */
export class Operations {
  readonly metrics = new Metrics();
  readonly limiter: RateLimiter;
  readonly checker: HealthChecker;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly health: Health,
  ) {
    this.limiter = new RateLimiter(config.rateLimit, this.metrics, logger.child({ component: 'rate-limit' }));
    const circuit = (name: string) => () => ({ circuit: this.metrics.circuitStates.get(name) ?? 'closed' });
    const targets: HealthTarget[] = [
      { name: 'auth', baseUrl: config.auth.tokenUrl, live: circuit('auth') },
      ...UPSTREAMS.map((name) => ({ name, baseUrl: config.upstreams[name].baseUrl, live: circuit(name) })),
    ];
    if (config.rateLimit.redisUrl) targets.push({ name: 'redis', probe: () => this.limiter.ping() });
    this.checker = new HealthChecker(targets, config.health, this.metrics, logger.child({ component: 'health' }));
    health.metrics = this.metrics;
    health.checker = this.checker;
    health.commit = config.commit;
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

  /** Build information for /info, the rate-limit store and the first round of health checks (not awaited). */
  async start(schema: GraphQLSchema): Promise<void> {
    this.health.schemaHash = sha256(printSchema(schema));
    if (this.health.policyHash === undefined) {
      try {
        this.health.policyHash = sha256(readFileSync(this.config.policyFile));
      } catch {
        this.health.policyHash = undefined;
      }
    }
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
