import { describe, expect, it } from '@jest/globals';
import type { UpstreamName } from '../../../src/config/index.js';
import type { CallOptions, UpstreamCaller } from '../../../src/datasources/http/upstream-client.js';
import { PrisonApiReferenceData } from '../../../src/datasources/prison-api/reference-data.js';
import { RequestLoaders } from '../../../src/datasources/request-loaders.js';
import type { UpstreamClients } from '../../../src/datasources/request-routes.js';
import { createLogger } from '../../../src/observability/logger.js';

/** Fake long-lived clients: count the request-scoped clients made and the calls made, per upstream. */
function fakeClients() {
  const scoped: UpstreamName[] = [];
  const calls: string[] = [];
  const caller = (name: UpstreamName): UpstreamCaller => ({
    violation: () => undefined,
    call: async <T>(options: CallOptions) => {
      calls.push(`${name} ${options.route}`);
      return { status: 200, body: null as T | null };
    },
    get: async (route) => {
      calls.push(`${name} ${route}`);
      return null;
    },
    post: async (route) => {
      calls.push(`${name} ${route}`);
      return null;
    },
  });
  const client = (name: UpstreamName) => ({
    scoped: () => {
      scoped.push(name);
      return caller(name);
    },
  });
  const clients: UpstreamClients = {
    prisonApi: client('prisonApi'),
    prisonerSearch: client('prisonerSearch'),
    alerts: client('alerts'),
    managePom: client('managePom'),
    probationSearch: client('probationSearch'),
    deliusIntegration: client('deliusIntegration'),
    personRecord: client('personRecord'),
    arns: client('arns'),
    cvl: client('cvl'),
    caseNotes: client('caseNotes'),
    adjudications: client('adjudications'),
    incentives: client('incentives'),
    healthAndMedication: client('healthAndMedication'),
    nonAssociations: client('nonAssociations'),
    personalRelationships: client('personalRelationships'),
    prisonVisits: client('prisonVisits'),
  };
  return { clients, scoped, calls };
}

function requestLoaders() {
  const fake = fakeClients();
  const referenceData = new PrisonApiReferenceData(() => fake.clients.prisonApi.scoped({ requestId: 'reference-data' }));
  const loaders = new RequestLoaders({ clients: fake.clients, referenceData, logger: createLogger('silent') }, { requestId: 'r1' });
  return { loaders, ...fake };
}

describe('per-request loaders', () => {
  it('build nothing up front', () => {
    const { scoped } = requestLoaders();
    expect(scoped).toEqual([]);
  });

  it('build a loader, and the scoped client it needs, on first use only; the same loader after that', async () => {
    const { loaders, scoped, calls } = requestLoaders();
    const first = loaders.alerts;
    expect(loaders.alerts).toBe(first);
    expect(scoped).toEqual(['alerts']);
    await first.load('A0001AA');
    expect(calls).toEqual(['alerts POST /search/alerts/prison-numbers']);
  });

  it('loaders of one upstream share its one scoped client', () => {
    const { loaders, scoped } = requestLoaders();
    void loaders.prisonAddresses;
    void loaders.keyDates;
    void loaders.images;
    expect(scoped).toEqual(['prisonApi']);
    expect(loaders.prisonAddresses).not.toBe(loaders.keyDates);
  });

  it('the person loader reaches the identity upstreams only when asked for someone', async () => {
    const { loaders, scoped } = requestLoaders();
    const person = loaders.person;
    expect(scoped).toEqual([]);
    expect(await person.load('A0001AA')).toBeNull();
    expect([...scoped].sort()).toEqual(['personRecord', 'prisonerSearch', 'probationSearch']);
  });

  it('a record primed by the search is the one the identity loader reads (one loader per request)', async () => {
    const { loaders, calls } = requestLoaders();
    const prisonRecord = loaders.prisonRecord;
    expect(loaders.prisonRecord).toBe(prisonRecord);
    prisonRecord.prime('A0001AA', null);
    await loaders.person.load('A0001AA');
    expect(calls.some((c) => c.startsWith('prisonerSearch POST /prisoner-search/prisoner-numbers'))).toBe(false);
  });
});
