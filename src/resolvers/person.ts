import type { GraphQLResolveInfo } from 'graphql';
import { selectsField } from '../datasources/index.js';
import type { PersonRef, PrisonDetails, PrisonRecord, ProbationRecord } from '../domain/person.js';
import { identifiersOf, mergeAliases, preferredHmppsId } from '../domain/person.js';
import { ageOn } from '../domain/person.js';
import { alertAppliesOn, mergeAddresses, newestFirst, type Address, type Alert, type ProbationCase } from '../domain/profile.js';
import { londonDate } from '../domain/time.js';
import { supervisionStatusOf } from '../domain/visibility.js';
import type { ResolverContext } from './context.js';
import { toConsumerError } from './errors.js';
import { mergedList, reportedList as reportedListOf, reportOmitted, withOmissionsReported, type ListSide, type RecordSource } from './partial.js';
import { fingerprint, pageOf, pageSize } from './pagination.js';

/** Field resolvers of Person and the types hanging off it: thin, each reads one thing. */

export type Resolver<Parent, Args = Record<string, never>> = (parent: Parent, args: Args, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown;

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

/**
 * The sides of a list fed by both halves: one per half the person has, or that could not be asked
 * (that side fails with the half's error). A half the person does not have is no side at all.
 */
function halves<T>(
  person: PersonRef,
  load: { prison: (prisonNumber: string) => Promise<T[]>; probation: (crn: string) => Promise<T[]> },
): Array<ListSide<T>> {
  const sides: Array<ListSide<T>> = [];
  if (person.prisonUnavailable || person.prison) sides.push({ source: 'PRISON', entries: () => load.prison(prisonHalf(person)!.prisonNumber) });
  if (person.probationUnavailable || person.probation) sides.push({ source: 'PROBATION', entries: () => load.probation(probationHalf(person)!.crn) });
  return sides;
}

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
    // Fed by both halves as the combined record is (ADR 21): a half that could not be had, or aliases a
    // half gave that broke their contract, give an error at aliases naming the source.
    aliases: async (person, _args, ctx, info) =>
      mergedList(ctx, info, halves(person, { prison: async () => person.prison!.aliases, probation: async () => person.probation!.aliases }), (lists) =>
        lists.PROBATION && lists.PRISON ? mergeAliases(lists.PROBATION, lists.PRISON) : (lists.PROBATION ?? lists.PRISON ?? []),
      ),
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
    // Fed by both halves: a half that fails costs its own entries only (ADR 21).
    addresses: async (person, _args, ctx, info) =>
      mergedList(
        ctx,
        info,
        halves(person, {
          prison: (n) => ctx.loaders.prisonAddresses.load(n),
          probation: (crn) => ctx.loaders.probationAddresses.load(crn),
        }),
        (lists) => mergeAddresses(lists.PRISON ?? [], lists.PROBATION ?? []),
      ),
    offences: async (person, _args, ctx, info) => {
      // The courts come from the sentences of every booking: asked only when selected.
      const prisonOffences = selectsField(info.fieldNodes, info.fragments, 'courtName') ? ctx.loaders.prisonOffences : ctx.loaders.prisonConvictions;
      return withSupervisions(ctx, info, person, (n) => prisonOffences.load(n), (c) => c.offences, (o) => o.offenceDate);
    },
    sentences: async (person, _args, ctx, info) =>
      withSupervisions(ctx, info, person, (n) => ctx.loaders.prisonSentences.load(n), (c) => c.sentences, (s) => s.dateOfSentencing ?? s.startDate),
    sentenceKeyDates: async (person, _args, { loaders }) => {
      const prison = prisonHalf(person);
      return prison ? upstream(loaders.keyDates.load(prison.prisonNumber)) : null;
    },
    alerts: (async (person: PersonRef, args: AlertArgs, ctx: ResolverContext, info: GraphQLResolveInfo) => {
      const prison = prisonHalf(person);
      if (!prison) return null;
      const first = pageSize(args.first ?? 50, 'first');
      const allowed = ctx.rowFilters.alertCodes;
      const wanted = args.codes ? new Set(args.codes) : null;
      const today = londonDate(new Date());
      const all = await upstream(ctx.loaders.alerts.load(prison.prisonNumber));
      // An alert left out may be one of a code this consumer may not see: saying so would tell it such
      // alerts exist. Under an alert-code filter the omission is only counted for operators (ADR 21).
      if (!allowed) reportOmitted(ctx, info, all, 'PRISON');
      const alerts = all
        .filter((a: Alert) => (!allowed || allowed.has(a.code)) && (!wanted || wanted.has(a.code)))
        .map((a: Alert) => ({ ...a, active: alertAppliesOn(a, today) }))
        .filter((a) => !args.activeOnly || a.active);
      const question = fingerprint(['alerts', prison.prisonNumber, args.activeOnly ?? false, args.codes ?? null]);
      return pageOf(newestFirst(alerts, (a) => instantOrder(a.createdAt) ?? a.activeFrom), first, args.after, question);
    }) as Resolver<PersonRef, never>,
    images: async (person, _args, ctx, info) => {
      const prison = prisonHalf(person);
      return prison ? withOmissionsReported(ctx, info, 'PRISON', await upstream(ctx.loaders.images.load(prison.prisonNumber))) : null;
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

  // Lists inside a half's record, with an error at their path when entries were left out (ADR 21).
  PrisonDetails: {
    languages: reportedList('PRISON', (details: PrisonDetails) => details.languages),
    personalCareNeeds: reportedList('PRISON', (details: PrisonDetails) => details.personalCareNeeds),
    // Prisoner search names only the prison a person is in; a released person's last prison is looked up.
    prisonName: (async (details: PrisonDetails, _args: never, { loaders }: ResolverContext) =>
      details.prisonName ?? (details.prisonId ? upstream(loaders.prisonName.load(details.prisonId)) : null)) as unknown as Resolver<
      PersonRef,
      never
    >,
  },

  PhysicalCharacteristics: {
    distinguishingMarks: reportedList('PRISON', (c: PrisonDetails['physicalCharacteristics']) => c.distinguishingMarks),
  },

  ContactDetails: {
    phoneNumbers: reportedList('PROBATION', (c: ProbationRecord['contactDetails']) => c.phoneNumbers),
    emails: reportedList('PROBATION', (c: ProbationRecord['contactDetails']) => c.emails),
  },

  Address: {
    // A building name stands in the number when there is no house number (as before `buildingName`).
    number: ((address: Address) => address.houseNumber ?? address.buildingName) as unknown as Resolver<PersonRef, never>,
  },

  ProbationDetails: {
    underActiveSupervision: (person) => person.probation?.underActiveSupervision ?? false,
    dynamicRisks: async (person, _args, ctx, info) =>
      withOmissionsReported(ctx, info, 'PROBATION', (await probationCaseOf(person, ctx.loaders))?.dynamicRisks ?? []),
    mappa: async (person, _args, { loaders }) => (await probationCaseOf(person, loaders))?.mappa ?? null,
    statusInformation: async (person, _args, ctx, info) =>
      withOmissionsReported(ctx, info, 'PROBATION', (await probationCaseOf(person, ctx.loaders))?.statusInformation ?? []),
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
    disabilities: (person, _args, ctx, info) => withOmissionsReported(ctx, info, 'PROBATION', probationHalf(person)?.disabilities ?? []),
    reasonableAdjustments: async (person, _args, ctx, info) => {
      const bookingId = prisonHalf(person)?.bookingId;
      return bookingId ? withOmissionsReported(ctx, info, 'PRISON', await upstream(ctx.loaders.reasonableAdjustments.load(bookingId))) : [];
    },
  },
};

/** Prison entries and those of the probation case's supervisions, newest first (a merged list, ADR 21). */
function withSupervisions<T>(
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
  person: PersonRef,
  prison: (prisonNumber: string) => Promise<T[]>,
  ofCase: (probationCase: ProbationCase) => T[],
  dateOf: (entry: T) => string | null,
): Promise<T[]> {
  const probation = async (crn: string) => {
    const probationCase = await ctx.loaders.probationCase.load(crn);
    return probationCase ? ofCase(probationCase) : [];
  };
  return mergedList(ctx, info, halves(person, { prison, probation }), (lists) => newestFirst(Object.values(lists).flat(), dateOf));
}

/** partial.ts's `reportedList`, typed as this file's resolvers (ADR 21). */
function reportedList<P>(source: RecordSource, pick: (parent: P) => unknown[]): Resolver<PersonRef, never> {
  return reportedListOf(source, pick) as unknown as Resolver<PersonRef, never>;
}

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
