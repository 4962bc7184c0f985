import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates, type ServerCertificateFiles, type TestCertificates } from '../../local-stack/certs.js';
import { gatewayEnv, startGatewayProcess, type GatewayHandle } from '../../local-stack/gateway.js';
import { startSimulators, type SimulatorHandle } from '../../local-stack/simulators.js';

/** A certificate set the stack can hand to the gateway and remove afterwards. */
export type StackCertificates = ServerCertificateFiles & { ca: string; remove(): void };

export interface GatewayStackOptions<C extends StackCertificates, P extends { file: string }> {
  /** People the simulators make (default 2,000). */
  population?: number;
  /** Extra simulator command-line options, e.g. ['--fault', 'alerts:latencyMs=200']. */
  simulatorArgs?: string[];
  /** How long the simulators, and each gateway, may take to start (a gateway at least 45 s: a loaded CI machine compiles it slowly; the `beforeAll` gets twice this and 30 s more). */
  timeoutMs?: number;
  /** Makes the certificates (default `createTestCertificates`; the security tests make their own set). */
  certificates?: () => C;
  /**
   * Writes the policy every gateway of this stack loads into `dir` (a scratch folder removed in
   * `afterAll`) and returns it; default: policy/development.yaml.
   */
  policy?: (dir: string, certs: C) => P;
  /** Environment for every gateway of this stack, over `gatewayEnv` (e.g. timeouts, log level). */
  env?: Record<string, string>;
  /**
   * The gateways started in `beforeAll`, each with its extra environment over `env`: `stack.gateways`
   * in this order, `stack.gateway` is the first. Default one gateway; `[]` for none.
   */
  gateways?: Array<Record<string, string>>;
}

/** Test certificates, the simulators and the gateway processes talking to them. */
export interface GatewayStack<C extends StackCertificates = TestCertificates, P extends { file: string } = { file: string }> {
  certs: C;
  sims: SimulatorHandle;
  policy: P;
  /** The first of `gateways`. */
  gateway: GatewayHandle;
  gateways: GatewayHandle[];
  /** The whole environment a gateway of this stack gets, with `extra` over it. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Starts one more gateway of this stack (with `extra` environment), stopped by PID in `afterAll`. */
  startGateway(extra?: Record<string, string>): Promise<GatewayHandle>;
}

/**
 * The one fixture for test files that need the whole stack: registers a `beforeAll` that creates the
 * certificates, writes the policy, starts the simulators and the gateway processes, and an `afterAll`
 * that stops every gateway and the simulators by PID and removes the certificates and scratch folder.
 * The returned object's fields are set once `beforeAll` has run.
 */
export function useGatewayStack<C extends StackCertificates = TestCertificates, P extends { file: string } = { file: string }>(
  opts: GatewayStackOptions<C, P> = {},
): GatewayStack<C, P> {
  const started: GatewayHandle[] = [];
  let dir: string | undefined;
  const stack = {
    gateways: [] as GatewayHandle[],
    env(extra: Record<string, string> = {}) {
      return { ...gatewayEnv(stack.sims, stack.certs), POLICY_FILE: stack.policy.file, ...opts.env, ...extra };
    },
    async startGateway(extra: Record<string, string> = {}) {
      const gateway = await startGatewayProcess(stack.env(extra), Math.max(45_000, opts.timeoutMs ?? 0));
      started.push(gateway);
      return gateway;
    },
  } as unknown as GatewayStack<C, P>; // certs, sims, policy and gateway are set in beforeAll

  beforeAll(async () => {
    stack.certs = opts.certificates ? opts.certificates() : (createTestCertificates() as unknown as C);
    dir = mkdtempSync(join(tmpdir(), 'pg-stack-'));
    stack.sims = await startSimulators({
      population: opts.population ?? 2000,
      ...(opts.simulatorArgs ? { args: opts.simulatorArgs } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    stack.policy = opts.policy ? opts.policy(dir, stack.certs) : ({ file: gatewayEnv(stack.sims, stack.certs).POLICY_FILE } as P);
    stack.gateways = await Promise.all((opts.gateways ?? [{}]).map((extra) => stack.startGateway(extra)));
    stack.gateway = stack.gateways[0]!;
  }, 2 * Math.max(45_000, opts.timeoutMs ?? 0) + 30_000);

  afterAll(async () => {
    await Promise.all(started.map((g) => g.stop()));
    await stack.sims?.stop();
    stack.certs?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return stack;
}
