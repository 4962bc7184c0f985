/**
 * Memory under huge upstream bodies (issue 12 item 5), in process: 4 parallel 50 MB bodies and one
 * endless body through the real UpstreamClient with the default cap (UPSTREAM_MAX_RESPONSE_BYTES,
 * 4 MiB). Prints RSS before, at peak and after, and how each call ended.
 *
 *   npx tsx bench/size-cap.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { TokenProvider } from '../src/datasources/http/token-provider.js';
import { UpstreamClient } from '../src/datasources/http/upstream-client.js';
import { Metrics } from '../src/observability/metrics.js';

const MB = 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 0x78);
const server = createServer((req, res) => {
  if (req.url?.includes('/oauth/token')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 't', expires_in: 1200, token_type: 'bearer' }));
    return;
  }
  const limit = req.url === '/endless' ? Number.POSITIVE_INFINITY : 50 * MB;
  let sent = 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  const pump = (): void => {
    while (!res.destroyed && sent < limit) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const silent = pino({ level: 'silent' });
const metrics = new Metrics({ processMetrics: false });
const tokens = new TokenProvider({ tokenUrl: url, clientId: 'id', clientSecret: 's', timeoutMs: 2000, metrics }, silent);
const client = new UpstreamClient('prisonApi', {
  baseUrl: url, timeoutMs: 10_000, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  breaker: { windowMs: 10_000, minCalls: 1000, failureRate: 0.5, openMs: 1000 }, maxInFlight: 16, maxQueue: 16,
}, tokens, silent, metrics);

global.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const started = performance.now();
const paths = ['/big1', '/big2', '/big3', '/big4', '/endless'];
const outcomes = await Promise.allSettled(paths.map((path) => client.call({ route: 'GET /big', method: 'GET', path }, { requestId: 'bench' })));
const ms = Math.round(performance.now() - started);
clearInterval(sampler);
await new Promise((r) => setTimeout(r, 500));
global.gc?.();
const after = process.memoryUsage().rss;
console.log(JSON.stringify({
  outcomes: outcomes.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : 'fulfilled')),
  ms, rssBeforeMB: Math.round(before / MB), rssPeakMB: Math.round(peak / MB), rssAfterMB: Math.round(after / MB),
}));
client.close();
server.close();
process.exit(0);
