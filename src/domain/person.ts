/**
 * The Person model and the rules that combine the prison half (DPS prisoner search) and the
 * probation half (Delius) of one person. Pure: no I/O.
 */

export interface Alias {
  firstName: string | null;
  middleNames: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  gender: string | null;
}

/** What one system (prison or probation) records about a person's identity. */
export interface PersonRecord {
  firstName: string | null;
  middleNames: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  gender: string | null;
  ethnicity: string | null;
  nationality: string | null;
  religion: string | null;
  pncNumber: string | null;
  croNumber: string | null;
  aliases: Alias[];
}

export interface PrisonRecord extends PersonRecord {
  prisonNumber: string;
  prisonId: string | null;
  /** Prisoner search status, e.g. `ACTIVE IN`, `ACTIVE OUT`, `INACTIVE OUT`. */
  status: string | null;
  bookingId: string | null;
  maritalStatus: string | null;
  /** Prisoner search's `smoker`: `Y`, `N` or `V` (vapes); absent when not read. */
  smoker?: string | null;
  details: PrisonDetails;
}

export interface PrisonDetails {
  inPrison: boolean;
  status: string | null;
  prisonId: string | null;
  prisonName: string | null;
  cellLocation: string | null;
  receptionDate: string | null;
  category: string | null;
  csra: string | null;
  youthOffender: boolean | null;
  physicalCharacteristics: {
    heightCentimetres: number | null;
    weightKilograms: number | null;
    hairColour: string | null;
    rightEyeColour: string | null;
    leftEyeColour: string | null;
    facialHair: string | null;
    shapeOfFace: string | null;
    build: string | null;
    shoeSize: number | null;
    distinguishingMarks: Array<{ kind: 'TATTOO' | 'SCAR' | 'MARK'; bodyPart: string | null; comment: string | null }>;
  };
  languages: Array<{ code: string; primary: boolean; interpreterRequested: boolean }>;
  personalCareNeeds: Array<{
    type: string | null;
    code: string | null;
    description: string | null;
    startDate: string | null;
    endDate: string | null;
  }>;
}

export interface Disability {
  type: string | null;
  condition: string | null;
  startDate: string | null;
  endDate: string | null;
  notes: string | null;
}

export interface ProbationRecord extends PersonRecord {
  crn: string;
  prisonNumber: string | null;
  /** Under an active probation-managed sentence. */
  underActiveSupervision: boolean;
  /** Limited access (LAO): some staff are excluded from, or only some are allowed to see, this case. */
  currentExclusion: boolean;
  currentRestriction: boolean;
  age: number | null;
  sexualOrientation: string | null;
  disabilities: Disability[];
  contactDetails: { phoneNumbers: Array<{ number: string; type: string | null }>; emails: string[] };
}

/** A resolved person: the linked identifiers and whichever halves exist. */
export interface PersonRef {
  crn: string | null;
  prisonNumber: string | null;
  /** The id the consumer asked with, when it was an older (merged) prison number. */
  requestedPrisonNumber: string | null;
  probation: ProbationRecord | null;
  prison: PrisonRecord | null;
  /** Both halves combined by the merge rules (see `combineRecords`). */
  combined: PersonRecord;
  /**
   * Why a half is missing when its system could not be asked (it failed): fields that half feeds
   * report this error; the rest of the person is still answered.
   */
  prisonUnavailable: Error | null;
  probationUnavailable: Error | null;
}

/** Builds a person from whichever halves exist; `null` when neither does. */
export function personFrom(
  probation: ProbationRecord | null,
  prison: PrisonRecord | null,
  requestedPrisonNumber: string | null = null,
  unavailable: { prison?: Error | null; probation?: Error | null; prisonNumber?: string | null } = {},
): PersonRef | null {
  const combined = combineRecords(probation, prison);
  if (!combined) return null;
  return {
    crn: probation?.crn ?? null,
    // When prison could not be asked, the number the person was found by (or that probation holds) stands.
    prisonNumber: prison?.prisonNumber ?? (unavailable.prison ? (unavailable.prisonNumber ?? null) : null),
    requestedPrisonNumber,
    probation,
    prison,
    combined,
    prisonUnavailable: unavailable.prison ?? null,
    probationUnavailable: unavailable.probation ?? null,
  };
}

export interface PersonIdentifiers {
  crn: string | null;
  prisonNumber: string | null;
  pncNumber: string | null;
  croNumber: string | null;
}

/** The preferred public id: the CRN when the person is known to probation, else the prison number. */
export function preferredHmppsId(ref: Pick<PersonRef, 'crn' | 'prisonNumber'>): string {
  const id = ref.crn ?? ref.prisonNumber;
  if (!id) throw new Error('a resolved person has a CRN or a prison number');
  return id;
}

/**
 * Probation holds the case record a person carries through the justice system, so when both halves
 * exist the probation half wins field by field, and the prison half fills what probation lacks.
 */
export function combineRecords(probation: PersonRecord | null, prison: PersonRecord | null): PersonRecord | null {
  if (probation && prison) return fillFrom(probation, prison);
  return probation ?? prison ?? null;
}

function fillFrom(primary: PersonRecord, secondary: PersonRecord): PersonRecord {
  return {
    firstName: primary.firstName ?? secondary.firstName,
    middleNames: primary.middleNames ?? secondary.middleNames,
    lastName: primary.lastName ?? secondary.lastName,
    dateOfBirth: primary.dateOfBirth ?? secondary.dateOfBirth,
    gender: primary.gender ?? secondary.gender,
    ethnicity: primary.ethnicity ?? secondary.ethnicity,
    nationality: primary.nationality ?? secondary.nationality,
    religion: primary.religion ?? secondary.religion,
    pncNumber: primary.pncNumber ?? secondary.pncNumber,
    croNumber: primary.croNumber ?? secondary.croNumber,
    aliases: mergeAliases(primary.aliases, secondary.aliases),
  };
}

/** Union of aliases, de-duplicated on name and date of birth (case-insensitive). */
export function mergeAliases(a: Alias[], b: Alias[]): Alias[] {
  const seen = new Set<string>();
  const out: Alias[] = [];
  for (const alias of [...a, ...b]) {
    const key = [alias.firstName, alias.middleNames, alias.lastName, alias.dateOfBirth]
      .map((v) => (v ?? '').toLocaleLowerCase('en-GB'))
      .join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(alias);
  }
  return out;
}

export function identifiersOf(ref: PersonRef): PersonIdentifiers {
  return {
    crn: ref.crn,
    prisonNumber: ref.prisonNumber,
    pncNumber: ref.combined.pncNumber,
    croNumber: ref.combined.croNumber,
  };
}

/**
 * A calendar date stays a calendar date (design §3): accept only a real `YYYY-MM-DD` day, never
 * pass it through a Date in some time zone.
 */
export function calendarDate(value: string | null | undefined): string | null {
  if (!value || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return null;
  return day <= daysInMonth(year, month) ? value : null;
}

/** The number written by `value[from, to)`, or -1 when any of it is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

/** Age in whole years on `day` (both calendar dates); null without a date of birth. */
export function ageOn(dateOfBirth: string | null, day: string): number | null {
  if (!dateOfBirth || !calendarDate(dateOfBirth) || !calendarDate(day)) return null;
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return day.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}
