import type { TLSSocket } from 'node:tls';
import type { ApolloServer } from '@apollo/server';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Security } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { DataSources } from '../datasources/index.js';
import { createAuditSink } from '../observability/audit-sink.js';
import type { Logger } from '../observability/logger.js';
import { createApollo, type ApolloSecurity, type GatewayContext } from './apollo.js';
import { listen, listenerOptions } from './listener.js';
import { managementApp } from './management.js';
import { Operations } from './operations.js';
import { developmentExamples } from './dev-examples.js';
import { graphiqlPlugin } from './plugins/graphiql.js';
import { graphqlRoutePlugin, type GraphqlRouteOptions } from './plugins/graphql-route.js';
import { httpErrorsPlugin, type HttpErrorsOptions } from './plugins/http-errors.js';
import { identityPlugin, type IdentityOptions } from './plugins/identity.js';
import { imagesPlugin, type ImagesOptions } from './plugins/images.js';
import { ImageLinks } from '../auth/image-links.js';
import { rateLimitPlugin, type RateLimitOptions } from './plugins/rate-limit.js';
import { accessPathOf, ledgerGatePlugin, ledgerRefusalsPlugin, type LedgerRefusalsOptions } from './plugins/ledger.js';
import { createLedger, type Ledger } from '../ledger/index.js';
import { requestTelemetryPlugin, type RequestTelemetryOptions } from './plugins/request-telemetry.js';
import { trustedDocumentsPlugin, type TrustedDocumentsOptions } from './plugins/trusted-documents.js';
import { declarationsPlugin, onBehalfOf } from './plugins/declarations.js';
import { documentsDirFor, keepTrustedDocumentsCurrent, TrustedDocuments } from '../auth/trusted-documents.js';
import { shutDown } from './shutdown.js';
import { bindTelemetry, scopeOf } from './telemetry.js';
import { buildSchema } from './schema.js';
import { useCursorKey } from '../resolvers/pagination.js';

export interface RunningGateway {
  consumerUrl: string;
  managementUrl: string;
  devUrl: string | null;
  stop(): Promise<void>;
}

export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const ops = new Operations(config, logger);
  const { health } = ops;
  const management = managementApp(health, logger);
  const managementUrl = await listen(management, config.managementListener, 'http');

  const baseSchema = buildSchema();
  // Identity, policy (reloadable), execution-time authorisation, query limits and audit: src/auth.
  const security = new Security({ ...config.security, policyFile: config.policyFile, mode: config.mode }, baseSchema, logger, {
    observer: ops.authObserver,
  });
  const audit = createAuditSink(config.security.audit.sink);
  // The disclosure ledger: PostgreSQL when configured, else the audit sink (local development).
  const ledger = await createLedger(config.ledger, audit, logger, {
    backlog: (n) => ops.metrics.ledgerBacklog.set(n),
    writeFailed: () => ops.metrics.ledgerWriteFailures.inc(),
  });
  const apolloSecurity: ApolloSecurity = { limits: security.limits, maxTokens: config.security.limits.maxTokens, audit, ledger };
  const dataSources = new DataSources(config, logger, ops.metrics);
  // The consumers' trusted documents (documents/ beside the policy file), reloaded like the policy.
  const documents = new TrustedDocuments(documentsDirFor(config.policyFile));
  const documentsKeeper = keepTrustedDocumentsCurrent(documents, {
    logger,
    watch: config.security.policyWatch,
    onReload: (outcome) => ops.metrics.trustedDocumentReloads.inc({ outcome }),
  });
  const imageLinks = new ImageLinks(config.images.linkKey, config.images.linkTtlSeconds);
  // Page cursors are keyed with a key derived from the same shared secret (src/resolvers/pagination.ts).
  useCursorKey(config.images.linkKey);
  if (config.images.linkKeyGenerated && config.mode === 'production') {
    logger.warn({ event: 'images-config' }, 'IMAGE_LINK_KEY is not set: photograph links and page cursors work only on the replica that made them, until it restarts');
  }

  const serve: Serve = (app, listener) =>
    serveGraphql(app, listener, { config, logger, ops, security, dataSources, apolloSecurity, ledger, documents, imageLinks });

  const consumerApp = consumerListener(config, logger);
  const consumerApollo = await serve(consumerApp, {
    sandbox: false,
    identify: (request) => security.authenticate(request.raw.socket as TLSSocket, request.headers, request.telemetry?.scope),
  });
  const consumerUrl = await listen(consumerApp, config.consumerListener, 'https');

  const dev = config.devListener.enabled ? await startDevListener(config, logger, security, serve) : null;

  await ops.start({ schema: baseSchema, policyHash: () => security.policy.hash, upstreams: dataSources });
  health.ready = true;
  let stopping: Promise<void> | null = null;
  return {
    consumerUrl,
    managementUrl,
    devUrl: dev?.url ?? null,
    stop() {
      stopping ??= shutDown({
        health,
        drainDelayMs: config.shutdownDrainDelayMs,
        logger,
        closeListeners: [() => consumerApp.close(), ...(dev ? [() => dev.app.close()] : [])],
        release: [
          () => Promise.allSettled([consumerApollo.stop(), dev?.apollo.stop()]),
          () => dataSources.close(),
          () => ops.stop(),
          () => management.close(),
          () => security.close(),
          () => ledger.close(),
          () => audit.close(),
          () => documentsKeeper.close(),
        ],
      });
      return stopping;
    },
  };
}

/** How a listener identifies its callers; everything else about serving GraphQL is shared. */
interface ListenerKind {
  /** The development listener: Apollo Sandbox's page, and introspection always allowed (fields still follow the policy). */
  sandbox: boolean;
  identify: IdentityOptions['identify'];
}

type Serve = (app: FastifyInstance, listener: ListenerKind) => Promise<ApolloServer<GatewayContext>>;

/** Apollo and the request pipeline on one listener. */
async function serveGraphql(
  app: FastifyInstance,
  listener: ListenerKind,
  deps: {
    config: Config;
    logger: Logger;
    ops: Operations;
    security: Security;
    dataSources: DataSources;
    apolloSecurity: ApolloSecurity;
    ledger: Ledger;
    documents: TrustedDocuments;
    imageLinks: ImageLinks;
  },
): Promise<ApolloServer<GatewayContext>> {
  const { config, logger, ops, security, dataSources, apolloSecurity, ledger, documents, imageLinks } = deps;
  const apollo = createApollo(security.schema, logger, {
    sandbox: listener.sandbox,
    security: apolloSecurity,
    plugins: [fastifyApolloDrainPlugin(app), ops.apolloPlugin()],
  });
  await apollo.start();
  const contextFor = (request: FastifyRequest): GatewayContext => {
    const granted = security.contextFor(request.consumer!, { introspectionAllowed: listener.sandbox });
    return bindTelemetry(
      {
        ...granted,
        requestId: String(request.id),
        traceId: request.telemetry?.trace.traceId,
        loaders: dataSources.forRequest(scopeOf(request), granted.rowFilters),
        partialErrors: [],
        imageLinks: { linkFor: (prisonNumber: string, imageId: string) => imageLinks.linkFor(request.consumer!.name, prisonNumber, imageId) },
        ledger: {
          accessPath: accessPathOf(request, listener.sandbox),
          onBehalfOf: onBehalfOf(request),
          document: () => request.telemetry?.document ?? null,
          requestPurpose: request.requestPurpose,
          recorded: () => {
            request.ledgerRecorded = true;
          },
        },
      },
      request,
    );
  };
  registerRequestPipeline(app, {
    errors: { logger, maxRequestBytes: config.security.limits.maxRequestBytes },
    telemetry: { metrics: ops.metrics, deadlineMs: config.requestDeadlineMs },
    identity: { security, identify: listener.identify },
    rateLimit: { limiter: ops.limiter, rateFor: (consumer) => ops.rateOr(security.policy.consumer(consumer)?.rateLimit) },
    ledger: { ledger, developmentListener: listener.sandbox },
    documents: { documents, metrics: ops.metrics, logger, allowGetOperations: config.security.allowGetOperations },
    images: { links: imageLinks, dataSources, ledger, maxBytes: config.images.maxBytes, developmentListener: listener.sandbox },
    graphql: { apollo, contextFor, allowGetOperations: config.security.allowGetOperations },
  });
  return apollo;
}

/**
 * The way a request goes through a listener, top to bottom: hooks of one kind run in the order
 * their plugins are registered here.
 */
function registerRequestPipeline(
  app: FastifyInstance,
  steps: {
    errors: HttpErrorsOptions;
    telemetry: RequestTelemetryOptions;
    identity: IdentityOptions;
    rateLimit: RateLimitOptions;
    ledger: LedgerRefusalsOptions;
    documents: TrustedDocumentsOptions;
    images: ImagesOptions;
    graphql: GraphqlRouteOptions;
  },
): void {
  app.register(httpErrorsPlugin, steps.errors); //              unreadable, too large or unknown path -> one error body
  app.register(requestTelemetryPlugin, steps.telemetry); //     X-Request-Id, trace, deadline, the access line
  app.register(ledgerRefusalsPlugin, steps.ledger); //          a ledger record for every request refused on the way (with the refusing step's code)
  app.register(identityPlugin, steps.identity); //              who is calling, or refused (auth's answer)
  app.register(rateLimitPlugin, steps.rateLimit); //            the consumer's budget
  app.register(ledgerGatePlugin, steps.ledger); //              refused while the ledger cannot record (LEDGER_ON_ERROR=closed)
  app.register(declarationsPlugin); //                          x-purpose and x-on-behalf-of, as the consumer's policy requires them
  app.register(trustedDocumentsPlugin, steps.documents); //     documentId -> text; unregistered documents per the consumer's mode, before parsing
  app.register(imagesPlugin, steps.images); //                  GET /images/{id}: a photograph behind a short-lived link (ADR 0018)
  app.register(graphqlRoutePlugin, steps.graphql); //           Apollo: limits and grants gate, shield, resolvers, audit
}

function consumerListener(config: Config, logger: Logger): FastifyInstance {
  const { tls } = config.consumerListener;
  return Fastify({
    https: {
      key: tls.key,
      cert: tls.cert,
      ca: tls.consumerCa,
      requestCert: true,
      // The handshake completes for any certificate so that a refusal can be logged with its reason
      // and answered with a 401; the identity plugin refuses every unverified one.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    ...listenerOptions(logger, 'consumer'),
    bodyLimit: config.security.limits.maxRequestBytes,
    // While draining, a request that still arrives on an accepted connection is served (with
    // `Connection: close`), not refused with 503: it is in flight as far as its client knows.
    return503OnClosing: false,
  }) as unknown as FastifyInstance;
}

/**
 * Development only: plain HTTP on loopback with a fixed consumer, so Apollo Sandbox works without a
 * client certificate. Config refuses it in production and off loopback. The same pipeline as the
 * consumer listener; only identity differs.
 */
async function startDevListener(
  config: Config,
  logger: Logger,
  security: Security,
  serve: Serve,
) {
  const name = config.devListener.consumer;
  if (!security.policy.consumer(name)) {
    throw new Error(`DEV_CONSUMER "${name}" is not a consumer in the policy file ${config.policyFile}`);
  }
  const app = Fastify({
    ...listenerOptions(logger, 'development'),
    bodyLimit: config.security.limits.maxRequestBytes,
  }) as unknown as FastifyInstance;
  const apollo = await serve(app, { sandbox: true, identify: (request) => security.authenticateDevelopment(name, request.headers) });
  app.register(graphiqlPlugin, { examples: developmentExamples() }); // offline GraphiQL at /graphiql (ADR 12)
  app.get('/', (_req, reply) => reply.redirect('/graphql'));
  const url = await listen(app, config.devListener, 'http');
  return { app, apollo, url };
}
