/** Prison life (issue 18): movements in and out of prison, and the adjustments to a sentence's length. */

export type MovementKind = 'ADMISSION' | 'RELEASE' | 'TRANSFER' | 'TEMPORARY_ABSENCE' | 'COURT';
export type MovementDirection = 'IN' | 'OUT';

export interface Movement {
  kind: MovementKind;
  direction: MovementDirection;
  /** When it happened, as an instant (Nomis records London wall-clock time). */
  occurredAt: string | null;
  /** The London calendar date of the movement. */
  date: string | null;
  reasonCode: string | null;
  reason: string | null;
  /** Prison or court codes; null where the movement started or ended outside one (e.g. a temporary absence). */
  fromLocation: string | null;
  fromLocationName: string | null;
  toLocation: string | null;
  toLocationName: string | null;
}

export type SentenceAdjustmentKind =
  | 'REMAND'
  | 'TAGGED_BAIL'
  | 'UNUSED_REMAND'
  | 'RECALL_REMAND'
  | 'RECALL_TAGGED_BAIL'
  | 'CUSTODY_ABROAD'
  | 'APPEAL_APPLICANT'
  | 'ADDITIONAL_DAYS_AWARDED'
  | 'RESTORED_ADDITIONAL_DAYS_AWARDED'
  | 'UNLAWFULLY_AT_LARGE'
  | 'LAWFULLY_AT_LARGE'
  | 'SPECIAL_REMISSION';

export interface SentenceAdjustment {
  kind: SentenceAdjustmentKind;
  /** The booking it was recorded on. */
  bookingId: string;
  /** The sentence (its sequence on the booking) a sentence-level adjustment belongs to; null for booking-level ones. */
  sentenceSequence: number | null;
  days: number;
  fromDate: string | null;
  toDate: string | null;
  active: boolean;
  comment: string | null;
}

/** A charge of breaking prison rules, with its hearings, outcome and punishments. */
export interface Adjudication {
  chargeNumber: string;
  status: string;
  statusDescription: string | null;
  prisonId: string | null;
  incidentAt: string | null;
  discoveredAt: string | null;
  location: string | null;
  offenceCode: string | null;
  offenceDescription: string | null;
  offenceParagraph: string | null;
  offenceParagraphDescription: string | null;
  incidentStatement: string | null;
  hearings: AdjudicationHearing[];
  outcome: { code: string; details: string | null } | null;
  punishments: AdjudicationPunishment[];
}

export interface AdjudicationHearing {
  heldAt: string | null;
  type: string;
  typeDescription: string | null;
  prisonId: string | null;
  location: string | null;
  outcomeCode: string | null;
  plea: string | null;
  outcomeDetails: string | null;
}

export interface AdjudicationPunishment {
  type: string;
  typeDescription: string | null;
  privilege: string | null;
  days: number | null;
  startDate: string | null;
  endDate: string | null;
  suspendedUntil: string | null;
  earningsStoppedPercent: number | null;
  damagesOwed: number | null;
}
