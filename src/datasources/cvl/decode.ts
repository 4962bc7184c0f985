import { array, crn, fields, items, object, valueError, type Report } from '../http/contract.js';
import type { AdditionalConditionDto, LicenceDto, LicenceSummaryDto, StandardConditionDto } from './routes.js';

/**
 * Checks of every CVL field the mapping reads (docs/adr/0010). Size caps: a person has a handful of
 * in-flight licences and a licence tens of conditions; far more is a broken answer, not data.
 */
export const MAX_LICENCES = 50;
export const MAX_CONDITIONS = 200;

const TYPES = new Set(['AP', 'PSS', 'AP_PSS']);

function capped(list: unknown[], max: number, path: string): unknown[] {
  if (list.length > max) valueError(path, `more than ${max} entries`);
  return list;
}

function summaryFields(o: Record<string, unknown>, path: string): void {
  fields(o, path, {
    id: 'integer', licenceType: 'string', policyVersion: 'string?', version: 'string?', statusCode: 'string', prisonNumber: 'string?',
    crn: 'string', approvedDateTime: 'date?', createdDateTime: 'date?', updatedDateTime: 'date?', isInPssPeriod: 'boolean?',
  });
  if (!TYPES.has(o.licenceType as string)) valueError(`${path}.licenceType`, 'not AP, PSS or AP_PSS');
  if ((o.id as number) < 1) valueError(`${path}.id`, 'not a licence id');
  crn(o.crn, `${path}.crn`);
}

function decodeSummary(value: unknown, path: string): LicenceSummaryDto {
  const o = object(value, path);
  summaryFields(o, path);
  return o as unknown as LicenceSummaryDto;
}

export function decodeLicenceSummaries(body: unknown, report: Report): LicenceSummaryDto[] {
  return items(capped(array(body, '$'), MAX_LICENCES, '$'), '$', decodeSummary, report);
}

function standard(value: unknown, path: string): StandardConditionDto {
  const o = object(value, path);
  fields(o, path, { code: 'string', text: 'string' });
  return o as unknown as StandardConditionDto;
}

function additional(value: unknown, path: string): AdditionalConditionDto {
  const o = object(value, path);
  fields(o, path, { id: 'integer', type: 'string', code: 'string', category: 'string', text: 'string', restrictions: 'string?' });
  return o as unknown as AdditionalConditionDto;
}

function bespoke(value: unknown, path: string): { text: string } {
  const o = object(value, path);
  fields(o, path, { text: 'string' });
  return o as { text: string };
}

/** A licence: a condition that does not fit is a fault of the whole licence (a licence must not be shown with a condition missing). */
export function decodeLicence(body: unknown): LicenceDto {
  const o = object(body, '$');
  summaryFields(o, '$');
  const conditions = object(o.conditions, '$.conditions');
  const ap = object(conditions.AP, '$.conditions.AP');
  const pss = object(conditions.PSS, '$.conditions.PSS');
  const all = <T>(v: unknown, path: string, check: (x: unknown, p: string) => T): T[] =>
    items(capped(array(v, path), MAX_CONDITIONS, path), path, check, (_reason, detail) => valueError(path, detail));
  return {
    ...(o as unknown as LicenceSummaryDto),
    conditions: {
      AP: { standard: all(ap.standard, '$.conditions.AP.standard', standard), additional: all(ap.additional, '$.conditions.AP.additional', additional), bespoke: all(ap.bespoke, '$.conditions.AP.bespoke', bespoke) },
      PSS: { standard: all(pss.standard, '$.conditions.PSS.standard', standard), additional: all(pss.additional, '$.conditions.PSS.additional', additional) },
    },
  };
}
