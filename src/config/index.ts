import { isIP } from 'node:net';
import { EnvReader, type Env } from './env.js';
import { ledgerConfig, type LedgerConfig } from './ledger.js';
import { imagesConfig, type ImagesConfig } from './images.js';
import { securityConfig, type SecurityConfig } from './security.js';

/**
 * All configuration, read once from the environment (and the files it names), validated, typed.
 * Nothing else in src/ reads process.env.
 */

export const UPSTREAMS = [
  'prisonApi',
  'prisonerSearch',
  'alerts',
  'managePom',
  'probationSearch',
  'deliusIntegration',
  'personRecord',
  'arns',
  'cvl',
  'caseNotes',
  'adjudications',
  'incentives',
  'healthAndMedication',
  'nonAssociations',
  'personalRelationships',
  'prisonVisits',
] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

/** Environment variable holding each upstream's base URL. */
export const UPSTREAM_URL_VARS: Record<UpstreamName, string> = {
  prisonApi: 'PRISON_API_URL',
  prisonerSearch: 'PRISONER_SEARCH_URL',
  alerts: 'ALERTS_API_URL',
  managePom: 'MANAGE_POM_URL',
  probationSearch: 'PROBATION_SEARCH_URL',
  deliusIntegration: 'DELIUS_INTEGRATION_URL',
  personRecord: 'PERSON_RECORD_URL',
  arns: 'ARNS_API_URL',
  cvl: 'CVL_API_URL',
  caseNotes: 'CASE_NOTES_API_URL',
  adjudications: 'ADJUDICATIONS_API_URL',
  incentives: 'INCENTIVES_API_URL',
  healthAndMedication: 'HEALTH_AND_MEDICATION_API_URL',
  nonAssociations: 'NON_ASSOCIATIONS_API_URL',
  personalRelationships: 'PERSONAL_RELATIONSHIPS_API_URL',
  prisonVisits: 'PRISON_VISITS_API_URL',
};

/** The environment that points the gateway at a set of upstream base URLs (dev runner, tests, bench). */
export function upstreamUrlEnv(urls: Record<UpstreamName, string>): Record<string, string> {
  return Object.fromEntries(UPSTREAMS.map((name) => [UPSTREAM_URL_VARS[name], urls[name]]));
}

export interface UpstreamConfig {
  baseUrl: string;
  timeoutMs: number;
  /** Retries of idempotent calls (connection errors, 502/503/504, timeouts), never past the deadline. */
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  /**
   * Circuit breaker: once `minCalls` calls were seen in `windowMs`, opens at `failureRate` over the
   * window or after `consecutiveFailures` failures in a row (src/datasources/http/breaker.ts).
   */
  breaker: { windowMs: number; minCalls: number; failureRate: number; consecutiveFailures?: number; openMs: number };
  /** Calls in flight at once, and calls allowed to wait for a slot. */
  maxInFlight: number;
  maxQueue: number;
  /**
   * Largest upstream response body read, in bytes (`UPSTREAM_MAX_RESPONSE_BYTES`): a call whose body
   * grows past it is aborted while it streams and counts as a contract fault. Default 4 MiB.
   */
  maxResponseBytes?: number;
}

/** Default of `UPSTREAM_MAX_RESPONSE_BYTES`: far above any real answer (a full profile is tens of KiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface RateLimitConfig {
  /** Applies to consumers whose policy entry has no `rateLimit`. */
  perSecond: number;
  burst: number;
  /** Shared counters for all replicas; in-memory counters when null. */
  redisUrl: string | null;
  /** What a request gets when Redis cannot be asked: served (open) or refused (closed). */
  onRedisError: 'open' | 'closed';
  redisTimeoutMs: number;
}

export interface Config {
  mode: 'production' | 'development' | 'test';
  version: string;
  logLevel: string;
  consumerListener: {
    host: string;
    port: number;
    /** PEM contents, not paths. */
    tls: { key: string; cert: string; consumerCa: string };
  };
  managementListener: { host: string; port: number };
  devListener: { enabled: boolean; host: string; port: number; consumer: string };
  policyFile: string;
  auth: { tokenUrl: string; clientId: string; clientSecret: string };
  upstreams: Record<UpstreamName, UpstreamConfig>;
  shutdownTimeoutMs: number;
  /** Time a GraphQL request may take in all; every upstream call gets at most what is left. */
  requestDeadlineMs: number;
  rateLimit: RateLimitConfig;
  /** Background reachability checks of every upstream (and Redis) for /health. */
  health: { intervalMs: number; timeoutMs: number };
  /** After SIGTERM, readiness is false this long before the listener stops accepting. */
  shutdownDrainDelayMs: number;
  /** The source commit of this build, shown on /info. */
  commit: string;
  /** Identity, API keys, query limits, audit (src/config/security.ts). */
  security: SecurityConfig;
  /** The disclosure ledger (src/config/ledger.ts). */
  ledger: LedgerConfig;
  /** Photograph links (src/config/images.ts). */
  images: ImagesConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Mode = Config['mode'];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const nodeEnv = read.str('NODE_ENV', 'development');
  const mode: Mode = nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development';
  const config: Config = {
    mode,
    version: read.str('APP_VERSION', '0.1.0'),
    logLevel: read.str('LOG_LEVEL', mode === 'test' ? 'warn' : 'info'),
    ...listenersConfig(read, mode),
    policyFile: read.str('POLICY_FILE', 'policy/development.yaml'),
    auth: {
      tokenUrl: read.url('HMPPS_AUTH_URL'),
      clientId: read.str('CLIENT_ID'),
      clientSecret: read.str('CLIENT_SECRET'),
    },
    upstreams: upstreamsConfig(read),
    requestDeadlineMs: read.int('REQUEST_DEADLINE_MS', 10_000, 10, 120_000),
    rateLimit: rateLimitConfig(read),
    health: {
      intervalMs: read.int('HEALTH_CHECK_INTERVAL_MS', 15_000, 50, 3_600_000),
      timeoutMs: read.int('HEALTH_CHECK_TIMEOUT_MS', 2000, 10, 60_000),
    },
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 20_000, 0, 600_000),
    shutdownDrainDelayMs: read.int('SHUTDOWN_DRAIN_DELAY_MS', mode === 'production' ? 5000 : 0, 0, 600_000),
    commit: read.str('GIT_COMMIT', 'unknown'),
    security: securityConfig(env, mode, problems),
    ledger: ledgerConfig(env, problems),
    images: imagesConfig(env, problems),
  };
  if (config.shutdownDrainDelayMs + config.requestDeadlineMs > config.shutdownTimeoutMs) {
    problems.push(
      `SHUTDOWN_TIMEOUT_MS (${config.shutdownTimeoutMs}) must cover SHUTDOWN_DRAIN_DELAY_MS (${config.shutdownDrainDelayMs}) plus REQUEST_DEADLINE_MS (${config.requestDeadlineMs}), or in-flight requests are cut off`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The consumer, management and development listeners. */
function listenersConfig(read: EnvReader, mode: Mode): Pick<Config, 'consumerListener' | 'managementListener' | 'devListener'> {
  const devEnabled = read.bool('DEV_LISTENER', mode !== 'production');
  const devHost = read.str('DEV_LISTENER_HOST', '127.0.0.1');
  if (devEnabled && mode === 'production') {
    read.problems.push('DEV_LISTENER must not be enabled in production (it serves a fixed consumer without a certificate)');
  }
  if (devEnabled && !isLoopback(devHost)) {
    read.problems.push(`DEV_LISTENER_HOST must be a loopback address (got "${devHost}")`);
  }
  return {
    consumerListener: {
      host: read.str('CONSUMER_HOST', '0.0.0.0'),
      port: read.int('CONSUMER_PORT', 8443),
      tls: { key: read.pem('TLS_KEY_FILE'), cert: read.pem('TLS_CERT_FILE'), consumerCa: read.pem('CONSUMER_CA_FILE') },
    },
    managementListener: { host: read.str('MANAGEMENT_HOST', '0.0.0.0'), port: read.int('MANAGEMENT_PORT', 9090) },
    devListener: { enabled: devEnabled, host: devHost, port: read.int('DEV_LISTENER_PORT', 4000), consumer: read.str('DEV_CONSUMER', 'dev-consumer') },
  };
}

/** Base URL of each upstream, and the resilience settings they share. */
function upstreamsConfig(read: EnvReader): Record<UpstreamName, UpstreamConfig> {
  const timeoutMs = read.int('UPSTREAM_TIMEOUT_MS', 2000, 1, 120_000);
  const resilience = {
    retry: {
      maxRetries: read.int('UPSTREAM_RETRIES', 2, 0, 10),
      baseDelayMs: read.int('UPSTREAM_RETRY_BASE_MS', 50, 1, 60_000),
      maxDelayMs: read.int('UPSTREAM_RETRY_MAX_MS', 1000, 1, 60_000),
    },
    breaker: {
      windowMs: read.int('BREAKER_WINDOW_MS', 10_000, 100, 600_000),
      minCalls: read.int('BREAKER_MIN_CALLS', 10, 1, 1_000_000),
      failureRate: read.int('BREAKER_FAILURE_PERCENT', 50, 1, 100) / 100,
      consecutiveFailures: read.int('BREAKER_CONSECUTIVE_FAILURES', 10, 0, 1_000_000),
      openMs: read.int('BREAKER_OPEN_MS', 5000, 10, 600_000),
    },
    maxInFlight: read.int('UPSTREAM_MAX_IN_FLIGHT', 64, 1, 10_000),
    maxQueue: read.int('UPSTREAM_MAX_QUEUE', 256, 0, 100_000),
    maxResponseBytes: read.int('UPSTREAM_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 512 * 1024 * 1024),
  };
  return Object.fromEntries(
    UPSTREAMS.map((name) => [name, { baseUrl: read.url(UPSTREAM_URL_VARS[name]), timeoutMs, ...resilience }]),
  ) as Record<UpstreamName, UpstreamConfig>;
}

/** The per-consumer default budget and the shared store. */
function rateLimitConfig(read: EnvReader): RateLimitConfig {
  const redisUrl = read.env.REDIS_URL?.trim() || null;
  if (redisUrl && !/^rediss?:\/\/./.test(redisUrl)) read.problems.push(`REDIS_URL must be a redis:// or rediss:// URL (got "${redisUrl}")`);
  const onRedisError = read.str('RATE_LIMIT_ON_REDIS_ERROR', 'open');
  if (onRedisError !== 'open' && onRedisError !== 'closed') {
    read.problems.push(`RATE_LIMIT_ON_REDIS_ERROR must be open or closed (got "${onRedisError}")`);
  }
  return {
    perSecond: read.int('RATE_LIMIT_PER_SECOND', 50, 1, 1_000_000),
    burst: read.int('RATE_LIMIT_BURST', 100, 0, 1_000_000),
    redisUrl,
    onRedisError: onRedisError === 'closed' ? 'closed' : 'open',
    redisTimeoutMs: read.int('REDIS_TIMEOUT_MS', 250, 1, 60_000),
  };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
