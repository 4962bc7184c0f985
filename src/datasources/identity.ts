import DataLoader from 'dataloader';
import { parseHmppsId, type HmppsId } from '../domain/identifiers.js';
import { personFrom, type PersonRef, type PrisonRecord, type ProbationRecord } from '../domain/person.js';

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
  requestedPrisonNumber: string | null;
}

/**
 * Resolves hmppsIds to people: the linked CRN and prison number and both halves of the record.
 *
 * All ids asked for in one tick are resolved together in fixed stages, so that each upstream batch
 * route is called once per stage for the whole operation, not once per person:
 *  1. probation search by CRN and by prison number, core person record links, and - when every id is
 *     a prison number - prisoner search (so the common case costs one round trip);
 *  2. prisoner search for every prison number still missing, and probation search for CRNs that only
 *     the core person record knew;
 *  3. only for prison numbers prisoner search does not know: the merged-record lookup.
 * A CRN must first become a prison number, so mixed operations take one more round trip: the price
 * of one prisoner-search call instead of two.
 */
export function createPersonLoader(records: IdentityLoaders) {
  return new DataLoader<string, PersonRef | null>(async (keys) => {
    const ids = keys.map((k) => parseHmppsId(k) as HmppsId);
    const anyCrn = ids.some((id) => id.kind === 'crn');
    const loadPrison = (n: string) => settle(records.prisonRecord.load(n));

    // Stage 1
    const pending: Pending[] = await Promise.all(
      ids.map(async (id): Promise<Pending> => {
        if (id.kind === 'crn') {
          const [probation, linked] = await Promise.all([
            settle(records.probationRecord.load(id.crn)),
            records.linkedPrisonNumber.load(id.crn),
          ]);
          // Probation search is the system of record for CRNs: a CRN it does not know is not a person.
          const known = !(probation instanceof Error) && probation !== null;
          const prisonNumber = known ? (linked ?? probation.prisonNumber) : null;
          return { id, probation, prisonNumber, prison: undefined, requestedPrisonNumber: null };
        }
        const n = id.prisonNumber;
        const [probation, linkedCrn, prison] = await Promise.all([
          settle(records.probationRecordByPrisonNumber.load(n)),
          records.linkedCrn.load(n),
          anyCrn ? undefined : loadPrison(n),
        ]);
        const current = { id, probation, prisonNumber: n, prison, requestedPrisonNumber: null };
        if (linkedCrn && !(probation instanceof Error) && probation?.crn !== linkedCrn) {
          // The record service links a CRN that probation search did not return for this number.
          current.probation = await settle(records.probationRecord.load(linkedCrn));
        }
        return current;
      }),
    );

    // Stage 2
    await Promise.all(
      pending.map(async (p) => {
        if (p.prison === undefined) p.prison = p.prisonNumber ? await loadPrison(p.prisonNumber) : null;
      }),
    );

    // Stage 3: a prison number that prisoner search does not know may have been merged into another.
    await Promise.all(
      pending.map(async (p) => {
        if (!p.prisonNumber || p.prison !== null) return;
        const survivor = await settle(records.mergedPrisonRecord.load(p.prisonNumber));
        p.prison = survivor;
        if (survivor instanceof Error || !survivor) return;
        if (p.id.kind === 'prisonNumber') p.requestedPrisonNumber = p.prisonNumber;
        p.prisonNumber = survivor.prisonNumber;
        if (!(p.probation instanceof Error) && !p.probation) {
          p.probation = await settle(records.probationRecordByPrisonNumber.load(survivor.prisonNumber));
        }
      }),
    );

    return pending.map((p) => settleIdentity(p));
  });
}

/**
 * A person is answered when the system that holds the id they were asked by could be asked: the
 * other half may be missing (its fields then report the failure). Only when identity itself cannot
 * be established is the whole person an error.
 */
function settleIdentity(p: Pending): PersonRef | null | Error {
  const prison = p.prison ?? null;
  const prisonError = prison instanceof Error ? prison : null;
  const probationError = p.probation instanceof Error ? p.probation : null;
  const prisonRecord = prisonError ? null : (prison as PrisonRecord | null);
  const probationRecord = probationError ? null : (p.probation as ProbationRecord | null);
  if (p.id.kind === 'crn') {
    if (probationError) return probationError;
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
