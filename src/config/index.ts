import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { readInt, securityConfig, type SecurityConfig } from './security.js';

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
  /** Circuit breaker: opens at `failureRate` over `windowMs` once `minCalls` calls were seen. */
  breaker: { windowMs: number; minCalls: number; failureRate: number; openMs: number };
  /** Calls in flight at once, and calls allowed to wait for a slot. */
  maxInFlight: number;
  maxQueue: number;
}

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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string, fallback?: string): string => {
    const v = env[name]?.trim();
    if (v) return v;
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is required`);
    return '';
  };
  const int = (name: string, fallback: number, min = 0, max = 65535): number => readInt(env, problems, name, fallback, min, max);
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const url = (name: string): string => {
    const v = str(name);
    if (!v) return v;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return v.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${v}")`);
      return v;
    }
  };
  const pem = (name: string): string => {
    const path = str(name);
    if (!path) return '';
    try {
      const text = readFileSync(path, 'utf8');
      if (!text.includes('-----BEGIN')) problems.push(`${name}: ${path} is not a PEM file`);
      return text;
    } catch (e) {
      problems.push(`${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return '';
    }
  };

  const nodeEnv = str('NODE_ENV', 'development');
  const mode = nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development';
  const upstreamTimeoutMs = int('UPSTREAM_TIMEOUT_MS', 2000, 1, 120_000);
  const resilience = {
    retry: {
      maxRetries: int('UPSTREAM_RETRIES', 2, 0, 10),
      baseDelayMs: int('UPSTREAM_RETRY_BASE_MS', 50, 1, 60_000),
      maxDelayMs: int('UPSTREAM_RETRY_MAX_MS', 1000, 1, 60_000),
    },
    breaker: {
      windowMs: int('BREAKER_WINDOW_MS', 10_000, 100, 600_000),
      minCalls: int('BREAKER_MIN_CALLS', 10, 1, 1_000_000),
      failureRate: int('BREAKER_FAILURE_PERCENT', 50, 1, 100) / 100,
      openMs: int('BREAKER_OPEN_MS', 5000, 10, 600_000),
    },
    maxInFlight: int('UPSTREAM_MAX_IN_FLIGHT', 64, 1, 10_000),
    maxQueue: int('UPSTREAM_MAX_QUEUE', 256, 0, 100_000),
  };
  const upstreams = Object.fromEntries(
    UPSTREAMS.map((name) => [name, { baseUrl: url(UPSTREAM_URL_VARS[name]), timeoutMs: upstreamTimeoutMs, ...resilience }]),
  ) as Record<UpstreamName, UpstreamConfig>;
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl && !/^rediss?:\/\/./.test(redisUrl)) problems.push(`REDIS_URL must be a redis:// or rediss:// URL (got "${redisUrl}")`);
  const onRedisError = str('RATE_LIMIT_ON_REDIS_ERROR', 'open');
  if (onRedisError !== 'open' && onRedisError !== 'closed') {
    problems.push(`RATE_LIMIT_ON_REDIS_ERROR must be open or closed (got "${onRedisError}")`);
  }

  const devEnabled = bool('DEV_LISTENER', mode !== 'production');
  const devHost = str('DEV_LISTENER_HOST', '127.0.0.1');
  if (devEnabled && mode === 'production') {
    problems.push('DEV_LISTENER must not be enabled in production (it serves a fixed consumer without a certificate)');
  }
  if (devEnabled && !isLoopback(devHost)) {
    problems.push(`DEV_LISTENER_HOST must be a loopback address (got "${devHost}")`);
  }

  const config: Config = {
    mode,
    version: str('APP_VERSION', '0.1.0'),
    logLevel: str('LOG_LEVEL', mode === 'test' ? 'warn' : 'info'),
    consumerListener: {
      host: str('CONSUMER_HOST', '0.0.0.0'),
      port: int('CONSUMER_PORT', 8443),
      tls: { key: pem('TLS_KEY_FILE'), cert: pem('TLS_CERT_FILE'), consumerCa: pem('CONSUMER_CA_FILE') },
    },
    managementListener: { host: str('MANAGEMENT_HOST', '0.0.0.0'), port: int('MANAGEMENT_PORT', 9090) },
    devListener: {
      enabled: devEnabled,
      host: devHost,
      port: int('DEV_LISTENER_PORT', 4000),
      consumer: str('DEV_CONSUMER', 'dev-consumer'),
    },
    policyFile: str('POLICY_FILE', 'policy/development.yaml'),
    auth: {
      tokenUrl: url('HMPPS_AUTH_URL'),
      clientId: str('CLIENT_ID'),
      clientSecret: str('CLIENT_SECRET'),
    },
    upstreams,
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 20_000, 0, 600_000),
    requestDeadlineMs: int('REQUEST_DEADLINE_MS', 10_000, 10, 120_000),
    rateLimit: {
      perSecond: int('RATE_LIMIT_PER_SECOND', 50, 1, 1_000_000),
      burst: int('RATE_LIMIT_BURST', 100, 0, 1_000_000),
      redisUrl,
      onRedisError: onRedisError === 'closed' ? 'closed' : 'open',
      redisTimeoutMs: int('REDIS_TIMEOUT_MS', 250, 1, 60_000),
    },
    health: {
      intervalMs: int('HEALTH_CHECK_INTERVAL_MS', 15_000, 50, 3_600_000),
      timeoutMs: int('HEALTH_CHECK_TIMEOUT_MS', 2000, 10, 60_000),
    },
    shutdownDrainDelayMs: int('SHUTDOWN_DRAIN_DELAY_MS', mode === 'production' ? 5000 : 0, 0, 600_000),
    commit: str('GIT_COMMIT', 'unknown'),
    security: securityConfig(env, mode, problems),
  };
  if (config.shutdownDrainDelayMs + config.requestDeadlineMs > config.shutdownTimeoutMs) {
    problems.push(
      `SHUTDOWN_TIMEOUT_MS (${config.shutdownTimeoutMs}) must cover SHUTDOWN_DRAIN_DELAY_MS (${config.shutdownDrainDelayMs}) plus REQUEST_DEADLINE_MS (${config.requestDeadlineMs}), or in-flight requests are cut off`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
