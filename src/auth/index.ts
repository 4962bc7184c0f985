import type { TLSSocket } from 'node:tls';
import type { GraphQLSchema } from 'graphql';
import type { SecurityConfig } from '../config/security.js';
import type { RowFilters } from '../domain/visibility.js';
import type { LogContext } from '../observability/log-context.js';
import type { Logger } from '../observability/logger.js';
import { ApiKeyThrottle } from './api-keys.js';
import { hidesLimitedAccess, type CriterionName } from './criteria.js';
import { AuditCollector, auditHashKey } from './audit.js';
import { Authenticator, checkClientCertificate, type AuthObserver, type AuthResult, type Consumer, type PeerCertificate } from './consumer.js';
import type { QueryLimits } from './gate.js';
import type { Policy } from './policy.js';
import { PolicyStore } from './policy-store.js';
import { refusalResponse, type Refusal, type RefusalLog } from './refusal.js';
import { applyAuthorisation, needsLimitedAccessTracking, preAuthorisedFor, schemaSecurityFacts, type RequestSecurity } from './shield.js';

export type { AuthObserver, Consumer } from './consumer.js';
export type { Refusal } from './refusal.js';
export type { SecurityContext } from './shield.js';

/** The security context fields of one GraphQL request. */
export interface RequestSecurityContext {
  consumer: Consumer;
  rowFilters: RowFilters;
  security: RequestSecurity;
  searchHidesLimitedAccess(criteria: readonly string[], includeAliases: boolean): boolean;
  /** Whether the consumer's policy grants this schema coordinate (for grants that widen what a field fetches). */
  granted(coordinate: string): boolean;
}

/**
 * Everything the security layer gives the server: the policy (reloadable), the schema with
 * execution-time authorisation, request authentication, per-request context and the Apollo settings
 * (query limits, audit sink).
 */
export class Security {
  private readonly store: PolicyStore;
  readonly schema: GraphQLSchema;
  private readonly authenticator: Authenticator;
  private readonly peers = new WeakMap<TLSSocket, PeerCertificate>();
  private readonly facts;
  private readonly hashKey: Buffer;

  constructor(
    private readonly config: SecurityConfig & { policyFile: string; mode: string },
    baseSchema: GraphQLSchema,
    logger: Logger,
    options: { observer?: AuthObserver } = {},
  ) {
    const log = logger.child({ component: 'security' });
    this.store = new PolicyStore(config.policyFile, baseSchema, log, {
      reservedNames: config.identity.trustedProxyCommonNames,
      onReload: (outcome) => options.observer?.policyReloaded?.(outcome),
    });
    this.schema = applyAuthorisation(baseSchema, { logger: log });
    this.facts = schemaSecurityFacts(baseSchema);
    this.authenticator = new Authenticator({
      trustedProxyCommonNames: config.identity.trustedProxyCommonNames,
      expiryWarningDays: config.identity.certificateExpiryWarningDays,
      throttle: new ApiKeyThrottle({
        maxFailures: config.apiKeys.maxFailures,
        windowMs: config.apiKeys.failureWindowMs,
        lockoutMs: config.apiKeys.lockoutMs,
      }),
      observer: options.observer,
      logger: log,
    });
    this.hashKey = auditHashKey(config.audit.hashKey);
    if (config.audit.hashKey === null && config.mode === 'production') {
      log.warn({ event: 'audit-config' }, 'AUDIT_HASH_KEY is not set: search criteria in audit events are hashed with a key that changes on restart');
    }
    if (config.policyWatch) this.store.watch();
    else process.on('SIGHUP', this.reloadOnSignal);
  }

  private readonly reloadOnSignal = () => this.store.reload('signal');

  /** The policy in force now (a request keeps the one it started with, through its Consumer). */
  get policy(): Policy {
    return this.store.current;
  }

  get limits(): QueryLimits {
    return this.config.limits;
  }

  /**
   * Authenticates a consumer-listener request: the TLS handshake result (once per connection),
   * then identity headers, revocation, expiry, policy entry, API key and suspension.
   */
  authenticate(socket: TLSSocket, headers: Record<string, string | string[] | undefined>, context?: Partial<LogContext>): AuthResult {
    let peer = this.peers.get(socket);
    if (!peer) {
      peer = checkClientCertificate(socket);
      this.peers.set(socket, peer);
    }
    return this.authenticator.authenticate(peer, headers, this.store.current, context);
  }

  /**
   * The fixed consumer of the development listener (no certificate), from the policy in force: a
   * reload that removes or suspends it takes effect at once.
   */
  authenticateDevelopment(name: string, headers: Record<string, string | string[] | undefined>): AuthResult {
    return this.authenticator.authenticateDevelopment(name, headers, this.store.current);
  }

  /** Logs a refusal and says how to answer it (status, headers, body): auth owns its refusals. */
  refuse(refused: Refusal, log: RefusalLog, remoteAddress: string) {
    return refusalResponse(refused, log, remoteAddress);
  }

  /** Per-request context: row filters, the pre-authorised coordinates, the audit collector. */
  contextFor(consumer: Consumer, options: { introspectionAllowed?: boolean } = {}): RequestSecurityContext {
    const { grant } = consumer;
    return {
      consumer,
      rowFilters: grant.rowFilters,
      searchHidesLimitedAccess: (criteria, includeAliases) => hidesLimitedAccess(grant, { names: criteria as CriterionName[], includeAliases }),
      granted: (coordinate) => grant.coordinates.has(coordinate),
      security: {
        preAuthorised: preAuthorisedFor(grant, this.facts),
        introspectionAllowed: options.introspectionAllowed === true,
        audit: new AuditCollector(this.hashKey),
        limitedAccessByPath: needsLimitedAccessTracking(grant) ? new Map() : null,
      },
    };
  }

  close(): void {
    this.store.close();
    process.off('SIGHUP', this.reloadOnSignal);
  }
}
