import { describe, expect, it } from '@jest/globals';
import { decodeAdjudications } from '../../../src/datasources/adjudications/decode.js';
import { toAdjudications } from '../../../src/datasources/adjudications/mapping.js';
import type { ReportedAdjudicationDto } from '../../../src/datasources/adjudications/routes.js';
import { expectSpecShaped } from './spec-sample.js';

// dps-manage-adjudications.json, GET /reported-adjudications/prisoner/{prisonerNumber}, 200 (synthetic).
const base = {
  chargeNumber: 'MDI-0001231', prisonerNumber: 'A1234AA', gender: 'MALE', isYouthOffender: false,
  incidentDetails: { locationUuid: '0f5b1c2e-8f0a-4b4c-9a55-5f0f2d3c4b5a', dateTimeOfIncident: '2025-10-26T01:30:00', dateTimeOfDiscovery: '2025-10-26T01:30:00', handoverDeadline: '2025-10-28T01:30:00' },
  incidentRole: {},
  offenceDetails: { offenceCode: 25001, offenceCodeDescription: 'Is disrespectful to any officer', offenceRule: { paragraphNumber: '25', paragraphDescription: 'Is disrespectful' }, protectedCharacteristics: [] },
  incidentStatement: { statement: ' Shouted abuse at an officer. ' },
  createdByUserId: 'OFFICER_EXAMPLE', createdDateTime: '2025-10-26T02:30:00', status: 'CHARGE_PROVED',
  damages: [], evidence: [], witnesses: [],
  hearings: [
    { id: 1, locationUuid: '0f5b1c2e-8f0a-4b4c-9a55-5f0f2d3c4b5b', dateTimeOfHearing: '2025-10-27T10:00:00', oicHearingType: 'GOV_ADULT', agencyId: 'MDI', outcome: { adjudicator: 'GOV', code: 'ADJOURN', plea: 'NOT_ASKED' } },
    { id: 2, locationUuid: '0f5b1c2e-8f0a-4b4c-9a55-5f0f2d3c4b5b', dateTimeOfHearing: '2025-11-03T10:00:00', oicHearingType: 'GOV_ADULT', agencyId: 'MDI', outcome: { adjudicator: 'GOV', code: 'COMPLETE', plea: 'GUILTY' } },
  ],
  disIssueHistory: [],
  outcomes: [
    { hearing: null, outcome: null },
    { outcome: { outcome: { code: 'CHARGE_PROVED', canRemove: false } } },
  ],
  punishments: [
    { type: 'PRIVILEGE', privilegeType: 'TV', schedule: { days: 14, measurement: 'DAYS', startDate: '2025-11-03', endDate: '2025-11-16' }, canRemove: false, canEdit: false, rehabilitativeActivities: [] },
    { type: 'EARNINGS', stoppagePercentage: 50, schedule: { days: 7, measurement: 'DAYS', suspendedUntil: '2026-05-01' }, canRemove: false, canEdit: false, rehabilitativeActivities: [] },
  ],
  punishmentComments: [], outcomeEnteredInNomis: false, originatingAgencyId: 'MDI', linkedChargeNumbers: [], canActionFromHistory: false,
};
const older = { ...base, chargeNumber: 'MDI-0000007', status: 'UNSCHEDULED', incidentDetails: { ...base.incidentDetails, dateTimeOfIncident: '2024-01-02T09:00:00' }, hearings: [], outcomes: [], punishments: [] };

describe('adjudications mapping (toAdjudications)', () => {
  it('the sample is an answer as the spec defines it', () => {
    expectSpecShaped('adjudications', 'GET', '/reported-adjudications/prisoner/A1234AA', [base, older]);
  });

  it('newest incident first; London times with their offset; the latest outcome; hearings latest first; punishments with their schedule', () => {
    const [proved, unscheduled] = toAdjudications([older, base] as unknown as ReportedAdjudicationDto[]);
    expect(proved).toMatchObject({
      chargeNumber: 'MDI-0001231', status: 'CHARGE_PROVED', prisonId: 'MDI', incidentAt: '2025-10-26T01:30:00+01:00', offenceCode: '25001', offenceParagraph: '25',
      incidentStatement: 'Shouted abuse at an officer.', outcome: { code: 'CHARGE_PROVED', details: null },
    });
    expect(proved!.hearings.map((h) => h.outcomeCode)).toEqual(['COMPLETE', 'ADJOURN']);
    expect(proved!.punishments).toEqual([
      { type: 'PRIVILEGE', typeDescription: null, privilege: 'TV', days: 14, startDate: '2025-11-03', endDate: '2025-11-16', suspendedUntil: null, earningsStoppedPercent: null, damagesOwed: null },
      { type: 'EARNINGS', typeDescription: null, privilege: null, days: 7, startDate: null, endDate: null, suspendedUntil: '2026-05-01', earningsStoppedPercent: 50, damagesOwed: null },
    ]);
    expect(unscheduled).toMatchObject({ status: 'UNSCHEDULED', outcome: null, hearings: [], punishments: [] });
  });

  it('decoding: a status outside the contract drops that adjudication (reported), not the list; an object instead of a list fails the call', () => {
    const reasons: string[] = [];
    expect(decodeAdjudications([{ ...base, status: 'MAYBE' }, older], (r) => reasons.push(r))).toHaveLength(1);
    expect(reasons).toEqual(['value']);
    expect(() => decodeAdjudications({ content: [base] }, () => undefined)).toThrow();
  });
});
