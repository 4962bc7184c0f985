import { afterAll, beforeAll } from '@jest/globals';
import { createTestCertificates, type TestCertificates } from './certs.js';
import { gatewayEnv, startGatewayProcess, type GatewayHandle } from './gateway.js';
import { startSimulators, type SimulatorHandle } from './simulators.js';

/** Test certificates, the simulators and a gateway process talking to them. */
export interface GatewayStack {
  certs: TestCertificates;
  sims: SimulatorHandle;
  gateway: GatewayHandle;
}

/**
 * For a test file that needs one gateway with the default configuration: registers a `beforeAll`
 * that creates test certificates, starts the simulators (`population`, default 2,000) and the gateway
 * process, and an `afterAll` that stops both by PID and removes the certificates. The returned
 * object's fields are set once `beforeAll` has run.
 */
export function useGatewayStack(opts: { population?: number; timeoutMs?: number } = {}): GatewayStack {
  const stack = {} as Partial<GatewayStack>;
  beforeAll(async () => {
    stack.certs = createTestCertificates();
    stack.sims = await startSimulators({ population: opts.population ?? 2000, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    stack.gateway = await startGatewayProcess(gatewayEnv(stack.sims, stack.certs));
  }, (opts.timeoutMs ?? 30_000) + 30_000);
  afterAll(async () => {
    await stack.gateway?.stop();
    await stack.sims?.stop();
    stack.certs?.remove();
  });
  return stack as GatewayStack;
}
