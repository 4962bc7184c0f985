import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { httpStatusOf } from '../../errors/contract.js';
import type { DevExamples } from '../dev-examples.js';

export interface GraphiqlOptions {
  examples: DevExamples;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The files GraphiQL needs, from node_modules (devDependencies `graphiql`, `react`, `react-dom`: ADR 12):
 * nothing is fetched from a CDN. Read on first use; null when they are not installed (a production-only
 * install has no development listener anyway).
 */
function loadAssets(): Map<string, { type: string; body: Buffer }> | null {
  try {
    const js = 'text/javascript; charset=utf-8';
    return new Map([
      ['react.js', { type: js, body: readFileSync(join(packageDir('react'), 'umd', 'react.production.min.js')) }],
      ['react-dom.js', { type: js, body: readFileSync(join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js')) }],
      ['graphiql.js', { type: js, body: readFileSync(join(packageDir('graphiql'), 'graphiql.min.js')) }],
      ['graphiql.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(packageDir('graphiql'), 'graphiql.min.css')) }],
    ]);
  } catch {
    return null;
  }
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Person Graph - GraphiQL (development)</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script src="/graphiql/assets/init.js"></script>
</body>
</html>
`;

/** Starts GraphiQL against this listener's /graphql, with the consumer guide's examples as tabs. */
function initScript(examples: DevExamples): string {
  const tabs = examples.operations.map((o) => ({ query: o.document, variables: JSON.stringify(o.variables, null, 2) }));
  return `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var tabs = ${JSON.stringify(tabs)};
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: tabs.length > 0 ? tabs : undefined,
    variables: tabs.length > 0 ? tabs[0].variables : undefined,
    defaultEditorToolsVisibility: 'variables',
    shouldPersistHeaders: false,
    storage: { getItem: function () { return null; }, setItem: function () {}, removeItem: function () {}, clear: function () {}, length: 0 }
  }));
})();
`;
}

/**
 * Development listener only: a self-hosted GraphiQL at /graphiql, for networks where Apollo Sandbox (served
 * from Apollo's CDN) cannot load. Its requests go through the same pipeline as every other request of the
 * listener (identity: loopback Host and Origin, the fixed development consumer).
 */
const graphiql: FastifyPluginAsync<GraphiqlOptions> = async (app, { examples }) => {
  let assets: ReturnType<typeof loadAssets> | undefined;
  const init = Buffer.from(initScript(examples));
  app.get('/graphiql', async (_request, reply) => {
    assets ??= loadAssets();
    if (!assets) return reply.code(httpStatusOf('SERVICE_UNAVAILABLE')).type('text/plain; charset=utf-8').send('GraphiQL is not installed here: run `npm ci` (it is a devDependency).\n');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(PAGE);
  });
  app.get<{ Params: { file: string } }>('/graphiql/assets/:file', async (request, reply) => {
    assets ??= loadAssets();
    if (request.params.file === 'init.js') return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(init);
    const asset = assets?.get(request.params.file);
    if (!asset) return reply.callNotFound();
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
};

export const graphiqlPlugin = fp(graphiql, { name: 'graphiql', dependencies: ['identity'] });
