import DataLoader from 'dataloader';

/** Upstream routes without a batch form are called per key, at most this many at once per loader. */
export const PER_KEY_CONCURRENCY = 8;

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A DataLoader batch function for a route without a batch form: calls `fetch` once per key, a few
 * at a time; a key whose call fails gets its own error, the other keys of the batch their answer.
 */
export function perKey<V>(fetch: (key: string) => Promise<V>) {
  return (keys: readonly string[]): Promise<(V | Error)[]> =>
    mapLimit(keys, PER_KEY_CONCURRENCY, (key) => fetch(key).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
}

/**
 * A DataLoader whose keys are plain objects (a person and a question, e.g. one upstream page): keys are
 * the same when their JSON is, so the same question asked twice in an operation is fetched once; each
 * key is fetched on its own (`perKey`). Keys must be JSON with a stable property order.
 */
export function perQuestion<K, V>(fetch: (key: K) => Promise<V>): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    (keys) => perKey((json) => fetch(JSON.parse(json) as K))(keys.map((k) => JSON.stringify(k))),
    { cacheKeyFn: (k) => JSON.stringify(k) },
  );
}
