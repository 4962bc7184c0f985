import type { NonAssociation } from '../../domain/prison-welfare.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { NonAssociationDto } from './routes.js';

/** The non-association as seen from `prisonNumber` (one of its two people), or `null` when it is not theirs. */
export function toNonAssociation(dto: NonAssociationDto, prisonNumber: string): NonAssociation | null {
  const first = dto.firstPrisonerNumber === prisonNumber;
  if (!first && dto.secondPrisonerNumber !== prisonNumber) return null;
  return {
    id: String(dto.id),
    role: first ? dto.firstPrisonerRole : dto.secondPrisonerRole,
    roleDescription: (first ? dto.firstPrisonerRoleDescription : dto.secondPrisonerRoleDescription) ?? null,
    otherPrisonNumber: first ? dto.secondPrisonerNumber : dto.firstPrisonerNumber,
    otherRole: first ? dto.secondPrisonerRole : dto.firstPrisonerRole,
    otherRoleDescription: (first ? dto.secondPrisonerRoleDescription : dto.firstPrisonerRoleDescription) ?? null,
    reason: dto.reason,
    reasonDescription: dto.reasonDescription ?? null,
    restrictionType: dto.restrictionType,
    restrictionTypeDescription: dto.restrictionTypeDescription ?? null,
    comment: dto.comment ?? null,
    createdAt: londonLocalToInstant(dto.whenCreated),
    updatedAt: londonLocalToInstant(dto.whenUpdated),
    open: !dto.isClosed,
    closedAt: dto.isClosed ? londonLocalToInstant(dto.closedAt) : null,
    closedReason: dto.isClosed ? (dto.closedReason ?? null) : null,
  };
}

/** Newest first. */
export function nonAssociationsOf(dtos: readonly NonAssociationDto[], prisonNumber: string): NonAssociation[] {
  const mine = dtos.map((d) => toNonAssociation(d, prisonNumber)).filter((n): n is NonAssociation => n !== null);
  return mine.sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '') || Number(b.id) - Number(a.id));
}
