/**
 * Starts the upstream simulators (simulators/main.ts) as a child process (for tests and benchmarks),
 * and talks to their admin listener. Every listener gets a random free port (--port-base 0).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { createInterface } from 'node:readline';

/** The simulated upstreams: the simulators' own list (simulators/lib/http.ts). */
import { UPSTREAM_NAMES, type UpstreamName } from '../simulators/lib/http.js';

export { UPSTREAM_NAMES, type UpstreamName };

/** A fault as the admin API takes it (simulators/lib/faults.ts). */
export type { FaultConfig } from '../simulators/lib/faults.js';
import type { FaultConfig } from '../simulators/lib/faults.js';
export type { CallRecord } from '../simulators/lib/server.js';
import type { CallRecord } from '../simulators/lib/server.js';

/** The well-known people file's format is the simulators' own (simulators/lib/well-known.ts). */
export type { WellKnownFile, WellKnownPerson } from '../simulators/lib/well-known.js';
import type { WellKnownFile, WellKnownPerson } from '../simulators/lib/well-known.js';

export interface SimulatorHandle {
  pid: number;
  population: number;
  startupMs: number;
  urls: Record<UpstreamName | 'admin', string>;
  clientId: string;
  clientSecret: string;
  counters(): Promise<Record<string, Record<string, number>>>;
  /** Counters and the call log to zero. */
  resetCounters(): Promise<void>;
  /** Arrival and answer times of the latest calls (simulators/lib/server.ts `CallLog`). */
  calls(): Promise<CallRecord[]>;
  routes(): Promise<Record<string, string[]>>;
  setFault(upstream: UpstreamName, fault: FaultConfig): Promise<void>;
  clearFaults(): Promise<void>;
  expireTokens(): Promise<void>;
  /** A valid bearer token from the auth simulator. */
  token(): Promise<string>;
  /** SIGTERM by PID, wait for exit, SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export interface StartOptions {
  population?: number;
  latencyMs?: number;
  /** Extra command-line options, e.g. ['--fault', 'alerts:latencyMs=200']. */
  args?: string[];
  timeoutMs?: number;
}

export { REPO_ROOT };
const DEFAULT_CLIENT_ID = 'person-graph';
const DEFAULT_CLIENT_SECRET = 'person-graph-dev-secret';
const STDERR_TAIL_LINES = 40;

/**
 * Rounds of upstream calls: each call is one round deeper than the deepest call answered before it
 * arrived (from the simulators' call log, `calls()`), so the depth is the number of sequential round
 * trips on the critical path. Calls of one round must arrive within the configured latency of each
 * other (true on loopback when the latency is well above the gateway's dispatch time).
 */
export function callRounds(calls: readonly CallRecord[]): { depth: number; byRound: string[][] } {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= c.start) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
  });
  const max = Math.max(0, ...depth);
  const byRound = Array.from({ length: max }, (_, r) => sorted.filter((_, i) => depth[i] === r + 1).map((c) => `${c.upstream} ${c.route}`));
  return { depth: max, byRound };
}

/** The committed well-known people (simulators/well-known-people.json). */
export function wellKnownPeople(): WellKnownFile {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'simulators', 'well-known-people.json'), 'utf8')) as WellKnownFile;
}

let committed: WellKnownFile | undefined;

/** One committed well-known person by key (`linked`, `restricted`, ...); a key not there is an error. */
export function wellKnownPerson(key: string): WellKnownPerson {
  committed ??= wellKnownPeople();
  const p = committed.people.find((x) => x.key === key);
  if (!p) throw new Error(`well-known person ${key} missing`);
  return p;
}

function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

async function adminCall(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator admin ${method} ${path} -> ${res.status}: ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export function startSimulators(opts: StartOptions = {}): Promise<SimulatorHandle> {
  const extra = opts.args ?? [];
  const args = ['--import', 'tsx', join(REPO_ROOT, 'simulators', 'main.ts'), '--port-base', '0'];
  if (opts.population !== undefined) args.push('--population', String(opts.population));
  if (opts.latencyMs !== undefined) args.push('--latency-ms', String(opts.latencyMs));
  args.push(...extra);
  const clientId = optionValue(extra, '--client-id') ?? DEFAULT_CLIENT_ID;
  const clientSecret = optionValue(extra, '--client-secret') ?? DEFAULT_CLIENT_SECRET;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  // The jest process's NODE_OPTIONS (vm modules) must not leak into the simulator.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8');
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<SimulatorHandle>((resolve, reject) => {
    let settled = false;
    const failStart = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => {
        reject(new Error(`simulators did not start: ${reason}\n--- simulator stderr (last ${STDERR_TAIL_LINES} lines) ---\n${stderrTail.join('\n')}`));
      });
    };
    const timer = setTimeout(() => failStart(`no ready line within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => failStart(`spawn failed: ${err.message}`));
    child.once('exit', (code, signal) => failStart(`process exited early (code ${String(code)}, signal ${String(signal)})`));

    createInterface({ input: child.stdout! }).once('line', (line) => {
      if (settled) return;
      let ready: { ready?: boolean; population?: number; startupMs?: number; urls?: Record<UpstreamName | 'admin', string> };
      try {
        ready = JSON.parse(line) as typeof ready;
      } catch {
        failStart(`first stdout line is not the ready JSON: ${line.slice(0, 200)}`);
        return;
      }
      if (ready.ready !== true || ready.urls === undefined || child.pid === undefined) {
        failStart(`unexpected ready line: ${line.slice(0, 200)}`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      const urls = ready.urls;
      const admin = urls.admin;
      resolve({
        pid: child.pid,
        population: ready.population ?? 0,
        startupMs: ready.startupMs ?? 0,
        urls,
        clientId,
        clientSecret,
        counters: async () => (await adminCall(admin, 'GET', '/admin/counters')) as Record<string, Record<string, number>>,
        resetCounters: async () => {
          await adminCall(admin, 'POST', '/admin/counters/reset');
        },
        calls: async () => (await adminCall(admin, 'GET', '/admin/calls')) as CallRecord[],
        routes: async () => (await adminCall(admin, 'GET', '/admin/routes')) as Record<string, string[]>,
        setFault: async (upstream, fault) => {
          await adminCall(admin, 'PUT', `/admin/faults/${upstream}`, fault);
        },
        clearFaults: async () => {
          await adminCall(admin, 'DELETE', '/admin/faults');
        },
        expireTokens: async () => {
          await adminCall(admin, 'POST', '/admin/tokens/expire');
        },
        token: async () => {
          const res = await fetch(`${urls.auth}/auth/oauth/token`, {
            method: 'POST',
            headers: {
              Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            body: 'grant_type=client_credentials',
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (!res.ok) throw new Error(`auth simulator refused a token: ${res.status} ${text}`);
          return (JSON.parse(text) as { access_token: string }).access_token;
        },
        stop,
      });
    });
  });
}
