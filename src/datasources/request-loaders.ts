import type DataLoader from 'dataloader';
import type { SearchCriteria } from '../domain/search.js';
import type { RowFilters } from '../domain/visibility.js';
import type { Logger } from '../observability/logger.js';
import { adjudicationsLoader } from './adjudications/loaders.js';
import { alertsLoader } from './alerts/loaders.js';
import { criminogenicNeedsLoader, riskManagementPlansLoader, riskOfSeriousHarmLoader, riskScoresLoader } from './arns/loaders.js';
import { licenceLoader, licenceSummariesLoader } from './cvl/loaders.js';
import {
  contactEventLoader,
  contactEventPageLoader,
  limitedAccessDetailsLoader,
  probationAddressesLoader,
  probationCaseLoader,
} from './delius-integration/loaders.js';
import { caseNotePageLoader } from './case-notes/loaders.js';
import type { RequestScope } from './http/upstream-client.js';
import { createPersonLoader, type IdentityLoaders } from './identity.js';
import { prisonOffenderManagerLoader } from './manage-pom/loaders.js';
import { linkedCrnLoader, linkedPrisonNumberLoader, personRecordByCrnLoader, personRecordByPrisonNumberLoader, type PersonRecordLinks } from './person-record/loaders.js';
import {
  bookingSentencesLoader,
  imagesLoader,
  keyDatesLoader,
  offenceHistoryLoader,
  prisonConvictionsLoader,
  prisonAddressesLoader,
  prisonBookingsLoader,
  prisonNameLoader,
  prisonOffencesLoader,
  prisonSentencesLoader,
  reasonableAdjustmentsLoader,
  sentenceSummaryLoader,
  type BookingLoaders,
} from './prison-api/loaders.js';
import { bookingAdjustmentsLoader, movementsLoader, sentenceAdjustmentsLoader } from './prison-api/prison-life-loaders.js';
import type { PrisonApiReferenceData } from './prison-api/reference-data.js';
import { mergedPrisonRecordLoader, prisonRecordLoader } from './prisoner-search/loaders.js';
import { probationRecordByPrisonNumberLoader, probationRecordLoader } from './probation-search/loaders.js';
import { RequestRoutes, type UpstreamClients } from './request-routes.js';
import { searchBothSides, type SearchMatch, type SearchOptions } from './search.js';
import { SIDE_OF, type Lookup, type Side } from './speculation.js';
import { currentIncentiveLevelLoader, incentiveHistoryLoader } from './incentives/loaders.js';
import { dietLoader } from './health-and-medication/loaders.js';
import { nonAssociationsLoader } from './non-associations/loaders.js';
import { contactsLoader, numberOfChildrenLoader } from './personal-relationships/loaders.js';
import { futureVisitsLoader, visitPageLoader } from './prison-visits/loaders.js';
import { visitBalanceLoader, visitRestrictionsLoader } from './prison-api/visit-loaders.js';

/** What one request's loaders are built from: the long-lived clients and process-wide reference data. */
export interface LoaderSources {
  clients: UpstreamClients;
  referenceData: PrisonApiReferenceData;
  logger: Logger;
}

/** Everything a request may build, by name: each built on first use, then kept for the request. */
interface Built {
  person: ReturnType<typeof createPersonLoader>;
  prisonRecord: ReturnType<typeof prisonRecordLoader>;
  mergedPrisonRecord: ReturnType<typeof mergedPrisonRecordLoader>;
  probationRecord: ReturnType<typeof probationRecordLoader>;
  probationRecordByPrisonNumber: ReturnType<typeof probationRecordByPrisonNumberLoader>;
  linkedPrisonNumber: ReturnType<typeof linkedPrisonNumberLoader>;
  linkedCrn: ReturnType<typeof linkedCrnLoader>;
  personRecordByCrn: ReturnType<typeof personRecordByCrnLoader>;
  personRecordByPrisonNumber: ReturnType<typeof personRecordByPrisonNumberLoader>;
  prisonAddresses: ReturnType<typeof prisonAddressesLoader>;
  probationAddresses: ReturnType<typeof probationAddressesLoader>;
  prisonBookings: ReturnType<typeof prisonBookingsLoader>;
  sentenceSummary: ReturnType<typeof sentenceSummaryLoader>;
  bookingSentences: ReturnType<typeof bookingSentencesLoader>;
  prisonName: ReturnType<typeof prisonNameLoader>;
  offenceHistory: ReturnType<typeof offenceHistoryLoader>;
  prisonOffences: ReturnType<typeof prisonOffencesLoader>;
  prisonConvictions: ReturnType<typeof prisonConvictionsLoader>;
  prisonSentences: ReturnType<typeof prisonSentencesLoader>;
  keyDates: ReturnType<typeof keyDatesLoader>;
  images: ReturnType<typeof imagesLoader>;
  reasonableAdjustments: ReturnType<typeof reasonableAdjustmentsLoader>;
  alerts: ReturnType<typeof alertsLoader>;
  prisonOffenderManager: ReturnType<typeof prisonOffenderManagerLoader>;
  probationCase: ReturnType<typeof probationCaseLoader>;
  riskScores: ReturnType<typeof riskScoresLoader>;
  riskOfSeriousHarm: ReturnType<typeof riskOfSeriousHarmLoader>;
  riskManagementPlans: ReturnType<typeof riskManagementPlansLoader>;
  criminogenicNeeds: ReturnType<typeof criminogenicNeedsLoader>;
  licenceSummaries: ReturnType<typeof licenceSummariesLoader>;
  licence: ReturnType<typeof licenceLoader>;
  caseNotePage: ReturnType<typeof caseNotePageLoader>;
  contactEventPage: ReturnType<typeof contactEventPageLoader>;
  contactEvent: ReturnType<typeof contactEventLoader>;
  limitedAccessDetails: ReturnType<typeof limitedAccessDetailsLoader>;
  movements: ReturnType<typeof movementsLoader>;
  bookingAdjustments: ReturnType<typeof bookingAdjustmentsLoader>;
  sentenceAdjustments: ReturnType<typeof sentenceAdjustmentsLoader>;
  adjudications: ReturnType<typeof adjudicationsLoader>;
  currentIncentiveLevel: ReturnType<typeof currentIncentiveLevelLoader>;
  incentiveHistory: ReturnType<typeof incentiveHistoryLoader>;
  diet: ReturnType<typeof dietLoader>;
  nonAssociations: ReturnType<typeof nonAssociationsLoader>;
  contacts: ReturnType<typeof contactsLoader>;
  numberOfChildren: ReturnType<typeof numberOfChildrenLoader>;
  futureVisits: ReturnType<typeof futureVisitsLoader>;
  visitPage: ReturnType<typeof visitPageLoader>;
  visitBalance: ReturnType<typeof visitBalanceLoader>;
  visitRestrictions: ReturnType<typeof visitRestrictionsLoader>;
}

/**
 * One GraphQL request's loaders, named for what they answer, not for the system asked: batching and
 * caching never cross requests. Nothing is built up front: a loader, the routes it calls and the
 * request-scoped client under them are made on first use, so a request that asks for one field
 * pays for one loader.
 */
export class RequestLoaders implements IdentityLoaders, BookingLoaders, PersonRecordLinks {
  private readonly built: Partial<Built> = {};
  private readonly routes: RequestRoutes;
  /**
   * By hmppsId: the lookups the person fields that asked for it will make (speculation.ts), started by
   * identity resolution. Only for the ids those fields asked: a person reached another way (a
   * non-association's other person) starts nothing nobody selected for them.
   */
  private readonly expected = new Map<string, Set<Lookup>>();

  /**
   * @param rowFilters the consumer's row filters, for identity resolution to ask no more about a person
   *   the consumer may not see than about an unknown id; absent (image bytes): none.
   */
  constructor(
    private readonly sources: LoaderSources,
    private readonly scope: RequestScope,
    readonly rowFilters?: RowFilters,
  ) {
    this.routes = new RequestRoutes(sources.clients, scope);
  }

  /** hmppsId -> the person (both halves of the record, linked), staged across upstreams (identity.ts). */
  get person() {
    return this.once('person', () => createPersonLoader(this));
  }

  /** Person data a person field selects (`lookupsOf`) for the hmppsIds it asks: asked early for them. */
  expect(keys: readonly string[], lookups: Iterable<Lookup>): void {
    for (const key of keys) {
      const set = this.expected.get(key) ?? new Set<Lookup>();
      for (const l of lookups) set.add(l);
      this.expected.set(key, set);
    }
  }

  /** Starts the lookups of `side` expected for `origins`, by `key`: the field resolvers find the answers in the loaders. */
  speculate(origins: readonly string[], side: Side, key: string): void {
    const started = new Set<Lookup>();
    for (const origin of origins) {
      for (const l of this.expected.get(origin) ?? []) {
        if (SIDE_OF[l] !== side || started.has(l)) continue;
        started.add(l);
        (this[l] as DataLoader<string, unknown>).load(key).catch(() => undefined);
      }
    }
  }

  /** People matching `criteria` in prison and probation, each once. */
  search(criteria: SearchCriteria, options: SearchOptions): Promise<SearchMatch[]> {
    return searchBothSides(this.routes.prisonerQueries, this.routes.probationQueries, criteria, options);
  }

  // Identity records (prisoner search, probation search, core person record)
  get prisonRecord() {
    return this.once('prisonRecord', () => prisonRecordLoader(this.routes.prisonerSearch));
  }
  get mergedPrisonRecord() {
    return this.once('mergedPrisonRecord', () => mergedPrisonRecordLoader(this.routes.prisonerSearch));
  }
  get probationRecord() {
    return this.once('probationRecord', () => probationRecordLoader(this.routes.probationSearch));
  }
  get probationRecordByPrisonNumber() {
    return this.once('probationRecordByPrisonNumber', () => probationRecordByPrisonNumberLoader(this.routes.probationSearch));
  }
  /** Core person record: the links, read from the records below (one call per id per request). */
  get linkedPrisonNumber() {
    return this.once('linkedPrisonNumber', () => linkedPrisonNumberLoader(this.personRecordByCrn, this.sources.logger, this.scope));
  }
  get linkedCrn() {
    return this.once('linkedCrn', () => linkedCrnLoader(this.personRecordByPrisonNumber, this.sources.logger, this.scope));
  }
  get personRecordByCrn() {
    return this.once('personRecordByCrn', () => personRecordByCrnLoader(this.routes.personRecord));
  }
  get personRecordByPrisonNumber() {
    return this.once('personRecordByPrisonNumber', () => personRecordByPrisonNumberLoader(this.routes.personRecord));
  }

  // Profile: keyed by prison number (prison side) or CRN (probation side)
  get prisonAddresses() {
    return this.once('prisonAddresses', () => prisonAddressesLoader(this.routes.prisonApi));
  }
  get probationAddresses() {
    return this.once('probationAddresses', () => probationAddressesLoader(this.routes.deliusIntegration));
  }
  /** Every booking of a person, with its key dates. */
  get prisonBookings() {
    return this.once('prisonBookings', () => prisonBookingsLoader(this.routes.prisonApi));
  }
  get sentenceSummary() {
    return this.once('sentenceSummary', () => sentenceSummaryLoader(this.routes.prisonApi));
  }
  /** Keyed by booking id. */
  get bookingSentences() {
    return this.once('bookingSentences', () => bookingSentencesLoader(this.routes.prisonApi));
  }
  /** Keyed by prison code. */
  get prisonName() {
    return this.once('prisonName', () => prisonNameLoader(this.routes.prisonApi));
  }
  get offenceHistory() {
    return this.once('offenceHistory', () => offenceHistoryLoader(this.routes.prisonApi, this.prisonBookings));
  }
  /** Convictions with the court that dealt with each. */
  get prisonOffences() {
    return this.once('prisonOffences', () => prisonOffencesLoader(this));
  }
  /** Convictions without their courts (no sentence lookups). */
  get prisonConvictions() {
    return this.once('prisonConvictions', () => prisonConvictionsLoader(this.offenceHistory));
  }
  get prisonSentences() {
    return this.once('prisonSentences', () => prisonSentencesLoader(this));
  }
  get keyDates() {
    return this.once('keyDates', () => keyDatesLoader(this.prisonBookings));
  }
  get images() {
    return this.once('images', () => imagesLoader(this.routes.prisonApi));
  }
  /** Keyed by booking id. */
  get reasonableAdjustments() {
    return this.once('reasonableAdjustments', () => reasonableAdjustmentsLoader(this.routes.prisonApi, this.sources.referenceData));
  }
  get alerts() {
    return this.once('alerts', () => alertsLoader(this.routes.alerts));
  }
  get prisonOffenderManager() {
    return this.once('prisonOffenderManager', () => prisonOffenderManagerLoader(this.routes.managePom));
  }
  get probationCase() {
    return this.once('probationCase', () => probationCaseLoader(this.routes.deliusIntegration));
  }
  /** Case records (issue 17 areas 5-7): pages keyed by person and question. */
  get caseNotePage() {
    return this.once('caseNotePage', () => caseNotePageLoader(this.routes.caseNotes));
  }
  get contactEventPage() {
    return this.once('contactEventPage', () => contactEventPageLoader(this.routes.deliusIntegration));
  }
  get contactEvent() {
    return this.once('contactEvent', () => contactEventLoader(this.routes.deliusIntegration));
  }
  get limitedAccessDetails() {
    return this.once('limitedAccessDetails', () => limitedAccessDetailsLoader(this.routes.deliusIntegration));
  }
  /** Keyed by booking id: one batch request per operation. */
  get currentIncentiveLevel() {
    return this.once('currentIncentiveLevel', () => currentIncentiveLevelLoader(this.routes.incentives));
  }
  get incentiveHistory() {
    return this.once('incentiveHistory', () => incentiveHistoryLoader(this.routes.incentives));
  }
  get diet() {
    return this.once('diet', () => dietLoader(this.routes.healthAndMedication));
  }
  /** One batch request per operation. */
  get nonAssociations() {
    return this.once('nonAssociations', () => nonAssociationsLoader(this.routes.nonAssociations));
  }
  get contacts() {
    return this.once('contacts', () => contactsLoader(this.routes.personalRelationships));
  }
  get numberOfChildren() {
    return this.once('numberOfChildren', () => numberOfChildrenLoader(this.routes.personalRelationships));
  }
  get futureVisits() {
    return this.once('futureVisits', () => futureVisitsLoader(this.routes.prisonVisits));
  }
  get visitPage() {
    return this.once('visitPage', () => visitPageLoader(this.routes.prisonVisits));
  }
  get visitBalance() {
    return this.once('visitBalance', () => visitBalanceLoader(this.routes.prisonApiVisits));
  }
  get visitRestrictions() {
    return this.once('visitRestrictions', () => visitRestrictionsLoader(this.routes.prisonApiVisits));
  }

  // Risks, needs and licences (issue 17): keyed by CRN; `licence` by licence id
  get riskScores() {
    return this.once('riskScores', () => riskScoresLoader(this.routes.arns));
  }
  get riskOfSeriousHarm() {
    return this.once('riskOfSeriousHarm', () => riskOfSeriousHarmLoader(this.routes.arns));
  }
  get riskManagementPlans() {
    return this.once('riskManagementPlans', () => riskManagementPlansLoader(this.routes.arns));
  }
  get criminogenicNeeds() {
    return this.once('criminogenicNeeds', () => criminogenicNeedsLoader(this.routes.arns));
  }
  get licenceSummaries() {
    return this.once('licenceSummaries', () => licenceSummariesLoader(this.routes.cvl));
  }
  get licence() {
    return this.once('licence', () => licenceLoader(this.routes.cvl));
  }
  // Prison life (issue 18): movements (batch), sentence adjustments (keyed by prison number; by booking id below)
  get movements() {
    return this.once('movements', () => movementsLoader(this.routes.prisonLife));
  }
  /** Keyed by booking id. */
  get bookingAdjustments() {
    return this.once('bookingAdjustments', () => bookingAdjustmentsLoader(this.routes.prisonLife));
  }
  get sentenceAdjustments() {
    return this.once('sentenceAdjustments', () => sentenceAdjustmentsLoader(this));
  }

  get adjudications() {
    return this.once('adjudications', () => adjudicationsLoader(this.routes.adjudications));
  }

  private once<K extends keyof Built>(key: K, make: () => Built[K]): Built[K] {
    return (this.built[key] ??= make());
  }
}
