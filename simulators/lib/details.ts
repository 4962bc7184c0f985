/**
 * Lists and details of a person, generated on demand from (seed, index, stream): the same
 * person always gets the same alerts, addresses, bookings and supervisions, in any process.
 * Models here are neutral; each upstream maps them to its own DTO shapes.
 */

import { SNAPSHOT_DATE, addDays, addMonths, addYears, toDays } from './dates.js';
import { type Person, type Population, bookingIdFor } from './population.js';
import { Rng, hash32 } from './prng.js';
import {
  ALERT_CODES,
  type AlertCodeRef,
  COURTS,
  DYNAMIC_RISKS,
  ETHNICITIES,
  HEALTH_TREATMENTS,
  MARITAL_STATUSES,
  NATIONALITIES,
  OFFENCES,
  type OffenceRef,
  PROBATION_TEAMS,
  RELIGIONS,
  SEXUAL_ORIENTATIONS,
  STAFF_FIRST,
  STAFF_LAST,
  STREETS,
  TOWNS,
} from './reference.js';

function rngFor(pop: Population, p: Person, stream: string): Rng {
  return new Rng(hash32(pop.seedHash, stream, p.index));
}

// ---------------------------------------------------------------------------------------------
// Profile

export interface Profile {
  ethnicity: { code: string; description: string };
  religion: { code: string; description: string };
  nationality: { code: string; description: string };
  sexualOrientation: { code: string; description: string };
  maritalStatus: string;
  heightCentimetres: number;
  weightKilograms: number;
  shoeSize: number;
  smoker: 'Y' | 'N' | 'V';
  category: string;
  csra: string;
  phone: string;
  email: string;
  incentive: { code: string; description: string };
  disabled: boolean;
}

export function profile(pop: Population, p: Person): Profile {
  return pop.memo('profile', p.index, () => buildProfile(pop, p));
}

function buildProfile(pop: Population, p: Person): Profile {
  const rng = rngFor(pop, p, 'profile');
  const incentive = rng.pick([
    { code: 'BAS', description: 'Basic' },
    { code: 'STD', description: 'Standard' },
    { code: 'ENH', description: 'Enhanced' },
  ]);
  const asciiFirst = asciiOnly(p.firstName).toLowerCase() || 'person';
  const asciiLast = asciiOnly(p.lastName).toLowerCase() || 'record';
  return {
    ethnicity: rng.pick(ETHNICITIES),
    religion: rng.pick(RELIGIONS),
    nationality: rng.chance(0.85) ? NATIONALITIES[0] : rng.pick(NATIONALITIES),
    sexualOrientation: rng.pick(SEXUAL_ORIENTATIONS),
    maritalStatus: rng.pick(MARITAL_STATUSES),
    heightCentimetres: p.sex === 'M' ? rng.between(160, 195) : rng.between(150, 180),
    weightKilograms: rng.between(50, 110),
    shoeSize: p.sex === 'M' ? rng.between(7, 12) : rng.between(4, 8),
    smoker: rng.pick(['Y', 'N', 'V'] as const),
    category: p.sex === 'F' ? rng.pick(['R', 'T']) : rng.pick(['B', 'C', 'C', 'D']),
    csra: rng.pick(['STANDARD', 'HIGH']),
    // Ofcom drama-reserved mobile range: never a real subscriber.
    phone: `07700 900${String(rng.int(1000)).padStart(3, '0')}`,
    email: `${asciiFirst}.${asciiLast}${p.index}@example.com`,
    incentive,
    disabled: rng.chance(0.15),
  };
}

function asciiOnly(s: string): string {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface AddressModel {
  id: number;
  flat: string | null;
  number: string | null;
  buildingName: string | null;
  street: string;
  locality: string | null;
  town: string;
  county: string;
  postcode: string;
  country: string;
  startDate: string;
  endDate: string | null;
  primary: boolean;
  noFixedAbode: boolean;
  type: { code: string; description: string };
  phone: string | null;
  notes: string | null;
  /**
   * Which service holds it. For ordinary people known to both, a few addresses are held by one
   * service only (well-known people keep every address in both).
   */
  heldBy: 'both' | 'prison' | 'probation';
  /** How Nomis spells it: staff type addresses in by hand, so case, abbreviations and postcode spacing vary. */
  nomisSpelling: { upperCase: boolean; abbreviated: boolean; postcodeWithoutSpace: boolean };
}

export function addresses(pop: Population, p: Person): AddressModel[] {
  return pop.memo('addresses', p.index, () => buildAddresses(pop, p));
}

function buildAddresses(pop: Population, p: Person): AddressModel[] {
  const rng = rngFor(pop, p, 'addresses');
  const list: AddressModel[] = [];
  let end: string | null = null;
  let start = addDays(SNAPSHOT_DATE, -rng.between(60, 900));
  for (let i = 0; i < p.addressCount; i++) {
    const place = rng.pick(TOWNS);
    const nfa = i === 0 && rng.chance(0.05);
    const isCardiffOrSwansea = place.town === 'Cardiff' || place.town === 'Swansea' || place.town === 'Newport';
    list.push({
      id: 5_000_000 + p.index * 50 + i,
      flat: rng.chance(0.2) ? `Flat ${rng.between(1, 20)}` : null,
      number: nfa ? null : String(rng.between(1, 240)),
      buildingName: rng.chance(0.1) ? `${rng.pick(['Oak', 'Beech', 'Mill', 'River'])} House` : null,
      street: nfa ? 'No fixed abode' : rng.pick(STREETS),
      locality: rng.chance(0.3) ? rng.pick(['Northside', 'Eastfield', 'Southmead', 'Westgate']) : null,
      town: place.town,
      county: place.county,
      postcode: `${place.postcode}${rng.between(1, 29)} ${rng.between(1, 9)}${rng.letters(2, 'ABDEFGHJLNPQRSTUWXYZ')}`,
      country: isCardiffOrSwansea ? 'Wales' : 'England',
      startDate: start,
      endDate: end,
      primary: i === 0,
      noFixedAbode: nfa,
      type: i === 0 ? { code: 'HOME', description: 'Home' } : rng.pick([
        { code: 'HOME', description: 'Home' },
        { code: 'RELEASE', description: 'Release' },
        { code: 'APP', description: 'Approved premises' },
      ]),
      phone: rng.chance(0.3) ? `01632 960${String(rng.int(1000)).padStart(3, '0')}` : null,
      notes: rng.chance(0.1) ? 'Lives with family' : null,
      ...addressVariation(pop, p, 5_000_000 + p.index * 50 + i),
    });
    end = addDays(start, -1);
    start = addDays(end, -rng.between(90, 1200));
  }
  return list;
}

/** Drawn from their own hash (not the address stream), so every other address value stays as it was. */
function addressVariation(pop: Population, p: Person, id: number): Pick<AddressModel, 'heldBy' | 'nomisSpelling'> {
  const h = hash32(pop.seedHash, 'address-variation', id);
  const holder = h % 20;
  return {
    heldBy: p.key !== null || p.crn === null || p.prisonNumber === null ? 'both' : holder === 0 ? 'prison' : holder === 1 ? 'probation' : 'both',
    nomisSpelling: { upperCase: (h >>> 5) % 4 === 0, abbreviated: (h >>> 7) % 4 === 0, postcodeWithoutSpace: (h >>> 9) % 3 === 0 },
  };
}

const STREET_ABBREVIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/ Road$/, ' Rd'], [/ Street$/, ' St.'], [/ Avenue$/, ' Ave'], [/ Lane$/, ' Ln'], [/ Close$/, ' Cl'],
  [/ Crescent$/, ' Cres'], [/ Drive$/, ' Dr'], [/ Court$/, ' Ct'], [/ Place$/, ' Pl'], [/ Terrace$/, ' Terr'], [/ Grove$/, ' Gr'],
];

/** A value as Nomis holds it for this address (see `nomisSpelling`). */
export function nomisSpelled(a: AddressModel, field: 'street' | 'town' | 'county' | 'postcode'): string {
  let v = a[field];
  if (field === 'postcode') return a.nomisSpelling.postcodeWithoutSpace ? v.replace(/\s+/g, '') : v;
  if (field === 'street' && a.nomisSpelling.abbreviated && !a.noFixedAbode) {
    for (const [long, short] of STREET_ABBREVIATIONS) v = v.replace(long, short);
  }
  return a.nomisSpelling.upperCase ? v.toUpperCase() : v;
}

// ---------------------------------------------------------------------------------------------
// Alerts

export interface AlertModel {
  id: number;
  uuid: string;
  ref: AlertCodeRef;
  description: string;
  authorisedBy: string;
  activeFrom: string;
  activeTo: string | null;
  isActive: boolean;
  /** UK local date-time, no offset (LocalDateTime). */
  createdAt: string;
  createdBy: string;
  createdByDisplayName: string;
  lastModifiedAt: string | null;
  prisonCode: string;
}

/** Local date-times either side of the 2025 UK clock changes (30 March, 26 October). */
const CLOCK_CHANGE_TIMES = [
  '2025-03-30T00:30:00',
  '2025-03-30T02:30:00',
  '2025-10-26T00:30:00',
  '2025-10-26T01:30:00',
  '2025-10-26T02:30:00',
];

export function alerts(pop: Population, p: Person): AlertModel[] {
  return pop.memo('alerts', p.index, () => buildAlerts(pop, p));
}

function buildAlerts(pop: Population, p: Person): AlertModel[] {
  if (p.prisonNumber === null) return [];
  const rng = rngFor(pop, p, 'alerts');
  const list: AlertModel[] = [];
  const prison = p.lastPrisonId ?? 'MDI';
  for (let i = 0; i < p.alertCount; i++) {
    const ref = rng.pick(ALERT_CODES);
    const fixed = i < CLOCK_CHANGE_TIMES.length && (p.key === 'linked' || p.key === 'many-alerts') ? CLOCK_CHANGE_TIMES[i] : undefined;
    const drawnFrom = addDays(SNAPSHOT_DATE, -rng.between(1, 3000));
    // An alert never ends before it starts (the gateway refuses such an item as a contract fault).
    const activeFrom = fixed ? fixed.slice(0, 10) : drawnFrom;
    const inactive = rng.chance(0.3);
    const activeTo = inactive ? addDays(activeFrom, rng.between(1, 400)) : rng.chance(0.1) ? addDays(SNAPSHOT_DATE, rng.between(1, 365)) : null;
    const isActive = activeTo === null || activeTo > SNAPSHOT_DATE;
    const minutes = rng.int(24 * 60);
    const createdAt = fixed ?? `${activeFrom}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}`;
    const staffFirst = rng.pick(STAFF_FIRST);
    const staffLast = rng.pick(STAFF_LAST);
    list.push({
      id: i + 1,
      uuid: rng.uuid(),
      ref,
      description: `${ref.description} - recorded by wing staff`,
      authorisedBy: `${staffFirst.charAt(0)}. ${staffLast}, Safer Custody`,
      activeFrom,
      activeTo,
      isActive,
      createdAt,
      createdBy: `${staffLast.toUpperCase().slice(0, 5)}${rng.digits(2)}X`,
      createdByDisplayName: `${staffFirst} ${staffLast}`,
      lastModifiedAt: activeTo !== null ? `${activeTo}T09:15:00` : null,
      prisonCode: prison,
    });
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Bookings, sentences and offences (Nomis side)

export interface ChargeModel {
  chargeId: number;
  offence: OffenceRef;
  offenceDate: string;
  offenceRangeDate: string | null;
  courtDate: string;
  conviction: boolean;
  mostSerious: boolean;
  indicators: string[];
}

export interface SentenceModel {
  bookingId: number;
  sentenceSeq: number;
  lineSeq: number;
  caseSeq: number;
  caseRef: string;
  court: string;
  status: 'A' | 'I';
  category: string;
  calcType: string;
  typeDescription: string;
  sentenceDate: string;
  startDate: string;
  endDate: string;
  years: number;
  months: number;
  fineAmount: number | null;
  lifeSentence: boolean;
  consecutiveTo: number | null;
  charges: ChargeModel[];
}

export interface KeyDates {
  sentenceStartDate: string;
  sentenceExpiryDate: string;
  conditionalReleaseDate: string;
  licenceExpiryDate: string;
  homeDetentionCurfewEligibilityDate: string | null;
  paroleEligibilityDate: string | null;
  topupSupervisionExpiryDate: string | null;
  releaseDate: string;
  confirmedReleaseDate: string | null;
  effectiveSentenceEndDate: string;
  additionalDaysAwarded: number;
  tariffDate: string | null;
}

export interface BookingModel {
  bookingId: number;
  bookingSeq: number;
  bookNo: string;
  active: boolean;
  prisonId: string;
  startDate: string;
  sentences: SentenceModel[];
  /** Charges without a sentence (remand, acquittal...) on this booking. */
  unsentencedCharges: ChargeModel[];
  keyDates: KeyDates;
}

const SENTENCE_TYPES = [
  { calcType: 'ADIMP_ORA', category: '2003', description: 'ORA CJA03 Standard Determinate Sentence' },
  { calcType: 'ADIMP', category: '2020', description: 'Sentencing Code Standard Determinate Sentence' },
  { calcType: 'SEC250', category: '2020', description: 'Serious Offence Sec 250 Sentencing Code (U18)' },
  { calcType: 'EDS21', category: '2020', description: 'Extended Determinate Sentence' },
];

export function bookings(pop: Population, p: Person): BookingModel[] {
  return pop.memo('bookings', p.index, () => buildBookings(pop, p));
}

function buildBookings(pop: Population, p: Person): BookingModel[] {
  if (p.prisonNumber === null) return [];
  const rng = rngFor(pop, p, 'bookings');
  const result: BookingModel[] = [];
  // Offences spread over bookings: the latest booking gets the larger share.
  let remaining = p.offenceCount;
  let bookingStart = p.receptionDate ?? addDays(SNAPSHOT_DATE, -400);
  for (let seq = 0; seq < p.bookingCount; seq++) {
    const bookingId = bookingIdFor(p, seq);
    const share = seq === p.bookingCount - 1 ? remaining : Math.max(1, Math.ceil(remaining * 0.6));
    remaining -= share;
    const active = seq === 0 && p.prisonId !== 'OUT';
    const prisonId = seq === 0 ? (p.lastPrisonId ?? 'MDI') : (p.previousPrisonId ?? p.lastPrisonId ?? 'MDI');
    const sentences: SentenceModel[] = [];
    const unsentencedCharges: ChargeModel[] = [];
    let charge = 0;
    let sentenceSeq = 0;
    const sentenceDate = addDays(bookingStart, rng.between(14, 120));
    while (charge < share) {
      const perSentence = Math.min(share - charge, 1 + rng.int(3));
      sentenceSeq += 1;
      const type = rng.pick(SENTENCE_TYPES);
      const years = rng.between(0, 6);
      const months = years === 0 ? rng.between(3, 11) : rng.pick([0, 0, 6]);
      const startDate = sentenceDate;
      const endDate = addMonths(addYears(startDate, years), months);
      const charges: ChargeModel[] = [];
      for (let c = 0; c < perSentence; c++) {
        const offence = rng.pick(OFFENCES);
        const offenceDate = addDays(bookingStart, -rng.between(10, 300));
        charges.push({
          chargeId: 9_000_000 + p.index * 200 + seq * 100 + charge + c,
          offence,
          offenceDate,
          offenceRangeDate: rng.chance(0.2) ? addDays(offenceDate, rng.between(1, 30)) : null,
          courtDate: sentenceDate,
          conviction: true,
          mostSerious: false,
          indicators: rng.chance(0.1) ? ['S15'] : [],
        });
      }
      sentences.push({
        bookingId,
        sentenceSeq,
        lineSeq: sentenceSeq,
        caseSeq: 1 + Math.floor((sentenceSeq - 1) / 2),
        caseRef: `T${Number(startDate.slice(0, 4))}${rng.digits(4)}`,
        court: rng.pick(COURTS),
        status: active ? 'A' : 'I',
        category: type.category,
        calcType: type.calcType,
        typeDescription: type.description,
        sentenceDate,
        startDate,
        endDate,
        years,
        months,
        fineAmount: rng.chance(0.1) ? rng.between(1, 50) * 50 : null,
        lifeSentence: false,
        consecutiveTo: sentenceSeq > 1 && rng.chance(0.3) ? sentenceSeq - 1 : null,
        charges,
      });
      charge += perSentence;
    }
    if (rng.chance(0.2)) {
      const offence = rng.pick(OFFENCES);
      unsentencedCharges.push({
        chargeId: 9_000_000 + p.index * 200 + seq * 100 + 99,
        offence,
        offenceDate: addDays(bookingStart, -rng.between(10, 300)),
        offenceRangeDate: null,
        courtDate: addDays(bookingStart, rng.between(1, 60)),
        conviction: false,
        mostSerious: false,
        indicators: [],
      });
    }
    // the most serious charge = lowest severity ranking over the booking
    const all = sentences.flatMap((s) => s.charges);
    let best: ChargeModel | undefined;
    for (const c of all) if (best === undefined || c.offence.severity < best.offence.severity) best = c;
    if (best) best.mostSerious = true;

    const longest = sentences.reduce((acc, s) => (s.endDate > acc ? s.endDate : acc), sentenceDate);
    const totalDays = toDays(longest) - toDays(sentenceDate);
    const crd = addDays(sentenceDate, Math.floor(totalDays / 2));
    const ada = rng.chance(0.15) ? rng.between(1, 42) : 0;
    const released = !active;
    result.push({
      bookingId,
      bookingSeq: seq,
      bookNo: `${String(40000 + ((p.index * 3 + seq) % 60000)).padStart(5, '0')}${'ABCDEFGHJK'.charAt((p.index + seq) % 10)}`,
      active,
      prisonId,
      startDate: bookingStart,
      sentences,
      unsentencedCharges,
      keyDates: {
        sentenceStartDate: sentenceDate,
        sentenceExpiryDate: longest,
        conditionalReleaseDate: addDays(crd, ada),
        licenceExpiryDate: longest,
        homeDetentionCurfewEligibilityDate: totalDays < 4 * 365 && totalDays > 120 ? addDays(crd, -90) : null,
        paroleEligibilityDate: totalDays > 4 * 365 ? addDays(sentenceDate, Math.floor(totalDays / 3)) : null,
        topupSupervisionExpiryDate: totalDays < 730 ? addYears(crd, 1) : null,
        releaseDate: addDays(crd, ada),
        confirmedReleaseDate: released ? addDays(crd, ada) : null,
        effectiveSentenceEndDate: longest,
        additionalDaysAwarded: ada,
        tariffDate: null,
      },
    });
    bookingStart = addDays(bookingStart, -rng.between(900, 3000));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Images, restrictions, reasonable adjustments, prison offender manager

export interface ImageModel {
  imageId: number;
  active: boolean;
  captureDate: string;
  captureDateTime: string;
  view: 'FACE' | 'TAT' | 'MARK' | 'SCAR';
  orientation: 'FRONT' | 'ARM' | 'NECK' | 'HAND';
}

export function images(pop: Population, p: Person): ImageModel[] {
  if (p.prisonNumber === null) return [];
  const rng = rngFor(pop, p, 'images');
  const n = 1 + rng.int(4);
  const list: ImageModel[] = [];
  let date = addDays(SNAPSHOT_DATE, -rng.between(1, 200));
  for (let i = 0; i < n; i++) {
    const face = i === 0 || rng.chance(0.5);
    const minutes = rng.between(8 * 60, 17 * 60);
    list.push({
      imageId: 2_400_000 + p.index * 8 + i,
      active: i === 0,
      captureDate: date,
      captureDateTime: `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`,
      view: face ? 'FACE' : rng.pick(['TAT', 'MARK', 'SCAR'] as const),
      orientation: face ? 'FRONT' : rng.pick(['ARM', 'NECK', 'HAND'] as const),
    });
    date = addDays(date, -rng.between(100, 900));
  }
  return list;
}

export interface RestrictionModel {
  restrictionId: number;
  type: { code: string; description: string };
  comment: string | null;
  startDate: string;
  expiryDate: string | null;
  active: boolean;
}

export function visitRestrictions(pop: Population, p: Person): RestrictionModel[] {
  if (p.prisonNumber === null) return [];
  const rng = rngFor(pop, p, 'restrictions');
  // `restricted` (limited access) always has some, each with a comment, to show free-text redaction.
  const n = rng.chance(0.7) && p.key !== 'restricted' ? 0 : 1 + rng.int(2);
  const types = [
    { code: 'CCTV', description: 'CCTV' },
    { code: 'CLOSED', description: 'Closed' },
    { code: 'NONCON', description: 'Non-contact visit' },
    { code: 'DIHCON', description: 'Disability Health Concerns' },
  ];
  const list: RestrictionModel[] = [];
  for (let i = 0; i < n; i++) {
    const startDate = addDays(SNAPSHOT_DATE, -rng.between(10, 800));
    const expiryDate = rng.chance(0.5) ? addDays(startDate, rng.between(30, 900)) : null;
    list.push({
      restrictionId: 70_000 + p.index * 4 + i,
      type: rng.pick(types),
      comment: rng.chance(0.5) || p.key === 'restricted' ? 'Following a security review' : null,
      startDate,
      expiryDate,
      active: expiryDate === null || expiryDate > SNAPSHOT_DATE,
    });
  }
  return list;
}

export interface AdjustmentModel {
  treatmentCode: string;
  treatmentDescription: string;
  commentText: string | null;
  startDate: string;
  endDate: string | null;
  agencyId: string;
  personalCareNeedId: number;
}

export function reasonableAdjustments(pop: Population, p: Person): AdjustmentModel[] {
  if (p.prisonNumber === null) return [];
  const rng = rngFor(pop, p, 'adjustments');
  if (!rng.chance(0.25) && p.key !== 'linked') return [];
  const n = p.key === 'linked' ? 2 : 1 + rng.int(2);
  const list: AdjustmentModel[] = [];
  for (let i = 0; i < n; i++) {
    const t = HEALTH_TREATMENTS[(rng.int(HEALTH_TREATMENTS.length) + i) % HEALTH_TREATMENTS.length] ?? HEALTH_TREATMENTS[0];
    const startDate = addDays(SNAPSHOT_DATE, -rng.between(30, 1500));
    list.push({
      treatmentCode: t.code,
      treatmentDescription: t.description,
      commentText: rng.chance(0.5) ? 'Agreed with healthcare' : null,
      startDate,
      endDate: rng.chance(0.2) ? addDays(startDate, rng.between(30, 400)) : null,
      agencyId: p.lastPrisonId ?? 'MDI',
      personalCareNeedId: 300_000 + p.index * 4 + i,
    });
  }
  return list;
}

export interface StaffModel {
  staffId: number;
  forename: string;
  surname: string;
}

export interface PomAllocation {
  primary: StaffModel;
  secondary: StaffModel | null;
  prisonId: string;
}

export function pomAllocation(pop: Population, p: Person): PomAllocation | null {
  if (!p.pomAllocated || p.prisonId === null || p.prisonId === 'OUT') return null;
  const rng = rngFor(pop, p, 'pom');
  const staff = (): StaffModel => ({ staffId: 485_000 + rng.int(5000), forename: rng.pick(STAFF_FIRST), surname: rng.pick(STAFF_LAST) });
  return { primary: staff(), secondary: rng.chance(0.3) ? staff() : null, prisonId: p.prisonId };
}

// ---------------------------------------------------------------------------------------------
// Probation side

export interface SupervisionModel {
  number: number;
  active: boolean;
  date: string;
  sentence: { description: string; date: string; length: number; lengthUnits: 'Days' | 'Weeks' | 'Months' | 'Years'; custodial: boolean };
  mainOffence: { offence: OffenceRef; date: string; count: number };
  additionalOffences: { offence: OffenceRef; date: string; count: number }[];
  courtAppearances: { type: string; date: string; minutes: number; court: string; plea: string }[];
}

export function supervisions(pop: Population, p: Person): SupervisionModel[] {
  return pop.memo('supervisions', p.index, () => buildSupervisions(pop, p));
}

function buildSupervisions(pop: Population, p: Person): SupervisionModel[] {
  if (p.crn === null) return [];
  const rng = rngFor(pop, p, 'supervisions');
  const list: SupervisionModel[] = [];
  let date = addDays(SNAPSHOT_DATE, -rng.between(60, 1500));
  let offencesLeft = Math.max(p.offenceCount, p.supervisionCount);
  for (let i = 0; i < p.supervisionCount; i++) {
    const number = p.supervisionCount - i;
    const custodial = p.prisonNumber !== null ? rng.chance(0.7) : rng.chance(0.2);
    const additional = i === p.supervisionCount - 1 ? Math.max(0, offencesLeft - 1) : Math.min(Math.max(0, offencesLeft - 1), rng.int(3));
    offencesLeft -= 1 + additional;
    const offenceDate = addDays(date, -rng.between(20, 200));
    const units = custodial ? 'Months' : rng.pick(['Months', 'Weeks'] as const);
    list.push({
      number,
      active: i === 0 ? p.activeSupervision : false,
      date,
      sentence: {
        description: custodial ? 'ORA Adult Custody (inc PSS)' : rng.pick(['ORA Community Order', 'ORA Suspended Sentence Order']),
        date,
        length: units === 'Months' ? rng.between(6, 60) : rng.between(4, 52),
        lengthUnits: units,
        custodial,
      },
      mainOffence: { offence: rng.pick(OFFENCES), date: offenceDate, count: 1 },
      additionalOffences: Array.from({ length: additional }, () => ({ offence: rng.pick(OFFENCES), date: addDays(offenceDate, rng.between(0, 30)), count: 1 })),
      courtAppearances: [
        { type: 'Sentence', date, minutes: rng.between(9 * 60, 16 * 60), court: rng.pick(COURTS), plea: rng.pick(['Guilty', 'Not Guilty']) },
        ...(rng.chance(0.5) ? [{ type: 'Trial/Adjournment', date: addDays(date, -rng.between(14, 90)), minutes: rng.between(9 * 60, 16 * 60), court: rng.pick(COURTS), plea: 'Not Guilty' }] : []),
      ],
    });
    date = addDays(date, -rng.between(300, 1500));
  }
  return list;
}

export interface CommunityManagerModel {
  code: string;
  forename: string;
  surname: string;
  username: string;
  email: string;
  telephoneNumber: string;
  team: (typeof PROBATION_TEAMS)[number];
  allocated: boolean;
}

export function communityManager(pop: Population, p: Person): CommunityManagerModel | null {
  if (p.crn === null) return null;
  const rng = rngFor(pop, p, 'com');
  const team = rng.pick(PROBATION_TEAMS);
  const allocated = rng.chance(0.9);
  const forename = allocated ? rng.pick(STAFF_FIRST) : 'Unallocated';
  const surname = allocated ? rng.pick(STAFF_LAST) : 'Staff';
  return {
    code: `${team.code}${allocated ? 'A' : 'U'}${rng.digits(2)}`,
    forename,
    surname,
    username: `${forename}${surname}`.toUpperCase().slice(0, 12),
    email: `${forename.toLowerCase()}.${surname.toLowerCase()}@probation.example.org`,
    telephoneNumber: `01632 960${String(rng.int(1000)).padStart(3, '0')}`,
    team,
    allocated,
  };
}

export interface RiskModel {
  mappa: { level: number; category: number; startDate: string; reviewDate: string; notes: string } | null;
  dynamicRisks: { code: string; description: string; startDate: string; reviewDate: string; notes: string }[];
  personStatus: { code: string; description: string; startDate: string; reviewDate: string; notes: string }[];
  tier: string;
}

export function risks(pop: Population, p: Person): RiskModel {
  const rng = rngFor(pop, p, 'risks');
  const mappa = rng.chance(0.15)
    ? (() => {
        const startDate = addDays(SNAPSHOT_DATE, -rng.between(30, 900));
        return { level: rng.between(1, 3), category: rng.between(1, 4), startDate, reviewDate: addDays(startDate, 180), notes: 'Managed under MAPPA arrangements' };
      })()
    : null;
  const dynamicRisks = [];
  if (rng.chance(0.3)) {
    const n = 1 + rng.int(2);
    for (let i = 0; i < n; i++) {
      const r = rng.pick(DYNAMIC_RISKS);
      const startDate = addDays(SNAPSHOT_DATE, -rng.between(30, 900));
      dynamicRisks.push({ ...r, startDate, reviewDate: addDays(startDate, 182), notes: `${r.description} noted at assessment` });
    }
  }
  const personStatus = rng.chance(0.05)
    ? [{ code: 'WRSM', description: 'Warrant/Summons - Outstanding warrant or summons', startDate: addDays(SNAPSHOT_DATE, -rng.between(1, 90)), reviewDate: addDays(SNAPSHOT_DATE, 90), notes: 'Warrant issued for failure to attend' }]
    : [];
  return { mappa, dynamicRisks, personStatus, tier: `${rng.pick(['A', 'B', 'C', 'D'])}${rng.between(0, 3)}` };
}

export interface AccessLimitationModel {
  excludedFrom: string[];
  exclusionMessage: string | null;
  restrictedTo: string[];
  restrictionMessage: string | null;
}

/** Usernames that an excluded case is hidden from / that a restricted case is visible to. */
export function accessLimitations(p: Person): AccessLimitationModel {
  return {
    excludedFrom: p.exclusion ? ['excluded.officer1@probation.example.org', 'excluded.officer2@probation.example.org'] : [],
    exclusionMessage: p.exclusion ? 'You are excluded from viewing this case. Contact the case administrator.' : null,
    restrictedTo: p.restriction ? ['restricted.officer@probation.example.org'] : [],
    restrictionMessage: p.restriction ? 'This case is restricted. Contact the case administrator.' : null,
  };
}

export function accessFor(p: Person, username: string | null): { userExcluded: boolean; userRestricted: boolean } {
  const lim = accessLimitations(p);
  if (username === null || username === '') return { userExcluded: p.exclusion, userRestricted: p.restriction };
  const u = username.toLowerCase();
  const matches = (list: string[]): boolean => list.some((e) => e.toLowerCase() === u || e.toLowerCase().split('@')[0] === u);
  return { userExcluded: p.exclusion && matches(lim.excludedFrom), userRestricted: p.restriction && !matches(lim.restrictedTo) };
}
