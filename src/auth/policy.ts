import { readFileSync } from 'node:fs';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';

/** What one consumer may read: concrete schema coordinates (`Type.field`), wildcards expanded. */
export interface ConsumerGrant {
  name: string;
  roles: string[];
  coordinates: ReadonlySet<string>;
}

export interface Policy {
  consumer(name: string): ConsumerGrant | undefined;
  readonly consumerNames: string[];
}

export class PolicyError extends Error {
  constructor(file: string, problems: string[]) {
    super(`policy ${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyError';
  }
}

interface PolicyFile {
  roles?: Record<string, { description?: string; grants?: unknown }>;
  consumers?: Record<string, { roles?: unknown }>;
}

/**
 * Reads the policy file and checks it against the live schema: an unknown coordinate, type or role
 * stops start-up with a message naming it (deny by default; nothing is guessed).
 */
export function loadPolicy(file: string, schema: GraphQLSchema): Policy {
  let doc: PolicyFile;
  try {
    doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as PolicyFile;
  } catch (e) {
    throw new PolicyError(file, [(e as Error).message]);
  }
  return buildPolicy(file, doc, schema);
}

export function buildPolicy(file: string, doc: PolicyFile, schema: GraphQLSchema): Policy {
  const problems: string[] = [];
  const roleCoordinates = new Map<string, Set<string>>();

  for (const [role, def] of Object.entries(doc.roles ?? {})) {
    const grants = def?.grants;
    if (!Array.isArray(grants)) {
      problems.push(`role "${role}": grants must be a list of schema coordinates`);
      continue;
    }
    const coordinates = new Set<string>();
    for (const grant of grants) {
      const expanded = typeof grant === 'string' ? expandCoordinate(grant, schema) : null;
      if (!expanded) problems.push(`role "${role}": unknown schema coordinate "${String(grant)}"`);
      else expanded.forEach((c) => coordinates.add(c));
    }
    roleCoordinates.set(role, coordinates);
  }

  const consumers = new Map<string, ConsumerGrant>();
  for (const [name, def] of Object.entries(doc.consumers ?? {})) {
    const roles = def?.roles;
    if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) {
      problems.push(`consumer "${name}": roles must be a list of role names`);
      continue;
    }
    const coordinates = new Set<string>();
    for (const role of roles as string[]) {
      const granted = roleCoordinates.get(role);
      if (!granted) problems.push(`consumer "${name}": unknown role "${role}"`);
      else granted.forEach((c) => coordinates.add(c));
    }
    consumers.set(name, { name, roles: roles as string[], coordinates });
  }

  if (problems.length > 0) throw new PolicyError(file, problems);
  return { consumer: (name) => consumers.get(name), consumerNames: [...consumers.keys()] };
}

/** `Type.field` -> itself if it exists; `Type.*` -> every field of Type; otherwise null. */
function expandCoordinate(coordinate: string, schema: GraphQLSchema): string[] | null {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*|\*)$/.exec(coordinate);
  if (!match) return null;
  const [, typeName, field] = match as unknown as [string, string, string];
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return null;
  const fields = Object.keys(type.getFields());
  if (field === '*') return fields.map((f) => `${typeName}.${f}`);
  return fields.includes(field) ? [coordinate] : null;
}
