import type { PrisonOffenderManager } from '../../domain/profile.js';
import type { PrimaryPomDto } from './routes.js';

export function toPrisonOffenderManager(dto: PrimaryPomDto | null): PrisonOffenderManager | null {
  if (!dto?.manager) return null;
  return { forename: dto.manager.forename ?? null, surname: dto.manager.surname ?? null, prisonId: dto.prison?.code ?? null };
}
