import type { Dispatcher, Pool } from 'undici';

/** Why a call was cut short by its own timer (preallocated: no exception object is built per timed-out call). */
export const CALL_TIMED_OUT = new Error('upstream call timed out');

/**
 * Why a call was cut short because its answer grew past the upstream's size cap (preallocated). The
 * exchange is aborted while the body streams: no more of it is read or kept.
 */
export const RESPONSE_TOO_LARGE = new Error('upstream response over the size cap');

/** Redirects followed per call (e.g. the core person record answers a merged prison number with 301). */
const MAX_REDIRECTS = 2;

export interface RawResponse {
  statusCode: number;
  body: string;
  /** The `location` header, when there was exactly one. */
  location?: string;
}

/**
 * One call's exchanges with the pool (one per redirect hop), as an undici dispatch handler of our
 * own: what `Pool.request` + `body.text()` do, without a body stream, an AsyncResource or an
 * AbortSignal per call. `cancel` aborts the exchange in progress like an aborted signal would make
 * `Pool.request` do: at once when it is on a connection, else as soon as it gets one; the exchange
 * then fails with the cancel reason. After a cancel, the call makes no further exchange.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  /** Why the call was cancelled (CALL_TIMED_OUT or REQUEST_ABORTED), null while it was not. */
  reason: Error | null = null;
  private controller: Dispatcher.DispatchController | null = null;
  private statusCode = 0;
  private location: string | undefined = undefined;
  private chunks: Buffer[] = [];
  private length = 0;
  private resolve: ((response: RawResponse) => void) | null = null;
  private reject: ((error: Error) => void) | null = null;

  /** @param maxBytes the size cap of one answer's body (declared length or bytes read so far). */
  constructor(private readonly maxBytes: number = Number.POSITIVE_INFINITY) {}

  /**
   * Sends the request and reads the answer, following redirects within the same upstream (at most
   * MAX_REDIRECTS hops): a redirect elsewhere is not followed, and is answered as is (without body).
   */
  async follow(
    pool: Pool,
    baseUrl: string,
    method: Dispatcher.HttpMethod,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    maxRedirects = MAX_REDIRECTS,
  ): Promise<RawResponse> {
    let response: RawResponse;
    for (let hop = 0; ; hop++) {
      response = await this.run(pool, { path, method, headers, body });
      const location = response.location;
      if (response.statusCode >= 301 && response.statusCode <= 308 && typeof location === 'string' && hop < maxRedirects) {
        const target = new URL(location, `${baseUrl}/`);
        if (target.origin === new URL(baseUrl).origin) {
          path = target.pathname + target.search;
          continue;
        }
        response = { statusCode: response.statusCode, body: '', location };
      }
      return response;
    }
  }

  /** Sends one request on the pool and reads the whole answer. */
  run(pool: Pool, options: Dispatcher.DispatchOptions): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      pool.dispatch(options, this);
    });
  }

  cancel(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Also called again when undici retries a request that got no answer on a failed connection.
    this.controller = controller;
    this.statusCode = 0;
    this.location = undefined;
    this.chunks = [];
    this.length = 0;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // informational (1xx): the answer follows
    this.statusCode = statusCode;
    const location = headers.location;
    this.location = typeof location === 'string' ? location : undefined;
    const declared = Number(headers['content-length']);
    if (declared > this.maxBytes) this.cancel(RESPONSE_TOO_LARGE);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.reason) return;
    if (this.length + chunk.length > this.maxBytes) {
      this.chunks = [];
      this.cancel(RESPONSE_TOO_LARGE);
      return;
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  onResponseEnd(): void {
    const response: RawResponse = { statusCode: this.statusCode, body: decodeBody(this.chunks, this.length) };
    if (this.location !== undefined) response.location = this.location;
    const resolve = this.resolve;
    this.settled();
    resolve?.(response);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const reject = this.reject;
    this.settled();
    reject?.(error);
  }

  private settled(): void {
    this.controller = null;
    this.chunks = [];
    this.resolve = null;
    this.reject = null;
  }
}

/** The body as text, as undici's `body.text()` decodes it: UTF-8, a byte order mark skipped. */
function decodeBody(chunks: Buffer[], length: number): string {
  if (chunks.length === 0 || length === 0) return '';
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start, buffer.length);
}

/** The call's timer callback (a plain function: no closure is made per call). */
export function timeOut(exchange: Exchange): void {
  exchange.cancel(CALL_TIMED_OUT);
}
