import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './observability/logger.js';
import { startGateway } from './server/gateway.js';

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`person-graph: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

const logger = createLogger(config.logLevel);

// A promise rejected with nobody waiting is a bug in one request's handling: log it loudly (the
// "bug" alert watches error logs) but keep serving every other request rather than crash the replica.
process.on('unhandledRejection', (reason) => {
  logger.error({ event: 'unhandled-rejection', err: reason instanceof Error ? { type: reason.name, message: reason.message, stack: reason.stack } : String(reason) }, 'unhandled promise rejection (a bug)');
});

try {
  const gateway = await startGateway(config, logger);
  logger.info(
    { event: 'ready', mode: config.mode, consumerUrl: gateway.consumerUrl, managementUrl: gateway.managementUrl, devUrl: gateway.devUrl },
    'person-graph ready',
  );
  const shutdown = (signal: string) => {
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ event: 'shutdown-timeout' }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    gateway.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (e) {
  logger.fatal({ err: e }, `person-graph failed to start: ${(e as Error).message}`);
  process.exit(1);
}
