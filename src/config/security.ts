import { EnvReader, readInt, type Env } from './env.js';

/**
 * Security configuration (identity, API keys, query limits, audit), read with the rest of the
 * configuration in loadConfig. Every limit has a safe default; see README.md (Configuration).
 */

export interface SecurityConfig {
  identity: {
    /** CNs of the trusted proxy's own client certificates; empty = no proxy mode. */
    trustedProxyCommonNames: string[];
    /** Certificates expiring within this many days are logged as a warning. */
    certificateExpiryWarningDays: number;
  };
  apiKeys: { maxFailures: number; failureWindowMs: number; lockoutMs: number };
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxRootFields: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    costListSize: number;
    maxRequestBytes: number;
  };
  audit: {
    /** `stdout`, `stderr`, `file:<path>` or `off` (not in production). */
    sink: string;
    /** Key for the keyed hashes of search criteria; null = random per process (logged as a warning in production). */
    hashKey: string | null;
  };
  /** Reload the policy when its file changes (SIGHUP always reloads). */
  policyWatch: boolean;
  /** Operations over GET (`/graphql?query=...`): off by default, since URLs end up in logs. */
  allowGetOperations: boolean;
}

export function securityConfig(env: Env, mode: 'production' | 'development' | 'test', problems: string[]): SecurityConfig {
  const int = (name: string, fallback: number, min: number, max: number): number => readInt(env, problems, name, fallback, min, max);
  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');

  const sink = env.AUDIT_SINK?.trim() || 'stdout';
  if (!['stdout', 'stderr', 'off'].includes(sink) && !/^file:.+/.test(sink)) {
    problems.push(`AUDIT_SINK must be stdout, stderr, file:<path> or off (got "${sink}")`);
  }
  if (sink === 'off' && mode === 'production') problems.push('AUDIT_SINK=off is not allowed in production');
  const hashKey = env.AUDIT_HASH_KEY?.trim() || null;
  if (hashKey !== null && hashKey.length < 32) problems.push('AUDIT_HASH_KEY must be at least 32 characters');
  const watch = env.POLICY_WATCH?.trim().toLowerCase();
  if (watch && !['true', 'false'].includes(watch)) problems.push(`POLICY_WATCH must be true or false (got "${watch}")`);

  return {
    identity: {
      trustedProxyCommonNames: list('TRUSTED_PROXY_CNS'),
      certificateExpiryWarningDays: int('CERT_EXPIRY_WARNING_DAYS', 30, 0, 3650),
    },
    apiKeys: {
      maxFailures: int('API_KEY_MAX_FAILURES', 5, 1, 1000),
      failureWindowMs: int('API_KEY_FAILURE_WINDOW_SECONDS', 60, 1, 86_400) * 1000,
      lockoutMs: int('API_KEY_LOCKOUT_SECONDS', 300, 1, 86_400) * 1000,
    },
    limits: {
      maxDepth: int('MAX_QUERY_DEPTH', 10, 1, 100),
      maxAliases: int('MAX_QUERY_ALIASES', 25, 0, 1000),
      maxRootFields: int('MAX_QUERY_ROOT_FIELDS', 25, 1, 1000),
      maxDirectives: int('MAX_QUERY_DIRECTIVES', 20, 0, 1000),
      maxTokens: int('MAX_QUERY_TOKENS', 3000, 100, 100_000),
      maxCost: int('MAX_QUERY_COST', 100_000, 1, 10_000_000),
      costListSize: int('QUERY_COST_LIST_SIZE', 5, 1, 1000),
      maxRequestBytes: int('MAX_REQUEST_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    },
    audit: { sink, hashKey },
    policyWatch: watch !== 'false',
    allowGetOperations: new EnvReader(env, problems).bool('ALLOW_GET_OPERATIONS', false),
  };
}
