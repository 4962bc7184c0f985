/** Admin listener: faults, counters, call log, routes, token expiry, well-known people, health. */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultError, parseFaultConfig } from './faults.js';
import { type UpstreamName, isUpstreamName } from './http.js';
import { type SharedState, type UpstreamServer, readBody } from './server.js';
import type { WellKnownFile } from './well-known.js';

export interface AdminDeps {
  state: SharedState;
  servers: Map<UpstreamName, UpstreamServer>;
  wellKnown: WellKnownFile;
  population: number;
}

interface Reply {
  status: number;
  body?: unknown;
}

export async function applyFault(deps: AdminDeps, upstream: UpstreamName, config: ReturnType<typeof parseFaultConfig> | undefined): Promise<void> {
  if (config === undefined || Object.keys(config).length === 0) deps.state.faults.delete(upstream);
  else deps.state.faults.set(upstream, config);
  await deps.servers.get(upstream)?.setOutage(config?.outage === true);
}

export function faultsSnapshot(deps: AdminDeps): Record<string, unknown> {
  return Object.fromEntries(deps.state.faults);
}

async function route(deps: AdminDeps, method: string, path: string, rawBody: string): Promise<Reply> {
  const parts = path.replace(/\/+$/, '').split('/').filter((s) => s !== '');
  if (parts[0] !== 'admin') return { status: 404, body: { error: 'not found' } };
  const [, section, arg, extra] = parts;
  const notAllowed: Reply = { status: 405, body: { error: `method ${method} not allowed on ${path}` } };

  switch (section) {
    case 'health':
      return method === 'GET' ? { status: 200, body: { status: 'UP', population: deps.population } } : notAllowed;
    case 'routes':
      if (method !== 'GET') return notAllowed;
      return { status: 200, body: Object.fromEntries([...deps.servers].map(([name, s]) => [name, s.routeKeys()])) };
    case 'well-known':
      return method === 'GET' ? { status: 200, body: deps.wellKnown } : notAllowed;
    case 'counters':
      if (arg === undefined) return method === 'GET' ? { status: 200, body: deps.state.counters.snapshot() } : notAllowed;
      if (arg === 'reset' && extra === undefined) {
        if (method !== 'POST') return notAllowed;
        deps.state.counters.reset();
        deps.state.calls.reset();
        return { status: 200, body: { reset: true } };
      }
      return { status: 404, body: { error: 'not found' } };
    case 'calls':
      return method === 'GET' && arg === undefined ? { status: 200, body: deps.state.calls.snapshot() } : notAllowed;
    case 'tokens':
      if (arg === 'expire' && extra === undefined) {
        if (method !== 'POST') return notAllowed;
        return { status: 200, body: { expired: deps.state.tokens.expireAll() } };
      }
      return { status: 404, body: { error: 'not found' } };
    case 'faults': {
      if (extra !== undefined) return { status: 404, body: { error: 'not found' } };
      if (arg === undefined) {
        if (method === 'GET') return { status: 200, body: faultsSnapshot(deps) };
        if (method === 'DELETE') {
          for (const name of deps.servers.keys()) await applyFault(deps, name, undefined);
          return { status: 200, body: faultsSnapshot(deps) };
        }
        return notAllowed;
      }
      if (!isUpstreamName(arg)) return { status: 404, body: { error: `unknown upstream ${arg}` } };
      if (method === 'GET') return { status: 200, body: deps.state.faults.get(arg) ?? {} };
      if (method === 'DELETE') {
        await applyFault(deps, arg, undefined);
        return { status: 200, body: { upstream: arg, fault: {} } };
      }
      if (method === 'PUT') {
        let parsed: unknown;
        try {
          parsed = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
        } catch {
          return { status: 400, body: { error: 'body is not valid JSON' } };
        }
        try {
          const config = parseFaultConfig(parsed);
          await applyFault(deps, arg, config);
          return { status: 200, body: { upstream: arg, fault: config } };
        } catch (err) {
          if (err instanceof FaultError) return { status: 400, body: { error: err.message } };
          throw err;
        }
      }
      return notAllowed;
    }
    default:
      return { status: 404, body: { error: 'not found' } };
  }
}

export function createAdminServer(deps: AdminDeps): http.Server {
  return http.createServer((req, res) => {
    const send = (reply: Reply): void => {
      const text = JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    readBody(req)
      .then((body) => route(deps, (req.method ?? 'GET').toUpperCase(), new URL(req.url ?? '/', 'http://admin').pathname, body))
      .then(send)
      .catch((err: unknown) => {
        deps.state.log(`admin: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) send({ status: 500, body: { error: 'admin request failed' } });
      });
  });
}

export function listenAdmin(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
