import { carryOmitted } from '../../domain/omitted.js';
import { calendarDate } from '../../domain/person.js';
import type { IncentiveHistory, IncentiveReview } from '../../domain/prison-welfare.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { IncentiveReviewDetailDto, IncentiveReviewSummaryDto } from './routes.js';

export function toIncentiveReview(dto: IncentiveReviewDetailDto): IncentiveReview {
  return {
    code: dto.iepCode,
    level: dto.iepLevel,
    reviewedOn: calendarDate(dto.iepDate),
    reviewedAt: londonLocalToInstant(dto.iepTime),
    reviewType: dto.reviewType,
    prisonId: dto.agencyId ?? null,
    comments: dto.comments ?? null,
  };
}

/**
 * The history newest first (the spec says the upstream sends it so; sorted here so a consumer can rely on it),
 * missing what the decoder left out (docs/adr/0021).
 */
export function toIncentiveHistory(dto: IncentiveReviewSummaryDto): IncentiveHistory {
  const reviews = dto.iepDetails.map(toIncentiveReview);
  const key = (r: IncentiveReview) => r.reviewedAt ?? r.reviewedOn ?? '';
  return {
    code: dto.iepCode,
    level: dto.iepLevel,
    reviewedOn: calendarDate(dto.iepDate),
    nextReviewDue: calendarDate(dto.nextReviewDate),
    daysSinceReview: dto.daysSinceReview,
    reviews: carryOmitted(dto.iepDetails, reviews.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))),
  };
}
