import type { GraphQLResolveInfo } from 'graphql';
import { selectsField } from '../datasources/index.js';
import type { PersonRef, PrisonDetails, PrisonRecord, ProbationRecord } from '../domain/person.js';
import { identifiersOf, preferredHmppsId } from '../domain/person.js';
import { ageOn } from '../domain/person.js';
import { alertAppliesOn, mergeAddresses, newestFirst, type Address, type Alert } from '../domain/profile.js';
import { londonDate } from '../domain/time.js';
import { supervisionStatusOf } from '../domain/visibility.js';
import type { ResolverContext } from './context.js';
import { toConsumerError } from './errors.js';
import { fingerprint, pageOf, pageSize } from './pagination.js';

/** Field resolvers of Person and the types hanging off it: thin, each reads one thing. */

type Resolver<Parent, Args = Record<string, never>> = (parent: Parent, args: Args, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown;

/** Awaits an upstream lookup; a failure becomes the consumer-facing error of that field only. */
export async function upstream<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (e) {
    throw toConsumerError(e);
  }
}

/** The prison half, or null when the person is not known to prison; an error when prison could not be asked. */
export function prisonHalf(person: PersonRef): PrisonRecord | null {
  if (person.prisonUnavailable) throw toConsumerError(person.prisonUnavailable);
  return person.prison;
}

export function probationHalf(person: PersonRef): ProbationRecord | null {
  if (person.probationUnavailable) throw toConsumerError(person.probationUnavailable);
  return person.probation;
}

const orEmpty = async <T>(key: string | null, load: (key: string) => Promise<T[]>): Promise<T[]> =>
  key ? upstream(load(key)) : [];

export const personResolvers: Record<string, Record<string, Resolver<PersonRef, never>>> = {
  Person: {
    hmppsId: (person) => preferredHmppsId(person),
    identifiers: (person) => person,
    firstName: (person) => person.combined.firstName,
    middleNames: (person) => person.combined.middleNames,
    lastName: (person) => person.combined.lastName,
    dateOfBirth: (person) => person.combined.dateOfBirth,
    gender: (person) => person.combined.gender,
    ethnicity: (person) => person.combined.ethnicity,
    aliases: (person) => person.combined.aliases,
    knownToPrison: (person) => prisonHalf(person) !== null,
    knownToProbation: (person) => probationHalf(person) !== null,
    supervisionStatus: (person) => {
      prisonHalf(person);
      probationHalf(person);
      return supervisionStatusOf(person);
    },
    limitedAccess: (person) => {
      const probation = probationHalf(person);
      // The CRN rides along for the limited-access details (src/resolvers/records.ts); it is not a field of LimitedAccess.
      return probation ? { excluded: probation.currentExclusion, restricted: probation.currentRestriction, crn: probation.crn } : null;
    },
    contactDetails: (person) => probationHalf(person)?.contactDetails ?? null,
    prison: (person) => prisonHalf(person)?.details ?? null,
    probation: (person) => (probationHalf(person) ? person : null),
    // Both halves are taken before any lookup starts: a half that could not be asked throws here,
    // before a promise exists that nobody would wait for.
    addresses: async (person, _args, { loaders }) => {
      const prisonNumber = prisonHalf(person)?.prisonNumber ?? null;
      const crn = probationHalf(person)?.crn ?? null;
      const [prison, probation] = await Promise.all([
        orEmpty(prisonNumber, (n) => loaders.prisonAddresses.load(n)),
        orEmpty(crn, (c) => loaders.probationAddresses.load(c)),
      ]);
      return mergeAddresses(prison, probation);
    },
    offences: async (person, _args, { loaders }, info) => {
      const prisonNumber = prisonHalf(person)?.prisonNumber ?? null;
      const crn = probationHalf(person)?.crn ?? null;
      // The courts come from the sentences of every booking: asked only when selected.
      const prisonOffences = selectsField(info.fieldNodes, info.fragments, 'courtName') ? loaders.prisonOffences : loaders.prisonConvictions;
      const [prison, probationCase] = await Promise.all([
        orEmpty(prisonNumber, (n) => prisonOffences.load(n)),
        probationCaseFor(crn, loaders),
      ]);
      return newestFirst([...prison, ...(probationCase?.offences ?? [])], (o) => o.offenceDate);
    },
    sentences: async (person, _args, { loaders }) => {
      const prisonNumber = prisonHalf(person)?.prisonNumber ?? null;
      const crn = probationHalf(person)?.crn ?? null;
      const [prison, probationCase] = await Promise.all([
        orEmpty(prisonNumber, (n) => loaders.prisonSentences.load(n)),
        probationCaseFor(crn, loaders),
      ]);
      return newestFirst([...prison, ...(probationCase?.sentences ?? [])], (s) => s.dateOfSentencing ?? s.startDate);
    },
    sentenceKeyDates: async (person, _args, { loaders }) => {
      const prison = prisonHalf(person);
      return prison ? upstream(loaders.keyDates.load(prison.prisonNumber)) : null;
    },
    alerts: (async (person: PersonRef, args: AlertArgs, ctx: ResolverContext) => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const first = pageSize(args.first ?? 50, 'first');
      const allowed = ctx.rowFilters.alertCodes;
      const wanted = args.codes ? new Set(args.codes) : null;
      const today = londonDate(new Date());
      const alerts = (await upstream(ctx.loaders.alerts.load(prison.prisonNumber)))
        .filter((a: Alert) => (!allowed || allowed.has(a.code)) && (!wanted || wanted.has(a.code)))
        .map((a: Alert) => ({ ...a, active: alertAppliesOn(a, today) }))
        .filter((a) => !args.activeOnly || a.active);
      const question = fingerprint(['alerts', prison.prisonNumber, args.activeOnly ?? false, args.codes ?? null]);
      return pageOf(newestFirst(alerts, (a) => instantOrder(a.createdAt) ?? a.activeFrom), first, args.after, question);
    }) as Resolver<PersonRef, never>,
    images: async (person, _args, { loaders }) => {
      const prison = prisonHalf(person);
      return prison ? upstream(loaders.images.load(prison.prisonNumber)) : null;
    },
    responsibleOfficer: (person) => person,
    protectedCharacteristics: (person) => person,
  },

  Identifiers: {
    crn: (person) => {
      probationHalf(person);
      return person.crn;
    },
    prisonNumber: (person) => person.prisonNumber,
    mergedFromPrisonNumber: (person) => person.requestedPrisonNumber,
    pncNumber: (person) => identifiersOf(person).pncNumber,
    croNumber: (person) => identifiersOf(person).croNumber,
  },

  PrisonDetails: {
    // Prisoner search names only the prison a person is in; a released person's last prison is looked up.
    prisonName: (async (details: PrisonDetails, _args: never, { loaders }: ResolverContext) =>
      details.prisonName ?? (details.prisonId ? upstream(loaders.prisonName.load(details.prisonId)) : null)) as unknown as Resolver<
      PersonRef,
      never
    >,
  },

  Address: {
    // A building name stands in the number when there is no house number (as before `buildingName`).
    number: ((address: Address) => address.houseNumber ?? address.buildingName) as unknown as Resolver<PersonRef, never>,
  },

  ProbationDetails: {
    underActiveSupervision: (person) => person.probation?.underActiveSupervision ?? false,
    dynamicRisks: async (person, _args, { loaders }) => (await probationCaseOf(person, loaders))?.dynamicRisks ?? [],
    mappa: async (person, _args, { loaders }) => (await probationCaseOf(person, loaders))?.mappa ?? null,
    statusInformation: async (person, _args, { loaders }) => (await probationCaseOf(person, loaders))?.statusInformation ?? [],
  },

  ResponsibleOfficer: {
    prisonOffenderManager: async (person, _args, { loaders }) => {
      const prison = prisonHalf(person);
      return prison ? upstream(loaders.prisonOffenderManager.load(prison.prisonNumber)) : null;
    },
    communityManager: async (person, _args, { loaders }) => (await probationCaseOf(person, loaders))?.communityManager ?? null,
  },

  ProtectedCharacteristics: {
    age: (person) => ageOn(person.combined.dateOfBirth, londonDate(new Date())),
    gender: (person) => person.combined.gender,
    sexualOrientation: (person) => probationHalf(person)?.sexualOrientation ?? null,
    ethnicity: (person) => person.combined.ethnicity,
    nationality: (person) => person.combined.nationality,
    religion: (person) => person.combined.religion,
    maritalStatus: (person) => prisonHalf(person)?.maritalStatus ?? null,
    disabilities: (person) => probationHalf(person)?.disabilities ?? [],
    reasonableAdjustments: async (person, _args, { loaders }) => {
      const bookingId = prisonHalf(person)?.bookingId;
      return bookingId ? upstream(loaders.reasonableAdjustments.load(bookingId)) : [];
    },
  },
};

/** Instants with different offsets do not sort as strings: order by their UTC form. */
function instantOrder(instant: string | null): string | null {
  const ms = instant ? Date.parse(instant) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

interface AlertArgs {
  activeOnly?: boolean | null;
  codes?: string[] | null;
  first?: number | null;
  after?: string | null;
}

async function probationCaseOf(person: PersonRef, loaders: ResolverContext['loaders']) {
  return probationCaseFor(probationHalf(person)?.crn ?? null, loaders);
}

async function probationCaseFor(crn: string | null, loaders: ResolverContext['loaders']) {
  return crn ? upstream(loaders.probationCase.load(crn)) : null;
}
