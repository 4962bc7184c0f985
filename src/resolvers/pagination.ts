import { createHmac, randomBytes } from 'node:crypto';
import { badUserInput } from './errors.js';

export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  totalCount: number;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Opaque offset cursors, bound to what was asked (a cursor from one list cannot page another):
 * base64url of `<offset>:<digest of the question>`. The question holds the person's prison number or
 * CRN, which a consumer's policy may remove, so the digest is keyed (HMAC-SHA-256 under a server-side
 * secret): an unkeyed hash of it could be matched offline against every possible prison number or CRN
 * (issue 14; docs/adr/0005-consumer-security.md).
 */
let cursorKey: Buffer = randomBytes(32);

/**
 * Sets the cursor key from the deployment's shared secret (IMAGE_LINK_KEY, the same on every replica, so a
 * cursor made by one replica pages on another). A key of its own is derived from it, so that nothing made
 * under one can be passed off as the other. Until called (unit tests), a random per-process key.
 */
export function useCursorKey(secret: Buffer): void {
  cursorKey = createHmac('sha256', secret).update('person-graph cursor key v1').digest();
}

export function fingerprint(question: unknown): string {
  return createHmac('sha256', cursorKey).update(JSON.stringify(question)).digest('base64url').slice(0, 12);
}

export function pageSize(first: number | null | undefined, field: string): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`${field} must be between 1 and ${MAX_PAGE_SIZE}.`, field);
  }
  return size;
}

export function startOffset(after: string | null | undefined, question: string): number {
  if (after === null || after === undefined) return 0;
  const decoded = Buffer.from(after, 'base64url').toString('utf8');
  const m = /^(\d{1,9}):([A-Za-z0-9_-]{12})$/.exec(decoded);
  if (!m || m[2] !== question) throw badUserInput('after is not a cursor from this list.', 'after');
  return Number(m[1]);
}

export function cursorAt(offset: number, question: string): string {
  return Buffer.from(`${offset}:${question}`, 'utf8').toString('base64url');
}

/** A page of `items` (all of which are already in order). */
export function pageOf<T>(items: T[], first: number, after: string | null | undefined, question: string): Page<T> {
  const start = startOffset(after, question);
  const nodes = items.slice(start, start + first);
  const end = start + nodes.length;
  return {
    totalCount: items.length,
    nodes,
    pageInfo: { hasNextPage: end < items.length, endCursor: nodes.length > 0 ? cursorAt(end, question) : null },
  };
}
