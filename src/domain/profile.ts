/**
 * The parts of a person beyond identity: what prison and probation records say about addresses,
 * offences, sentences, alerts and the people responsible. Pure data; mapping from upstream DTOs
 * lives in each datasource family, combining rules here.
 */

import { sameAddress } from './address.js';

export type RecordSource = 'PRISON' | 'PROBATION';

export interface CodeDescription {
  code: string;
  description: string | null;
}

export interface Address {
  sources: RecordSource[];
  noFixedAddress: boolean;
  /** Flat, apartment or unit as written, e.g. `Flat 6`. */
  flat: string | null;
  buildingName: string | null;
  houseNumber: string | null;
  street: string | null;
  /** Part of a town: Nomis `locality`, Delius `district`. */
  locality: string | null;
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

/**
 * Whether an alert applies on `day` (a London calendar date): from its `activeFrom` (an alert
 * without one applies from when it was made) until the day before its `activeTo` (the alerts
 * API's own rule: active when the active-to date is absent or in the future). The upstream's
 * `isActive` is not used: it says what applied when the upstream last computed it, so an alert it still
 * calls active after its `activeTo` is kept (src/datasources/alerts/decode.ts) and is not active here.
 */
export function alertAppliesOn(alert: Pick<Alert, 'activeFrom' | 'activeTo'>, day: string): boolean {
  return (alert.activeFrom === null || alert.activeFrom <= day) && (alert.activeTo === null || alert.activeTo > day);
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
 * Addresses from both sides, an address both hold given once with both sources (the matching rule:
 * `sameAddress`, ADR 9). Of an address both hold, the probation value of each part is given and the
 * prison value fills what probation lacks (as for the person); its kinds are those of both.
 */
export function mergeAddresses(prison: Address[], probation: Address[]): Address[] {
  const merged: Address[] = prison.map((a) => ({ ...a, sources: [...a.sources], types: [...a.types] }));
  const matched = new Set<Address>();
  for (const address of probation) {
    const index = merged.findIndex((a) => !matched.has(a) && a.sources.includes('PRISON') && sameAddress(a, address));
    if (index < 0) {
      merged.push(address);
      continue;
    }
    const same = merged[index]!;
    const both = bothHeld(address, same);
    merged[index] = both;
    matched.add(both);
  }
  return newestFirst(merged, (a) => a.startDate);
}

function bothHeld(probation: Address, prison: Address): Address {
  return {
    sources: ['PRISON', 'PROBATION'],
    noFixedAddress: probation.noFixedAddress || prison.noFixedAddress,
    flat: probation.flat ?? prison.flat,
    buildingName: probation.buildingName ?? prison.buildingName,
    houseNumber: probation.houseNumber ?? prison.houseNumber,
    street: probation.street ?? prison.street,
    locality: probation.locality ?? prison.locality,
    town: probation.town ?? prison.town,
    county: probation.county ?? prison.county,
    postcode: probation.postcode ?? prison.postcode,
    country: probation.country ?? prison.country,
    startDate: probation.startDate ?? prison.startDate,
    endDate: probation.endDate ?? prison.endDate,
    types: [...prison.types, ...probation.types.filter((t) => !prison.types.some((p) => p.code === t.code))],
    notes: probation.notes ?? prison.notes,
  };
}
