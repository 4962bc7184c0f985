import { array, fields, items, object, optionalArray, optionalObject, valueError, type Report } from '../http/contract.js';

/**
 * Checks of the adjudications the mapping reads (docs/adr/0010): the answer must be a list; an
 * adjudication that does not fit (types, dates, an unknown status) is dropped and reported.
 */

const STATUSES = new Set([
  'ACCEPTED', 'REJECTED', 'AWAITING_REVIEW', 'RETURNED', 'UNSCHEDULED', 'SCHEDULED', 'REFER_POLICE', 'REFER_INAD', 'REFER_GOV', 'PROSECUTION',
  'DISMISSED', 'NOT_PROCEED', 'ADJOURNED', 'CHARGE_PROVED', 'QUASHED', 'INVALID_OUTCOME', 'INVALID_SUSPENDED', 'INVALID_ADA',
]);

export function decodeAdjudications(body: unknown, report: Report): unknown[] {
  return items(array(body, '$'), '$', (item, at) => {
    const a = object(item, at);
    fields(a, at, { chargeNumber: 'string', prisonerNumber: 'string', status: 'string', statusDescription: 'string?', originatingAgencyId: 'string', overrideAgencyId: 'string?' });
    if (!STATUSES.has(a.status as string)) valueError(`${at}.status`, 'not a status of the contract');
    const incident = object(a.incidentDetails, `${at}.incidentDetails`);
    fields(incident, `${at}.incidentDetails`, { dateTimeOfIncident: 'date?', dateTimeOfDiscovery: 'date?', locationName: 'string?' });
    const offence = object(a.offenceDetails, `${at}.offenceDetails`);
    fields(offence, `${at}.offenceDetails`, { offenceCode: 'integer', offenceCodeDescription: 'string?', offenceRule: 'object?' });
    const statement = optionalObject(a.incidentStatement, `${at}.incidentStatement`);
    if (statement) fields(statement, `${at}.incidentStatement`, { statement: 'string?' });
    (optionalArray(a.hearings, `${at}.hearings`) ?? []).forEach((h, i) => {
      const hat = `${at}.hearings[${i}]`;
      const hearing = object(h, hat);
      fields(hearing, hat, { dateTimeOfHearing: 'date?', oicHearingType: 'string', agencyId: 'string?', outcome: 'object?' });
      const outcome = optionalObject(hearing.outcome, `${hat}.outcome`);
      if (outcome) fields(outcome, `${hat}.outcome`, { code: 'string', plea: 'string?', details: 'string?' });
    });
    (optionalArray(a.outcomes, `${at}.outcomes`) ?? []).forEach((o, i) => {
      const combined = optionalObject(object(o, `${at}.outcomes[${i}]`).outcome, `${at}.outcomes[${i}].outcome`);
      if (combined) fields(object(combined.outcome, `${at}.outcomes[${i}].outcome.outcome`), `${at}.outcomes[${i}].outcome.outcome`, { code: 'string', details: 'string?' });
    });
    (optionalArray(a.punishments, `${at}.punishments`) ?? []).forEach((p, i) => {
      const pat = `${at}.punishments[${i}]`;
      const punishment = object(p, pat);
      fields(punishment, pat, { type: 'string', stoppagePercentage: 'integer?', damagesOwedAmount: 'number?' });
      const schedule = object(punishment.schedule, `${pat}.schedule`);
      fields(schedule, `${pat}.schedule`, { days: 'integer', startDate: 'date?', endDate: 'date?', suspendedUntil: 'date?' });
    });
    return a;
  }, report);
}
