import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

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

export interface UpstreamConfig {
  baseUrl: string;
  timeoutMs: number;
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
  const int = (name: string, fallback: number, min = 0, max = 65535): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
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
  const upstreamTimeoutMs = int('UPSTREAM_TIMEOUT_MS', 5000, 1, 120_000);
  const upstreams = Object.fromEntries(
    UPSTREAMS.map((name) => [name, { baseUrl: url(UPSTREAM_URL_VARS[name]), timeoutMs: upstreamTimeoutMs }]),
  ) as Record<UpstreamName, UpstreamConfig>;

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
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
