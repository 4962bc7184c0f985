import DataLoader from 'dataloader';
import { parseHmppsId, type HmppsId } from '../domain/identifiers.js';
import { personFrom, type PersonRef, type PrisonRecord, type ProbationRecord } from '../domain/person.js';
import { isVisible, probationMayDecide, visibilityByPrison, visibilityOf, type RowFilters } from '../domain/visibility.js';
import type { Side } from './speculation.js';

type Settled<T> = T | Error;

/** What identity resolution asks: each a per-request DataLoader of one upstream (see request-loaders.ts). */
export interface IdentityLoaders {
  /** Prisoner search: prison number -> prison record. */
  readonly prisonRecord: DataLoader<string, PrisonRecord | null>;
  /** Prisoner search: old (merged) prison number -> the surviving prison record. */
  readonly mergedPrisonRecord: DataLoader<string, PrisonRecord | null>;
  /** Probation search: CRN -> probation record. */
  readonly probationRecord: DataLoader<string, ProbationRecord | null>;
  /** Probation search: prison number -> probation record. */
  readonly probationRecordByPrisonNumber: DataLoader<string, ProbationRecord | null>;
  /** Core person record: CRN -> its one linked prison number (never rejects: `null` when unknown). */
  readonly linkedPrisonNumber: DataLoader<string, string | null>;
  /** Core person record: prison number -> its one linked CRN (never rejects: `null` when unknown). */
  readonly linkedCrn: DataLoader<string, string | null>;
  /**
   * Starts the person-data lookups the operation will make for `key` (a prison number or CRN) of
   * `side`, without waiting for them (src/datasources/speculation.ts): those that the fields which
   * asked for the hmppsIds `origins` (the ids `key` was found from) select.
   */
  speculate?(origins: readonly string[], side: Side, key: string): void;
  /**
   * The consumer's row filters (src/domain/visibility.ts); absent: none. A person they hide costs no
   * more than an id nobody holds (see round 3 below).
   */
  readonly rowFilters?: RowFilters;
}

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return await p;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

interface Pending {
  id: HmppsId;
  probation: Settled<ProbationRecord | null>;
  prisonNumber: string | null;
  prison: Settled<PrisonRecord | null> | undefined;
  /** The surviving record, when the prison number was merged into another (asked with the number). */
  merged: Settled<PrisonRecord | null> | undefined;
  /** The CRN the core person record links, when probation search returned another (or none). */
  linkedCrn: string | null;
  requestedPrisonNumber: string | null;
}

/**
 * Stand-in prison number, asked of prisoner search when round 2 would otherwise have nothing to ask
 * (a batch of CRNs none of which has a prison number: unknown ids, probation-only people). Whether a
 * CRN has a prison number is something a filtered person has and an unknown id has not: if it decided
 * whether prisoner search is called, the number of upstream calls and round trips (so the response
 * time) would tell a consumer that a person it may not see exists (issue 14). The answers about this
 * number are never used.
 */
export const COVER_PRISON_NUMBER = 'Z9999ZY';

/**
 * The stand-in number of round 3 for the id at `position` of a batch: distinct per position, so that a
 * batch costs one pair of calls per id that needs one, whichever of them are people.
 */
export function standInPrisonNumber(position: number): string {
  return `Z${String(9000 + (position % 1000))}ZX`;
}

const COVER_CRNS = ['Z999990', 'Z999991', 'Z999992', 'Z999993'];
const COVER_PRISON_NUMBERS = ['Z9999ZA', 'Z9999ZB', 'Z9999ZC', 'Z9999ZD'];

/**
 * Stand-in ids that pad a batch of hmppsIds to at least `perKind` CRNs and `perKind` prison numbers,
 * so that resolving it costs the same calls in the same rounds whether it holds 0 or up to `perKind`
 * real ids of each kind (the core person record has no batch route: one call per id). Used where the
 * number of ids to resolve depends on people the consumer may not see (search matches checked
 * against row filters). Their answers are never used.
 */
export function coverIds(keys: readonly string[], perKind: number): string[] {
  const ids = keys.map((k) => parseHmppsId(k)).filter((id): id is HmppsId => id !== null);
  const crns = ids.filter((id) => id.kind === 'crn').length;
  const numbers = ids.length - crns;
  const pad = (pool: string[], have: number) => pool.filter((c) => !keys.includes(c)).slice(0, Math.max(0, Math.min(perKind, pool.length) - have));
  return [...pad(COVER_CRNS, crns), ...pad(COVER_PRISON_NUMBERS, numbers)];
}

/**
 * Resolves hmppsIds to people: the linked CRN and prison number and both halves of the record.
 *
 * The work does not depend on whether a person exists, only on the kinds of id asked (ADR 1, issue
 * 14: filtered and unknown ids cost the same calls in the same rounds). All ids asked for in one tick
 * are resolved together in fixed rounds, each upstream batch route called once per round for the
 * whole operation:
 *  1. probation search by CRN and by prison number, core person record links, and - when every id is
 *     a prison number - prisoner search by number and the merged-record lookup (so the common case
 *     costs one round trip, whether or not prisoner search knows the number);
 *  2. only when a CRN was asked: prisoner search and the merged-record lookup for the prison numbers
 *     the CRNs lead to (or, when none does, for a stand-in number); probation search for a CRN only
 *     the core person record links;
 *  3. for a merged-away number whose surviving record the consumer may see (or whose probation half
 *     decides that: released, under a supervision filter of PROBATION or NONE): the core person
 *     record's link of the surviving number and probation search by it. A merged-away number of a
 *     person the prison half hides costs what an unknown number costs (the record service's 301 for
 *     it is not followed). Under a filter the probation half decides, every prison number that ends
 *     as nobody the consumer may see (unknown, hidden, merged-away and hidden) costs the same pair of
 *     calls about a stand-in number (`standInPrisonNumber`), so a hidden survivor's pair is no tell.
 * An identity step that fails is never "not known": the person is the error (see settleIdentity).
 *
 * Alongside (ADR 19), the person data the operation selects is asked early: the given id's own
 * side in round 1, and for a CRN the prison side in round 2 (by the number it leads to, or by the
 * stand-in number when none), in parallel with prisoner search. Which lookups start depends only on
 * the selection and the kinds of id, never on what the upstreams answer about the person.
 */
export function createPersonLoader(records: IdentityLoaders) {
  return new DataLoader<string, PersonRef | null>(async (keys) => {
    const ids = keys.map((k) => parseHmppsId(k) as HmppsId);
    const anyCrn = ids.some((id) => id.kind === 'crn');
    const filters = records.rowFilters;
    const loadPrison = (n: string) => settle(records.prisonRecord.load(n));
    // A number merged into another: the surviving number's prison side is asked as soon as it is known,
    // only when the prison half alone says the consumer may see them (else it costs what an unknown
    // number costs; a person the probation half decides about is asked once that is known).
    const seenByPrison = (survivor: PrisonRecord) => (filters ? visibilityByPrison(survivor, filters) : true);
    const loadMerged = (n: string, origins: readonly string[]) =>
      settle(records.mergedPrisonRecord.load(n)).then((survivor) => {
        if (survivor && !(survivor instanceof Error) && seenByPrison(survivor) === true) records.speculate?.(origins, 'prison', survivor.prisonNumber);
        return survivor;
      });
    ids.forEach((id, i) => records.speculate?.([keys[i]!], id.kind === 'crn' ? 'probation' : 'prison', id.kind === 'crn' ? id.crn : id.prisonNumber));

    // Round 1
    const pending: Pending[] = await Promise.all(
      ids.map(async (id, i): Promise<Pending> => {
        if (id.kind === 'crn') {
          const [probation, linked] = await Promise.all([
            settle(records.probationRecord.load(id.crn)),
            records.linkedPrisonNumber.load(id.crn),
          ]);
          // Probation search is the system of record for CRNs: a CRN it does not know is not a person.
          const known = !(probation instanceof Error) && probation !== null;
          const prisonNumber = known ? (linked ?? probation.prisonNumber) : null;
          return { id, probation, prisonNumber, prison: undefined, merged: undefined, linkedCrn: null, requestedPrisonNumber: null };
        }
        const n = id.prisonNumber;
        const [probation, linkedCrn, prison, merged] = await Promise.all([
          settle(records.probationRecordByPrisonNumber.load(n)),
          records.linkedCrn.load(n),
          anyCrn ? undefined : loadPrison(n),
          anyCrn ? undefined : loadMerged(n, [keys[i]!]),
        ]);
        return { id, probation, prisonNumber: n, prison, merged, linkedCrn, requestedPrisonNumber: null };
      }),
    );

    // Round 2: the prison side of every CRN, asked early by the number it leads to (or a stand-in).
    // Each number with the hmppsIds it was found from (their selections decide what is started for it).
    const originsOf = new Map<string, string[]>();
    pending.forEach((p, i) => {
      const n = p.id.kind === 'crn' ? (p.prisonNumber ?? COVER_PRISON_NUMBER) : p.prison === undefined ? p.prisonNumber : null;
      if (n) originsOf.set(n, [...(originsOf.get(n) ?? []), keys[i]!]);
    });
    pending.forEach((p, i) => {
      if (p.id.kind === 'crn') records.speculate?.([keys[i]!], 'prison', p.prisonNumber ?? COVER_PRISON_NUMBER);
    });
    const toAsk = [...new Set(pending.filter((p) => p.prison === undefined && p.prisonNumber).map((p) => p.prisonNumber!))];
    const numbers = anyCrn && toAsk.length === 0 ? [COVER_PRISON_NUMBER] : toAsk;
    const [asked] = await Promise.all([
      Promise.all(numbers.map(async (n) => [n, await Promise.all([loadPrison(n), loadMerged(n, originsOf.get(n) ?? [])])] as const)),
      ...pending.map(async (p) => {
        // The record service links a CRN that probation search did not return for this number.
        if (p.linkedCrn && !(p.probation instanceof Error) && p.probation?.crn !== p.linkedCrn) {
          p.probation = await settle(records.probationRecord.load(p.linkedCrn));
        }
      }),
    ]);
    const answers = new Map(asked);
    // A failure of this round's prisoner search leaves ids without a number undecided as well.
    const roundFailure = asked.flatMap(([, r]) => r).find((r): r is Error => r instanceof Error) ?? null;
    for (const p of pending) {
      if (p.prison !== undefined) continue;
      const answer = p.prisonNumber ? answers.get(p.prisonNumber) : undefined;
      p.prison = answer ? answer[0] : roundFailure;
      p.merged = answer ? answer[1] : roundFailure;
    }

    // Round 3: a prison number that prisoner search does not know may have been merged into another.
    const standIns = filters !== undefined && probationMayDecide(filters);
    await Promise.all(
      pending.map(async (p, i) => {
        if (p.prisonNumber && p.prison === null) {
          const survivor = p.merged ?? null;
          p.prison = survivor;
          if (survivor && !(survivor instanceof Error)) {
            if (p.id.kind === 'prisonNumber') p.requestedPrisonNumber = p.prisonNumber;
            p.prisonNumber = survivor.prisonNumber;
            // A CRN's probation half is its own record: it decides what the prison half leaves open.
            const seen = seenByPrison(survivor) ?? (p.id.kind === 'crn' && !(p.probation instanceof Error) ? isVisible({ prison: survivor, probation: p.probation }, filters!) : undefined);
            if (seen !== false && !(p.probation instanceof Error)) return followSurvivor(p, survivor);
          }
        }
        if (standIns && p.id.kind === 'prisonNumber' && seenByNobody(p, filters)) {
          await Promise.all([records.linkedCrn.load(standInPrisonNumber(i)), settle(records.probationRecordByPrisonNumber.load(standInPrisonNumber(i)))]);
        }
      }),
    );
    return pending.map((p) => settleIdentity(p));
  });

  /**
   * The surviving record's links: the core person record's link of the surviving number (the old
   * number's 301 is not followed) and, for a prison number, probation search by it - asked whether or
   * not the old number found a probation half (the pair a stand-in costs), used only when it did not.
   */
  async function followSurvivor(p: Pending, survivor: PrisonRecord): Promise<void> {
    const [link, byNumber] = await Promise.all([
      records.linkedCrn.load(survivor.prisonNumber),
      p.id.kind === 'crn' ? p.probation : settle(records.probationRecordByPrisonNumber.load(survivor.prisonNumber)),
    ]);
    if (!p.probation) p.probation = byNumber;
    if (link && !(p.probation instanceof Error) && p.probation?.crn !== link) p.probation = await settle(records.probationRecord.load(link));
  }
}

/**
 * Whether an id ends as nobody a consumer with these filters may see, with every identity step
 * answered (a failed step is the answer for filtered and unknown ids alike: see settleIdentity).
 */
function seenByNobody(p: Pending, filters: RowFilters): boolean {
  if (p.prison instanceof Error || p.probation instanceof Error || p.merged instanceof Error) return false;
  const person = settleIdentity(p);
  return person === null || (!(person instanceof Error) && visibilityOf(person, filters) === false);
}

/**
 * A person is answered when the system that holds the id they were asked by could be asked: the
 * other half may be missing (its fields then report the failure, and the resolvers decide whether
 * the consumer's row filters can still be judged). "Not known" (null, so NOT_FOUND) only when every
 * identity step answered: an unknown CRN while prisoner search is down is the failure, as a filtered
 * one would be (issue 12 item 6, issue 14).
 */
function settleIdentity(p: Pending): PersonRef | null | Error {
  const prison = p.prison ?? null;
  const prisonError = prison instanceof Error ? prison : null;
  const probationError = p.probation instanceof Error ? p.probation : null;
  const prisonRecord = prisonError ? null : (prison as PrisonRecord | null);
  const probationRecord = probationError ? null : (p.probation as ProbationRecord | null);
  if (p.id.kind === 'crn') {
    if (probationError) return probationError;
    if (!probationRecord) return prisonError;
  } else {
    if (prisonError && !probationRecord) return probationError ?? prisonError;
    if (probationError && !prisonRecord) return probationError;
  }
  return personFrom(probationRecord, prisonRecord, p.requestedPrisonNumber, {
    prison: prisonError,
    probation: probationError,
    prisonNumber: p.prisonNumber,
  });
}
