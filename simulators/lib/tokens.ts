/** Opaque bearer tokens issued by the simulated HMPPS Auth. */

import { randomBytes } from 'node:crypto';

export class TokenStore {
  private readonly tokens = new Map<string, number>();
  private issued = 0;

  constructor(private readonly ttlSeconds: number) {}

  issue(now = Date.now()): { token: string; expiresIn: number } {
    this.issued += 1;
    if (this.issued % 1000 === 0) this.prune(now);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, now + this.ttlSeconds * 1000);
    return { token, expiresIn: this.ttlSeconds };
  }

  isValid(token: string, now = Date.now()): boolean {
    const expires = this.tokens.get(token);
    if (expires === undefined) return false;
    if (expires <= now) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  /** Every token issued so far becomes invalid at once. */
  expireAll(): number {
    const n = this.tokens.size;
    this.tokens.clear();
    return n;
  }

  private prune(now: number): void {
    for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? (m[1] ?? null) : null;
}
