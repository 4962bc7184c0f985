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

/** The first `n` people in prison, read from the population itself (prisoner search's attribute search). */
async function inPrison(sims: { urls: { prisonerSearch: string }; token(): Promise<string> }, n: number): Promise<Array<{ prisonerNumber: string; lastName: string }>> {
  const res = await fetch(`${sims.urls.prisonerSearch}/attribute-search?page=0&size=${n}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await sims.token()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      joinType: 'AND',
      queries: [{ joinType: 'AND', matchers: [{ type: 'String', attribute: 'status', condition: 'IS', searchTerm: 'ACTIVE IN' }] }],
      pagination: { page: 0, size: n },
    }),
  });
  return ((await res.json()) as { content: Array<{ prisonerNumber: string; lastName: string }> }).content;
}

/** `n` prison numbers of people in prison. */
export async function prisonersInPrison(sims: { urls: { prisonerSearch: string }; token(): Promise<string> }, n: number): Promise<string[]> {
  return (await inPrison(sims, n)).map((p) => p.prisonerNumber);
}

/** The distinct last names (letters only) of the first `n` people in prison: names a search will find. */
export async function lastNamesInPrison(sims: { urls: { prisonerSearch: string }; token(): Promise<string> }, n: number): Promise<string[]> {
  return [...new Set((await inPrison(sims, n)).map((p) => p.lastName))].filter((name) => /^[A-Za-z]+$/.test(name));
}
