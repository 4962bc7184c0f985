/**
 * The heartbeat (`npm run -s heartbeat`, or `node dist/scripts/heartbeat.js` in the image): proves that a real
 * query works end to end, the way a consumer sends it (client certificate + API key), and gates promotion
 * between environments. It asks for a configured person known to both prison and probation, and passes only
 * when the answer is whole:
 *   - HTTP 200 and no error at all in the answer (any `errors` entry fails it, unless `--allow-partial` or
 *     HEARTBEAT_ALLOW_PARTIAL=true: then errors are reported but do not fail it on their own);
 *   - a value at each expected path: by default the person's first name (identity), a prison field (prisoner
 *     search) and a probation field fed by the Delius integration API, so that both sides were reached and
 *     answered for this person (an upstream that answers 404 to everything leaves its field empty).
 * Several attempts, a pause between them; exit 0 on the first success, 1 when every attempt failed.
 * It prints exactly one line, a JSON summary on stdout, naming every error code it saw in any attempt; nothing
 * else (per-attempt lines go to stderr only with HEARTBEAT_VERBOSE=true). Values are never printed (person data).
 *
 * Environment:
 *   SERVICE_URL             the consumer listener, e.g. https://person-graph.example (required;
 *                           /graphql is appended unless the URL already ends with it)
 *   API_KEY                 sent as x-api-key when set
 *   MTLS_CERT, MTLS_KEY     client certificate and key, base64-encoded PEM
 *   MTLS_CA                 base64 PEM of the CA that signed the server certificate (optional)
 *   HEARTBEAT_HMPPS_ID      the person to ask for (default: the `linked` well-known simulator person); must be
 *                           known to prison and probation, with a community manager
 *   HEARTBEAT_QUERY         the query; gets $hmppsId (default: DEFAULT_QUERY below)
 *   HEARTBEAT_EXPECT_PATH   comma-separated dot paths that must each hold a non-empty value
 *                           (default: DEFAULT_CHECKS below)
 *   HEARTBEAT_ALLOW_PARTIAL true: errors in the answer do not fail it by themselves (same as --allow-partial)
 *   HEARTBEAT_ATTEMPTS      default 5
 *   HEARTBEAT_INTERVAL_MS   pause between attempts, default 10000
 *   HEARTBEAT_TIMEOUT_MS    per attempt, default 10000
 *   HEARTBEAT_VERBOSE       true: one stderr line per failed attempt
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine } from './cli.js';

const DEFAULT_QUERY =
  'query Heartbeat($hmppsId: ID!) { person(hmppsId: $hmppsId) { firstName prison { prisonId } sentenceKeyDates { releaseDate } responsibleOfficer { communityManager { forename } } } }';

/**
 * What must come back, and which side of the service each value proves was reached. `sentenceKeyDates` is asked
 * (not checked: it may be empty for a real person) so that the Prison API is called: its failure is an error.
 */
interface Check {
  side: string;
  path: string[];
}

const DEFAULT_CHECKS: Check[] = [
  { side: 'identity', path: ['data', 'person', 'firstName'] },
  { side: 'prison', path: ['data', 'person', 'prison', 'prisonId'] },
  { side: 'probation', path: ['data', 'person', 'responsibleOfficer', 'communityManager', 'forename'] },
];

interface Settings {
  url: URL;
  apiKey: string | null;
  tls: { cert?: string; key?: string; ca?: string };
  hmppsId: string;
  query: string;
  checks: Check[];
  allowPartial: boolean;
  verbose: boolean;
  attempts: number;
  intervalMs: number;
  timeoutMs: number;
}

interface AttemptResult {
  ok: boolean;
  status: number | null;
  requestId: string | null;
  errorCodes: string[];
  message: string;
}

interface GraphQLError {
  message?: string;
  path?: Array<string | number>;
  extensions?: { code?: string; area?: string };
}

interface GraphQLBody {
  errors?: GraphQLError[];
}

class SettingsError extends Error {}

function settingsFrom(env: NodeJS.ProcessEnv, argv: string[]): Settings {
  const problems: string[] = [];
  const serviceUrl = env.SERVICE_URL?.trim();
  let url: URL | null = null;
  if (!serviceUrl) problems.push('SERVICE_URL is required');
  else {
    try {
      url = new URL(serviceUrl.replace(/\/+$/, '').endsWith('/graphql') ? serviceUrl : `${serviceUrl.replace(/\/+$/, '')}/graphql`);
    } catch {
      problems.push(`SERVICE_URL is not a URL: ${serviceUrl}`);
    }
  }
  const pem = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const text = Buffer.from(raw, 'base64').toString('utf8');
    if (!text.includes('-----BEGIN')) problems.push(`${name} must be a base64-encoded PEM`);
    return text;
  };
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) problems.push(`${name} must be an integer >= ${min} (got "${raw}")`);
    return n;
  };
  const flag = (name: string): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return false;
    if (raw !== 'true' && raw !== 'false') problems.push(`${name} must be true or false (got "${env[name]}")`);
    return raw === 'true';
  };
  for (const arg of argv) if (arg !== '--allow-partial') problems.push(`unknown argument ${arg} (known: --allow-partial)`);
  const expect = env.HEARTBEAT_EXPECT_PATH?.trim();
  const checks: Check[] = expect
    ? expect.split(',').map((p) => ({ side: 'expected', path: p.trim().split('.') }))
    : DEFAULT_CHECKS;
  const tls = { cert: pem('MTLS_CERT'), key: pem('MTLS_KEY'), ca: pem('MTLS_CA') };
  if (Boolean(tls.cert) !== Boolean(tls.key)) problems.push('MTLS_CERT and MTLS_KEY go together');
  const settings: Settings = {
    url: url ?? new URL('http://invalid'),
    apiKey: env.API_KEY?.trim() || null,
    tls,
    hmppsId: env.HEARTBEAT_HMPPS_ID?.trim() || defaultPerson(),
    query: env.HEARTBEAT_QUERY?.trim() || DEFAULT_QUERY,
    checks,
    allowPartial: argv.includes('--allow-partial') || flag('HEARTBEAT_ALLOW_PARTIAL'),
    verbose: flag('HEARTBEAT_VERBOSE'),
    attempts: int('HEARTBEAT_ATTEMPTS', 5, 1),
    intervalMs: int('HEARTBEAT_INTERVAL_MS', 10_000, 0),
    timeoutMs: int('HEARTBEAT_TIMEOUT_MS', 10_000, 1),
  };
  if (problems.length > 0) throw new SettingsError(problems.join('; '));
  return settings;
}

/** The `linked` well-known person of the simulators: known to prison and probation. */
function defaultPerson(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'simulators', 'well-known-people.json');
  let wellKnown: { people: Array<{ key: string; crn: string | null; prisonNumber: string | null }> };
  try {
    wellKnown = JSON.parse(readFileSync(file, 'utf8')) as typeof wellKnown;
  } catch {
    throw new SettingsError('HEARTBEAT_HMPPS_ID is required here (there is no simulators/well-known-people.json to take the default person from)');
  }
  const linked = wellKnown.people.find((p) => p.key === 'linked');
  const id = linked?.crn ?? linked?.prisonNumber;
  if (!id) throw new SettingsError('HEARTBEAT_HMPPS_ID is not set and the well-known `linked` person was not found');
  return id;
}

function valueAt(body: unknown, path: string[]): unknown {
  let v: unknown = body;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function attempt(s: Settings): Promise<AttemptResult> {
  const payload = JSON.stringify({ query: s.query, variables: { hmppsId: s.hmppsId }, operationName: operationNameOf(s.query) });
  const requestId = `heartbeat-${randomUUID()}`;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': requestId,
  };
  if (s.apiKey) headers['x-api-key'] = s.apiKey;
  const send = s.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      s.url,
      { method: 'POST', headers, agent: false, timeout: s.timeoutMs, ...(s.url.protocol === 'https:' ? s.tls : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const returnedId = typeof res.headers['x-request-id'] === 'string' ? res.headers['x-request-id'] : requestId;
          let body: GraphQLBody | null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLBody;
          } catch {
            body = null;
          }
          resolve(judge(s, status, returnedId, body));
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${s.timeoutMs} ms`), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const tlsProblem = /SSL|TLS|CERT|certificate|EPROTO|ECONNRESET/i.test(`${e.code} ${e.message}`);
      const what = tlsProblem ? 'TLS handshake or client certificate refused' : 'service unreachable';
      resolve({ ok: false, status: null, requestId, errorCodes: [], message: `${what}: ${e.code ?? ''} ${e.message}`.trim() });
    });
    req.end(payload);
  });
}

/** Where an error sits, for the summary line: its path and data area, never a value. */
function describeError(e: GraphQLError): string {
  const code = e.extensions?.code ?? 'UNKNOWN';
  const where = e.path?.length ? ` at ${e.path.join('.')}` : '';
  const area = e.extensions?.area ? ` (${e.extensions.area})` : '';
  return `${code}${where}${area}`;
}

/** Whether one answer passes: HTTP 200, no errors (unless partial answers are allowed), a value at every checked path. */
function judge(s: Settings, status: number, requestId: string, body: GraphQLBody | null): AttemptResult {
  const errors = body?.errors ?? [];
  const errorCodes = [...new Set(errors.map((e) => e.extensions?.code ?? 'UNKNOWN'))];
  const fail = (message: string): AttemptResult => ({ ok: false, status, requestId, errorCodes, message });
  if (status !== 200) {
    const first = errors[0];
    return fail(`HTTP ${status}${first ? ` ${first.extensions?.code ?? ''}: ${first.message ?? ''}` : ''}`.trim());
  }
  const missing = s.checks.filter((c) => {
    const v = valueAt(body, c.path);
    return v === undefined || v === null || v === '';
  });
  const problems: string[] = [];
  if (errors.length > 0 && !s.allowPartial) problems.push(`answer carries errors: ${errors.map(describeError).join(', ')}`);
  for (const c of missing) problems.push(`${c.side === 'expected' ? 'no value' : `${c.side} side not reached: no value`} at ${c.path.join('.')}`);
  if (problems.length > 0) return fail(problems.join('; '));
  const partial = errors.length > 0 ? ` (partial answer allowed: ${errors.map(describeError).join(', ')})` : '';
  return { ok: true, status, requestId, errorCodes, message: `${s.checks.map((c) => c.side).join(', ')} came back${partial}` };
}

function operationNameOf(query: string): string | undefined {
  return /^\s*query\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1];
}

async function main(): Promise<number> {
  const started = Date.now();
  let s: Settings;
  try {
    s = settingsFrom(process.env, process.argv.slice(2));
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ heartbeat: 'failed', message: `configuration: ${(e as Error).message}` })}\n`);
    return 1;
  }
  const failures: string[] = [];
  /** Every error code seen in any attempt. */
  const seen = new Set<string>();
  let last: AttemptResult | null = null;
  for (let n = 1; n <= s.attempts; n++) {
    last = await attempt(s);
    for (const code of last.errorCodes) seen.add(code);
    if (last.ok) {
      process.stdout.write(
        `${JSON.stringify({ heartbeat: 'ok', service: s.url.origin, hmppsId: s.hmppsId, attempts: n, status: last.status, requestId: last.requestId, errorCodes: [...seen], durationMs: Date.now() - started, message: last.message, ...(failures.length ? { failures } : {}) })}\n`,
      );
      return 0;
    }
    failures.push(`attempt ${n}: ${last.message}`);
    if (s.verbose) process.stderr.write(`heartbeat attempt ${n}/${s.attempts} failed: ${last.message}\n`);
    if (n < s.attempts) await new Promise((r) => setTimeout(r, s.intervalMs));
  }
  process.stdout.write(
    `${JSON.stringify({
      heartbeat: 'failed',
      service: s.url.origin,
      hmppsId: s.hmppsId,
      attempts: s.attempts,
      status: last?.status ?? null,
      requestId: last?.requestId ?? null,
      errorCodes: [...seen],
      durationMs: Date.now() - started,
      message: last?.message ?? 'no attempt made',
      failures,
    })}\n`,
  );
  return 1;
}

/** `--help` prints the usage and exits 0; anything but --allow-partial exits 2 (the settings come from the environment). */
function handleCommandLine(argv: string[]): void {
  const usage = `Sends a real query as a consumer (client certificate and API key) and passes only on a whole answer; one
JSON line on stdout, exit 0 on the first successful attempt, 1 when every attempt failed.

usage: npm run -s heartbeat [-- --allow-partial]        (settings from the environment)

environment:
  SERVICE_URL                     the consumer listener (required; /graphql is appended unless there)
  API_KEY                         sent as x-api-key
  MTLS_CERT, MTLS_KEY, MTLS_CA    base64 PEM: client certificate and key; CA of the server certificate
  HEARTBEAT_HMPPS_ID              the person asked for, known to prison and probation (default: well-known \`linked\`)
  HEARTBEAT_QUERY                 the query; gets $hmppsId
  HEARTBEAT_EXPECT_PATH           comma-separated dot paths that must each hold a value
  HEARTBEAT_ALLOW_PARTIAL=true    errors in the answer do not fail it by themselves (as --allow-partial)
  HEARTBEAT_ATTEMPTS              default 5
  HEARTBEAT_INTERVAL_MS           pause between attempts, default 10000
  HEARTBEAT_TIMEOUT_MS            per attempt, default 10000
  HEARTBEAT_VERBOSE=true          one stderr line per failed attempt

options:
  --allow-partial   errors in the answer are reported but do not fail it on their own
  -h, --help        this text; nothing is sent`;
  commandLine(argv, { command: 'npm run heartbeat', usage, options: { 'allow-partial': { type: 'boolean' } } });
}

handleCommandLine(process.argv.slice(2));
process.exitCode = await main();
