import { describe, expect, it } from '@jest/globals';
import { decodeLicence, decodeLicenceSummaries } from '../../../src/datasources/cvl/decode.js';
import { toLicence, toLicenceSummary } from '../../../src/datasources/cvl/mapping.js';
import { ContractViolation } from '../../../src/datasources/http/contract.js';
import { expectSpecShaped } from './spec-sample.js';

// cvl-create-and-vary-licence.json: a licence summary and the licence (synthetic).
const summary = {
  id: 700112, licenceType: 'AP_PSS', policyVersion: 'V2_1', version: '1.0', statusCode: 'ACTIVE', prisonNumber: 'A1234BC', bookingId: 1200000,
  crn: 'X123456', approvedByUsername: 'ACO_1', approvedDateTime: '2025-03-14T10:00:00', createdByUsername: 'COM_1', createdDateTime: '2025-03-10T09:00:00',
  isInPssPeriod: true,
};
const licence = {
  ...summary,
  conditions: {
    AP: {
      standard: [{ code: '3b19fdb0', text: 'Not commit any offence.' }],
      additional: [
        { id: 1, category: 'Electronic monitoring', type: 'ELECTRONIC_MONITORING', code: 'fd129172', text: 'Wear a tag.', restrictions: 'CURFEW' },
        { id: 2, category: 'Freedom of movement', type: 'MULTIPLE_EXCLUSION_ZONE', code: '0f9a20f4', text: 'Not to enter the zone.', hasImageUpload: true },
      ],
      bespoke: [{ text: 'You must not visit Y.' }],
    },
    PSS: { standard: [{ code: 'b950407d', text: 'Keep in touch with your supervisor.' }], additional: [] },
  },
};

describe('CVL mapping', () => {
  it('the samples are what the spec defines (the electronic monitoring restriction only on that subtype)', () => {
    expectSpecShaped('cvl', 'GET', '/public/licence-summaries/crn/X123456', [summary]);
    expectSpecShaped('cvl', 'GET', '/public/licences/id/700112', licence);
  });

  it('a summary: status, type, instants with their offset, the post-sentence supervision flag', () => {
    expect(toLicenceSummary(decodeLicenceSummaries([summary], () => undefined)[0]!)).toEqual({
      id: '700112', type: 'AP_PSS', status: 'ACTIVE', policyVersion: 'V2_1', version: '1.0', prisonNumber: 'A1234BC',
      approvedAt: '2025-03-14T10:00:00+00:00', createdAt: '2025-03-10T09:00:00+00:00', updatedAt: null, inPostSentenceSupervisionPeriod: true,
    });
  });

  it('conditions in one list: licence period (standard, additional, bespoke), then post-sentence supervision', () => {
    expect(toLicence(decodeLicence(licence)).conditions).toEqual([
      { period: 'LICENCE', kind: 'STANDARD', code: '3b19fdb0', category: null, text: 'Not commit any offence.', electronicMonitoring: null },
      { period: 'LICENCE', kind: 'ADDITIONAL', code: 'fd129172', category: 'Electronic monitoring', text: 'Wear a tag.', electronicMonitoring: 'CURFEW' },
      { period: 'LICENCE', kind: 'ADDITIONAL', code: '0f9a20f4', category: 'Freedom of movement', text: 'Not to enter the zone.', electronicMonitoring: null },
      { period: 'LICENCE', kind: 'BESPOKE', code: null, category: null, text: 'You must not visit Y.', electronicMonitoring: null },
      { period: 'POST_SENTENCE_SUPERVISION', kind: 'STANDARD', code: 'b950407d', category: null, text: 'Keep in touch with your supervisor.', electronicMonitoring: null },
    ]);
  });

  it('a licence with a spoiled condition is a contract fault of the licence (never shown with a condition missing)', () => {
    const spoiled = { ...licence, conditions: { ...licence.conditions, AP: { ...licence.conditions.AP, bespoke: [{ text: 42 }] } } };
    expect(() => decodeLicence(spoiled)).toThrow(ContractViolation);
    expect(() => decodeLicence({ ...licence, licenceType: 'XX' })).toThrow(ContractViolation);
    expect(() => decodeLicenceSummaries(new Array(51).fill(summary), () => undefined)).toThrow(ContractViolation);
    const reports: string[] = [];
    expect(decodeLicenceSummaries([summary, { ...summary, crn: 'not a crn' }], (_r, d) => reports.push(d))).toHaveLength(1);
    expect(reports).toHaveLength(1);
  });
});
