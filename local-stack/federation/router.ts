/**
 * A real federation router from npm for the tests and `npm run dev:federation`: Hive Gateway's CLI
 * (`hive-gateway supergraph`) as its own process on loopback, configured by
 * scripts/federation/hive-gateway.config.ts, serving a supergraph composed by
 * @theguild/federation-composition. Stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { freePort } from '../ports.js';
import { join } from 'node:path';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { REPO_ROOT } from '../repo-root.js';

export const ROUTER_CONFIG = join(REPO_ROOT, 'scripts', 'federation', 'hive-gateway.config.ts');
const HIVE_GATEWAY_BIN = join(REPO_ROOT, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');

export interface SubgraphDefinition {
  name: string;
  sdl: string;
  url: string;
}

/** The supergraph SDL of these subgraphs, or an error listing every composition error. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.sdl), url: s.url })));
  if (compositionHasErrors(result)) throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

export { freePort };

export interface RouterHandle {
  pid: number;
  url: string;
  logs: string[];
  stop(): Promise<void>;
}

export interface RouterOptions {
  supergraphFile: string;
  /** The router's own client certificate and key (its CN is one of Person Graph's TRUSTED_PROXY_CNS). */
  clientCertFile: string;
  clientKeyFile: string;
  /** CA of Person Graph's server certificate. */
  personGraphCaFile: string;
  port?: number;
  timeoutMs?: number;
}

/** Starts Hive Gateway and resolves once its readiness endpoint answers 200. */
export async function startRouter(options: RouterOptions): Promise<RouterHandle> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [HIVE_GATEWAY_BIN, 'supergraph', options.supergraphFile, '-c', ROUTER_CONFIG, '--host', '127.0.0.1', '--port', String(port)],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ROUTER_CLIENT_CERT_FILE: options.clientCertFile,
        ROUTER_CLIENT_KEY_FILE: options.clientKeyFile,
        PERSON_GRAPH_CA_FILE: options.personGraphCaFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  child.stdout!.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hive-gateway exited with ${child.exitCode}:\n${logs.join('').slice(-3000)}`);
    try {
      const r = await fetch(`${url}/readiness`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`hive-gateway not ready within ${options.timeoutMs ?? 60_000} ms:\n${logs.join('').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { pid: child.pid!, url, logs, stop };
}

/** Writes a supergraph file. */
export function writeSupergraph(file: string, sdl: string): string {
  writeFileSync(file, sdl);
  return file;
}

/** Subject DN, serial (hex) and expiry of a certificate, as an mTLS-terminating ingress forwards them. */
export function forwardedIdentity(certFile: string): Record<'subject-distinguished-name' | 'cert-serial-number' | 'cert-expiry-date', string> {
  const out = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-serial', '-enddate', '-nameopt', 'RFC2253'], { encoding: 'utf8' });
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(out)?.[1]?.trim() ?? '';
  // Decimal, as ingresses send it (a hex serial of digits only would be read as decimal).
  const serial = BigInt(`0x${field('serial')}`).toString(10);
  return { 'subject-distinguished-name': field('subject'), 'cert-serial-number': serial, 'cert-expiry-date': field('notAfter') };
}
