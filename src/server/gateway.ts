import type { TLSSocket } from 'node:tls';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { applyMiddleware } from 'graphql-middleware';
import { checkClientCertificate, consumerFor, type CertificateCheck, type Consumer } from '../auth/consumer.js';
import { loadPolicy, type Policy } from '../auth/policy.js';
import { policyShield } from '../auth/shield.js';
import type { Config } from '../config/index.js';
import { DataSources } from '../datasources/index.js';
import { NO_ROW_FILTERS } from '../domain/visibility.js';
import type { Logger } from '../observability/logger.js';
import { createApollo, type GatewayContext } from './apollo.js';
import { listen, listenerOptions } from './listener.js';
import { managementApp, type Health } from './management.js';
import { buildSchema } from './schema.js';

export interface RunningGateway {
  consumerUrl: string;
  managementUrl: string;
  devUrl: string | null;
  stop(): Promise<void>;
}

const GRAPHQL_METHODS = ['GET', 'POST', 'OPTIONS'] as const;

function unauthenticated(message: string) {
  return { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] };
}

export async function startGateway(config: Config, logger: Logger): Promise<RunningGateway> {
  const health: Health = { ready: false, startedAt: new Date().toISOString(), version: config.version };
  const management = managementApp(health, logger);
  const managementUrl = await listen(management, config.managementListener, 'http');

  const baseSchema = buildSchema();
  const policy = loadPolicy(config.policyFile, baseSchema);
  const schema = applyMiddleware(baseSchema, policyShield(baseSchema));
  const dataSources = new DataSources(config, logger);
  const contextFor = (consumer: Consumer, requestId: string): GatewayContext => ({
    consumer,
    requestId,
    loaders: dataSources.forRequest({ requestId }),
    // Row filters come with the full policy model (consumer filters); until then nobody is filtered.
    rowFilters: NO_ROW_FILTERS,
  });

  const consumerApp = consumerListener(config, logger);
  const consumerApollo = createApollo(schema, logger, { sandbox: false, plugins: [fastifyApolloDrainPlugin(consumerApp)] });
  await consumerApollo.start();
  addAccessLog(consumerApp);
  const certificateChecks = new WeakMap<TLSSocket, CertificateCheck>();
  consumerApp.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket as TLSSocket;
    let check = certificateChecks.get(socket);
    if (!check) {
      check = checkClientCertificate(socket);
      certificateChecks.set(socket, check);
    }
    if (check.ok) {
      request.consumerName = check.commonName;
      return;
    }
    request.log.warn(
      { reason: check.reason, presentedCommonName: check.presentedCommonName, remoteAddress: request.ip },
      'client certificate refused',
    );
    return reply.code(401).send(unauthenticated('A client certificate issued to you by the service is required.'));
  });
  consumerApp.route({
    url: '/graphql',
    method: [...GRAPHQL_METHODS],
    handler: fastifyApolloHandler(consumerApollo, {
      context: async (request) => contextFor(consumerFor(request.consumerName ?? '', policy), String(request.id)),
    }),
  });
  const consumerUrl = await listen(consumerApp, config.consumerListener, 'https');

  const dev = config.devListener.enabled ? await startDevListener(config, logger, schema, policy, contextFor) : null;

  health.ready = true;
  let stopping: Promise<void> | null = null;
  return {
    consumerUrl,
    managementUrl,
    devUrl: dev?.url ?? null,
    stop() {
      stopping ??= (async () => {
        health.ready = false;
        await Promise.allSettled([consumerApp.close(), dev?.app.close()]);
        await Promise.allSettled([consumerApollo.stop(), dev?.apollo.stop()]);
        dataSources.close();
        await management.close();
      })();
      return stopping;
    },
  };
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
      // and answered with a 401; the onRequest hook refuses every unverified one.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    ...listenerOptions(logger, 'consumer'),
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
}

/**
 * Development only: plain HTTP on loopback with a fixed consumer, so Apollo Sandbox works without a
 * client certificate. Config refuses it in production and off loopback.
 */
async function startDevListener(
  config: Config,
  logger: Logger,
  schema: ReturnType<typeof applyMiddleware>,
  policy: Policy,
  contextFor: (consumer: Consumer, requestId: string) => GatewayContext,
) {
  const consumer = consumerFor(config.devListener.consumer, policy);
  if (!consumer.grant) {
    throw new Error(`DEV_CONSUMER "${consumer.name}" is not a consumer in the policy file ${config.policyFile}`);
  }
  const app = Fastify(listenerOptions(logger, 'development')) as unknown as FastifyInstance;
  const apollo = createApollo(schema, logger, { sandbox: true, plugins: [fastifyApolloDrainPlugin(app)] });
  await apollo.start();
  const handler = fastifyApolloHandler(apollo, { context: async (request) => contextFor(consumer, String(request.id)) });
  addAccessLog(app);
  app.addHook('onRequest', async (request) => {
    request.consumerName = consumer.name;
  });
  app.route({ url: '/graphql', method: [...GRAPHQL_METHODS], handler });
  app.get('/', (_req, reply) => reply.redirect('/graphql'));
  const url = await listen(app, config.devListener, 'http');
  return { app, apollo, url };
}

/**
 * One access line per request: request id, consumer, status and duration. Never the query's
 * variables or the response (person data stays out of logs). The request id goes back in
 * `X-Request-Id` so a consumer can quote it.
 */
function addAccessLog(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        event: 'access',
        requestId: request.id,
        consumer: request.consumerName ?? null,
        method: request.method,
        url: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    consumerName?: string;
  }
}
