import { describe, expect, it } from '@jest/globals';
import { alertsLoader } from '../../../src/datasources/alerts/loaders.js';
import { batchOf } from '../../../src/datasources/http/contract.js';
import { omittedFrom } from '../../../src/domain/omitted.js';
import { toAlert } from '../../../src/datasources/alerts/mapping.js';
import type { AlertDto, AlertsRoutes } from '../../../src/datasources/alerts/routes.js';
import { expectSpecShaped } from './spec-sample.js';

// dps-alerts-api.json, schema Alert (synthetic person).
const alert = {
  alertUuid: '00000000-0000-4000-8000-000000000001',
  prisonNumber: 'A0001AA',
  alertCode: { alertTypeCode: 'X', alertTypeDescription: 'Security', code: 'XA', description: 'Arsonist' },
  description: 'Synthetic note',
  activeFrom: '2024-02-29',
  activeTo: '2025-01-31',
  isActive: true,
  createdAt: '2024-07-01T09:30:00',
  createdBy: 'USER_A',
  createdByDisplayName: 'User A',
};

describe('alerts mapping (toAlert)', () => {
  it('the sample is an AlertsResponse item as the spec defines it', () => {
    expectSpecShaped('alerts', 'POST', '/search/alerts/prison-numbers', { content: [alert] });
  });

  // Whether an alert applies is worked out from its dates when asked (`alertAppliesOn`), not taken from `isActive`.
  it('maps code, type, descriptions and dates', () => {
    expect(toAlert(alert)).toEqual({
      code: 'XA',
      codeDescription: 'Arsonist',
      type: 'X',
      typeDescription: 'Security',
      description: 'Synthetic note',
      activeFrom: '2024-02-29',
      activeTo: '2025-01-31',
      // UK local time without offset, in summer: BST (UTC+1).
      createdAt: '2024-07-01T09:30:00+01:00',
    });
  });

  it('reads createdAt in winter as GMT', () => {
    expect(toAlert({ ...alert, createdAt: '2024-01-15T09:30:00' }).createdAt).toBe('2024-01-15T09:30:00+00:00');
  });

  it('absent optional fields are null, and an impossible date is no date', () => {
    const bare: AlertDto = { prisonNumber: 'A0001AA', alertCode: { code: 'XA' }, isActive: false, activeFrom: '2023-02-30' };
    expect(toAlert(bare)).toEqual({
      code: 'XA',
      codeDescription: null,
      type: null,
      typeDescription: null,
      description: null,
      activeFrom: null,
      activeTo: null,
      createdAt: null,
    });
  });
});

describe('alerts loader', () => {
  it('asks once for all people of a tick and gives each their own alerts (none: an empty list)', async () => {
    const asked: (readonly string[])[] = [];
    const routes: AlertsRoutes = {
      alertsOf: async (numbers) => {
        asked.push(numbers);
        return batchOf<AlertDto>([alert, { ...alert, alertCode: { code: 'RSS' } }]);
      },
    };
    const loader = alertsLoader(routes);
    const [a, b] = await Promise.all([loader.load('A0001AA'), loader.load('B0002BB')]);
    expect(asked).toEqual([['A0001AA', 'B0002BB']]);
    expect(a?.map((x) => x.code)).toEqual(['XA', 'RSS']);
    expect(b).toEqual([]);
  });

  it('marks each list with how many of its alerts were left out for breaking the contract (ADR 21)', async () => {
    const routes: AlertsRoutes = {
      alertsOf: async () => ({ ...batchOf<AlertDto>([alert]), omitted: new Map([['A0001AA', 2]]), unattributed: 1 }),
    };
    const loader = alertsLoader(routes);
    const [a, b] = await Promise.all([loader.load('A0001AA'), loader.load('B0002BB')]);
    // An alert whose prison number is broken could be anyone's: every person asked may miss it.
    expect([a?.length, omittedFrom(a), b?.length, omittedFrom(b)]).toEqual([1, 3, 0, 1]);
  });
});
