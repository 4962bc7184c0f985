import { describe, expect, it } from '@jest/globals';
import { prisonOffenderManagerLoader } from '../../../src/datasources/manage-pom/loaders.js';
import { toPrisonOffenderManager } from '../../../src/datasources/manage-pom/mapping.js';
import type { ManagePomRoutes } from '../../../src/datasources/manage-pom/routes.js';
import { expectSpecShaped } from './spec-sample.js';

// dps-manage-pom.json, GET /api/allocation/{nomsNumber}/primary_pom, 200 (synthetic officer).
const primaryPom = { manager: { code: 485926, forename: 'Pat', surname: 'Example' }, prison: { code: 'MDI' } };

describe('manage POM mapping (toPrisonOffenderManager)', () => {
  it('the sample is a primary_pom answer as the spec defines it', () => {
    expectSpecShaped('managePom', 'GET', '/api/allocation/A0001AA/primary_pom', primaryPom);
  });

  it('maps the manager names and the prison code', () => {
    expect(toPrisonOffenderManager(primaryPom)).toEqual({ forename: 'Pat', surname: 'Example', prisonId: 'MDI' });
  });

  it('no allocation (404 -> null) or no manager is no offender manager', () => {
    expect(toPrisonOffenderManager(null)).toBeNull();
    expect(toPrisonOffenderManager({ prison: { code: 'MDI' } })).toBeNull();
  });

  it('missing names and prison are null', () => {
    expect(toPrisonOffenderManager({ manager: { code: 1 } })).toEqual({ forename: null, surname: null, prisonId: null });
  });
});

describe('prison offender manager loader', () => {
  it('asks per person; a failing call rejects only that person', async () => {
    const routes: ManagePomRoutes = {
      primaryPom: async (n) => {
        if (n === 'B0002BB') throw new Error('boom');
        return n === 'A0001AA' ? primaryPom : null;
      },
    };
    const results = await prisonOffenderManagerLoader(routes).loadMany(['A0001AA', 'B0002BB', 'C0003CC']);
    expect(results[0]).toEqual({ forename: 'Pat', surname: 'Example', prisonId: 'MDI' });
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[2]).toBeNull();
  });
});
