import type { UpstreamName } from '../config/index.js';
import { adjudicationsRoutes } from './adjudications/routes.js';
import { alertsRoutes } from './alerts/routes.js';
import { arnsRoutes } from './arns/routes.js';
import { cvlRoutes } from './cvl/routes.js';
import { deliusIntegrationRoutes } from './delius-integration/routes.js';
import type { RequestScope, UpstreamCaller, UpstreamClient } from './http/upstream-client.js';
import { managePomRoutes } from './manage-pom/routes.js';
import { personRecordRoutes } from './person-record/routes.js';
import { prisonApiRoutes } from './prison-api/routes.js';
import { prisonLifeRoutes } from './prison-api/prison-life-routes.js';
import { prisonerSearchRoutes } from './prisoner-search/routes.js';
import { prisonerSearchQueries } from './prisoner-search/search.js';
import { probationSearchRoutes } from './probation-search/routes.js';
import { probationSearchQueries } from './probation-search/search.js';
import { caseNotesRoutes } from './case-notes/routes.js';
import { incentivesRoutes } from './incentives/routes.js';
import { healthAndMedicationRoutes } from './health-and-medication/routes.js';
import { nonAssociationsRoutes } from './non-associations/routes.js';
import { personalRelationshipsRoutes } from './personal-relationships/routes.js';
import { prisonVisitsRoutes } from './prison-visits/routes.js';
import { prisonVisitRoutes } from './prison-api/visit-routes.js';

/** The long-lived client of each upstream, as far as one request needs it: bound to its scope. */
export type UpstreamClients = Record<UpstreamName, Pick<UpstreamClient, 'scoped'>>;

interface Routes {
  prisonApi: ReturnType<typeof prisonApiRoutes>;
  prisonerSearch: ReturnType<typeof prisonerSearchRoutes>;
  prisonerQueries: ReturnType<typeof prisonerSearchQueries>;
  alerts: ReturnType<typeof alertsRoutes>;
  managePom: ReturnType<typeof managePomRoutes>;
  probationSearch: ReturnType<typeof probationSearchRoutes>;
  probationQueries: ReturnType<typeof probationSearchQueries>;
  deliusIntegration: ReturnType<typeof deliusIntegrationRoutes>;
  personRecord: ReturnType<typeof personRecordRoutes>;
  arns: ReturnType<typeof arnsRoutes>;
  cvl: ReturnType<typeof cvlRoutes>;
  caseNotes: ReturnType<typeof caseNotesRoutes>;
  prisonLife: ReturnType<typeof prisonLifeRoutes>;
  adjudications: ReturnType<typeof adjudicationsRoutes>;
  incentives: ReturnType<typeof incentivesRoutes>;
  healthAndMedication: ReturnType<typeof healthAndMedicationRoutes>;
  nonAssociations: ReturnType<typeof nonAssociationsRoutes>;
  personalRelationships: ReturnType<typeof personalRelationshipsRoutes>;
  prisonVisits: ReturnType<typeof prisonVisitsRoutes>;
  prisonApiVisits: ReturnType<typeof prisonVisitRoutes>;
}

/**
 * The routes of each upstream for one request, over that request's scoped client. Each is made on
 * first use: a request that never asks an upstream makes no client or routes for it.
 */
export class RequestRoutes {
  private readonly callers: Partial<Record<UpstreamName, UpstreamCaller>> = {};
  private readonly made: Partial<Routes> = {};

  constructor(
    private readonly clients: UpstreamClients,
    private readonly scope: RequestScope,
  ) {}

  get prisonApi() {
    return this.once('prisonApi', () => prisonApiRoutes(this.caller('prisonApi')));
  }
  get prisonerSearch() {
    return this.once('prisonerSearch', () => prisonerSearchRoutes(this.caller('prisonerSearch')));
  }
  /** Prisoner search's attribute search for `searchPersons`. */
  get prisonerQueries() {
    return this.once('prisonerQueries', () => prisonerSearchQueries(this.caller('prisonerSearch')));
  }
  get alerts() {
    return this.once('alerts', () => alertsRoutes(this.caller('alerts')));
  }
  get managePom() {
    return this.once('managePom', () => managePomRoutes(this.caller('managePom')));
  }
  get probationSearch() {
    return this.once('probationSearch', () => probationSearchRoutes(this.caller('probationSearch')));
  }
  /** Probation search's people search for `searchPersons`. */
  get probationQueries() {
    return this.once('probationQueries', () => probationSearchQueries(this.caller('probationSearch')));
  }
  get deliusIntegration() {
    return this.once('deliusIntegration', () => deliusIntegrationRoutes(this.caller('deliusIntegration')));
  }
  get personRecord() {
    return this.once('personRecord', () => personRecordRoutes(this.caller('personRecord')));
  }
  get caseNotes() {
    return this.once('caseNotes', () => caseNotesRoutes(this.caller('caseNotes')));
  }
  get incentives() {
    return this.once('incentives', () => incentivesRoutes(this.caller('incentives')));
  }
  get healthAndMedication() {
    return this.once('healthAndMedication', () => healthAndMedicationRoutes(this.caller('healthAndMedication')));
  }
  get nonAssociations() {
    return this.once('nonAssociations', () => nonAssociationsRoutes(this.caller('nonAssociations')));
  }
  get personalRelationships() {
    return this.once('personalRelationships', () => personalRelationshipsRoutes(this.caller('personalRelationships')));
  }
  get prisonVisits() {
    return this.once('prisonVisits', () => prisonVisitsRoutes(this.caller('prisonVisits')));
  }
  get prisonApiVisits() {
    return this.once('prisonApiVisits', () => prisonVisitRoutes(this.caller('prisonApi')));
  }

  get arns() {
    return this.once('arns', () => arnsRoutes(this.caller('arns')));
  }
  get cvl() {
    return this.once('cvl', () => cvlRoutes(this.caller('cvl')));
  }
  /** Prison API: movements and sentence adjustments (issue 18). */
  get prisonLife() {
    return this.once('prisonLife', () => prisonLifeRoutes(this.caller('prisonApi')));
  }

  get adjudications() {
    return this.once('adjudications', () => adjudicationsRoutes(this.caller('adjudications')));
  }

  private caller(name: UpstreamName): UpstreamCaller {
    return (this.callers[name] ??= this.clients[name].scoped(this.scope));
  }

  private once<K extends keyof Routes>(key: K, make: () => Routes[K]): Routes[K] {
    return (this.made[key] ??= make());
  }
}
