import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'undici';

/** The Debian `chromium` binary (.ci/run installs it), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserPage {
  /** Every URL the page asked for, in order. */
  requests: string[];
  /** URLs that failed to load, with the network error. */
  failures: Array<{ url: string; error: string }>;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  navigate(url: string): Promise<void>;
  /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; its value. */
  waitFor<T>(expression: string, timeoutMs?: number): Promise<T>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * A real headless Chromium driven over the DevTools protocol, with the network to anything but loopback
 * unreachable: every host name resolves to nothing and every non-loopback request goes to a dead proxy.
 */
export async function openBrowser(opts: { width?: number; height?: number } = {}): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'pg-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
      `--user-data-dir=${profile}`, '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1',
      `--window-size=${opts.width ?? 1280},${opts.height ?? 800}`,
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1', '--proxy-server=http://127.0.0.1:9',
      'about:blank',
    ],
    // Its own process group: close() ends chromium with its helper processes (renderer, GPU, zygote).
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const browserWs = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('chromium did not start within 30 s')), 30_000);
    child.once('error', (e) => reject(e));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const port = new URL(browserWs).port;
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
  const ws = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('DevTools connection failed')));
  });

  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown> };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    } else if (msg.method) for (const l of listeners) l(msg.method, msg.params ?? {});
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });

  const page: BrowserPage = {
    requests: [],
    failures: [],
    errors: [],
    async navigate(url) {
      const loaded = new Promise<void>((r) => listeners.push((m) => m === 'Page.loadEventFired' && r()));
      await send('Page.navigate', { url });
      await loaded;
    },
    async evaluate<T>(expression: string) {
      const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    async waitFor<T>(expression: string, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await page.evaluate<T>(expression);
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async screenshot() {
      const r = await send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
      return Buffer.from(r.data, 'base64');
    },
    async close() {
      ws.close();
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, s);
        } catch {
          /* already gone */
        }
      };
      if (child.exitCode === null) signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      child.stderr?.destroy();
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
  const urls = new Map<string, string>();
  listeners.push((method, params) => {
    if (method === 'Network.requestWillBeSent') {
      const url = (params.request as { url: string }).url;
      urls.set(String(params.requestId), url);
      page.requests.push(url);
    }
    if (method === 'Network.loadingFailed') page.failures.push({ url: urls.get(String(params.requestId)) ?? '?', error: String(params.errorText) });
    if (method === 'Runtime.exceptionThrown') page.errors.push(JSON.stringify(params.exceptionDetails).slice(0, 500));
    if (method === 'Runtime.consoleAPICalled' && params.type === 'error') page.errors.push(JSON.stringify(params.args).slice(0, 500));
  });
  await Promise.all([send('Page.enable'), send('Network.enable'), send('Runtime.enable')]);
  return page;
}
