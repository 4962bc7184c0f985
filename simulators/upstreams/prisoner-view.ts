/** The DPS prisoner-search `Prisoner` document, built from the person model. */

import { SNAPSHOT_DATE, addDays, ageOn } from '../lib/dates.js';
import { addresses, alerts, bookings, images, profile, reasonableAdjustments } from '../lib/details.js';
import { canonicalPnc, shortPnc } from '../lib/identifiers.js';
import type { Person, Population } from '../lib/population.js';
import { Rng, hash32 } from '../lib/prng.js';
import { prisonName } from '../lib/reference.js';

export function genderText(sex: 'M' | 'F'): string {
  return sex === 'M' ? 'Male' : 'Female';
}

export function pncForms(pnc: string | null): { pncNumber?: string; pncNumberCanonicalShort?: string; pncNumberCanonicalLong?: string } {
  if (pnc === null) return {};
  const canonical = canonicalPnc(pnc);
  if (canonical === null) return { pncNumber: pnc };
  return {
    pncNumber: shortPnc(pnc),
    pncNumberCanonicalShort: canonical,
    pncNumberCanonicalLong: `${pnc.slice(0, 2)}${canonical}`,
  };
}

export function cellLocation(p: Person): string | undefined {
  if (p.prisonId === null || p.prisonId === 'OUT') return undefined;
  const h = hash32('cell', p.index);
  return `${'ABCDEFG'.charAt(h % 7)}-${1 + ((h >>> 3) % 4)}-${String(1 + ((h >>> 6) % 40)).padStart(3, '0')}`;
}

/** Identifiers as prisoner search lists them, MERGED entries included. */
export function prisonerIdentifiers(p: Person): Record<string, unknown>[] {
  const ids: Record<string, unknown>[] = [];
  if (p.pncNumber !== null) ids.push({ type: 'PNC', value: shortPnc(p.pncNumber) });
  if (p.croNumber !== null) ids.push({ type: 'CRO', value: p.croNumber });
  if (p.niNumber !== null) ids.push({ type: 'NINO', value: p.niNumber });
  for (const old of p.mergedPrisonNumbers) ids.push({ type: 'MERGED', value: old, issuedDate: addDays(SNAPSHOT_DATE, -(200 + (p.index % 300))) });
  return ids;
}

export function prisonerAliases(pop: Population, p: Person): Record<string, unknown>[] {
  if (p.aliases.length === 0) return [];
  const eth = profile(pop, p).ethnicity;
  return p.aliases.map((a) => ({
    title: a.sex === 'M' ? 'Mr' : 'Ms',
    firstName: a.firstName,
    middleNames: a.middleNames.length > 0 ? a.middleNames.join(' ') : undefined,
    lastName: a.lastName,
    dateOfBirth: a.dateOfBirth,
    gender: genderText(a.sex),
    ethnicity: eth.description,
    raceCode: eth.code,
  }));
}

/** Cheap subset of the Prisoner document: enough for most searches without building lists. */
export function lightPrisoner(pop: Population, p: Person): Record<string, unknown> {
  // Same key order as before: prisonerNumber, the PNC forms, then the core scalars.
  return {
    prisonerNumber: p.prisonNumber,
    ...pncForms(p.pncNumber),
    ...corePrisoner(p),
    cellLocation: cellLocation(p),
    aliases: prisonerAliases(pop, p),
    identifiers: prisonerIdentifiers(p),
  };
}

const HAIR = ['Black', 'Brown', 'Blonde', 'Grey', 'Red', 'Dark', 'Light', 'Bald'] as const;
const EYES = ['Blue', 'Brown', 'Green', 'Grey', 'Hazel'] as const;
const BUILDS = ['Medium', 'Slight', 'Stocky', 'Muscular', 'Proportional', 'Thin'] as const;
const FACES = ['Oval', 'Round', 'Square', 'Angular'] as const;
const BODY_PARTS = ['Arm', 'Hand', 'Neck', 'Shoulder', 'Leg', 'Torso', 'Face'] as const;

/** Scalar fields straight from the person model: no lists, no regular expressions. */
export function corePrisoner(p: Person): Record<string, unknown> {
  return {
    prisonerNumber: p.prisonNumber,
    croNumber: p.croNumber ?? undefined,
    bookingId: String(1_200_000 + p.index * 2),
    firstName: p.firstName,
    middleNames: p.middleNames.length > 0 ? p.middleNames.join(' ') : undefined,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    gender: genderText(p.sex),
    status: p.prisonId === 'OUT' ? 'INACTIVE OUT' : 'ACTIVE IN',
    inOutStatus: p.prisonId === 'OUT' ? 'OUT' : 'IN',
    prisonId: p.prisonId ?? undefined,
    lastPrisonId: p.lastPrisonId ?? undefined,
    previousPrisonId: p.previousPrisonId ?? undefined,
  };
}

export function fullPrisoner(pop: Population, p: Person): Record<string, unknown> {
  return pop.memo('prisoner', p.index, () => buildFullPrisoner(pop, p));
}

function buildFullPrisoner(pop: Population, p: Person): Record<string, unknown> {
  const prof = profile(pop, p);
  const rng = new Rng(hash32(pop.seedHash, 'prisoner-doc', p.index));
  const latest = bookings(pop, p)[0];
  const alertList = alerts(pop, p);
  const addressList = addresses(pop, p);
  const imageList = images(pop, p);
  const out = p.prisonId === 'OUT';
  const kd = latest?.keyDates;
  const charges = bookings(pop, p).flatMap((b) => b.sentences.flatMap((s) => s.charges.map((c) => ({ c, b, s }))));
  const mostSerious = charges.find((x) => x.c.mostSerious && x.b.bookingSeq === 0) ?? charges[0];
  const incentiveDate = addDays(p.receptionDate ?? SNAPSHOT_DATE, 14 + rng.int(100));
  const sex = p.sex;

  const doc: Record<string, unknown> = {
    ...lightPrisoner(pop, p),
    bookingId: latest ? String(latest.bookingId) : undefined,
    bookNumber: latest?.bookNo,
    title: p.title,
    ethnicity: prof.ethnicity.description,
    raceCode: prof.ethnicity.code,
    youthOffender: ageOn(p.dateOfBirth) < 21,
    maritalStatus: prof.maritalStatus,
    religion: prof.religion.description,
    nationality: prof.nationality.description,
    smoker: prof.smoker,
    personalCareNeeds: reasonableAdjustments(pop, p).map((a) => ({
      problemType: 'DISAB',
      problemCode: a.treatmentCode.replace(/\s+/g, '_'),
      problemStatus: 'ON',
      problemDescription: a.treatmentDescription,
      commentText: a.commentText ?? undefined,
      startDate: a.startDate,
      endDate: a.endDate ?? undefined,
    })),
    languages: [{ type: 'PRIM', code: 'ENG', readSkill: 'Y', writeSkill: 'Y', speakSkill: 'Y', interpreterRequested: false }],
    currentFacialImageId: imageList[0]?.imageId,
    militaryRecord: false,
    lastMovementTypeCode: out ? 'REL' : 'ADM',
    lastMovementReasonCode: out ? 'CR' : 'N',
    prisonName: prisonName(p.prisonId),
    previousPrisonLeavingDate: p.previousPrisonLeavingDate ?? undefined,
    alerts: alertList.map((a) => ({ alertType: a.ref.typeCode, alertCode: a.ref.code, active: a.isActive, expired: !a.isActive })),
    csra: prof.csra === 'HIGH' ? 'High' : 'Standard',
    category: prof.category,
    legalStatus: 'SENTENCED',
    imprisonmentStatus: 'ADIMP_ORA',
    imprisonmentStatusDescription: 'ORA Sentencing Code Standard Determinate Sentence',
    convictedStatus: 'Convicted',
    mostSeriousOffence: mostSerious?.c.offence.description ?? 'Not recorded',
    recall: false,
    indeterminateSentence: false,
    sentenceStartDate: kd?.sentenceStartDate,
    releaseDate: kd?.releaseDate,
    confirmedReleaseDate: kd?.confirmedReleaseDate ?? undefined,
    sentenceExpiryDate: kd?.sentenceExpiryDate,
    licenceExpiryDate: kd?.licenceExpiryDate,
    homeDetentionCurfewEligibilityDate: kd?.homeDetentionCurfewEligibilityDate ?? undefined,
    topupSupervisionExpiryDate: kd?.topupSupervisionExpiryDate ?? undefined,
    additionalDaysAwarded: kd?.additionalDaysAwarded,
    conditionalReleaseDate: kd?.conditionalReleaseDate,
    paroleEligibilityDate: kd?.paroleEligibilityDate ?? undefined,
    receptionDate: p.receptionDate ?? undefined,
    lastAdmissionDate: p.receptionDate ?? undefined,
    locationDescription: out ? `Outside - released from ${prisonName(p.lastPrisonId)?.replace(/^HMP /, '') ?? 'prison'}` : prisonName(p.prisonId),
    restrictedPatient: false,
    currentIncentive: out
      ? undefined
      : { level: prof.incentive, dateTime: `${incentiveDate}T10:${String(rng.int(60)).padStart(2, '0')}:00`, nextReviewDate: addDays(incentiveDate, 365) },
    heightCentimetres: prof.heightCentimetres,
    weightKilograms: prof.weightKilograms,
    hairColour: rng.pick(HAIR),
    rightEyeColour: rng.pick(EYES),
    leftEyeColour: rng.pick(EYES),
    facialHair: sex === 'F' ? 'Not Applicable (Female Offender)' : rng.pick(['Clean Shaven', 'Full Beard', 'Moustache Only', 'Goatee Beard']),
    shapeOfFace: rng.pick(FACES),
    build: rng.pick(BUILDS),
    shoeSize: prof.shoeSize,
    tattoos: rng.chance(0.4) ? [{ bodyPart: rng.pick(BODY_PARTS), comment: rng.pick(['Rose', 'Dragon', 'Initials', 'Anchor', 'Swallow']) }] : [],
    scars: rng.chance(0.2) ? [{ bodyPart: rng.pick(BODY_PARTS), comment: 'Old scar' }] : [],
    marks: [],
    addresses: addressList.map((a) => ({
      fullAddress: [a.flat, a.number && a.street ? `${a.number} ${a.street}` : a.street, a.locality, a.town, a.county, a.postcode].filter((x) => x).join(', '),
      postalCode: a.postcode,
      startDate: a.startDate,
      primaryAddress: a.primary,
      noFixedAddress: a.noFixedAbode,
      phoneNumbers: a.phone ? [{ type: 'HOME', number: a.phone.replace(/\s+/g, '') }] : [],
    })),
    emailAddresses: [{ email: prof.email }],
    phoneNumbers: [{ type: 'MOB', number: prof.phone.replace(/\s+/g, '') }],
    allConvictedOffences: charges
      .filter((x) => x.c.conviction)
      .map((x) => ({
        statuteCode: x.c.offence.statute,
        offenceCode: x.c.offence.code,
        offenceDescription: x.c.offence.description,
        offenceDate: x.c.offenceDate,
        latestBooking: x.b.bookingSeq === 0,
        sentenceStartDate: x.s.startDate,
        primarySentence: x.s.sentenceSeq === 1,
      })),
  };
  return doc;
}

/**
 * `responseFields` as dps-prisoner-search.json describes it ("a list of fields to populate on the
 * Prisoner record returned ... an empty list defaults to all fields"): absent or empty, the whole
 * record; else only the named fields. A dotted name (`aliases.firstName`, `currentIncentive.level.code`)
 * keeps that field of the object below (of each entry of a list), and the path down to it; a name
 * also given whole (`aliases`) keeps the whole value. Names the record does not have select nothing.
 */
export function selectFields(doc: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return doc;
  return pick(doc, fieldTree(fields));
}

/** A tree of selected names: `true` = the whole value, a subtree = some of its fields. */
type FieldTree = Map<string, FieldTree | true>;

function fieldTree(fields: readonly string[]): FieldTree {
  const root: FieldTree = new Map();
  for (const field of fields) {
    const parts = field.split('.');
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!;
      const at = node.get(name);
      if (at === true) break;
      if (i === parts.length - 1) {
        node.set(name, true);
        break;
      }
      const next: FieldTree = at ?? new Map();
      node.set(name, next);
      node = next;
    }
  }
  return root;
}

function pick(value: Record<string, unknown>, tree: FieldTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // In the record's own field order, as the service serialises it.
  for (const [name, v] of Object.entries(value)) {
    const sub = tree.get(name);
    if (sub !== undefined) out[name] = sub === true ? v : pickBelow(v, sub);
  }
  return out;
}

function pickBelow(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => pickBelow(item, tree));
  if (value !== null && typeof value === 'object') return pick(value as Record<string, unknown>, tree);
  return value;
}
