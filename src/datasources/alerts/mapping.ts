import { calendarDate } from '../../domain/person.js';
import type { Alert } from '../../domain/profile.js';
import { londonLocalToInstant } from '../../domain/time.js';
import type { AlertDto } from './routes.js';

export function toAlert(dto: AlertDto): Alert {
  return {
    code: dto.alertCode.code,
    codeDescription: dto.alertCode.description ?? null,
    type: dto.alertCode.alertTypeCode ?? null,
    typeDescription: dto.alertCode.alertTypeDescription ?? null,
    description: dto.description ?? null,
    activeFrom: calendarDate(dto.activeFrom),
    activeTo: calendarDate(dto.activeTo),
    createdAt: londonLocalToInstant(dto.createdAt),
  };
}
