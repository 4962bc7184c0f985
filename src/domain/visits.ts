/** A social visit to a prisoner (Manage Prison Visits). */
export interface Visit {
  reference: string;
  prisonId: string;
  prisonName: string | null;
  startAt: string | null;
  endAt: string | null;
  status: string;
  outcome: string | null;
  type: string;
  restriction: string;
  room: string | null;
  /** Visitors are other people: only their contact ids and who is the main contact. */
  visitors: Array<{ contactId: string; mainContact: boolean }>;
  /** The visit's main contact as the booking recorded them (another person). */
  mainContact: { name: string; telephone: string | null } | null;
  notes: Array<{ type: string; text: string }>;
  visitorSupport: string | null;
}

/** The visit orders a prisoner has left (Prison API). */
export interface VisitBalance {
  remainingVisitOrders: number;
  remainingPrivilegedVisitOrders: number;
  visitOrdersAdjustedOn: string | null;
  privilegedVisitOrdersAdjustedOn: string | null;
}

/** A restriction on the prisoner's visits (Prison API), e.g. closed visits. */
export interface VisitRestriction {
  code: string;
  description: string;
  comment: string | null;
  startDate: string | null;
  expiryDate: string | null;
  active: boolean;
}
