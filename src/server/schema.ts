import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/index.js';
import { subgraphSchema } from './federation.js';

/** The SDL in schema/ is the public contract; found beside src/ whether running from source or dist/. */
export function schemaDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'schema');
    if (existsSync(join(candidate, 'person.graphql'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('schema/ with the SDL files was not found next to the application');
}

export function loadTypeDefs(): string[] {
  const dir = schemaDirectory();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** The served schema: standalone gateway and Federation v2 subgraph at once (src/server/federation.ts). */
export function buildSchema(): GraphQLSchema {
  return subgraphSchema(loadTypeDefs(), resolvers);
}
