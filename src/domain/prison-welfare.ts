/**
 * Prison life (issue 18): incentive level, diet and allergies, non-associations. Pure values the
 * datasources map into and the resolvers read; no I/O.
 */

/** One incentive level review, newest first in a history. */
export interface IncentiveReview {
  code: string;
  level: string;
  /** Calendar date of the review. */
  reviewedOn: string | null;
  /** The review's instant (UK local time in the upstream), ISO 8601 with offset. */
  reviewedAt: string | null;
  reviewType: string;
  prisonId: string | null;
  comments: string | null;
}

export interface IncentiveHistory {
  code: string;
  level: string;
  reviewedOn: string | null;
  nextReviewDue: string | null;
  daysSinceReview: number;
  reviews: IncentiveReview[];
}

/** A selected diet or allergy code with the free-text comment staff added (e.g. for "Other"). */
export interface DietSelection {
  code: string;
  description: string;
  comment: string | null;
}

export interface Diet {
  foodAllergies: DietSelection[];
  medicalDietaryRequirements: DietSelection[];
  personalisedDietaryRequirements: DietSelection[];
  cateringInstructions: string | null;
}

/** A non-association seen from one of its two people. */
export interface NonAssociation {
  id: string;
  role: string;
  roleDescription: string | null;
  otherPrisonNumber: string;
  otherRole: string;
  otherRoleDescription: string | null;
  reason: string;
  reasonDescription: string | null;
  restrictionType: string;
  restrictionTypeDescription: string | null;
  comment: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  open: boolean;
  closedAt: string | null;
  closedReason: string | null;
}

/** A prisoner's contact (a relative, friend or official): another person, not a Person of the graph. */
export interface Contact {
  firstName: string;
  middleNames: string | null;
  lastName: string;
  dateOfBirth: string | null;
  relationshipType: 'SOCIAL' | 'OFFICIAL' | null;
  relationship: string | null;
  relationshipCode: string | null;
  nextOfKin: boolean;
  emergencyContact: boolean;
  approvedVisitor: boolean;
  active: boolean;
  phoneNumber: string | null;
  street: string | null;
  town: string | null;
  postcode: string | null;
  comments: string | null;
  restrictions: Array<{ code: string; description: string }>;
}
