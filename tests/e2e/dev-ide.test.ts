/**
 * The development listener's GraphQL IDEs, in a real headless Chromium (Debian `chromium`) whose network
 * reaches loopback only:
 * - GraphiQL at /graphiql is served whole by the listener (no CDN): it loads, runs the consumer guide's first
 *   example for a well-known person and shows the answer's `firstName`;
 * - Apollo Sandbox at /graphql opens with the consumer guide's examples as its document.
 * `UPDATE_SCREENSHOTS=1` writes docs/graphiql.png and docs/sandbox.png (Sandbox's offline fallback), both
 * shown in the README (tests/delivery/docs.test.ts checks they exist and are referenced).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, type BrowserPage } from '../support/browser.js';
import { REPO_ROOT, wellKnownPeople } from '../../local-stack/simulators.js';
import { useGatewayStack } from '../support/stack.js';

const stack = useGatewayStack({ env: { NODE_ENV: 'development', DEV_LISTENER: 'true' } });
let browser: BrowserPage;
const linked = wellKnownPeople().people.find((p) => p.key === 'linked')!;

beforeAll(async () => {
  browser = await openBrowser({ width: 1400, height: 860 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('GraphiQL on the development listener (offline)', () => {
  it('loads from the listener alone, runs a well-known-person query and shows firstName', async () => {
    const dev = stack.gateway.devUrl!;
    await browser.navigate(`${dev}/graphiql`);
    await browser.waitFor<boolean>("document.querySelector('.graphiql-execute-button') !== null");
    // The first tab is the consumer guide's first example, for the guide's example id (the `linked` person).
    const query = await browser.evaluate<string>("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()");
    expect(query).toMatch(/^query PersonSummary\(\$hmppsId: ID!\)/);
    await browser.evaluate("document.querySelector('.graphiql-execute-button').click()");
    const result = await browser
      .waitFor<string>("(function () { var r = document.querySelector('.result-window'); var t = r ? r.innerText : ''; return t.indexOf('firstName') >= 0 ? t : ''; })()")
      .catch(async (e: unknown) => {
        const shot = join(tmpdir(), 'graphiql-failure.png');
        writeFileSync(shot, await browser.screenshot());
        throw new Error(`${(e as Error).message}; the page: ${shot}; its result pane: ${await browser.evaluate<string>("(document.querySelector('.result-window') || document.body).innerText.slice(0, 500)")}`);
      });
    expect(result).toContain(`"firstName": "${linked.firstName}"`);
    if (process.env.UPDATE_SCREENSHOTS === '1') writeFileSync(join(REPO_ROOT, 'docs', 'graphiql.png'), await browser.screenshot());

    // Everything came from the development listener; nothing failed; no script errors.
    expect(browser.requests.length).toBeGreaterThanOrEqual(6);
    expect(browser.requests.filter((u) => !u.startsWith(`${dev}/`) && !u.startsWith("data:")).map((u) => u.slice(0, 80))).toEqual([]); // fonts are inlined (data:)
    expect(browser.failures).toEqual([]);
    expect(browser.errors).toEqual([]);
  }, 60_000);

  it('goes through the listener\'s identity rules like /graphql (a foreign Origin is refused)', async () => {
    const res = await fetch(`${stack.gateway.devUrl}/graphiql`, { headers: { origin: 'https://attacker.example' } });
    expect(res.status).toBe(403);
    const asset = await fetch(`${stack.gateway.devUrl}/graphiql/assets/graphiql.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${stack.gateway.devUrl}/graphiql/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('Apollo Sandbox on the development listener', () => {
  it("opens with the consumer guide's examples preloaded (document and variables)", async () => {
    const res = await fetch(`${stack.gateway.devUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const name of ['PersonSummary', 'People', 'Search', 'ActiveAlerts']) expect([name, html.includes(`query ${name}(`)]).toEqual([name, true]);
    expect(html).toContain(linked.prisonNumber!);
    // In the browser: the page is the embedded Sandbox with that initial document (its frame needs Apollo's
    // CDN, unreachable here, so only the page's own state is checked).
    await browser.navigate(`${stack.gateway.devUrl}/graphql`);
    expect(await browser.evaluate<boolean>("document.documentElement.outerHTML.indexOf('query PersonSummary(') >= 0")).toBe(true);
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      // What a developer without Apollo's CDN sees: the page's own fallback (the frame never loads).
      await new Promise((r) => setTimeout(r, 2000));
      writeFileSync(join(REPO_ROOT, 'docs', 'sandbox.png'), await browser.screenshot());
    }
  }, 30_000);
});
