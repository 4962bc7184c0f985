import { calendarDate } from '../../domain/person.js';
import type { Contact } from '../../domain/prison-welfare.js';
import type { NumberOfChildrenDto, PrisonerContactSummaryDto } from './routes.js';

const RELATIONSHIP_TYPES: Record<string, Contact['relationshipType']> = { S: 'SOCIAL', O: 'OFFICIAL' };

export function toContact(dto: PrisonerContactSummaryDto): Contact {
  return {
    firstName: dto.firstName,
    middleNames: dto.middleNames ?? null,
    lastName: dto.lastName,
    dateOfBirth: calendarDate(dto.dateOfBirth),
    relationshipType: RELATIONSHIP_TYPES[dto.relationshipTypeCode] ?? null,
    relationship: dto.relationshipToPrisonerDescription,
    relationshipCode: dto.relationshipToPrisonerCode,
    nextOfKin: dto.isNextOfKin === true,
    emergencyContact: dto.isEmergencyContact === true,
    approvedVisitor: dto.isApprovedVisitor === true,
    active: dto.isRelationshipActive !== false,
    phoneNumber: dto.phoneNumber ?? null,
    street: dto.street ?? null,
    town: dto.cityDescription ?? null,
    postcode: dto.postcode ?? null,
    comments: dto.comments ?? null,
    restrictions: dto.restrictionSummary.active.map((r) => ({ code: r.restrictionType, description: r.restrictionTypeDescription })),
  };
}

/** The recorded number of children, as recorded (free text in the upstream, e.g. "2"); null when none is recorded or it is not the active record. */
export function toNumberOfChildren(dto: NumberOfChildrenDto | null): string | null {
  return dto && dto.active ? (dto.numberOfChildren ?? null) : null;
}
