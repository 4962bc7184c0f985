/**
 * Starts the real gateway (src/main.ts) as its own process, with the environment that points it at
 * the simulators and the test certificates; reads its logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { upstreamUrlEnv } from '../src/config/index.js';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT as repoRoot } from './repo-root.js';
import type { SimulatorHandle } from './simulators.js';
import type { ServerCertificateFiles } from './certs.js';

export interface GatewayHandle {
  pid: number;
  consumerUrl: string;
  managementUrl: string;
  devUrl: string | null;
  /** Every line the gateway wrote to stdout and stderr so far. */
  logs: string[];
  stop(): Promise<number | null>;
}

/** The environment a gateway needs to talk to `sims` with `certs` (tests may override any of it). */
export function gatewayEnv(sims: SimulatorHandle, certs: ServerCertificateFiles): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    CONSUMER_HOST: '127.0.0.1',
    CONSUMER_PORT: '0',
    MANAGEMENT_HOST: '127.0.0.1',
    MANAGEMENT_PORT: '0',
    DEV_LISTENER: 'false',
    DEV_LISTENER_PORT: '0',
    TLS_KEY_FILE: certs.serverKeyFile,
    TLS_CERT_FILE: certs.serverCertFile,
    CONSUMER_CA_FILE: certs.caFile,
    POLICY_FILE: join(repoRoot, 'policy', 'development.yaml'),
    HMPPS_AUTH_URL: sims.urls.auth,
    CLIENT_ID: sims.clientId,
    CLIENT_SECRET: sims.clientSecret,
    ...upstreamUrlEnv(sims.urls),
  };
}

/**
 * Starts the real gateway (src/main.ts) as its own process and waits for its `ready` log line.
 * Resolves with the exit code instead if it exits first (for start-up refusal tests).
 */
export function startGatewayProcess(env: Record<string, string>, timeoutMs = 45_000): Promise<GatewayHandle> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'main.ts')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    let settled = false;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const stop = async (): Promise<number | null> => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return child.exitCode;
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`gateway not ready within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string) => {
      logs.push(line);
      if (settled) return;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.event === 'ready') {
          settled = true;
          clearTimeout(timer);
          resolve({
            pid: child.pid!,
            consumerUrl: String(parsed.consumerUrl).replace('127.0.0.1', 'localhost'),
            managementUrl: String(parsed.managementUrl),
            devUrl: (parsed.devUrl as string | null) ?? null,
            logs,
            stop,
          });
        }
      } catch {
        /* not JSON */
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then((code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(Object.assign(new Error(`gateway exited with code ${code} before it was ready`), { code, logs }));
    });
  });
}

/**
 * The first log line that satisfies `matches`, waiting for it up to `timeoutMs`: the gateway writes
 * its logs asynchronously, so a line may arrive a moment after the response it belongs to.
 */
export async function loggedLine(
  gateway: Pick<GatewayHandle, 'logs'>,
  matches: (line: string) => boolean,
  timeoutMs = 3000,
): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = gateway.logs.find(matches);
    if (line !== undefined || Date.now() > until) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
}
