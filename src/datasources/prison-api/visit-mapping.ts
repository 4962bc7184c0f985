import { calendarDate } from '../../domain/person.js';
import type { VisitBalance, VisitRestriction } from '../../domain/visits.js';
import type { OffenderRestrictionDto, VisitBalancesDto } from './visit-routes.js';

export function toVisitBalance(dto: VisitBalancesDto | null): VisitBalance | null {
  if (!dto) return null;
  return {
    remainingVisitOrders: dto.remainingVo,
    remainingPrivilegedVisitOrders: dto.remainingPvo,
    visitOrdersAdjustedOn: calendarDate(dto.latestIepAdjustDate),
    privilegedVisitOrdersAdjustedOn: calendarDate(dto.latestPrivIepAdjustDate),
  };
}

const text = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** Newest start first; ties keep the upstream's order. */
export function toVisitRestrictions(dtos: readonly OffenderRestrictionDto[]): VisitRestriction[] {
  return dtos
    .map((d, i) => ({ i, r: {
      code: d.restrictionType,
      description: d.restrictionTypeDescription,
      comment: text(d.comment),
      startDate: calendarDate(d.startDate),
      expiryDate: calendarDate(d.expiryDate),
      active: d.active,
    } }))
    .sort((a, b) => (b.r.startDate ?? '').localeCompare(a.r.startDate ?? '') || a.i - b.i)
    .map(({ r }) => r);
}
