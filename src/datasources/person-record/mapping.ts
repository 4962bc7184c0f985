import type { CanonicalRecordDto } from './routes.js';

/**
 * The record service's link is trusted only when it is unambiguous: exactly one id of the wanted
 * kind. Zero or several means "ask the source systems instead".
 */
export function soleLinkedId(record: CanonicalRecordDto | null, kind: 'crns' | 'prisonNumbers'): string | null {
  const ids = record?.identifiers?.[kind] ?? [];
  const distinct = [...new Set(ids)];
  return distinct.length === 1 ? (distinct[0] ?? null) : null;
}
