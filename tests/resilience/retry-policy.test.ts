/** Which calls may be retried, and how long a retry waits. */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { backoffMs, isIdempotent, READ_ONLY_POST_ROUTES } from '../../src/datasources/http/retry.js';
import { REPO_ROOT } from '../../local-stack/simulators.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('retry policy', () => {
  it('GET is retried; POST only on the read-only batch and search routes', () => {
    expect(isIdempotent('personRecord', 'GET', 'GET /person/prison/{prisonNumber}')).toBe(true);
    expect(isIdempotent('probationSearch', 'POST', 'POST /crns')).toBe(true);
    expect(isIdempotent('alerts', 'POST', 'POST /prisoners/{prisonNumber}/alerts')).toBe(false);
    expect(isIdempotent('prisonApi', 'POST', 'POST /api/offenders')).toBe(false);
    // The same route on another upstream is not the same route.
    expect(isIdempotent('alerts', 'POST', 'POST /crns')).toBe(false);
    expect(isIdempotent('alerts', 'POST', 'POST /prisoners/{prisonNumber}/alerts', true)).toBe(true);
  });

  it('every POST route the gateway calls has been classified as read-only (a new one needs a decision)', () => {
    const routes = new Set<string>();
    for (const file of sourceFiles(join(REPO_ROOT, 'src', 'datasources'))) {
      if (file.includes(`${join('datasources', 'http')}`)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/'(POST \/[^']*)'/g)) routes.add(m[1]!);
    }
    expect(routes.size).toBeGreaterThan(0);
    const known = new Set([...READ_ONLY_POST_ROUTES].map((key) => key.slice(key.indexOf(' ') + 1)));
    expect([...routes].filter((r) => !known.has(r))).toEqual([]);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const options = { maxRetries: 5, baseDelayMs: 50, maxDelayMs: 300 };
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(n, options, () => 1))).toEqual([50, 100, 200, 300, 300]);
    expect(backoffMs(3, options, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(2, options)));
    expect(spread.size).toBeGreaterThan(10);
    for (const d of spread) expect(d).toBeLessThanOrEqual(200);
  });
});
