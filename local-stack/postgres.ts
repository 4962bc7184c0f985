/**
 * A real PostgreSQL server for the ledger tests and benchmarks: initdb into a temporary folder, pg_ctl on a free
 * loopback port (trust authentication, loopback only, fsync off), stopped and started by the test.
 * As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)');
  return join(root, versions[0]!, 'bin');
}

export interface PostgresHandle {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

export async function startPostgres(): Promise<PostgresHandle> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'pg-ledger-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, tool), asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, { stdio: 'pipe' });
  run('initdb', ['-D', join(dir, 'data'), '-U', 'ledger', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  let port = 0;
  const start = () => void run('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, '-l', join(dir, 'log'), '-w', 'start']);
  const stop = () => void run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  // A free port can be taken by another test's process between finding it and the server binding it
  // (initdb takes a while): on "Address already in use", another port.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      start();
      break;
    } catch (err) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      if (attempt >= 5 || !log.includes('Address already in use')) throw new Error(`PostgreSQL did not start: ${String(err)}\n${log.slice(-2000)}`, { cause: err });
      rmSync(join(dir, 'log'), { force: true });
    }
  }
  return {
    url: `postgres://ledger@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
