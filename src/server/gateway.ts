import type { TLSSocket } from 'node:tls';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { refusalBody, Security, type Consumer } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { DataSources } from '../datasources/index.js';
import type { Logger } from '../observability/logger.js';
import { notFound } from '../resolvers/errors.js';
import { createApollo, httpErrorHandler, notFoundHandler, type ApolloSecurity, type GatewayContext } from './apollo.js';
import { listen, listenerOptions } from './listener.js';
import { managementApp, type Health } from './management.js';
import { Operations } from './operations.js';
import { shutDown } from './shutdown.js';
import { bindTelemetry, scopeOf } from './telemetry.js';
import { buildSchema } from './schema.js';

export interface RunningGateway {
  consumerUrl: string;
  managementUrl: string;
  devUrl: string | null;
  stop(): Promise<void>;
}

const GRAPHQL_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const health: Health = { ready: false, startedAt: new Date().toISOString(), version: config.version };
  const ops = new Operations(config, logger, health);
  const management = managementApp(health, logger);
  const managementUrl = await listen(management, config.managementListener, 'http');

  const baseSchema = buildSchema();
  // Identity, policy (reloadable), execution-time authorisation, query limits and audit: src/auth.
  const security = new Security(
    { ...config.security, policyFile: config.policyFile, mode: config.mode },
    baseSchema,
    logger,
    { notFound, observer: ops.authObserver },
  );
  const schema = security.schema;
  const apolloSecurity: ApolloSecurity = { limits: security.limits, maxTokens: config.security.limits.maxTokens, audit: security.audit };
  health.policyHash = () => security.policy.hash;
  const rateFor = (name: string) => security.policy.consumer(name)?.rateLimit ?? undefined;
  const dataSources = new DataSources(config, logger, ops.metrics);
  const contextFor = (consumer: Consumer, request: FastifyRequest, introspectionAllowed = false): GatewayContext =>
    bindTelemetry(
      {
        ...security.contextFor(consumer, { introspectionAllowed }),
        requestId: String(request.id),
        loaders: dataSources.forRequest(scopeOf(request)),
      },
      request,
    );

  const consumerApp = consumerListener(config, logger);
  const consumerApollo = createApollo(schema, logger, {
    sandbox: false,
    security: apolloSecurity,
    plugins: [fastifyApolloDrainPlugin(consumerApp), ops.plugin()],
  });
  await consumerApollo.start();
  ops.instrument(consumerApp, rateFor);
  // Refused before GraphQL runs: certificate, proxy headers, revocation, expiry, API key, suspension.
  consumerApp.addHook('onRequest', async (request, reply) => {
    const result = security.authenticate(request.raw.socket as TLSSocket, request.headers);
    if (result.ok) {
      request.consumer = result.consumer;
      request.consumerName = result.consumer.name;
      return;
    }
    const { refusal } = result;
    const certificateProblem = refusal.reason.startsWith('CERTIFICATE') || refusal.reason === 'NO_CLIENT_CERTIFICATE';
    request.log.warn(
      { event: 'auth-refused', reason: refusal.reason, detail: refusal.detail, consumer: refusal.consumer, remoteAddress: request.ip },
      certificateProblem ? 'client certificate refused' : 'request refused',
    );
    if (refusal.retryAfterSeconds !== undefined) void reply.header('retry-after', String(refusal.retryAfterSeconds));
    return reply.code(refusal.status).send(refusalBody(refusal));
  });
  consumerApp.route({
    url: '/graphql',
    method: [...GRAPHQL_METHODS],
    handler: fastifyApolloHandler(consumerApollo, {
      context: async (request) => contextFor(request.consumer!, request),
    }),
  });
  const consumerUrl = await listen(consumerApp, config.consumerListener, 'https');

  const dev = config.devListener.enabled ? await startDevListener(config, logger, schema, security, apolloSecurity, contextFor, ops) : null;

  await ops.start(baseSchema);
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
        ],
      });
      return stopping;
    },
  };
}

function consumerListener(config: Config, logger: Logger): FastifyInstance {
  const { tls } = config.consumerListener;
  const app = Fastify({
    https: {
      key: tls.key,
      cert: tls.cert,
      ca: tls.consumerCa,
      requestCert: true,
      // The handshake completes for any certificate so that a refusal can be logged with its reason
      // and answered with a 401; the onRequest hook refuses every unverified one.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    ...listenerOptions(logger, 'consumer'),
    bodyLimit: config.security.limits.maxRequestBytes,
    // While draining, a request that still arrives on an accepted connection is served (with
    // `Connection: close`), not refused with 503: it is in flight as far as its client knows.
    return503OnClosing: false,
  }) as unknown as FastifyInstance;
  app.setErrorHandler(httpErrorHandler(logger, config.security.limits.maxRequestBytes));
  app.setNotFoundHandler(notFoundHandler);
  return app;
}

/**
 * Development only: plain HTTP on loopback with a fixed consumer, so Apollo Sandbox works without a
 * client certificate. Config refuses it in production and off loopback.
 */
async function startDevListener(
  config: Config,
  logger: Logger,
  schema: GraphQLSchema,
  security: Security,
  apolloSecurity: ApolloSecurity,
  contextFor: (consumer: Consumer, request: FastifyRequest, introspectionAllowed?: boolean) => GatewayContext,
  ops: Operations,
) {
  const name = config.devListener.consumer;
  if (!security.devConsumer(name)) {
    throw new Error(`DEV_CONSUMER "${name}" is not a consumer in the policy file ${config.policyFile}`);
  }
  const app = Fastify({
    ...listenerOptions(logger, 'development'),
    bodyLimit: config.security.limits.maxRequestBytes,
  }) as unknown as FastifyInstance;
  app.setErrorHandler(httpErrorHandler(logger, config.security.limits.maxRequestBytes));
  const apollo = createApollo(schema, logger, { sandbox: true, security: apolloSecurity, plugins: [fastifyApolloDrainPlugin(app), ops.plugin()] });
  await apollo.start();
  // Introspection is always allowed here (Apollo Sandbox needs it); fields still follow the policy.
  const handler = fastifyApolloHandler(apollo, { context: async (request) => contextFor(request.consumer!, request, true) });
  app.addHook('onRequest', async (request, reply) => {
    // The policy in force now: a reload that removes the development consumer takes effect at once.
    const consumer = security.devConsumer(name);
    if (!consumer) return reply.code(403).send({ errors: [{ message: `DEV_CONSUMER "${name}" is not in the policy.`, extensions: { code: 'FORBIDDEN' } }] });
    request.consumer = consumer;
    request.consumerName = consumer.name;
  });
  ops.instrument(app, (consumer) => security.policy.consumer(consumer)?.rateLimit ?? undefined);
  app.route({ url: '/graphql', method: [...GRAPHQL_METHODS], handler });
  app.get('/', (_req, reply) => reply.redirect('/graphql'));
  const url = await listen(app, config.devListener, 'http');
  return { app, apollo, url };
}

declare module 'fastify' {
  interface FastifyRequest {
    consumerName?: string;
    /** Set once the request is authenticated (src/auth). */
    consumer?: Consumer;
  }
}
