import DataLoader from 'dataloader';
import { logContextOf, type LogContext } from '../../observability/log-context.js';
import type { Logger } from '../../observability/logger.js';
import { perKey } from '../batching.js';
import { soleLinkedId } from './mapping.js';
import type { CanonicalRecordDto, PersonRecordRoutes } from './routes.js';

/** A per-request loader of core person records by one kind of id: `null` when unknown; rejects when the call fails. */
export type PersonRecordLoader = DataLoader<string, CanonicalRecordDto | null>;

/** CRN -> the core person record (`GET /person/probation/{crn}`), one call per CRN, a few at a time. */
export const personRecordByCrnLoader = (routes: PersonRecordRoutes): PersonRecordLoader => new DataLoader(perKey((crn) => routes.byCrn(crn)));

/** Prison number -> the core person record (`GET /person/prison/{prisonNumber}`), one call per number. */
export const personRecordByPrisonNumberLoader = (routes: PersonRecordRoutes): PersonRecordLoader => new DataLoader(perKey((n) => routes.byPrisonNumber(n)));

/**
 * CRN -> prison number according to the core person record; `null` when unknown, ambiguous or failing.
 * Read from the records loader by CRN: a record already fetched in the request (the search's join,
 * `linksAmong`) is not asked again.
 */
export const linkedPrisonNumberLoader = (records: PersonRecordLoader, logger: Logger, context?: Partial<LogContext>) =>
  new DataLoader<string, string | null>((crns) => Promise.all(crns.map((crn) => linkOrNull(records.load(crn), 'prisonNumbers', logger, context))));

/** Prison number -> CRN according to the core person record; `null` when unknown, ambiguous or failing. */
export const linkedCrnLoader = (records: PersonRecordLoader, logger: Logger, context?: Partial<LogContext>) =>
  new DataLoader<string, string | null>((numbers) => Promise.all(numbers.map((n) => linkOrNull(records.load(n), 'crns', logger, context))));

/**
 * The record service is the first choice for links, never the only one: when it fails, the source
 * systems' own links are used instead, so its outage costs no data.
 */
async function linkOrNull(
  record: Promise<CanonicalRecordDto | null>,
  kind: 'crns' | 'prisonNumbers',
  logger: Logger,
  context: Partial<LogContext> | undefined,
): Promise<string | null> {
  try {
    return soleLinkedId(await record, kind);
  } catch (e) {
    logger.warn({ ...logContextOf(context), err: (e as Error).message }, 'core person record lookup failed; using source-system links');
    return null;
  }
}

/** The loaders `linksAmong` reads and primes (src/datasources/request-loaders.ts). */
export interface PersonRecordLinks {
  readonly personRecordByCrn: PersonRecordLoader;
  readonly personRecordByPrisonNumber: PersonRecordLoader;
  readonly linkedPrisonNumber: DataLoader<string, string | null>;
  readonly linkedCrn: DataLoader<string, string | null>;
}

/**
 * Which prison number the core person record links each of `crns` to, as `linkedPrisonNumber` would
 * answer, for every CRN whose link could be one of `prisonNumbers` (null: linked to none of them), with
 * the fewest lookups: the record service answers both directions with one person's record, whose
 * identifiers "come from all records related to this person" (core-person-record.json), so a CRN links
 * to a prison number P exactly when it is among the CRNs of P's record and P is that record's only
 * prison number. So the smaller of the two sets is looked up (`side`, or the smaller when not given):
 * by CRN, the link is read directly; by prison number, each record answers for the CRNs it lists.
 * `prisonNumbers` must be current numbers (a search's prison records: never a merged-away number, which
 * the record service answers with a redirect).
 *
 * What is learnt is primed into the per-request link loaders both ways (a CRN's prison number, a prison
 * number's CRN), so resolving the same people afterwards asks nothing again. A lookup that fails
 * leaves its ids unlinked and unprimed, as `linkedPrisonNumber` would. `cover`: stand-in ids looked up
 * beside them (answers unused) so that the number of lookups is what the caller decides (equal work).
 * `primeOtherKind: false`: only the ids looked up keep their records (when which ids are resolved
 * afterwards may depend on people the consumer may not see, what they cost must not: ADR 19).
 */
export async function linksAmong(
  loaders: PersonRecordLinks,
  crns: readonly string[],
  prisonNumbers: readonly string[],
  options: { side?: 'crn' | 'prisonNumber'; cover?: readonly string[]; primeOtherKind?: boolean } = {},
): Promise<Map<string, string | null>> {
  const side = options.side ?? (crns.length <= prisonNumbers.length ? 'crn' : 'prisonNumber');
  const keys = side === 'crn' ? crns : prisonNumbers;
  const records = await (side === 'crn' ? loaders.personRecordByCrn : loaders.personRecordByPrisonNumber).loadMany([...keys, ...(options.cover ?? [])]);
  const links = new Map<string, string | null>(crns.map((c) => [c, null]));
  const wantedCrns = new Set(crns);
  const wantedNumbers = new Set(prisonNumbers);
  keys.forEach((key, i) => {
    const record = records[i];
    if (record instanceof Error) return;
    const crnOfRecord = soleLinkedId(record ?? null, 'crns');
    const numberOfRecord = soleLinkedId(record ?? null, 'prisonNumbers');
    const ids = record?.identifiers;
    const crnsOf = side === 'crn' ? [key] : [...new Set(ids?.crns ?? [])].filter((c) => wantedCrns.has(c));
    for (const c of crnsOf) links.set(c, numberOfRecord);
    // The ids looked up keep their records (the link loaders read them); the other kind's are primed.
    if (!(options.primeOtherKind ?? true)) return;
    if (side === 'prisonNumber') for (const c of crnsOf) loaders.linkedPrisonNumber.prime(c, numberOfRecord);
    else for (const n of [...new Set(ids?.prisonNumbers ?? [])].filter((x) => wantedNumbers.has(x))) loaders.linkedCrn.prime(n, crnOfRecord);
  });
  return links;
}
