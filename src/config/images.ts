import { randomBytes } from 'node:crypto';
import { EnvReader, type Env } from './env.js';

/**
 * Photograph links (`ImageMetadata.url`, `GET /images/{id}` on the consumer listener;
 * docs/adr/0018-image-urls.md). See README.md (Configuration).
 */
export interface ImagesConfig {
  /** Secret the link tokens are sealed with (AES-256-GCM); every replica must share it. */
  linkKey: Buffer;
  /** Whether the key was generated at start-up (links then die with the process and differ between replicas). */
  linkKeyGenerated: boolean;
  /** How long a link works after the query that made it. */
  linkTtlSeconds: number;
  /** Largest photograph passed on; a bigger one is refused (502) before any byte is sent. */
  maxBytes: number;
}

export function imagesConfig(env: Env, problems: string[]): ImagesConfig {
  const read = new EnvReader(env, problems);
  const key = env.IMAGE_LINK_KEY?.trim() || null;
  if (key !== null && key.length < 32) problems.push('IMAGE_LINK_KEY must be at least 32 characters');
  return {
    linkKey: key === null ? randomBytes(32) : Buffer.from(key, 'utf8'),
    linkKeyGenerated: key === null,
    linkTtlSeconds: read.int('IMAGE_LINK_TTL_SECONDS', 300, 5, 3600),
    maxBytes: read.int('IMAGE_MAX_BYTES', 2 * 1024 * 1024, 100, 64 * 1024 * 1024),
  };
}
