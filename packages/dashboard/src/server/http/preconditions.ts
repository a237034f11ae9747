import { createHash } from 'node:crypto';
import { badRequest } from './errors';

/** An entity tag for a representation's bytes (SHA-256), so it changes exactly when they do. */
export const contentTag = (body: string) => `"${createHash('sha256').update(body).digest('base64url')}"`;

/** A version as an entity tag: `"7"`. */
export const versionTag = (version: number) => `"${version}"`;

/**
 * The version an `If-Match` header names: `"7"` (or bare `7`). Absent means "create only".
 * `*` is refused: matching any version would let a write silently overwrite one it never saw.
 */
export function parseIfMatch(header: string | null): number | undefined {
  if (header === null) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw badRequest('If-Match must name the version you edited, e.g. If-Match: "3"', { ifMatch: header });
  }
  return Number(match[1]);
}

/** Whether `If-None-Match` (a list of tags, or `*`) already holds `etag`: then the answer is 304. */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
