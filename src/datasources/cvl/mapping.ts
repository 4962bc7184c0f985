import type { Licence, LicenceCondition, LicencePeriod, LicenceSummary } from '../../domain/risk.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { AdditionalConditionDto, LicenceDto, LicenceSummaryDto, StandardConditionDto } from './routes.js';

export function toLicenceSummary(dto: LicenceSummaryDto): LicenceSummary {
  return {
    id: String(dto.id),
    type: dto.licenceType,
    status: dto.statusCode,
    policyVersion: dto.policyVersion ?? null,
    version: dto.version ?? null,
    prisonNumber: dto.prisonNumber ?? null,
    approvedAt: londonLocalToInstant(dto.approvedDateTime),
    createdAt: londonLocalToInstant(dto.createdDateTime),
    updatedAt: londonLocalToInstant(dto.updatedDateTime),
    inPostSentenceSupervisionPeriod: dto.isInPssPeriod === true,
  };
}

const standard = (period: LicencePeriod) => (c: StandardConditionDto): LicenceCondition => ({
  period, kind: 'STANDARD', code: c.code, category: null, text: c.text, electronicMonitoring: null,
});
const additional = (period: LicencePeriod) => (c: AdditionalConditionDto): LicenceCondition => ({
  period, kind: 'ADDITIONAL', code: c.code, category: c.category, text: c.text,
  electronicMonitoring: c.type === 'ELECTRONIC_MONITORING' ? (c.restrictions ?? null) : null,
});

/** A licence with its conditions in one list: licence period first (standard, additional, bespoke), then post-sentence supervision. */
export function toLicence(dto: LicenceDto): Licence {
  const { AP, PSS } = dto.conditions;
  return {
    ...toLicenceSummary(dto),
    conditions: [
      ...AP.standard.map(standard('LICENCE')),
      ...AP.additional.map(additional('LICENCE')),
      ...AP.bespoke.map((c): LicenceCondition => ({ period: 'LICENCE', kind: 'BESPOKE', code: null, category: null, text: c.text, electronicMonitoring: null })),
      ...PSS.standard.map(standard('POST_SENTENCE_SUPERVISION')),
      ...PSS.additional.map(additional('POST_SENTENCE_SUPERVISION')),
    ],
  };
}
