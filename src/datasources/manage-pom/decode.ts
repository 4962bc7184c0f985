import { fields, object, optionalObject } from '../http/contract.js';
import type { PrimaryPomDto } from './routes.js';

/** Checks of the manage-POM fields the mapping reads (docs/adr/0009): another shape is a contract fault. */
export function decodePrimaryPom(body: unknown): PrimaryPomDto {
  const o = object(body, '$');
  // "No manager allocated" is a 404; a 200 names the manager.
  const manager = object(o.manager, '$.manager');
  fields(manager, '$.manager', { code: 'number?', forename: 'string', surname: 'string' });
  const prison = optionalObject(o.prison, '$.prison');
  if (prison) fields(prison, '$.prison', { code: 'string?' });
  return o as PrimaryPomDto;
}
