/**
 * The court-hearings test subgraph (hearings.graphql beside this file): a plain node:http GraphQL server
 * on loopback, built with @apollo/subgraph like any Federation v2 subgraph. It holds one hearing per
 * hmppsId it is given and counts what it is asked, so tests can see the router's plan.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';

export const HEARINGS_SDL_FILE = join(dirname(fileURLToPath(import.meta.url)), 'hearings.graphql');
export const HEARINGS_COURT = 'Sheffield Crown Court';

export interface Hearing {
  id: string;
  court: string;
  startsAt: string;
  hmppsId: string;
}

export interface HearingsSubgraph {
  url: string;
  /** Requests received, and how many of them were `_entities` calls. */
  counts: { requests: number; entities: number; representations: number };
  close(): Promise<void>;
}

/** One hearing per id at `court`, a day apart from 2030-01-07 at 10:00 UTC (synthetic). */
export function hearingsFor(hmppsIds: readonly string[], court = HEARINGS_COURT): Hearing[] {
  const prefix = court.replace(/[^A-Z]/g, '');
  return hmppsIds.map((hmppsId, i) => ({
    id: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    court,
    startsAt: new Date(Date.UTC(2030, 0, 7 + i, 10)).toISOString(),
    hmppsId,
  }));
}

export async function startHearingsSubgraph(hearings: readonly Hearing[], port = 0): Promise<HearingsSubgraph> {
  const byPerson = new Map<string, Hearing>();
  for (const h of hearings) if (!byPerson.has(h.hmppsId)) byPerson.set(h.hmppsId, h);
  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(HEARINGS_SDL_FILE, 'utf8')),
    resolvers: {
      Query: { hearingsListed: (_r: unknown, args: { court: string }) => hearings.filter((h) => h.court === args.court) },
      Hearing: { defendant: (h: Hearing) => ({ __typename: 'Person', hmppsId: h.hmppsId }) },
      Person: {
        __resolveReference: (ref: { hmppsId: string }) => ({ hmppsId: ref.hmppsId }),
        nextHearing: (p: { hmppsId: string }) => byPerson.get(p.hmppsId) ?? null,
      },
    } as never,
  });
  const counts = { requests: 0, entities: 0, representations: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        counts.requests++;
        let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"bad JSON"}]}');
          return;
        }
        if (body.query?.includes('_entities')) {
          counts.entities++;
          const reps = body.variables?.representations;
          counts.representations += Array.isArray(reps) ? reps.length : 0;
        }
        const result = await graphql({ schema, source: body.query ?? '', variableValues: body.variables, operationName: body.operationName });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
