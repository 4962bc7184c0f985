/**
 * Shared helpers for the operations and resilience tests: a policy file with API keys and rate
 * limits, GraphQL over mutual TLS with the key, Prometheus scraping, a real redis-server on a free
 * loopback port, free ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from '../../local-stack/ports.js';
import { join } from 'node:path';
import { generateApiKey, hashApiKey } from '../../src/auth/api-keys.js';
import type { TestCertificates } from '../../local-stack/certs.js';
import { postGraphQL, type GraphQLResult } from '../../local-stack/https.js';

export type ConsumerKey = 'devConsumer' | 'policeDev';
const CN: Record<ConsumerKey, string> = { devConsumer: 'dev-consumer', policeDev: 'police-dev' };

export interface TestPolicy {
  file: string;
  apiKeys: Record<ConsumerKey, string>;
}

/**
 * A policy granting the whole schema to dev-consumer and police-dev, each with a fresh API key and
 * an optional rate limit; `extraGrants` adds coordinates no wildcard grants (e.g. `Query._entities`) to a consumer;
 * `filters` gives a consumer row filters (YAML flow mappings, e.g. `{ supervisionStatuses: [PRISONS] }`);
 * `redactions` gives a consumer redaction rules (YAML flow mappings, e.g. `{field: Person.firstName, action: mask}`).
 */
export function writeTestPolicy(
  dir: string,
  rateLimits: Partial<Record<ConsumerKey, { perSecond: number; burst: number }>> = {},
  extraGrants: Partial<Record<ConsumerKey, string[]>> = {},
  filters: Partial<Record<ConsumerKey, string>> = {},
  redactions: Partial<Record<ConsumerKey, string[]>> = {},
): TestPolicy {
  const apiKeys = { devConsumer: generateApiKey(), policeDev: generateApiKey() };
  const lines = ['roles:', '  everything:', "    grants: ['*']"];
  for (const [key, rows] of Object.entries(filters)) lines.push(`  filtered-${CN[key as ConsumerKey]}:`, "    grants: ['*']", `    filters: ${rows}`);
  for (const [key, grants] of Object.entries(extraGrants)) lines.push(`  extra-${CN[key as ConsumerKey]}:`, `    grants: ${JSON.stringify(grants)}`);
  for (const [key, rules] of Object.entries(redactions)) lines.push(`  redacted-${CN[key as ConsumerKey]}:`, '    grants: []', '    redactions:', ...rules.map((r) => `      - ${r}`));
  lines.push('consumers:');
  for (const key of Object.keys(CN) as ConsumerKey[]) {
    const base = filters[key] ? [`filtered-${CN[key]}`] : extraGrants[key] ? ['everything', `extra-${CN[key]}`] : ['everything'];
    const roles = `[${[...base, ...(redactions[key] ? [`redacted-${CN[key]}`] : [])].join(', ')}]`;
    lines.push(`  ${CN[key]}:`, `    roles: ${roles}`, `    apiKeys: ["${hashApiKey(apiKeys[key])}"]`);
    const rate = rateLimits[key];
    if (rate) lines.push(`    rateLimit: { perSecond: ${rate.perSecond}, burst: ${rate.burst} }`);
  }
  const file = join(dir, 'ops-policy.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, apiKeys };
}

/** A GraphQL request as `who`, with its client certificate and API key. */
export function asConsumer(url: string, certs: TestCertificates, policy: TestPolicy, who: ConsumerKey = 'devConsumer') {
  return (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResult> =>
    postGraphQL(url, { query, variables }, { ca: certs.ca, ...certs.client[who] }, { 'x-api-key': policy.apiKeys[who], ...headers });
}

/** Sum of the samples of a metric in Prometheus text format whose labels include `labels`. */
export async function scrape(managementUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${managementUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export { freePort };

export interface RedisHandle {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');

/** A real redis-server on a free loopback port, no persistence; stopped by PID. */
export async function startRedis(onPort?: number): Promise<RedisHandle> {
  const port = onPort ?? (await freePort());
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output.join('')}`);
    if (await redisPing(port)) return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid!, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`redis-server did not answer PING on ${port}: ${output.join('')}`);
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => done(d.toString().startsWith('+PONG')));
  });
}

/** Names, dates of birth and PNC numbers of the well-known people: what must never appear in logs. */
export function personDataOf(people: Array<{ firstName: string; lastName: string; dateOfBirth: string; pncNumber: string | null }>): string[] {
  const values = new Set<string>();
  for (const p of people) {
    for (const v of [p.firstName, p.lastName, p.dateOfBirth, p.pncNumber]) if (v && v.length >= 3) values.add(v);
  }
  return [...values];
}
