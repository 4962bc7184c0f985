/**
 * The parts of a person beyond identity: what prison and probation records say about addresses,
 * offences, sentences, alerts and the people responsible. Pure data; mapping from upstream DTOs
 * lives in each datasource family, combining rules here.
 */

export type RecordSource = 'PRISON' | 'PROBATION';

export interface CodeDescription {
  code: string;
  description: string | null;
}

export interface Address {
  sources: RecordSource[];
  noFixedAddress: boolean;
  number: string | null;
  street: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  country: string | null;
  startDate: string | null;
  endDate: string | null;
  types: CodeDescription[];
  notes: string | null;
}

export interface Offence {
  source: RecordSource;
  description: string | null;
  code: string | null;
  statuteCode: string | null;
  offenceDate: string | null;
  courtDates: string[];
  courtName: string | null;
}

export interface Sentence {
  source: RecordSource;
  description: string | null;
  dateOfSentencing: string | null;
  startDate: string | null;
  endDate: string | null;
  custodial: boolean | null;
  active: boolean | null;
  fineAmount: number | null;
  length: string | null;
}

export interface SentenceKeyDates {
  sentenceStartDate: string | null;
  releaseDate: string | null;
  conditionalReleaseDate: string | null;
  automaticReleaseDate: string | null;
  paroleEligibilityDate: string | null;
  homeDetentionCurfewEligibilityDate: string | null;
  licenceExpiryDate: string | null;
  sentenceExpiryDate: string | null;
  topupSupervisionExpiryDate: string | null;
  postRecallReleaseDate: string | null;
  tariffDate: string | null;
}

export interface Alert {
  code: string;
  codeDescription: string | null;
  type: string | null;
  typeDescription: string | null;
  description: string | null;
  activeFrom: string | null;
  activeTo: string | null;
  active: boolean;
  /** ISO 8601 instant with offset (see `londonLocalToInstant`). */
  createdAt: string | null;
}

export interface ImageMetadata {
  id: string;
  active: boolean;
  capturedAt: string | null;
  view: string | null;
  orientation: string | null;
  type: string | null;
}

export interface ReasonableAdjustment {
  treatmentCode: string | null;
  treatmentDescription: string | null;
  comment: string | null;
  startDate: string | null;
  endDate: string | null;
}

export interface PrisonOffenderManager {
  forename: string | null;
  surname: string | null;
  prisonId: string | null;
}

export interface CommunityManager {
  forename: string | null;
  surname: string | null;
  email: string | null;
  telephoneNumber: string | null;
  allocated: boolean;
  team: { code: string | null; description: string | null; email: string | null; telephoneNumber: string | null } | null;
}

export interface RiskFlag {
  code: string;
  description: string | null;
  startDate: string | null;
  reviewDate: string | null;
  notes: string | null;
}

export interface Mappa {
  level: number | null;
  levelDescription: string | null;
  category: number | null;
  categoryDescription: string | null;
  startDate: string | null;
  reviewDate: string | null;
  notes: string | null;
}

/** What one probation case (Delius supervisions) holds beyond the person record. */
export interface ProbationCase {
  communityManager: CommunityManager | null;
  offences: Offence[];
  sentences: Sentence[];
  dynamicRisks: RiskFlag[];
  mappa: Mappa | null;
  statusInformation: RiskFlag[];
}

/** Newest first by the given date; undated entries last, original order kept among equals. */
export function newestFirst<T>(items: T[], dateOf: (item: T) => string | null): T[] {
  return items
    .map((item, index) => ({ item, index, date: dateOf(item) }))
    .sort((a, b) => {
      if (a.date === b.date) return a.index - b.index;
      if (a.date === null) return 1;
      if (b.date === null) return -1;
      return a.date < b.date ? 1 : -1;
    })
    .map((x) => x.item);
}

/**
 * Addresses from both sides, an address both hold given once with both sources. Two addresses are
 * the same when postcode and house number/street agree (ignoring case and spaces).
 */
export function mergeAddresses(prison: Address[], probation: Address[]): Address[] {
  const key = (a: Address) =>
    [a.postcode, a.number, a.street].map((v) => (v ?? '').toUpperCase().replace(/\s+/g, '')).join('|');
  const merged: Address[] = prison.map((a) => ({ ...a, sources: [...a.sources] }));
  const byKey = new Map(merged.filter((a) => a.postcode).map((a) => [key(a), a]));
  for (const address of probation) {
    const same = address.postcode ? byKey.get(key(address)) : undefined;
    if (!same) {
      merged.push(address);
      continue;
    }
    for (const source of address.sources) if (!same.sources.includes(source)) same.sources.push(source);
    same.startDate ??= address.startDate;
    same.endDate ??= address.endDate;
    same.notes ??= address.notes;
    for (const type of address.types) {
      if (!same.types.some((t) => t.code === type.code)) same.types.push(type);
    }
  }
  return newestFirst(merged, (a) => a.startDate);
}
