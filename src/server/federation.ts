/**
 * The served schema is a Federation v2 subgraph schema (docs/adr/0011-federation-subgraph.md): the SDL in
 * schema/ (with its `@link` and `Person @key(fields: "hmppsId")`) built by @apollo/subgraph, which adds
 * `Query._service { sdl }`, `Query._entities(representations)` and the `_Any`/`_Entity` types. One schema
 * for both roles: a consumer that is not a router never sees a difference unless its policy names the
 * federation fields. Shared by the gateway (src/server/schema.ts) and the schema contract scripts.
 */
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { concatAST, parse, type GraphQLSchema } from 'graphql';

/** The subgraph schema from SDL texts (in file-name order) and resolvers (none for the contract scripts). */
export function subgraphSchema(typeDefs: readonly string[], resolvers: object = {}): GraphQLSchema {
  const document = concatAST(typeDefs.map((sdl) => parse(sdl)));
  return buildSubgraphSchema({ typeDefs: document, resolvers: resolvers as never });
}

/** The SDL a router composes (what `_service { sdl }` answers): federation directives kept, federation fields left out. */
export function subgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}
