import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Short-lived links to photographs (docs/adr/0018-image-urls.md). A link is
 * `/images/{imageId}?token=<sealed>`: the token seals, with AES-256-GCM and the image id as
 * associated data, who the link was made for, whose photograph it is and when it expires. It carries
 * no readable person data (URLs end up in logs), cannot be altered, and opens only for the same
 * image id. Opening it is not permission: the route checks the consumer's policy and filters again.
 */

export interface ImageLinkClaims {
  consumer: string;
  prisonNumber: string;
  imageId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export type OpenedLink = { ok: true; claims: ImageLinkClaims } | { ok: false; reason: 'invalid' | 'expired' | 'other-consumer' };

export const IMAGE_PATH = '/images/';

export class ImageLinks {
  private readonly key: Buffer;

  constructor(
    secret: Buffer,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    // A fixed-length key from a secret of any length (at least 32 characters, checked by config).
    this.key = createHash('sha256').update('person-graph image links\0').update(secret).digest();
  }

  /** The link for `consumer` to the photograph `imageId` of `prisonNumber`, valid for the configured time, and its expiry. */
  linkFor(consumer: string, prisonNumber: string, imageId: string): { url: string; expiresAt: string } {
    const claims: ImageLinkClaims = { consumer, prisonNumber, imageId, expiresAt: Math.floor(this.now() / 1000) + this.ttlSeconds };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(imageId, 'utf8'));
    const sealed = Buffer.concat([cipher.update(JSON.stringify([claims.consumer, claims.prisonNumber, claims.expiresAt]), 'utf8'), cipher.final()]);
    const token = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    return { url: `${IMAGE_PATH}${encodeURIComponent(imageId)}?token=${token}`, expiresAt: new Date(claims.expiresAt * 1000).toISOString() };
  }

  /** Opens the token of a link to `imageId` presented by `consumer`. */
  open(token: string, imageId: string, consumer: string): OpenedLink {
    const claims = this.unseal(token, imageId);
    if (!claims) return { ok: false, reason: 'invalid' };
    if (claims.consumer !== consumer) return { ok: false, reason: 'other-consumer' };
    if (claims.expiresAt * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  /** Seconds the link still works. */
  secondsLeft(claims: ImageLinkClaims): number {
    return Math.max(0, claims.expiresAt - Math.floor(this.now() / 1000));
  }

  private unseal(token: string, imageId: string): ImageLinkClaims | null {
    if (!/^[A-Za-z0-9_-]{40,400}$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      decipher.setAAD(Buffer.from(imageId, 'utf8'));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const [consumer, prisonNumber, expiresAt] = JSON.parse(text) as [unknown, unknown, unknown];
      if (typeof consumer !== 'string' || typeof prisonNumber !== 'string' || typeof expiresAt !== 'number') return null;
      return { consumer, prisonNumber, imageId, expiresAt };
    } catch {
      return null;
    }
  }
}
