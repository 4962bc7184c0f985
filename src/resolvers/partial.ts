import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { omittedFrom } from '../domain/omitted.js';
import { graphQLError } from '../errors/contract.js';
import type { ResolverContext } from './context.js';
import { toConsumerError } from './errors.js';

/**
 * Lists that are answered although part of them is missing (docs/adr/0021): the list is returned
 * with what the sources gave, and an error at the list's own path says what is missing -
 * `extensions.missingSources` names the source(s) (`PRISON`, `PROBATION`: the `RecordSource` enum),
 * and `extensions.omittedEntries` how many entries that source gave that broke its contract and were
 * left out. graphql-js has no way for a resolver to return a value and an error for the same field:
 * resolvers put such errors in the request's `partialErrors`, and the gateway's Apollo plugin adds
 * them to the response (src/server/apollo.ts).
 */
export type RecordSource = 'PRISON' | 'PROBATION';

const AREA: Record<RecordSource, 'prison' | 'probation'> = { PRISON: 'prison', PROBATION: 'probation' };
const NAME: Record<RecordSource, string> = { PRISON: 'prison', PROBATION: 'probation' };

/** One side of a merged list: how to get its entries (a lookup may throw, at once or later). */
export interface ListSide<T> {
  source: RecordSource;
  entries: () => T[] | Promise<T[]>;
}

type Settled<T> = { source: RecordSource; entries: T[] } | { source: RecordSource; error: GraphQLError };

async function settle<T>(side: ListSide<T>): Promise<Settled<T>> {
  try {
    return { source: side.source, entries: await side.entries() };
  } catch (e) {
    const error = toConsumerError(e);
    // Anything but an upstream failure is a bug: it fails the field as it would have before.
    if (!(error instanceof GraphQLError)) throw error;
    return { source: side.source, error };
  }
}

/**
 * A list fed by prison and probation (`merge` combines what the sides gave). A side that fails costs
 * its own entries only: the other side's are returned, with an error at the list's path naming the
 * missing source. Only when every side fails is the list null (one error, naming every source).
 */
export async function mergedList<T>(
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
  sides: ReadonlyArray<ListSide<T>>,
  merge: (lists: Partial<Record<RecordSource, T[]>>) => T[],
): Promise<T[]> {
  const settled = await Promise.all(sides.map(settle));
  const failed = settled.filter((s): s is Extract<Settled<T>, { error: GraphQLError }> => 'error' in s);
  if (failed.length > 0 && failed.length === settled.length) {
    throw missingSides(failed[0]!.error, failed.map((s) => s.source), 'The list could not be given.');
  }
  const path = responsePathAsArray(info.path);
  for (const { source, error } of failed) {
    ctx.partialErrors.push(missingSides(error, [source], `The list holds only the entries from ${NAME[other(source)]}.`, info, path));
  }
  const lists: Partial<Record<RecordSource, T[]>> = {};
  for (const s of settled) {
    if (!('entries' in s)) continue;
    lists[s.source] = s.entries;
    reportOmitted(ctx, info, s.entries, s.source);
  }
  return merge(lists);
}

/**
 * A list from one source: returned as it is and, when the source gave entries that broke its
 * contract (left out at the datasource boundary), an error at its path says how many.
 */
export function reportOmitted(ctx: ResolverContext, info: GraphQLResolveInfo, list: readonly unknown[] | null, source: RecordSource): void {
  reportOmittedEntries(ctx, info, omittedFrom(list), source);
}

/** A list from one source, with an error at its path when entries were left out of it (ADR 21). */
export function withOmissionsReported<T>(ctx: ResolverContext, info: GraphQLResolveInfo, source: RecordSource, list: T[]): T[] {
  reportOmitted(ctx, info, list, source);
  return list;
}

/** A resolver of a list inside a record (`pick`), reporting the entries left out of it. */
export function reportedList<P>(source: RecordSource, pick: (parent: P) => unknown[]) {
  return (parent: P, _args: unknown, ctx: ResolverContext, info: GraphQLResolveInfo): unknown[] => withOmissionsReported(ctx, info, source, pick(parent));
}

/**
 * `omitted` entries a source gave that broke its contract, reported at the field's path (for a page
 * made of several upstream pages: what was left out of the pages read for it).
 */
export function reportOmittedEntries(
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
  omitted: number,
  source: RecordSource,
  then = 'The list holds the others.',
): void {
  if (omitted === 0) return;
  const entries = omitted === 1 ? '1 entry' : `${omitted} entries`;
  ctx.partialErrors.push(
    graphQLError(
      'UPSTREAM_INVALID_RESPONSE',
      `${entries} from ${NAME[source]} could not be used: a source system gave an invalid answer. ${then}`,
      { area: AREA[source], retryable: false, missingSources: [source], omittedEntries: omitted },
      { nodes: info.fieldNodes, path: responsePathAsArray(info.path) },
    ),
  );
}

const other = (source: RecordSource): RecordSource => (source === 'PRISON' ? 'PROBATION' : 'PRISON');

/** The consumer error of a failed side, naming the sources whose entries are missing. */
function missingSides(
  error: GraphQLError,
  sources: RecordSource[],
  then: string,
  info?: GraphQLResolveInfo,
  path?: ReadonlyArray<string | number>,
): GraphQLError {
  const { code, ...extensions } = error.extensions as { code: Parameters<typeof graphQLError>[0] } & Record<string, unknown>;
  return graphQLError(code, `${error.message} ${then}`, { ...extensions, missingSources: sources }, info && path ? { nodes: info.fieldNodes, path } : {});
}
