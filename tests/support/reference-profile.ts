/**
 * The reference reading of a person for the reconciliation test (tests/e2e/reconciliation.test.ts):
 * what every field of a `Person` should say, worked out from the raw upstream answers with the
 * meaning the upstream specs (`../shared/upstream-specs/`) and the schema descriptions give them.
 *
 * Written on purpose without anything from `src/`: when the gateway's mapping is wrong, this file
 * must not share the mistake. Where both read the same rule (e.g. "probation wins, prison fills"),
 * it is written here again, from the schema text.
 */

type Json = any;

/** Everything the upstreams answered about one person. */
export interface RawPerson {
  crn: string | null;
  prisonNumber: string | null;
  /** The number the person was asked by when it is an old, merged one. */
  askedByMergedNumber: string | null;
  prisoner: Json | null;
  offender: Json | null;
  /** GET /api/offenders/{n}/addresses */
  prisonAddresses: Json[];
  /** GET /api/bookings/offenderNo/{n}/offenceHistory (all results, not only convictions) */
  offenceHistory: Json[];
  /** GET /api/offenders/{n}/booking/latest/sentence-summary, or null (404) */
  sentenceSummary: Json | null;
  /** POST /api/offender-sentences entries of this person (one per booking) */
  bookings: Json[];
  /** GET .../booking/{id}/sentences-and-offences per booking id (object or list, or null on 404) */
  sentencesAndOffences: Map<number, Json>;
  images: Json[];
  alerts: Json[];
  primaryPom: Json | null;
  /** GET /case/{crn}/supervisions */
  supervisions: Json | null;
  /** GET /case/{crn}/addresses: contactDetails.addresses */
  probationAddresses: Json[];
  /** GET /api/agencies/{lastPrisonId} when the person is out of prison, or null */
  lastPrison?: Json | null;
  /** GET /api/bookings/{id}/reasonable-adjustments for the latest booking */
  reasonableAdjustments: Json[];
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const day = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// ---------------------------------------------------------------------------------------------
// Time: written with Intl (the zone database), not with the gateway's own arithmetic.

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function londonWallClock(ms: number): string {
  const p = Object.fromEntries(londonParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** Today's date in London. */
export function londonToday(now = Date.now()): string {
  return londonWallClock(now).slice(0, 10);
}

/**
 * A London wall-clock time as an instant with its offset: the earlier of the instants that show
 * that wall-clock time (the BST one in October's repeated hour); a time the clocks skipped in
 * March is read as GMT.
 */
export function londonInstant(local: unknown): string | null {
  if (typeof local !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  const asUtc = Date.parse(`${wall}Z`);
  for (const offsetHours of [1, 0]) {
    if (londonWallClock(asUtc - offsetHours * 3600_000) === wall) return `${wall}+0${offsetHours}:00`;
  }
  return `${wall}+00:00`;
}

function wholeYears(dateOfBirth: string | null, today: string): number | null {
  if (!dateOfBirth) return null;
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// PNC: one format, the canonical long form (four-digit year, serial without leading zeros).

export function pncLong(pnc: unknown, today: string): string | null {
  const m = typeof pnc === 'string' ? /^\s*(\d{2}|\d{4})\/(\d{1,7})([A-Za-z])\s*$/.exec(pnc) : null;
  if (!m) return null;
  let year = m[1]!;
  if (year.length === 2) year = `${Number(year) > Number(today.slice(2, 4)) ? '19' : '20'}${year}`;
  return `${year}/${Number(m[2])}${m[3]!.toUpperCase()}`;
}

// ---------------------------------------------------------------------------------------------
// Addresses

const ABBREVIATIONS: Record<string, string> = {
  RD: 'ROAD', ST: 'STREET', AVE: 'AVENUE', AV: 'AVENUE', LN: 'LANE', CL: 'CLOSE', CRES: 'CRESCENT', DR: 'DRIVE',
  CT: 'COURT', PL: 'PLACE', SQ: 'SQUARE', GDNS: 'GARDENS', TERR: 'TERRACE', TER: 'TERRACE', GRN: 'GREEN', GR: 'GROVE',
  GRV: 'GROVE', PK: 'PARK', WY: 'WAY', HSE: 'HOUSE', BLDGS: 'BUILDINGS', MT: 'MOUNT', PDE: 'PARADE', HTS: 'HEIGHTS',
};

function words(v: string | null): string {
  if (!v) return '';
  return v
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => ABBREVIATIONS[w] ?? w)
    .join(' ');
}

interface RefAddressParts {
  flat: string | null;
  buildingName: string | null;
  number: string | null;
}

/** A premise or building field: a house number ("12", "12A"), a flat ("Flat 3"), or a building name. */
function premiseParts(...values: (string | null)[]): RefAddressParts {
  const parts: RefAddressParts = { flat: null, buildingName: null, number: null };
  const names: string[] = [];
  for (const value of values) {
    for (const piece of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (/^(?:flat|apartment|apt|unit)\s+\S+$/i.test(piece)) parts.flat ??= piece;
      else if (/^\d+[A-Za-z]?$/.test(piece)) parts.number ??= piece;
      else names.push(piece);
    }
  }
  parts.buildingName = names.length > 0 ? names.join(', ') : null;
  return parts;
}

export interface RefAddress {
  sources: string[];
  noFixedAddress: boolean;
  flat: string | null;
  buildingName: string | null;
  number: string | null;
  street: string | null;
  locality: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  country: string | null;
  startDate: string | null;
  endDate: string | null;
  types: Array<{ code: string; description: string | null }>;
  notes: string | null;
}

function prisonAddress(a: Json): RefAddress {
  const flat = text(a.flat);
  const premise = premiseParts(text(a.premise));
  const types: RefAddress['types'] = [];
  if (text(a.addressType)) types.push({ code: text(a.addressType)!, description: null });
  for (const u of a.addressUsages ?? []) {
    if (u.activeFlag === false || !text(u.addressUsage) || types.some((t) => t.code === text(u.addressUsage))) continue;
    types.push({ code: text(u.addressUsage)!, description: text(u.addressUsageDescription) });
  }
  return {
    sources: ['PRISON'],
    noFixedAddress: a.noFixedAddress === true,
    flat: flat ?? premise.flat,
    buildingName: premise.buildingName,
    number: premise.number,
    street: text(a.street),
    locality: text(a.locality),
    town: text(a.town),
    county: text(a.county),
    postcode: text(a.postalCode),
    country: text(a.country),
    startDate: day(a.startDate),
    endDate: day(a.endDate),
    types,
    notes: text(a.comment),
  };
}

function probationAddress(a: Json): RefAddress {
  const premise = premiseParts(text(a.buildingName), text(a.addressNumber));
  return {
    sources: ['PROBATION'],
    noFixedAddress: a.noFixedAbode === true,
    flat: premise.flat,
    buildingName: premise.buildingName,
    number: premise.number,
    street: text(a.streetName),
    locality: text(a.district),
    town: text(a.town),
    county: text(a.county),
    postcode: text(a.postcode),
    country: null,
    startDate: day(a.from),
    endDate: day(a.to),
    types: text(a.type?.code) ? [{ code: text(a.type.code)!, description: text(a.type.description) }] : [],
    notes: text(a.notes),
  };
}

/**
 * The same place: the same postcode (spaces and case aside), the same street (abbreviations,
 * case and punctuation aside), the same flat when both name one, and the same house number or
 * building name (at least one of them named by both, and none of them different).
 */
export function sameRefAddress(a: RefAddress, b: RefAddress): boolean {
  const pc = (v: string | null) => (v ?? '').toUpperCase().replace(/\s+/g, '');
  if (!pc(a.postcode) || pc(a.postcode) !== pc(b.postcode)) return false;
  if (words(a.street) !== words(b.street)) return false;
  const flatNo = (f: string | null) => words(f).replace(/^(?:FLAT|APARTMENT|APT|UNIT) /, '');
  if (a.flat && b.flat && flatNo(a.flat) !== flatNo(b.flat)) return false;
  const numbers = a.number && b.number ? (words(a.number) === words(b.number) ? 1 : -1) : 0;
  const names = a.buildingName && b.buildingName ? (words(a.buildingName) === words(b.buildingName) ? 1 : -1) : 0;
  if (numbers < 0 || names < 0) return false;
  return numbers > 0 || names > 0 || (!a.number && !b.number && !a.buildingName && !b.buildingName);
}

/** As the schema gives it: `number` is the house number, else the building name. */
function asGiven(a: RefAddress): RefAddress {
  return { ...a, number: a.number ?? a.buildingName };
}

function referenceAddresses(raw: RawPerson): RefAddress[] {
  const prison = raw.prisoner ? raw.prisonAddresses.map(prisonAddress) : [];
  const probation = raw.offender ? raw.probationAddresses.map(probationAddress) : [];
  const out: RefAddress[] = [...prison];
  const taken = new Set<RefAddress>();
  for (const p of probation) {
    const same = out.find((a) => !taken.has(a) && a.sources.length === 1 && a.sources[0] === 'PRISON' && sameRefAddress(a, p));
    if (!same) {
      out.push(p);
      continue;
    }
    taken.add(same);
    // Both hold it: probation's value is given, prison's fills what probation lacks (schema, Person).
    const merged: RefAddress = {
      sources: ['PRISON', 'PROBATION'],
      noFixedAddress: p.noFixedAddress || same.noFixedAddress,
      flat: p.flat ?? same.flat,
      buildingName: p.buildingName ?? same.buildingName,
      number: p.number ?? same.number,
      street: p.street ?? same.street,
      locality: p.locality ?? same.locality,
      town: p.town ?? same.town,
      county: p.county ?? same.county,
      postcode: p.postcode ?? same.postcode,
      country: p.country ?? same.country,
      startDate: p.startDate ?? same.startDate,
      endDate: p.endDate ?? same.endDate,
      types: [...same.types, ...p.types.filter((t) => !same.types.some((s) => s.code === t.code))],
      notes: p.notes ?? same.notes,
    };
    out[out.indexOf(same)] = merged;
    taken.add(merged);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Offences and sentences

const CUSTODIAL = new Set(['IMP', 'DET']);
const COMMUNITY = new Set(['LIC', 'SUP']);

function termCode(t: Json): string | null {
  return text(t.sentenceTermCode) ?? text(t.code);
}

function lengthOf(terms: Json[]): string | null {
  if (terms.some((t) => t.lifeSentence === true)) return 'Life';
  const total = (k: string) => terms.reduce((s, t) => s + (Number.isInteger(t[k]) && t[k] > 0 ? t[k] : 0), 0);
  const parts = (['years', 'months', 'weeks', 'days'] as const)
    .map((k) => [k.slice(0, -1), total(k)] as const)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : null;
}

function prisonSentence(s: Json): Json {
  const terms: Json[] = s.terms ?? [];
  const codes = terms.map(termCode);
  const sentenced = day(s.sentenceDate) ?? day(s.sentenceStartDate);
  const termStarts = terms.map((t) => day(t.startDate)).filter((d): d is string => d !== null).sort();
  return {
    source: 'PRISON',
    description: text(s.sentenceTypeDescription),
    dateOfSentencing: sentenced,
    startDate: termStarts[0] ?? day(s.sentenceStartDate),
    endDate: day(s.sentenceEndDate),
    custodial: terms.some((t) => t.lifeSentence === true || CUSTODIAL.has(termCode(t) ?? ''))
      ? true
      : terms.length > 0 && codes.every((c) => COMMUNITY.has(c ?? ''))
        ? false
        : null,
    active: s.sentenceStatus === 'A' ? true : s.sentenceStatus === 'I' ? false : null,
    fineAmount: num(s.fineAmount) !== null && s.fineAmount > 0 ? s.fineAmount : null,
    length: lengthOf(terms),
  };
}

/** Every booking's sentences: the summary for the latest booking, sentences-and-offences for the others. */
function referencePrisonSentences(raw: RawPerson): Json[] {
  const latest = raw.sentenceSummary?.latestPrisonTerm;
  const out: Json[] = [];
  for (const c of latest?.courtSentences ?? []) for (const s of c.sentences ?? []) out.push(prisonSentence(s));
  for (const [bookingId, answer] of raw.sentencesAndOffences) {
    if (latest && bookingId === latest.bookingId) continue;
    const list = answer === null ? [] : Array.isArray(answer) ? answer : [answer];
    for (const s of list) out.push(prisonSentence(s));
  }
  return out;
}

/** Court names by booking and case id (summary) and by booking, offence code and date (sentences-and-offences). */
function courtNames(raw: RawPerson) {
  const byCase = new Map<string, string | null>();
  const latest = raw.sentenceSummary?.latestPrisonTerm;
  for (const c of latest?.courtSentences ?? []) byCase.set(`${latest.bookingId}|${c.id}`, text(c.court?.description));
  const byOffence = new Map<string, string | null>();
  for (const [bookingId, answer] of raw.sentencesAndOffences) {
    const list = answer === null ? [] : Array.isArray(answer) ? answer : [answer];
    for (const s of list) {
      for (const o of s.offences ?? []) byOffence.set(`${bookingId}|${o.offenceCode}|${o.offenceStartDate}`, text(s.courtDescription));
    }
  }
  return (o: Json): string | null =>
    byCase.get(`${o.bookingId}|${o.caseId}`) ?? byOffence.get(`${o.bookingId}|${o.offenceCode}|${o.offenceDate}`) ?? null;
}

function referenceOffences(raw: RawPerson): Json[] {
  const court = courtNames(raw);
  const prison = raw.prisoner
    ? raw.offenceHistory
        .filter((o) => o.primaryResultConviction === true)
        .map((o) => ({
          source: 'PRISON',
          description: text(o.offenceDescription),
          code: text(o.offenceCode),
          statuteCode: text(o.statuteCode),
          offenceDate: day(o.offenceDate),
          courtDates: day(o.courtDate) ? [day(o.courtDate)] : [],
          courtName: court(o),
        }))
    : [];
  const probation = (raw.offender ? (raw.supervisions?.supervisions ?? []) : []).flatMap((s: Json) => {
    const appearances: Json[] = s.courtAppearances ?? [];
    const courtName = text(appearances.find((a) => a.type === 'Sentence')?.court) ?? text(appearances[0]?.court);
    return [s.mainOffence, ...(s.additionalOffences ?? [])]
      .filter(Boolean)
      .map((o: Json) => ({
        source: 'PROBATION',
        description: text(o.description) ?? text(o.mainCategory?.description),
        code: text(o.code),
        statuteCode: null,
        offenceDate: day(o.date),
        courtDates: appearances.map((a) => day(String(a.date ?? '').slice(0, 10))).filter((d) => d !== null),
        courtName,
      }));
  });
  return [...prison, ...probation];
}

function referenceProbationSentences(raw: RawPerson): Json[] {
  return (raw.offender ? (raw.supervisions?.supervisions ?? []) : [])
    .filter((s: Json) => s.sentence)
    .map((s: Json) => {
      const units = text(s.sentence.lengthUnits)?.toLowerCase();
      const date = day(s.sentence.date ?? s.date);
      return {
        source: 'PROBATION',
        description: text(s.sentence.description),
        dateOfSentencing: date,
        startDate: date,
        endDate: null,
        custodial: bool(s.sentence.custodial),
        active: bool(s.active),
        fineAmount: null,
        length:
          typeof s.sentence.length === 'number' && units
            ? `${s.sentence.length} ${s.sentence.length === 1 ? units.replace(/s$/, '') : units}`
            : null,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Key dates: hand-entered dates (confirmed, overrides) win over calculated ones.

function referenceKeyDates(raw: RawPerson): Json | null {
  if (!raw.prisoner || raw.bookings.length === 0) return null;
  const sorted = [...raw.bookings].sort(
    (a, b) =>
      Number(b.mostRecentActiveBooking === true) - Number(a.mostRecentActiveBooking === true) ||
      String(b.sentenceDetail?.sentenceStartDate ?? '').localeCompare(String(a.sentenceDetail?.sentenceStartDate ?? '')) ||
      b.bookingId - a.bookingId,
  );
  const d = sorted[0].sentenceDetail;
  if (!d) return null;
  const first = (...keys: string[]) => day(keys.map((k) => d[k]).find((v) => typeof v === 'string' && v.trim() !== ''));
  return {
    sentenceStartDate: first('sentenceStartDate'),
    releaseDate: first('confirmedReleaseDate', 'releaseDate'),
    conditionalReleaseDate: first('conditionalReleaseOverrideDate', 'conditionalReleaseDate'),
    automaticReleaseDate: first('automaticReleaseOverrideDate', 'automaticReleaseDate'),
    paroleEligibilityDate: first('paroleEligibilityOverrideDate', 'paroleEligibilityDate', 'paroleEligibilityCalculatedDate'),
    homeDetentionCurfewEligibilityDate: first(
      'homeDetentionCurfewEligibilityOverrideDate',
      'homeDetentionCurfewEligibilityDate',
      'homeDetentionCurfewEligibilityCalculatedDate',
    ),
    licenceExpiryDate: first('licenceExpiryOverrideDate', 'licenceExpiryDate', 'licenceExpiryCalculatedDate'),
    sentenceExpiryDate: first('sentenceExpiryOverrideDate', 'sentenceExpiryDate', 'sentenceExpiryCalculatedDate'),
    topupSupervisionExpiryDate: first(
      'topupSupervisionExpiryOverrideDate',
      'topupSupervisionExpiryDate',
      'topupSupervisionExpiryCalculatedDate',
    ),
    postRecallReleaseDate: first('postRecallReleaseOverrideDate', 'postRecallReleaseDate'),
    tariffDate: first('tariffDate'),
  };
}

// ---------------------------------------------------------------------------------------------
// The whole person

const joinNames = (v: unknown): string | null =>
  Array.isArray(v) ? (v.filter((x) => typeof x === 'string' && x.trim()).join(' ') || null) : text(v);

function flag(r: Json): Json {
  return { code: r.code, description: text(r.description), startDate: day(r.startDate), reviewDate: day(r.reviewDate), notes: text(r.notes) };
}

export interface ReferenceProfile {
  /** Field path -> expected value; lists are compared as multisets, with their order checked apart. */
  fields: Record<string, unknown>;
  /** Lists whose order the schema promises: path -> the key that must not increase (newest first). */
  newestFirst: Record<string, (item: Json) => string | null>;
}

export function referenceProfile(raw: RawPerson, today: string): ReferenceProfile {
  const pr = raw.prisoner;
  const of = raw.offender;
  const profile = of?.offenderProfile ?? {};
  const either = <T>(probation: T | null, prison: T | null): T | null => probation ?? prison;
  const prisonId = pr ? (text(pr.lastPrisonId) ?? (text(pr.prisonId) === 'OUT' ? null : text(pr.prisonId))) : null;
  const dateOfBirth = either(day(of?.dateOfBirth), day(pr?.dateOfBirth));

  const aliasKey = (a: Json) => [a.firstName, a.middleNames, a.lastName, a.dateOfBirth].map((v) => (v ?? '').toLowerCase()).join('|');
  const aliases: Json[] = [];
  for (const a of [
    ...(of?.offenderAliases ?? []).map((x: Json) => ({
      firstName: text(x.firstName),
      middleNames: joinNames(x.middleNames),
      lastName: text(x.surname),
      dateOfBirth: day(x.dateOfBirth),
      gender: text(x.gender),
    })),
    ...(pr?.aliases ?? []).map((x: Json) => ({
      firstName: text(x.firstName),
      middleNames: joinNames(x.middleNames),
      lastName: text(x.lastName),
      dateOfBirth: day(x.dateOfBirth),
      gender: text(x.gender),
    })),
  ]) {
    if (!aliases.some((b) => aliasKey(b) === aliasKey(a))) aliases.push(a);
  }

  const supervisions = raw.supervisions ?? {};
  const manager = supervisions.communityManager;
  const mappa = supervisions.mappaDetail;
  const marks = (kind: string, list: Json[] | undefined) => (list ?? []).map((m) => ({ kind, bodyPart: text(m.bodyPart), comment: text(m.comment) }));

  const alerts = raw.alerts.map((a) => {
    const from = day(a.activeFrom);
    const to = day(a.activeTo);
    return {
      code: a.alertCode.code,
      codeDescription: text(a.alertCode.description),
      type: text(a.alertCode.alertTypeCode),
      typeDescription: text(a.alertCode.alertTypeDescription),
      description: text(a.description),
      activeFrom: from,
      activeTo: to,
      // The schema: "True when it applies today" (the spec's rule, on today's date).
      active: (from === null || from <= today) && (to === null || to > today),
      createdAt: londonInstant(a.createdAt),
    };
  });

  const fields: Record<string, unknown> = {
    hmppsId: raw.crn ?? raw.prisonNumber,
    'identifiers.crn': raw.crn,
    'identifiers.prisonNumber': raw.prisonNumber,
    'identifiers.mergedFromPrisonNumber': raw.askedByMergedNumber,
    'identifiers.pncNumber': pncLong(either(text(of?.otherIds?.pncNumber), text(pr?.pncNumberCanonicalLong) ?? text(pr?.pncNumber)), today),
    'identifiers.croNumber': either(text(of?.otherIds?.croNumber), text(pr?.croNumber)),
    firstName: either(text(of?.firstName), text(pr?.firstName)),
    middleNames: either(joinNames(of?.middleNames), joinNames(pr?.middleNames)),
    lastName: either(text(of?.surname), text(pr?.lastName)),
    dateOfBirth,
    gender: either(text(of?.gender), text(pr?.gender)),
    ethnicity: either(text(profile.ethnicity), text(pr?.ethnicity)),
    aliases,
    knownToPrison: pr !== null,
    knownToProbation: of !== null,
    supervisionStatus: String(pr?.status ?? '').startsWith('ACTIVE') ? 'PRISONS' : of?.activeProbationManagedSentence === true ? 'PROBATION' : 'NONE',
    limitedAccess: of ? { excluded: of.currentExclusion === true, restricted: of.currentRestriction === true } : null,
    contactDetails: of
      ? {
          phoneNumbers: (of.contactDetails?.phoneNumbers ?? []).filter((p: Json) => text(p.number)).map((p: Json) => ({ number: p.number, type: text(p.type) })),
          emails: (of.contactDetails?.emailAddresses ?? []).filter((e: Json) => text(e)),
        }
      : null,
    prison: pr
      ? {
          inPrison: pr.inOutStatus === 'IN',
          status: text(pr.status),
          prisonId,
          // Prisoner search names only the current prison; the Prison API names the last one.
          prisonName:
            prisonId !== null && prisonId === text(pr.prisonId)
              ? text(pr.prisonName)
              : (text(raw.lastPrison?.longDescription) ?? text(raw.lastPrison?.description)),
          cellLocation: text(pr.cellLocation),
          receptionDate: day(pr.receptionDate),
          category: text(pr.category),
          csra: text(pr.csra),
          youthOffender: bool(pr.youthOffender),
          physicalCharacteristics: {
            heightCentimetres: num(pr.heightCentimetres),
            weightKilograms: num(pr.weightKilograms),
            hairColour: text(pr.hairColour),
            rightEyeColour: text(pr.rightEyeColour),
            leftEyeColour: text(pr.leftEyeColour),
            facialHair: text(pr.facialHair),
            shapeOfFace: text(pr.shapeOfFace),
            build: text(pr.build),
            shoeSize: num(pr.shoeSize),
            distinguishingMarks: [...marks('TATTOO', pr.tattoos), ...marks('SCAR', pr.scars), ...marks('MARK', pr.marks)],
          },
          languages: (pr.languages ?? [])
            .filter((l: Json) => text(l.code))
            .map((l: Json) => ({ code: l.code, primary: l.type === 'PRIM', interpreterRequested: l.interpreterRequested === true })),
          personalCareNeeds: (pr.personalCareNeeds ?? []).map((n: Json) => ({
            type: text(n.problemType),
            code: text(n.problemCode),
            description: text(n.problemDescription),
            startDate: day(n.startDate),
            endDate: day(n.endDate),
          })),
        }
      : null,
    probation: of
      ? {
          underActiveSupervision: of.activeProbationManagedSentence === true,
          dynamicRisks: (supervisions.dynamicRisks ?? []).filter((r: Json) => r.code).map(flag),
          mappa:
            mappa && (mappa.level !== undefined || mappa.category !== undefined)
              ? {
                  level: num(mappa.level),
                  levelDescription: text(mappa.levelDescription),
                  category: num(mappa.category),
                  categoryDescription: text(mappa.categoryDescription),
                  startDate: day(mappa.startDate),
                  reviewDate: day(mappa.reviewDate),
                  notes: text(mappa.notes),
                }
              : null,
          statusInformation: (supervisions.personStatus ?? []).filter((r: Json) => r.code).map(flag),
        }
      : null,
    addresses: referenceAddresses(raw).map(asGiven),
    offences: referenceOffences(raw),
    sentences: [...(pr ? referencePrisonSentences(raw) : []), ...referenceProbationSentences(raw)],
    sentenceKeyDates: referenceKeyDates(raw),
    'alerts.totalCount': pr ? alerts.length : null,
    'alerts.nodes': pr ? alerts : null,
    images: pr
      ? raw.images.map((i) => ({
          id: String(i.imageId),
          active: i.active === true,
          capturedAt: londonInstant(i.captureDateTime),
          view: text(i.imageView),
          orientation: text(i.imageOrientation),
          type: text(i.imageType),
        }))
      : null,
    'responsibleOfficer.prisonOffenderManager':
      pr && raw.primaryPom?.manager
        ? { forename: text(raw.primaryPom.manager.forename), surname: text(raw.primaryPom.manager.surname), prisonId: text(raw.primaryPom.prison?.code) }
        : null,
    'responsibleOfficer.communityManager':
      of && manager
        ? {
            forename: text(manager.name?.forename),
            surname: text(manager.name?.surname),
            email: text(manager.email),
            telephoneNumber: text(manager.telephoneNumber),
            allocated: manager.allocated === true,
            team: manager.team
              ? {
                  code: text(manager.team.code),
                  description: text(manager.team.description),
                  email: text(manager.team.email),
                  telephoneNumber: text(manager.team.telephoneNumber),
                }
              : null,
          }
        : null,
    'protectedCharacteristics.age': wholeYears(dateOfBirth, today),
    'protectedCharacteristics.gender': either(text(of?.gender), text(pr?.gender)),
    'protectedCharacteristics.sexualOrientation': text(profile.sexualOrientation),
    'protectedCharacteristics.ethnicity': either(text(profile.ethnicity), text(pr?.ethnicity)),
    'protectedCharacteristics.nationality': either(text(profile.nationality), text(pr?.nationality)),
    'protectedCharacteristics.religion': either(text(profile.religion), text(pr?.religion)),
    'protectedCharacteristics.maritalStatus': text(pr?.maritalStatus),
    'protectedCharacteristics.disabilities': (profile.disabilities ?? []).map((d: Json) => ({
      type: text(d.disabilityType?.description) ?? text(d.disabilityType?.code),
      condition: text(d.condition?.description) ?? text(d.condition?.code),
      startDate: day(d.startDate),
      endDate: day(d.endDate),
      notes: text(d.notes),
    })),
    'protectedCharacteristics.reasonableAdjustments': raw.reasonableAdjustments.map((a) => ({
      treatmentCode: text(a.treatmentCode),
      treatmentDescription: text(a.treatmentDescription),
      comment: text(a.commentText),
      startDate: day(a.startDate),
      endDate: day(a.endDate),
    })),
  };

  return {
    fields,
    newestFirst: {
      addresses: (a) => a.startDate,
      offences: (o) => o.offenceDate,
      sentences: (s) => s.dateOfSentencing ?? s.startDate,
      'alerts.nodes': (a) => (a.createdAt ? new Date(a.createdAt).toISOString() : a.activeFrom),
      images: (i) => (i.capturedAt ? new Date(i.capturedAt).toISOString() : null),
    },
  };
}
