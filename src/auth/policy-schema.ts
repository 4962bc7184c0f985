import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';

/**
 * The published JSON Schema of the policy file (policy/policy.schema.json: editors complete against it, the policy
 * reference is generated from it) is also what the gateway checks a policy's shape with, so the schema and the
 * gateway cannot drift apart: a file the schema refuses is refused here too. The gateway's own checks
 * (src/auth/policy.ts: coordinates against the live schema, redactions another field would undo, filters) come on top.
 */

type Validate = ((doc: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null };
type AjvCtor = new (options: object) => { compile(schema: object): Validate };
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvCtor }).default ?? (Ajv2020Module as unknown as AjvCtor));

/** policy/policy.schema.json beside src/ (source) or dist/ (built); in the image, /app/policy/policy.schema.json. */
export function policySchemaFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'policy', 'policy.schema.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('policy/policy.schema.json was not found next to the application');
}

let validate: Validate | undefined;

/** The problems the JSON Schema finds in a parsed policy document, as `<path>: <message>` lines (none when it fits). */
export function policySchemaProblems(doc: unknown): string[] {
  validate ??= new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(policySchemaFile(), 'utf8')) as object);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath === '' ? 'the file' : e.instancePath.slice(1).replaceAll('/', '.');
    const extra = e.params && 'additionalProperty' in e.params ? ` ('${String(e.params.additionalProperty)}')` : '';
    return `${where}: ${e.message ?? 'does not fit policy/policy.schema.json'}${extra} (policy/policy.schema.json)`;
  });
}
