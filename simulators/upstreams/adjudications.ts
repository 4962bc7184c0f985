/** DPS Manage Adjudications (dps-manage-adjudications.json): a prisoner's reported adjudications. */

import { type AdjudicationModel, adjudications } from '../lib/adjudications-data.js';
import { localDateTime } from '../lib/dates.js';
import { type UpstreamDefinition, hmppsError, ok } from '../lib/http.js';
import type { Person, Population } from '../lib/population.js';
import { Rng } from '../lib/prng.js';

const HEARING_TYPES = { GOV_ADULT: 'Governor', INAD_ADULT: 'Independent Adjudicator', GOV_YOI: 'Governor (YOI)' } as const;
const PUNISHMENT_TYPES = {
  PRIVILEGE: 'Loss of privileges', EARNINGS: 'Stoppage of earnings', CONFINEMENT: 'Cellular confinement', ADDITIONAL_DAYS: 'Additional days',
  CAUTION: 'Caution', REMOVAL_ACTIVITY: 'Removal from activity',
} as const;
const STATUS_DESCRIPTIONS: Record<AdjudicationModel['status'], string> = {
  UNSCHEDULED: 'Unscheduled', SCHEDULED: 'Scheduled', CHARGE_PROVED: 'Charge proved', DISMISSED: 'Dismissed', NOT_PROCEED: 'Not proceeded with',
  REFER_POLICE: 'Referred to police', QUASHED: 'Quashed', ADJOURNED: 'Adjourned',
};

function uuidFor(...parts: Array<string | number>): string {
  return Rng.of('adjudication-location', ...parts).uuid();
}

function dto(p: Person, a: AdjudicationModel): Record<string, unknown> {
  const at = localDateTime(a.incidentDate, a.incidentMinutes);
  const locationUuid = uuidFor(a.prisonId, a.chargeNumber);
  const hearings = a.hearings.map((h) => ({
    id: h.id,
    locationName: 'Adjudication room',
    locationUuid: uuidFor(a.prisonId, 'hearing-room'),
    dateTimeOfHearing: localDateTime(h.date, h.minutes),
    oicHearingType: h.type,
    oicHearingTypeDescription: HEARING_TYPES[h.type],
    outcome: h.outcome
      ? { id: h.id + 1, adjudicator: h.type === 'INAD_ADULT' ? 'District Judge Example' : 'GOV_EXAMPLE', code: h.outcome.code, details: h.outcome.details, plea: h.outcome.plea }
      : null,
    agencyId: a.prisonId,
  }));
  const outcome = a.outcome ? { outcome: { id: hearings[0]?.id ?? 1, code: a.outcome.code, details: a.outcome.details, canRemove: false }, referralOutcome: null } : null;
  return {
    chargeNumber: a.chargeNumber,
    prisonerNumber: p.prisonNumber,
    prisonerName: `${p.firstName} ${p.lastName}`,
    gender: p.sex === 'F' ? 'FEMALE' : 'MALE',
    incidentDetails: { locationName: 'Houseblock 1', locationUuid, dateTimeOfIncident: at, dateTimeOfDiscovery: at, handoverDeadline: localDateTime(a.incidentDate, a.incidentMinutes + 48 * 60) },
    isYouthOffender: false,
    incidentRole: { roleCode: null, offenceRule: null, associatedPrisonersNumber: null, associatedPrisonersName: null },
    offenceDetails: {
      offenceCode: a.offence.code,
      offenceCodeDescription: a.offence.description,
      offenceRule: { paragraphNumber: a.offence.paragraph, paragraphDescription: a.offence.paragraphDescription, nomisCode: `51:${a.offence.paragraph}`, withOthersNomisCode: null },
      protectedCharacteristics: [],
    },
    incidentStatement: { statement: a.statement, completed: true },
    createdByUserId: 'OFFICER_EXAMPLE',
    createdDateTime: localDateTime(a.incidentDate, Math.min(a.incidentMinutes + 60, 24 * 60 - 1)),
    status: a.status,
    statusDescription: STATUS_DESCRIPTIONS[a.status],
    damages: [],
    evidence: [],
    witnesses: [],
    hearings,
    disIssueHistory: [],
    dateTimeOfFirstHearing: hearings[0]?.dateTimeOfHearing ?? null,
    outcomes: a.hearings.length > 0 || outcome ? [{ hearing: hearings[0] ?? null, outcome }] : [],
    punishments: a.punishments.map((x) => ({
      id: x.id,
      type: x.type,
      typeDescription: PUNISHMENT_TYPES[x.type],
      // A nullable enum whose enum lists no null: the service leaves it out rather than send null.
      ...(x.privilegeType ? { privilegeType: x.privilegeType } : {}),
      stoppagePercentage: x.stoppagePercentage,
      schedule: { days: x.days, duration: x.days, measurement: 'DAYS', startDate: x.startDate, endDate: x.endDate, suspendedUntil: x.suspendedUntil },
      canRemove: false,
      canEdit: false,
      rehabilitativeActivities: [],
    })),
    punishmentComments: [],
    outcomeEnteredInNomis: false,
    originatingAgencyId: a.prisonId,
    linkedChargeNumbers: [],
    canActionFromHistory: false,
  };
}

export function createAdjudications(pop: Population): UpstreamDefinition {
  return {
    name: 'adjudications',
    requiresToken: true,
    errorBody: (status, message) => hmppsError(status, message),
    routes: [
      {
        method: 'GET',
        path: '/reported-adjudications/prisoner/{prisonerNumber}',
        handler: (ctx) => {
          const p = pop.byPrisonNumberValue((ctx.params.prisonerNumber ?? '').toUpperCase());
          // The service answers an empty list for a prisoner it holds nothing on, known or not.
          return ok(p ? adjudications(pop, p).map((a) => dto(p, a)) : []);
        },
      },
    ],
  };
}
