/**
 * Issue 18 datasources (incentives, health and medication, non-associations): decoders and pure
 * mapping over spec-shaped samples, and the loaders' batching and per-key failures.
 */
import { describe, expect, it } from '@jest/globals';
import { ContractViolation } from '../../../src/datasources/http/contract.js';
import { UpstreamError } from '../../../src/datasources/http/errors.js';
import { decodeHealthAndMedication } from '../../../src/datasources/health-and-medication/decode.js';
import { toDiet } from '../../../src/datasources/health-and-medication/mapping.js';
import { decodeCurrentLevels, decodeReviewSummary } from '../../../src/datasources/incentives/decode.js';
import { currentIncentiveLevelLoader } from '../../../src/datasources/incentives/loaders.js';
import { toIncentiveHistory } from '../../../src/datasources/incentives/mapping.js';
import type { IncentivesRoutes } from '../../../src/datasources/incentives/routes.js';
import { decodeNonAssociations } from '../../../src/datasources/non-associations/decode.js';
import { nonAssociationsLoader } from '../../../src/datasources/non-associations/loaders.js';
import { nonAssociationsOf, toNonAssociation } from '../../../src/datasources/non-associations/mapping.js';
import type { NonAssociationDto, NonAssociationsRoutes } from '../../../src/datasources/non-associations/routes.js';
import { decodeChildren, decodeContactPage } from '../../../src/datasources/personal-relationships/decode.js';
import { contactsLoader } from '../../../src/datasources/personal-relationships/loaders.js';
import { toContact, toNumberOfChildren } from '../../../src/datasources/personal-relationships/mapping.js';
import type { PersonalRelationshipsRoutes } from '../../../src/datasources/personal-relationships/routes.js';
import { expectSpecShaped } from './spec-sample.js';

const noReport = () => undefined;

// dps-incentives.json, GET /incentive-reviews/prisoner/{prisonerNumber}, 200 (synthetic).
const review = (over: Record<string, unknown>) => ({
  id: 1, iepCode: 'STD', iepLevel: 'Standard', comments: 'Fine.', prisonerNumber: 'A0001AA', bookingId: 1200000, iepDate: '2025-03-30',
  iepTime: '2025-03-30T00:30:00.123456', agencyId: 'MDI', userId: 'ABCD_GEN', reviewType: 'REVIEW', auditModuleName: 'INCENTIVES_API', isRealReview: true, ...over,
});
const summary = {
  id: 2, iepCode: 'ENH', iepLevel: 'Enhanced', prisonerNumber: 'A0001AA', bookingId: 1200000, iepDate: '2025-10-26', iepTime: '2025-10-26T01:30:00',
  iepDetails: [review({ id: 1 }), review({ id: 2, iepCode: 'ENH', iepLevel: 'Enhanced', iepDate: '2025-10-26', iepTime: '2025-10-26T01:30:00' })],
  nextReviewDate: '2026-10-26', daysSinceReview: 299,
};

describe('incentives', () => {
  it('the samples are answers as the spec defines them', () => {
    expectSpecShaped('incentives', 'GET', '/incentive-reviews/prisoner/A0001AA', summary);
    expectSpecShaped('incentives', 'POST', '/incentive-reviews/bookings', [{ bookingId: 1200000, iepLevel: 'Standard' }]);
  });

  it('maps the history newest first, with UK local times as instants on both sides of the clock changes', () => {
    const h = toIncentiveHistory(decodeReviewSummary(summary, noReport));
    expect(h).toMatchObject({ code: 'ENH', level: 'Enhanced', reviewedOn: '2025-10-26', nextReviewDue: '2026-10-26', daysSinceReview: 299 });
    expect(h.reviews.map((r) => r.reviewedAt)).toEqual(['2025-10-26T01:30:00+01:00', '2025-03-30T00:30:00.123456+00:00']);
    expect(h.reviews[0]).toMatchObject({ code: 'ENH', reviewType: 'REVIEW', prisonId: 'MDI' });
  });

  it('a review that breaks the contract is dropped and reported; a summary that does is a contract fault', () => {
    const reasons: string[] = [];
    const decoded = decodeReviewSummary({ ...summary, iepDetails: [review({ iepCode: 7 }), review({})] }, (r) => reasons.push(r));
    expect(decoded.iepDetails).toHaveLength(1);
    expect(reasons).toEqual(['shape']);
    expect(() => decodeReviewSummary({ ...summary, iepLevel: null }, noReport)).toThrow(ContractViolation);
    expect(() => decodeReviewSummary({ ...summary, prisonerNumber: 'nope' }, noReport)).toThrow(ContractViolation);
  });

  it('batch: one request for every booking; absent is null, a spoiled entry is UPSTREAM_INVALID_RESPONSE for its booking only', async () => {
    const asked: string[][] = [];
    const routes = {
      currentLevels: async (ids: readonly string[]) => {
        asked.push([...ids]);
        return decodeCurrentLevels([{ bookingId: 1, iepLevel: 'Basic' }, { bookingId: 2, iepLevel: 5 }], noReport);
      },
    } as unknown as IncentivesRoutes;
    const results = await currentIncentiveLevelLoader(routes).loadMany(['1', '2', '3']);
    expect(asked).toEqual([['1', '2', '3']]);
    expect(results[0]).toBe('Basic');
    expect(results[1]).toBeInstanceOf(UpstreamError);
    expect((results[1] as UpstreamError).contractFault).toBe(true);
    expect(results[2]).toBeNull();
  });
});

// dps-health-and-medication.json, GET /prisoners/{prisonerNumber}, 200 (synthetic).
const meta = { lastModifiedAt: '2024-06-14T10:35:17+0100', lastModifiedBy: 'USER1', lastModifiedPrisonId: 'MDI' };
const health = {
  dietAndAllergy: {
    foodAllergies: { value: [{ value: { id: 'FOOD_ALLERGY_EGG', code: 'EGG', description: 'Egg' } }, { value: { id: 'FOOD_ALLERGY_OTHER', code: 'OTHER', description: 'Other' }, comment: 'Kohlrabi' }], ...meta },
    medicalDietaryRequirements: { value: null, ...meta },
    personalisedDietaryRequirements: null,
    cateringInstructions: { value: 'Meals in cell.', ...meta },
    topLevelLocation: 'A',
    lastAdmissionDate: '2024-01-01',
  },
};

describe('health and medication', () => {
  it('the sample is an answer as the spec defines it', () => {
    expectSpecShaped('healthAndMedication', 'GET', '/prisoners/A0001AA', health);
  });

  it('maps selections with their comments; null or absent lists are empty', () => {
    expect(toDiet(decodeHealthAndMedication(health))).toEqual({
      foodAllergies: [{ code: 'EGG', description: 'Egg', comment: null }, { code: 'OTHER', description: 'Other', comment: 'Kohlrabi' }],
      medicalDietaryRequirements: [],
      personalisedDietaryRequirements: [],
      cateringInstructions: 'Meals in cell.',
    });
  });

  it('no record (404) and a record without diet data are both "nothing recorded"', () => {
    expect(toDiet(null)).toBeNull();
    expect(toDiet(decodeHealthAndMedication({ dietAndAllergy: null }))).toBeNull();
    expect(toDiet(decodeHealthAndMedication({}))).toBeNull();
  });

  it('a selection that breaks the contract spoils the answer: never a shorter allergy list', () => {
    const bad = { dietAndAllergy: { ...health.dietAndAllergy, foodAllergies: { value: [{ value: { id: 'X', code: 3 } }], ...meta } } };
    expect(() => decodeHealthAndMedication(bad)).toThrow(ContractViolation);
    expect(() => decodeHealthAndMedication({ dietAndAllergy: [] })).toThrow(ContractViolation);
  });
});

// dps-non-associations.json, POST /non-associations/involving, 200 (synthetic).
const na = (over: Partial<NonAssociationDto> & Record<string, unknown>) => ({
  id: 42, firstPrisonerNumber: 'A0001AA', firstPrisonerRole: 'VICTIM', firstPrisonerRoleDescription: 'Victim', secondPrisonerNumber: 'B0002BB',
  secondPrisonerRole: 'PERPETRATOR', secondPrisonerRoleDescription: 'Perpetrator', reason: 'BULLYING', reasonDescription: 'Bullying',
  restrictionType: 'CELL', restrictionTypeDescription: 'Cell only', comment: 'Keep apart.', whenCreated: '2025-03-30T03:30:00', whenUpdated: '2025-04-01T09:00:00',
  updatedBy: 'ABCD_GEN', isClosed: false, isOpen: true, ...over,
});

describe('non-associations', () => {
  const askedAB = new Set(['A0001AA', 'B0002BB']);

  it('the sample is an answer as the spec defines it', () => {
    expectSpecShaped('nonAssociations', 'POST', '/non-associations/involving', [na({}), na({ id: 43, isClosed: true, isOpen: false, closedBy: 'X', closedReason: 'Moved', closedAt: '2025-05-01T10:00:00' })]);
  });

  it('maps from either side: own role, the other person and their role mirrored', () => {
    const dto = decodeNonAssociations([na({})], noReport, askedAB)[0]!;
    expect(toNonAssociation(dto, 'A0001AA')).toMatchObject({ role: 'VICTIM', otherPrisonNumber: 'B0002BB', otherRole: 'PERPETRATOR', open: true, closedAt: null,
      createdAt: '2025-03-30T03:30:00+01:00' });
    expect(toNonAssociation(dto, 'B0002BB')).toMatchObject({ role: 'PERPETRATOR', otherPrisonNumber: 'A0001AA', otherRole: 'VICTIM' });
    expect(toNonAssociation(dto, 'C0003CC')).toBeNull();
  });

  it('newest first; closed ones carry when and why', () => {
    const list = decodeNonAssociations([na({}), na({ id: 43, whenCreated: '2025-06-01T10:00:00', isClosed: true, isOpen: false, closedReason: 'Moved', closedAt: '2025-07-01T10:00:00' })], noReport, askedAB);
    const mine = nonAssociationsOf(list, 'A0001AA');
    expect(mine.map((n) => n.id)).toEqual(['43', '42']);
    expect(mine[0]).toMatchObject({ open: false, closedReason: 'Moved', closedAt: '2025-07-01T10:00:00+01:00' });
  });

  it('an entry that breaks the contract spoils the whole answer: a missing non-association is the unsafe answer', () => {
    expect(() => decodeNonAssociations([na({}), na({ secondPrisonerNumber: 'nope' })], noReport, askedAB)).toThrow(ContractViolation);
    expect(() => decodeNonAssociations([na({ isClosed: undefined })], noReport, askedAB)).toThrow(ContractViolation);
    expect(() => decodeNonAssociations([na({ closedAt: '2020-01-01T00:00:00', isClosed: true })], noReport, askedAB)).toThrow(ContractViolation);
  });

  it('an entry that involves none of the prisoners asked for spoils the whole answer (no list would show it)', () => {
    expect(decodeNonAssociations([na({})], noReport, new Set(['B0002BB']))).toHaveLength(1);
    expect(() => decodeNonAssociations([na({}), na({ id: 43, firstPrisonerNumber: 'C0003CC', secondPrisonerNumber: 'D0004DD' })], noReport, askedAB)).toThrow(/none of the prisoners asked/);
  });

  it('batch: one request for every person of the operation; a pair asked together is given to both', async () => {
    const asked: string[][] = [];
    const routes: NonAssociationsRoutes = {
      involving: async (numbers) => {
        asked.push([...numbers]);
        return decodeNonAssociations([na({})], noReport, askedAB);
      },
    };
    const [a, b, c] = await nonAssociationsLoader(routes).loadMany(['A0001AA', 'B0002BB', 'C0003CC']);
    expect(asked).toHaveLength(1);
    expect((a as unknown[]).length).toBe(1);
    expect((b as unknown[]).length).toBe(1);
    expect(c).toEqual([]);
  });
});

// dps-personal-relationships.json, GET /prisoner/{prisonNumber}/contact, 200 (synthetic).
const contact = (over: Record<string, unknown> = {}) => ({
  prisonerContactId: 1, contactId: 2, prisonerNumber: 'A0001AA', lastName: 'Example', firstName: 'Sam', relationshipTypeCode: 'S',
  relationshipTypeDescription: 'Social', relationshipToPrisonerCode: 'SIS', relationshipToPrisonerDescription: 'Sister', isApprovedVisitor: true,
  isNextOfKin: true, isEmergencyContact: false, isRelationshipActive: true, currentTerm: true,
  restrictionSummary: { active: [{ restrictionType: 'CLOSED', restrictionTypeDescription: 'Closed visits' }], totalActive: 1, totalExpired: 0 }, ...over,
});

describe('personal relationships (contacts)', () => {
  it('the sample is an answer as the spec defines it', () => {
    expectSpecShaped('personalRelationships', 'GET', '/prisoner/A0001AA/contact', { content: [contact()], page: { size: 100, number: 0, totalElements: 1, totalPages: 1 } });
  });

  it('maps a contact with its relationship, flags and restrictions', () => {
    const page = decodeContactPage({ content: [contact()], page: { totalPages: 1 } });
    expect(toContact(page.content[0]!)).toMatchObject({ firstName: 'Sam', relationshipType: 'SOCIAL', relationship: 'Sister', nextOfKin: true, emergencyContact: false,
      active: true, dateOfBirth: null, restrictions: [{ code: 'CLOSED', description: 'Closed visits' }] });
  });

  it('a contact that breaks the contract spoils the page (never a shorter list); number of children only when active', () => {
    expect(() => decodeContactPage({ content: [contact(), contact({ restrictionSummary: null })] })).toThrow(ContractViolation);
    expect(toNumberOfChildren(decodeChildren({ id: 1, numberOfChildren: '3', active: true }))).toBe('3');
    expect(toNumberOfChildren(decodeChildren({ id: 1, numberOfChildren: '3', active: false }))).toBeNull();
    expect(toNumberOfChildren(null)).toBeNull();
  });

  it('reads every upstream page of a person, and stops at the last', async () => {
    const pages: number[] = [];
    const routes = {
      contactPage: async (_n: string, page: number) => {
        pages.push(page);
        return { content: [toContactDto(page)], totalPages: 3 };
      },
      numberOfChildren: async () => null,
    } as unknown as PersonalRelationshipsRoutes;
    const contacts = await contactsLoader(routes).load('A0001AA');
    expect(pages).toEqual([0, 1, 2]);
    expect(contacts.map((c) => c.lastName)).toEqual(['P0', 'P1', 'P2']);
  });
});

function toContactDto(page: number) {
  return decodeContactPage({ content: [contact({ lastName: `P${page}` })] }).content[0]!;
}
