import { readFileSync } from 'node:fs';

export type Env = Record<string, string | undefined>;

/** An integer setting within [min, max]; a bad value is reported in `problems` and the default used. */
export function readInt(env: Env, problems: string[], name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

/**
 * Reads typed settings from the environment. A missing or bad value is added to `problems` (every
 * problem is reported at once) and a placeholder returned, so reading goes on.
 */
export class EnvReader {
  constructor(
    readonly env: Env,
    readonly problems: string[],
  ) {}

  str(name: string, fallback?: string): string {
    const v = this.env[name]?.trim();
    if (v) return v;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    return '';
  }

  int(name: string, fallback: number, min = 0, max = 65535): number {
    return readInt(this.env, this.problems, name, fallback, min, max);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  /** An http(s) URL without a trailing slash. */
  url(name: string): string {
    const v = this.str(name);
    if (!v) return v;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return v.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be an http(s) URL (got "${v}")`);
      return v;
    }
  }

  /** The contents of the PEM file the variable names. */
  pem(name: string): string {
    const path = this.str(name);
    if (!path) return '';
    try {
      const text = readFileSync(path, 'utf8');
      if (!text.includes('-----BEGIN')) this.problems.push(`${name}: ${path} is not a PEM file`);
      return text;
    } catch (e) {
      this.problems.push(`${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return '';
    }
  }
}
