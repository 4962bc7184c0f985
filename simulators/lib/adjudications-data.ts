/**
 * Adjudications (Manage Adjudications, issue 18 area 4): charges of breaking prison rules, their
 * hearings, outcomes and punishments. Drawn from an own PRNG seeded by (population seed, prison
 * number, area), never from the population's sequence.
 */

import { SNAPSHOT_DATE, addDays, toDays } from './dates.js';
import { bookings } from './details.js';
import type { Person, Population } from './population.js';
import { Rng } from './prng.js';

export interface AdjudicationModel {
  chargeNumber: string;
  prisonId: string;
  incidentDate: string;
  incidentMinutes: number;
  offence: { code: number; description: string; paragraph: string; paragraphDescription: string };
  statement: string;
  status: 'UNSCHEDULED' | 'SCHEDULED' | 'CHARGE_PROVED' | 'DISMISSED' | 'NOT_PROCEED' | 'REFER_POLICE' | 'QUASHED' | 'ADJOURNED';
  hearings: Array<{ id: number; date: string; minutes: number; type: 'GOV_ADULT' | 'INAD_ADULT' | 'GOV_YOI'; outcome: { code: 'COMPLETE' | 'ADJOURN' | 'REFER_POLICE'; plea: 'GUILTY' | 'NOT_GUILTY' | 'NOT_ASKED'; details: string | null } | null }>;
  outcome: { code: 'CHARGE_PROVED' | 'DISMISSED' | 'NOT_PROCEED' | 'REFER_POLICE' | 'QUASHED'; details: string | null } | null;
  punishments: Array<{ id: number; type: 'PRIVILEGE' | 'EARNINGS' | 'CONFINEMENT' | 'ADDITIONAL_DAYS' | 'CAUTION' | 'REMOVAL_ACTIVITY'; privilegeType: 'TV' | 'GYM' | 'CANTEEN' | null; days: number; startDate: string | null; endDate: string | null; suspendedUntil: string | null; stoppagePercentage: number | null }>;
}

const OFFENCES = [
  { code: 1001, description: 'Commits any assault', paragraph: '1', paragraphDescription: 'Commits any assault' },
  { code: 4001, description: 'Fights with any person', paragraph: '4', paragraphDescription: 'Fights with any person' },
  { code: 12101, description: 'Has in his possession an unauthorised article', paragraph: '12', paragraphDescription: 'Has in his possession any unauthorised article' },
  { code: 16001, description: 'Intentionally or recklessly sets fire to any part of a prison', paragraph: '16', paragraphDescription: 'Intentionally or recklessly sets fire to any part of a prison or any other property' },
  { code: 22001, description: 'Disobeys any lawful order', paragraph: '22', paragraphDescription: 'Disobeys any lawful order' },
  { code: 25001, description: 'Is disrespectful to any officer', paragraph: '25', paragraphDescription: 'Is disrespectful to any officer, or any person (other than a prisoner) who is at the prison' },
] as const;

/** How many adjudications each well-known person has; others get theirs from the PRNG. */
const HAND_PICKED: Record<string, number> = { linked: 3, 'prison-only': 1, 'many-alerts': 45, 'long-lists': 12, 'no-addresses': 0, restricted: 2 };

export function adjudications(pop: Population, p: Person): AdjudicationModel[] {
  if (p.prisonNumber === null) return [];
  return pop.memo('adjudications', p.index, () => build(pop, p));
}

function build(pop: Population, p: Person): AdjudicationModel[] {
  const rng = Rng.of(pop.seed, p.prisonNumber!, 'adjudications');
  const count = (p.key !== null ? HAND_PICKED[p.key] : undefined) ?? (rng.chance(0.55) ? 0 : rng.between(1, 5));
  const latest = bookings(pop, p)[0];
  const start = latest?.startDate ?? addDays(SNAPSHOT_DATE, -400);
  const span = Math.max(30, toDays(SNAPSHOT_DATE) - toDays(start));
  const prisonId = latest?.prisonId ?? 'MDI';
  const out: AdjudicationModel[] = [];
  for (let i = 0; i < count; i++) {
    const incidentDate = addDays(start, rng.between(1, span - 1));
    const offence = rng.pick(OFFENCES);
    const chargeNumber = `${prisonId}-${String(100_000 + ((p.index * 97 + i * 13) % 900_000)).padStart(6, '0')}${i}`;
    const recent = toDays(SNAPSHOT_DATE) - toDays(incidentDate) < 14;
    // The first adjudication of `prison-only` is proved with added days; recent ones await a hearing.
    const fate = p.key === 'prison-only' && i === 0 ? 'proved' : recent ? 'unscheduled' : rng.pick(['proved', 'proved', 'proved', 'dismissed', 'not-proceed', 'police', 'quashed', 'adjourned'] as const);
    const hearingDate = addDays(incidentDate, rng.between(1, 5));
    const hearing = (outcome: AdjudicationModel['hearings'][number]['outcome']) => ({
      id: 800_000 + p.index * 100 + i, date: hearingDate, minutes: rng.between(9 * 60, 15 * 60), type: rng.pick(['GOV_ADULT', 'INAD_ADULT', 'GOV_ADULT'] as const), outcome,
    });
    const model: AdjudicationModel = {
      chargeNumber, prisonId, incidentDate, incidentMinutes: rng.between(0, 24 * 60 - 1), offence,
      statement: `Prisoner ${rng.pick(['refused to return to cell', 'was found with a mobile phone', 'was involved in an altercation on the wing', 'shouted abuse at an officer'])} during ${rng.pick(['association', 'exercise', 'meal service'])}.`,
      status: 'UNSCHEDULED', hearings: [], outcome: null, punishments: [],
    };
    if (fate === 'proved' || fate === 'quashed') {
      model.status = fate === 'proved' ? 'CHARGE_PROVED' : 'QUASHED';
      model.hearings.push(hearing({ code: 'COMPLETE', plea: rng.pick(['GUILTY', 'NOT_GUILTY'] as const), details: null }));
      model.outcome = { code: fate === 'proved' ? 'CHARGE_PROVED' : 'QUASHED', details: fate === 'quashed' ? 'Quashed on appeal' : null };
      const added = p.key === 'prison-only' && i === 0;
      const n = added ? 2 : rng.between(1, 3);
      for (let k = 0; k < n; k++) {
        const type = added && k === 0 ? 'ADDITIONAL_DAYS' : rng.pick(['PRIVILEGE', 'EARNINGS', 'CONFINEMENT', 'CAUTION', 'REMOVAL_ACTIVITY'] as const);
        const days = type === 'CAUTION' ? 0 : rng.between(3, 28);
        const suspended = type !== 'CAUTION' && type !== 'ADDITIONAL_DAYS' && rng.chance(0.25);
        model.punishments.push({
          id: 900_000 + p.index * 100 + i * 5 + k, type, privilegeType: type === 'PRIVILEGE' ? rng.pick(['TV', 'GYM', 'CANTEEN'] as const) : null, days,
          startDate: suspended || type === 'CAUTION' ? null : hearingDate, endDate: suspended || type === 'CAUTION' ? null : addDays(hearingDate, days - 1),
          suspendedUntil: suspended ? addDays(hearingDate, 180) : null, stoppagePercentage: type === 'EARNINGS' ? rng.pick([25, 50]) : null,
        });
      }
    } else if (fate === 'dismissed' || fate === 'not-proceed') {
      model.status = fate === 'dismissed' ? 'DISMISSED' : 'NOT_PROCEED';
      model.hearings.push(hearing({ code: 'COMPLETE', plea: 'NOT_GUILTY', details: null }));
      model.outcome = { code: fate === 'dismissed' ? 'DISMISSED' : 'NOT_PROCEED', details: fate === 'dismissed' ? 'Evidence not sufficient' : null };
    } else if (fate === 'police') {
      model.status = 'REFER_POLICE';
      model.hearings.push(hearing({ code: 'REFER_POLICE', plea: 'NOT_ASKED', details: 'Referred to the police' }));
      model.outcome = { code: 'REFER_POLICE', details: 'Referred to the police' };
    } else if (fate === 'adjourned') {
      model.status = 'ADJOURNED';
      model.hearings.push(hearing({ code: 'ADJOURN', plea: 'NOT_ASKED', details: 'Awaiting legal advice' }));
    } else if (rng.chance(0.5)) {
      model.status = 'SCHEDULED';
      model.hearings.push(hearing(null));
    }
    out.push(model);
  }
  return out;
}
