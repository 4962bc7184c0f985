/** Upstream call counts read from the simulators' counters, and the table the batching tests print. */

/** Requests per `<upstream> <route>`, the token endpoint and the simulators' own entries left out. */
export function requestsByRoute(counters: Record<string, Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [upstream, routes] of Object.entries(counters)) {
    if (upstream.startsWith('_') || upstream === 'auth') continue;
    for (const [route, count] of Object.entries(routes)) out[`${upstream} ${route}`] = count;
  }
  return out;
}

/** One row per route, one column per N (`table[N][route]`); `mark` prefixes a route (e.g. `*` for batch routes). */
export function callTable(title: string, table: Record<number, Record<string, number>>, mark: (route: string) => string = () => ' '): string {
  const routes = [...new Set(Object.values(table).flatMap((r) => Object.keys(r)))].sort();
  const ns = Object.keys(table).map(Number);
  const width = Math.max(78, ...routes.map((r) => r.length + 2));
  const lines = [`\n${title}`, `${'route'.padEnd(width)}${ns.map((n) => `N=${n}`.padStart(8)).join('')}`];
  for (const r of routes) lines.push(`${mark(r)}${r.padEnd(width - 1)}${ns.map((n) => String(table[n]![r] ?? 0).padStart(8)).join('')}`);
  return `${lines.join('\n')}\n`;
}
