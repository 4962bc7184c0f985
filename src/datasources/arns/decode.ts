import { array, fields, items, object, optionalObject, valueError, type Report } from '../http/contract.js';
import { groupOf } from './mapping.js';
import type { NeedDto, NeedsDto, PredictorAssessmentDto, RiskManagementPlanDto, RiskManagementPlansDto, RoshDto } from './routes.js';

/**
 * Checks of every ARNS field the mapping reads (docs/adr/0010). A whole answer of another shape is
 * UPSTREAM_INVALID_RESPONSE at the field it feeds; one spoiled assessment, plan or need is dropped
 * and reported, the others stand. Size caps: ARNS answers per person are small; more entries than
 * these is not a person's history but a broken answer.
 */
export const MAX_ASSESSMENTS = 200;
export const MAX_PLANS = 200;

const BANDS = new Set(['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH', 'NOT_APPLICABLE']);
const ANSWERS = new Set(['YES', 'NO', 'DK', 'NA']);
const SEVERITIES = new Set(['NO_NEED', 'STANDARD', 'SEVERE']);

function capped(list: unknown[], max: number, path: string): unknown[] {
  if (list.length > max) valueError(path, `more than ${max} entries`);
  return list;
}

function oneOf(value: unknown, allowed: Set<string>, path: string): void {
  if (value !== undefined && value !== null && (typeof value !== 'string' || !allowed.has(value))) valueError(path, 'not one of the values the spec lists');
}

/** A predictor object of either generation: numbers are numbers, bands and levels are known bands. */
function predictorObject(value: unknown, path: string): void {
  const o = optionalObject(value, path);
  if (!o) return;
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    if (/(score|Score|oneYear|twoYears|1Year|2Year)$/.test(k) && !/Level$/.test(k)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) valueError(`${path}.${k}`, 'expected a number');
    } else if (/(band|Level|Risk|scoreLevel)$/.test(k)) oneOf(v, BANDS, `${path}.${k}`);
    else if (typeof v !== 'string') valueError(`${path}.${k}`, 'expected a string');
  }
}

function decodeAssessment(value: unknown, path: string): PredictorAssessmentDto {
  const o = object(value, path);
  fields(o, path, { completedDate: 'date?', status: 'string?', assessmentType: 'string?', outputVersion: 'string', output: 'object?' });
  const output = optionalObject(o.output, `${path}.output`);
  if (output) for (const [k, v] of Object.entries(output)) if (k !== 'completedDate' && k !== 'assessmentStatus') predictorObject(v, `${path}.output.${k}`);
  return o as PredictorAssessmentDto;
}

export function decodePredictors(body: unknown, report: Report): PredictorAssessmentDto[] {
  return items(capped(array(body, '$'), MAX_ASSESSMENTS, '$'), '$', decodeAssessment, report);
}

function levelMap(value: unknown, path: string): Record<string, string[]> {
  const o = object(value, path);
  for (const [level, groups] of Object.entries(o)) {
    oneOf(level.trim(), BANDS, `${path}.${level}`);
    if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) valueError(`${path}.${level}`, 'expected a list of groups');
    // A group the schema has no place for: its level would be lost without a word.
    if (groups.some((g: string) => groupOf(g) === null)) valueError(`${path}.${level}`, 'a group that is not children, public, known adult, staff or prisoners');
  }
  return o as Record<string, string[]>;
}

export function decodeRosh(body: unknown): RoshDto {
  const o = object(body, '$');
  const summary = object(o.summary, '$.summary');
  fields(summary, '$.summary', {
    whoIsAtRisk: 'string?', natureOfRisk: 'string?', riskImminence: 'string?', riskIncreaseFactors: 'string?',
    riskMitigationFactors: 'string?', analysisOfRiskFactors: 'string?', overallRiskLevel: 'string?',
  });
  oneOf(summary.overallRiskLevel, BANDS, '$.summary.overallRiskLevel');
  levelMap(summary.riskInCommunity, '$.summary.riskInCommunity');
  levelMap(summary.riskInCustody, '$.summary.riskInCustody');
  const self = object(o.riskToSelf, '$.riskToSelf');
  for (const [k, v] of Object.entries(self)) {
    const c = optionalObject(v, `$.riskToSelf.${k}`);
    if (!c) continue;
    fields(c, `$.riskToSelf.${k}`, { previousConcernsText: 'string?', currentConcernsText: 'string?' });
    for (const a of ['risk', 'previous', 'current']) oneOf(c[a], ANSWERS, `$.riskToSelf.${k}.${a}`);
  }
  const other = object(o.otherRisks, '$.otherRisks');
  for (const [k, v] of Object.entries(other)) oneOf(v, ANSWERS, `$.otherRisks.${k}`);
  fields(o, '$', { assessedOn: 'date?' });
  return o as unknown as RoshDto;
}

function decodePlan(value: unknown, path: string): RiskManagementPlanDto {
  const o = object(value, path);
  fields(o, path, {
    assessmentId: 'integer', dateCompleted: 'date?', initiationDate: 'date?', assessmentStatus: 'string', assessmentType: 'string',
    keyInformationCurrentSituation: 'string?', furtherConsiderationsCurrentSituation: 'string?', supervision: 'string?',
    monitoringAndControl: 'string?', interventionsAndTreatment: 'string?', victimSafetyPlanning: 'string?', contingencyPlans: 'string?',
    laterCompleteAssessmentExists: 'boolean?',
  });
  return o as unknown as RiskManagementPlanDto;
}

export function decodeRiskManagementPlans(body: unknown, report: Report): RiskManagementPlansDto {
  const o = object(body, '$');
  fields(o, '$', { crn: 'string' });
  const plans = items(capped(array(o.riskManagementPlan, '$.riskManagementPlan'), MAX_PLANS, '$.riskManagementPlan'), '$.riskManagementPlan', decodePlan, report);
  return { crn: o.crn as string, limitedAccessOffender: o.limitedAccessOffender === true, riskManagementPlan: plans };
}

function decodeNeed(value: unknown, path: string): NeedDto {
  const o = object(value, path);
  fields(o, path, { section: 'string', name: 'string?', riskOfHarm: 'boolean?', riskOfReoffending: 'boolean?', score: 'integer?' });
  oneOf(o.severity, SEVERITIES, `${path}.severity`);
  return o as unknown as NeedDto;
}

export function decodeNeeds(body: unknown, report: Report): NeedsDto {
  const o = object(body, '$');
  fields(o, '$', { assessedOn: 'date?' });
  const list = (name: 'identifiedNeeds' | 'notIdentifiedNeeds' | 'unansweredNeeds') =>
    items(capped(array(o[name], `$.${name}`), MAX_PLANS, `$.${name}`), `$.${name}`, decodeNeed, report);
  return { identifiedNeeds: list('identifiedNeeds'), notIdentifiedNeeds: list('notIdentifiedNeeds'), unansweredNeeds: list('unansweredNeeds'), assessedOn: o.assessedOn as string | undefined };
}
