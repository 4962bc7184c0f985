import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys are stored only as salted SHA-256 hashes:
 *
 *   sha256:<salt, base64url, 16 bytes>:<SHA-256(salt || UTF-8 key), base64url, 32 bytes>
 *
 * Why a fast hash and not scrypt/argon2: the gateway checks a key on every request, and the keys are
 * not passwords but 256-bit random values issued by us (`npm run api-key -- generate`), so there is
 * nothing to brute-force offline; a slow hash would cost milliseconds per request for no gain. The
 * per-hash salt keeps two consumers with the same key (or the same key in two environments) from
 * having the same stored value. Keys shorter than MIN_KEY_LENGTH are refused when hashing.
 */
export const HASH_SCHEME = 'sha256';
export const MIN_KEY_LENGTH = 32;
const SALT_BYTES = 16;
const DIGEST_BYTES = 32;
const KEY_PREFIX = 'pgk_';

export interface StoredApiKey {
  /** A label for logs (which key matched: useful when rotating); never the key itself. */
  id: string;
  salt: Buffer;
  digest: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Parses a stored hash; null when it is not in the documented form. */
export function parseStoredKey(hash: string, id: string): StoredApiKey | null {
  const parts = hash.trim().split(':');
  if (parts.length !== 3 || parts[0] !== HASH_SCHEME) return null;
  const [, salt, digest] = parts as [string, string, string];
  if (!B64URL.test(salt) || !B64URL.test(digest)) return null;
  const saltBytes = Buffer.from(salt, 'base64url');
  const digestBytes = Buffer.from(digest, 'base64url');
  if (saltBytes.length !== SALT_BYTES || digestBytes.length !== DIGEST_BYTES) return null;
  return { id, salt: saltBytes, digest: digestBytes };
}

function digestOf(salt: Buffer, key: string): Buffer {
  return createHash('sha256').update(salt).update(key, 'utf8').digest();
}

/** The stored form of a key (a fresh random salt each time). */
export function hashApiKey(key: string): string {
  if (key.length < MIN_KEY_LENGTH) {
    throw new Error(`an API key must be at least ${MIN_KEY_LENGTH} characters (generate one with: npm run api-key -- generate)`);
  }
  const salt = randomBytes(SALT_BYTES);
  return `${HASH_SCHEME}:${salt.toString('base64url')}:${digestOf(salt, key).toString('base64url')}`;
}

/** A new random key: 32 bytes from the CSPRNG, base64url, with a recognisable prefix. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The id of the stored key that `presented` matches, or null. Every stored key is compared, each
 * with a constant-time comparison of equal-length digests, so the time taken does not depend on how
 * much of a key was right or on which of several keys matched.
 */
export function matchApiKey(presented: string, stored: readonly StoredApiKey[]): string | null {
  let matched: string | null = null;
  for (const key of stored) {
    if (timingSafeEqual(digestOf(key.salt, presented), key.digest) && matched === null) matched = key.id;
  }
  return matched;
}

/**
 * Repeated wrong keys for one consumer are throttled: after `maxFailures` failures within
 * `windowMs`, every attempt (right or wrong) is refused for `lockoutMs`. Keyed by the certificate
 * identity, which an attacker cannot choose without the consumer's private key. In memory, per
 * replica: this slows guessing down, it is not the only defence (keys are 256-bit).
 */
export class ApiKeyThrottle {
  private readonly failures = new Map<string, { count: number; windowStart: number; lockedUntil: number }>();

  constructor(
    private readonly options: { maxFailures: number; windowMs: number; lockoutMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the consumer must still wait, or 0 when it may try. */
  lockedFor(consumer: string): number {
    const entry = this.failures.get(consumer);
    if (!entry) return 0;
    const left = entry.lockedUntil - this.now();
    return left > 0 ? left : 0;
  }

  /** Counts a failure; returns true when this failure started a lock-out. */
  fail(consumer: string): boolean {
    const now = this.now();
    let entry = this.failures.get(consumer);
    if (!entry || now - entry.windowStart > this.options.windowMs) {
      entry = { count: 0, windowStart: now, lockedUntil: entry?.lockedUntil ?? 0 };
      this.failures.set(consumer, entry);
    }
    entry.count++;
    if (entry.count >= this.options.maxFailures) {
      entry.lockedUntil = now + this.options.lockoutMs;
      entry.count = 0;
      entry.windowStart = now;
      return true;
    }
    return false;
  }

  succeed(consumer: string): void {
    const entry = this.failures.get(consumer);
    if (entry && entry.lockedUntil <= this.now()) this.failures.delete(consumer);
  }
}
