/**
 * Risk, needs and licence data (issue 17, areas 1-4) for the ARNS and CVL simulators.
 *
 * Deterministic, and apart from the population's own sequence: every value is drawn from a PRNG of
 * its own, seeded by (population seed, the person's CRN, area name), so adding these areas changed
 * no existing person (reconciliation and the other simulators see exactly what they saw before).
 * Well-known people get hand-picked shapes (see WELL_KNOWN_RISK below); everyone else with a CRN a
 * random one: some with no assessment at all, some with several in both predictor output versions.
 */

import { SNAPSHOT_DATE, addDays, localDateTime } from './dates.js';
import { type Person, type Population, bookingIdFor } from './population.js';
import { Rng } from './prng.js';

export type Level = 'LOW' | 'MEDIUM' | 'HIGH' | 'VERY_HIGH';
type Band = Level | 'NOT_APPLICABLE';
type Answer = 'YES' | 'NO' | 'DK' | 'NA';

/** One completed OASys assessment as ARNS holds it: when, which layer, and its predictor output. */
export interface AssessmentModel {
  /** Stable within a person: 1 = oldest. */
  seq: number;
  assessmentId: number;
  completedDate: string;
  initiationDate: string;
  status: 'COMPLETE' | 'LOCKED_INCOMPLETE';
  assessmentType: 'LAYER3' | 'LAYER1';
  /** '1' = OGRS3 generation (legacy scores), '2' = OGRS4 generation (bands and scores). */
  outputVersion: '1' | '2';
  output: Record<string, unknown>;
}

export interface RiskProfile {
  assessments: AssessmentModel[];
  overall: Level;
  community: Record<'children' | 'public' | 'knownAdult' | 'staff' | 'prisoners', Level>;
  custody: Record<'children' | 'public' | 'knownAdult' | 'staff' | 'prisoners', Level>;
  freeText: Record<string, string>;
  riskToSelf: Record<string, { risk: Answer; previous: Answer; current: Answer; previousConcernsText?: string; currentConcernsText?: string }>;
  otherRisks: Record<string, Answer>;
  needs: Array<{ section: string; name: string; state: 'identified' | 'notIdentified' | 'unanswered'; severity: 'NO_NEED' | 'STANDARD' | 'SEVERE' | null; score: number | null; riskOfHarm: boolean; riskOfReoffending: boolean }>;
}

/** Well-known people's shapes, by key; people not listed here (and not well known) are random. */
const WELL_KNOWN_RISK: Record<string, { dates: Array<[string, '1' | '2']>; overall?: Level } | 'none'> = {
  // Both predictor generations: two legacy assessments, then one in the OGRS4 format.
  linked: { dates: [['2024-02-14', '1'], ['2025-06-03', '1'], ['2026-03-29', '2']], overall: 'HIGH' },
  'probation-only': { dates: [['2025-11-04', '1']], overall: 'MEDIUM' },
  excluded: { dates: [['2025-09-18', '1'], ['2026-05-12', '2']], overall: 'VERY_HIGH' },
  restricted: { dates: [['2026-02-02', '2']], overall: 'HIGH' },
  released: { dates: [['2025-10-26', '1'], ['2026-04-20', '2']], overall: 'MEDIUM' },
  // Known to probation, never assessed: no scores, no serious-harm summary, no needs, no plan.
  'hyphen-name': 'none',
  // Last assessed more than a year ago: scores and needs, but ARNS gives no serious-harm summary.
  'apostrophe-name': { dates: [['2023-05-10', '1'], ['2024-07-22', '1']], overall: 'LOW' },
  'long-lists': {
    dates: [
      ['2019-01-10', '1'], ['2019-08-02', '1'], ['2020-03-15', '1'], ['2020-11-30', '1'], ['2021-06-21', '1'], ['2022-01-17', '1'],
      ['2022-09-05', '1'], ['2023-04-27', '1'], ['2024-01-08', '1'], ['2025-03-31', '1'], ['2026-01-26', '2'], ['2026-07-14', '2'],
    ],
    overall: 'HIGH',
  },
};

const LEVELS: readonly Level[] = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'];
/** The day OGRS4 went live in the simulated world: assessments from then on answer in output version 2. */
const OGRS4_FROM = '2026-01-01';

const FREE_TEXT: Record<string, readonly string[]> = {
  whoIsAtRisk: ['Former partners and their children.', 'Members of the public in the night-time economy.', 'Staff supervising the case.', 'Known adults at the shared address.'],
  natureOfRisk: ['Physical violence when intoxicated.', 'Intimidation and threats towards former partners.', 'Verbal and physical aggression when challenged.', 'Controlling behaviour in relationships.'],
  riskImminence: ['Risk is not imminent while compliant with the licence.', 'Risk would increase quickly on relapse into alcohol use.', 'Risk is greatest in the first weeks after release.'],
  riskIncreaseFactors: ['Alcohol misuse, loss of accommodation, contact with former associates.', 'Relationship breakdown and unemployment.', 'Financial pressure and substance misuse.'],
  riskMitigationFactors: ['Stable accommodation, engagement with substance misuse services.', 'Family support and employment.', 'Completion of an accredited programme.'],
  analysisOfRiskFactors: ['Pattern of escalation over the last three offences.', 'Offending linked to substance misuse.', 'No further factors beyond those scored.'],
};

const PLAN_TEXT: Record<string, readonly string[]> = {
  keyInformationCurrentSituation: ['Living at an approved premises; attending all appointments.', 'Recently released; stable address with family.', 'Remanded in custody awaiting sentence.'],
  furtherConsiderationsCurrentSituation: ['Victim contact scheme in place.', 'Consider MAPPA referral if circumstances change.', 'None.'],
  supervision: ['Weekly reporting to the probation practitioner.', 'Fortnightly reporting, home visits monthly.'],
  monitoringAndControl: ['Curfew and exclusion zone monitored electronically.', 'Licence conditions on contact with named individuals.'],
  interventionsAndTreatment: ['Building Better Relationships programme.', 'Substance misuse treatment with the local provider.', 'Thinking Skills Programme.'],
  victimSafetyPlanning: ['Exclusion zone around the victim\u2019s address.', 'Victim liaison officer informed of release date.'],
  contingencyPlans: ['Recall if conditions are breached.', 'Police to be informed of any contact with the victim.'],
};

const NEED_SECTIONS: ReadonlyArray<[string, string]> = [
  ['ACCOMMODATION', 'Accommodation'],
  ['EDUCATION_TRAINING_AND_EMPLOYABILITY', 'Education, training and employability'],
  ['RELATIONSHIPS', 'Relationships'],
  ['LIFESTYLE_AND_ASSOCIATES', 'Lifestyle and associates'],
  ['DRUG_MISUSE', 'Drug misuse'],
  ['ALCOHOL_MISUSE', 'Alcohol misuse'],
  ['THINKING_AND_BEHAVIOUR', 'Thinking and behaviour'],
  ['ATTITUDE', 'Attitudes'],
  ['FINANCIAL_MANAGEMENT_AND_INCOME', 'Financial management and income'],
];

/** Everything ARNS holds about a person: null when ARNS has no record (no CRN, or never assessed). */
export function riskProfile(pop: Population, p: Person): RiskProfile | null {
  if (p.crn === null) return null;
  return pop.memo('risk-profile', p.index, () => buildProfile(pop.seed, p));
}

function buildProfile(seed: string, p: Person): RiskProfile | null {
  const crn = p.crn as string;
  const rng = Rng.of(seed, 'arns', crn);
  const known = p.key !== null ? WELL_KNOWN_RISK[p.key] : undefined;
  if (known === 'none') return null;
  let dates: Array<[string, '1' | '2']>;
  if (known) dates = known.dates;
  else {
    if (rng.chance(0.15)) return null;
    const n = 1 + Math.floor(Math.pow(rng.next(), 2) * 4);
    let day = addDays(SNAPSHOT_DATE, -(30 + rng.int(1800)));
    const list: string[] = [day];
    for (let i = 1; i < n; i++) {
      day = addDays(day, -(90 + rng.int(400)));
      list.push(day);
    }
    dates = list.reverse().map((d) => [d, d >= OGRS4_FROM ? '2' : '1']);
  }
  const overall = known?.overall ?? rng.pick(LEVELS);
  const rank = LEVELS.indexOf(overall);
  const assessments = dates.map(([date, version], i) => assessment(rng, crn, i + 1, date, version, rank, known !== undefined));
  const groups = ['children', 'public', 'knownAdult', 'staff', 'prisoners'] as const;
  const levelUpTo = (max: number): Level => LEVELS[rng.int(max + 1)] as Level;
  const community = Object.fromEntries(groups.map((g) => [g, levelUpTo(rank)])) as RiskProfile['community'];
  community[rng.pick(groups)] = overall;
  const custody = Object.fromEntries(groups.map((g) => [g, levelUpTo(rank)])) as RiskProfile['custody'];
  const freeText = Object.fromEntries(Object.entries(FREE_TEXT).map(([k, pool]) => [k, rng.pick(pool)]));
  const answer = (): Answer => rng.pick(['YES', 'NO', 'NO', 'NO', 'DK'] as const);
  const riskToSelf: RiskProfile['riskToSelf'] = {};
  for (const k of ['suicide', 'selfHarm', 'custody', 'hostelSetting', 'vulnerability']) {
    const current = answer();
    const previous = answer();
    const risk: Answer = current === 'YES' || previous === 'YES' ? 'YES' : current;
    riskToSelf[k] = {
      risk,
      previous,
      current,
      // ARNS gives the supporting text only where the answer is Yes.
      ...(previous === 'YES' ? { previousConcernsText: 'Previous concerns recorded during an earlier sentence.' } : {}),
      ...(current === 'YES' ? { currentConcernsText: 'Current concerns: low mood reported at the last appointment.' } : {}),
    };
  }
  const otherRisks = Object.fromEntries(['escapeOrAbscond', 'controlIssuesDisruptiveBehaviour', 'breachOfTrust', 'riskToOtherPrisoners'].map((k) => [k, answer()]));
  const needs = NEED_SECTIONS.map(([section, name]) => {
    const roll = rng.next();
    const state = roll < 0.4 ? 'identified' : roll < 0.85 ? 'notIdentified' : 'unanswered';
    const score = state === 'unanswered' ? null : state === 'identified' ? 2 + rng.int(5) : rng.int(2);
    const severity = state === 'unanswered' ? null : state === 'identified' ? (score !== null && score >= 5 ? 'SEVERE' : 'STANDARD') : 'NO_NEED';
    return { section, name, state, severity, score, riskOfHarm: state === 'identified' && rng.chance(0.4), riskOfReoffending: state === 'identified' && rng.chance(0.7) } as const;
  });
  return { assessments, overall, community, custody, freeText, riskToSelf, otherRisks, needs };
}

const pct = (rng: Rng, max: number): number => Math.round(rng.next() * max * 100) / 100;
const bandFor = (score: number, low: number, high: number, veryHigh: number): Band =>
  score >= veryHigh ? 'VERY_HIGH' : score >= high ? 'HIGH' : score >= low ? 'MEDIUM' : 'LOW';

/** Well-known people's assessments are all full (layer 3) and complete, so each has a risk management plan. */
function assessment(rng: Rng, crn: string, seq: number, date: string, version: '1' | '2', rank: number, full: boolean): AssessmentModel {
  const completedDate = localDateTime(date, 540 + rng.int(540));
  const initiationDate = localDateTime(addDays(date, -(1 + rng.int(20))), 540 + rng.int(480));
  const assessmentType = rng.chance(0.85) || full ? 'LAYER3' : 'LAYER1';
  const status = rng.chance(0.9) || full ? 'COMPLETE' : 'LOCKED_INCOMPLETE';
  const scale = 0.4 + rank * 0.2;
  let output: Record<string, unknown>;
  if (version === '1') {
    const ogrs1 = Math.round(rng.next() * 60 * scale);
    const ovp1 = Math.round(rng.next() * 40 * scale);
    const ogp1 = Math.round(rng.next() * 50 * scale);
    const rsr = pct(rng, 8 * scale);
    const sexual = rng.chance(0.2);
    const osp = sexual ? pct(rng, 5) : 0;
    const ospLevel: Band = sexual ? bandFor(osp, 1, 2.5, 4) : 'NOT_APPLICABLE';
    output = {
      groupReconvictionScore: { oneYear: ogrs1, twoYears: Math.min(99, ogrs1 * 2), scoreLevel: bandFor(ogrs1 * 2, 50, 75, 90) },
      violencePredictorScore: {
        ovpStaticWeightedScore: ovp1, ovpDynamicWeightedScore: Math.round(ovp1 / 3), ovpTotalWeightedScore: ovp1 + Math.round(ovp1 / 3),
        oneYear: Math.round(ovp1 / 2), twoYears: ovp1, ovpRisk: bandFor(ovp1, 30, 60, 80),
      },
      generalPredictorScore: {
        ogpStaticWeightedScore: ogp1, ogpDynamicWeightedScore: Math.round(ogp1 / 4), ogpTotalWeightedScore: ogp1 + Math.round(ogp1 / 4),
        ogp1Year: Math.round(ogp1 / 2), ogp2Year: ogp1, ogpRisk: bandFor(ogp1, 34, 67, 85),
      },
      riskOfSeriousRecidivismScore: { percentageScore: rsr, staticOrDynamic: rng.chance(0.7) ? 'DYNAMIC' : 'STATIC', source: 'OASYS', algorithmVersion: '5', scoreLevel: bandFor(rsr, 3, 6.9, 100) },
      sexualPredictorScore: {
        ospIndirectImagePercentageScore: osp, ospDirectContactPercentageScore: sexual ? pct(rng, 4) : 0,
        ospIndirectImageScoreLevel: ospLevel, ospDirectContactScoreLevel: ospLevel,
      },
    };
  } else {
    const predictor = (max: number, withType: boolean): Record<string, unknown> => {
      const score = pct(rng, max * scale);
      return { ...(withType ? { staticOrDynamic: rng.chance(0.7) ? 'DYNAMIC' : 'STATIC' } : {}), score, band: bandFor(score, max * 0.3, max * 0.6, max * 0.85) };
    };
    const sexual = rng.chance(0.2);
    const notApplicable = { score: 0, band: 'NOT_APPLICABLE' };
    output = {
      allReoffendingPredictor: predictor(90, true),
      violentReoffendingPredictor: predictor(70, true),
      seriousViolentReoffendingPredictor: predictor(10, true),
      directContactSexualReoffendingPredictor: sexual ? predictor(5, false) : notApplicable,
      indirectImageContactSexualReoffendingPredictor: sexual ? predictor(5, false) : notApplicable,
      combinedSeriousReoffendingPredictor: { algorithmVersion: '6', ...predictor(12, true) },
    };
  }
  const assessmentId = 9_000_000 + (hashCrn(crn) % 500_000) * 20 + seq;
  return { seq, assessmentId, completedDate, initiationDate, status, assessmentType, outputVersion: version, output };
}

function hashCrn(crn: string): number {
  let h = 0;
  for (let i = 0; i < crn.length; i++) h = (h * 31 + crn.charCodeAt(i)) >>> 0;
  return h;
}

/** The newest assessment, or null. */
export function latestAssessment(profile: RiskProfile): AssessmentModel | null {
  return profile.assessments[profile.assessments.length - 1] ?? null;
}

/** ARNS gives a serious-harm summary only from an assessment completed within the last year. */
export function roshWithinYear(profile: RiskProfile): AssessmentModel | null {
  const latest = latestAssessment(profile);
  return latest !== null && latest.completedDate.slice(0, 10) >= addDays(SNAPSHOT_DATE, -365) ? latest : null;
}

export function planText(pop: Population, p: Person, a: AssessmentModel): Record<string, string> {
  const rng = Rng.of(pop.seed, 'arns-plan', p.crn ?? '', a.seq);
  return Object.fromEntries(Object.entries(PLAN_TEXT).map(([k, pool]) => [k, rng.pick(pool)]));
}

/* ------------------------------------------------------------------------------------------ */
/* Licences (Create and Vary a Licence)                                                        */

export type LicenceStatus = 'IN_PROGRESS' | 'SUBMITTED' | 'APPROVED' | 'ACTIVE' | 'VARIATION_IN_PROGRESS' | 'VARIATION_SUBMITTED' | 'VARIATION_APPROVED' | 'VARIATION_REJECTED';

export interface LicenceModel {
  id: number;
  licenceType: 'AP' | 'PSS' | 'AP_PSS';
  policyVersion: 'V1_0' | 'V2_0' | 'V2_1';
  version: string;
  statusCode: LicenceStatus;
  prisonNumber: string;
  bookingId: number;
  crn: string;
  approvedByUsername?: string;
  approvedDateTime?: string;
  createdByUsername: string;
  createdDateTime: string;
  updatedByUsername?: string;
  updatedDateTime?: string;
  isInPssPeriod: boolean;
  conditions: {
    AP: { standard: Array<{ code: string; text: string }>; additional: Array<Record<string, unknown>>; bespoke: Array<{ text: string }> };
    PSS: { standard: Array<{ code: string; text: string }>; additional: Array<Record<string, unknown>> };
  };
}

const LICENCE_ID_BASE = 700_000;
/** Licences a person may have at most (ids are allotted per person in blocks of this size). */
const LICENCES_PER_PERSON = 8;

const STANDARD_AP: ReadonlyArray<[string, string]> = [
  ['9ce9d594-e346-4785-9642-c87e764bee37', 'Be of good behaviour and not behave in a way which undermines the purpose of the licence period.'],
  ['3b19fdb0-4ca3-4615-9fdd-61fabc1587af', 'Not commit any offence.'],
  ['3361683a-504a-4357-ae21-6f4ef62a8a4f', 'Keep in touch with the supervising officer in accordance with instructions given by the supervising officer.'],
  ['9fc04065-df29-4bda-9b1d-bced8335c356', 'Receive visits from the supervising officer in accordance with instructions given by the supervising officer.'],
  ['e670ac98-8a6e-4a50-9cd4-2f27a6c71bd6', 'Reside permanently at an address approved by the supervising officer and obtain the prior permission of the supervising officer for any stay of one or more nights at a different address.'],
  ['78A5F860-4791-48F2-B707-D6D4413850EE', 'Tell the supervising officer if you use a name which is different to the name or names which appear on your licence.'],
];
const STANDARD_PSS: ReadonlyArray<[string, string]> = [
  ['b950407d-2270-45b8-9666-3ad58a17d0be', 'Be of generally good behaviour, not commit any offence and not behave in a way which undermines the rehabilitative purpose of the supervision period.'],
  ['fda24aa9-a2b0-4d49-9c87-23b0a7be4013', 'Keep in touch with your supervisor in accordance with instructions given by your supervisor.'],
];
const ADDITIONAL: ReadonlyArray<{ code: string; category: string; type: 'STANDARD' | 'ELECTRONIC_MONITORING' | 'MULTIPLE_EXCLUSION_ZONE'; text: string }> = [
  { code: '5db26ab3-9b6f-4bee-b2aa-53aa3f3be7dd', category: 'Residence at a specific place', type: 'STANDARD', text: 'You must reside at an approved premises and comply with its rules.' },
  { code: '0aa669bf-db8e-4b8d-a24d-f7c8a3c9f0a9', category: 'Restriction of residency', type: 'STANDARD', text: 'Not to reside in the same household as any child under the age of 18 without the prior approval of your supervising officer.' },
  { code: '4858cd8b-bca6-4f11-b6ee-439e27216d7d', category: 'Making or maintaining contact with a person', type: 'STANDARD', text: 'Not to approach or communicate with a named person without the prior approval of your supervising officer.' },
  { code: '0f9a20f4-35c7-4c77-8af8-f200f153fa11', category: 'Freedom of movement', type: 'MULTIPLE_EXCLUSION_ZONE', text: 'Not to enter the area of the town centre, as defined by the attached map, without the prior approval of your supervising officer.' },
  { code: 'fd129172-bdd3-4d97-a4a0-efd7b47a49d4', category: 'Electronic monitoring', type: 'ELECTRONIC_MONITORING', text: 'Allow person(s) as designated by your supervising officer to install an electronic monitoring tag on you.' },
  { code: 'a7c57e4e-30fe-4797-9fe7-70a35dbd7b65', category: 'Participation in, or co-operation with, a programme or set of activities', type: 'STANDARD', text: 'To comply with any requirements specified by your supervising officer for the purpose of ensuring that you address your alcohol use.' },
  { code: 'd36a3b77-30ba-40ce-8953-83e761d3b487', category: 'Curfew arrangement', type: 'STANDARD', text: 'Confine yourself to the approved address between 19:00 and 07:00 daily.' },
];
const BESPOKE = ['You must not visit the retail park named in your licence.', 'You must not own or use more than one mobile telephone.', 'You must notify your supervising officer of any developing intimate relationship.'];
const EM_RESTRICTIONS = ['CURFEW', 'EXCLUSION_ZONE', 'LOCATION_MONITORING', 'ALCOHOL_MONITORING'] as const;

const WELL_KNOWN_LICENCES: Record<string, Array<{ status: LicenceStatus; type: LicenceModel['licenceType']; created: string; pss?: boolean }>> = {
  // Being prepared for release from prison.
  linked: [{ status: 'IN_PROGRESS', type: 'AP', created: '2026-07-30' }],
  restricted: [{ status: 'SUBMITTED', type: 'AP_PSS', created: '2026-08-02' }],
  // On licence: the licence period (AP) has ended and post-sentence supervision runs; a variation is being made.
  released: [
    { status: 'ACTIVE', type: 'AP_PSS', created: '2025-03-10', pss: true },
    { status: 'VARIATION_IN_PROGRESS', type: 'AP_PSS', created: '2026-08-11', pss: true },
  ],
  'long-lists': [
    { status: 'ACTIVE', type: 'AP', created: '2025-12-01' },
    { status: 'VARIATION_APPROVED', type: 'AP', created: '2026-02-14' },
    { status: 'VARIATION_REJECTED', type: 'AP', created: '2026-04-03' },
    { status: 'VARIATION_SUBMITTED', type: 'AP', created: '2026-08-01' },
  ],
};

/**
 * The licences CVL lists for a person: only in-flight ones (CVL's public route lists no expired or
 * inactive licence). Only people with both a CRN and a prison number (a licence names the booking).
 */
export function licences(pop: Population, p: Person): LicenceModel[] {
  if (p.crn === null || p.prisonNumber === null) return [];
  return pop.memo('licences', p.index, () => buildLicences(pop.seed, p));
}

function buildLicences(seed: string, p: Person): LicenceModel[] {
  const rng = Rng.of(seed, 'cvl', p.crn as string);
  let plan = p.key !== null ? WELL_KNOWN_LICENCES[p.key] : undefined;
  if (!plan) {
    plan = [];
    if (p.key === null) {
      if (p.prisonId === 'OUT' && p.activeSupervision && rng.chance(0.8)) {
        const created = addDays(SNAPSHOT_DATE, -(60 + rng.int(900)));
        const type = rng.pick(['AP', 'AP_PSS', 'PSS'] as const);
        plan.push({ status: 'ACTIVE', type, created, pss: type === 'PSS' || (type === 'AP_PSS' && rng.chance(0.3)) });
        if (rng.chance(0.2)) plan.push({ status: rng.pick(['VARIATION_IN_PROGRESS', 'VARIATION_SUBMITTED', 'VARIATION_APPROVED'] as const), type, created: addDays(created, 30 + rng.int(200)) });
      } else if (p.prisonId !== 'OUT' && rng.chance(0.1)) {
        plan.push({ status: rng.pick(['IN_PROGRESS', 'SUBMITTED', 'APPROVED'] as const), type: 'AP', created: addDays(SNAPSHOT_DATE, -(1 + rng.int(60))) });
      }
    }
  }
  return plan.slice(0, LICENCES_PER_PERSON).map((l, i) => {
    const approved = l.status !== 'IN_PROGRESS' && l.status !== 'SUBMITTED' && l.status !== 'VARIATION_IN_PROGRESS' && l.status !== 'VARIATION_SUBMITTED';
    const hasAp = l.type !== 'PSS';
    const hasPss = l.type !== 'AP';
    const additional = hasAp ? pickSome(rng, ADDITIONAL, rng.int(4)).map((c, k) => additionalCondition(rng, c, licenceId(p, i) * 10 + k)) : [];
    const created = localDateTime(l.created, 540 + rng.int(480));
    return {
      id: licenceId(p, i),
      licenceType: l.type,
      policyVersion: rng.pick(['V2_0', 'V2_1'] as const),
      version: `${1 + i}.${rng.int(3)}`,
      statusCode: l.status,
      prisonNumber: p.prisonNumber as string,
      bookingId: bookingIdFor(p, 0),
      crn: p.crn as string,
      ...(approved ? { approvedByUsername: `CVL_ACO_${rng.digits(3)}`, approvedDateTime: localDateTime(addDays(l.created, 3 + rng.int(10)), 600) } : {}),
      createdByUsername: `CVL_COM_${rng.digits(3)}`,
      createdDateTime: created,
      ...(rng.chance(0.6) ? { updatedByUsername: `CVL_COM_${rng.digits(3)}`, updatedDateTime: localDateTime(addDays(l.created, 1 + rng.int(20)), 720) } : {}),
      isInPssPeriod: l.pss === true,
      conditions: {
        AP: {
          standard: hasAp ? STANDARD_AP.map(([code, text]) => ({ code, text })) : [],
          additional,
          bespoke: hasAp ? pickSome(rng, BESPOKE, rng.int(3)).map((text) => ({ text })) : [],
        },
        PSS: { standard: hasPss ? STANDARD_PSS.map(([code, text]) => ({ code, text })) : [], additional: [] },
      },
    };
  });
}

function additionalCondition(rng: Rng, c: (typeof ADDITIONAL)[number], id: number): Record<string, unknown> {
  const base = { id, category: c.category, type: c.type, code: c.code, text: c.text };
  if (c.type === 'ELECTRONIC_MONITORING') return { ...base, restrictions: rng.pick(EM_RESTRICTIONS) };
  if (c.type === 'MULTIPLE_EXCLUSION_ZONE') return { ...base, hasImageUpload: rng.chance(0.5) };
  return base;
}

function pickSome<T>(rng: Rng, pool: readonly T[], n: number): T[] {
  const copy = [...pool];
  const out: T[] = [];
  for (let i = 0; i < n && copy.length > 0; i++) out.push(copy.splice(rng.int(copy.length), 1)[0] as T);
  return out;
}

function licenceId(p: Person, seq: number): number {
  return LICENCE_ID_BASE + p.index * LICENCES_PER_PERSON + seq;
}

/** The licence with this id, or undefined. */
export function licenceById(pop: Population, id: number): LicenceModel | undefined {
  if (!Number.isSafeInteger(id) || id < LICENCE_ID_BASE) return undefined;
  const person = pop.get(Math.floor((id - LICENCE_ID_BASE) / LICENCES_PER_PERSON));
  return person ? licences(pop, person).find((l) => l.id === id) : undefined;
}
