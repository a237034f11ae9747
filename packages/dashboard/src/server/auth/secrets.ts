import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new secret: `fl_<label>_` and 256 random bits. The label only helps people and secret scanners
 * recognise it; nothing trusts it.
 */
export const newSecret = (label: string) => `fl_${label}_${randomBytes(32).toString('base64url')}`;

/** What is stored instead of a secret. Plain SHA-256 suffices: the input is 256 random bits, not a password. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Compares two hex digests without leaking, through timing, how much of them matched. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The part of a secret safe to show in lists: its label and four random characters. */
export function secretPrefix(secret: string): string {
  const label = /^fl_[a-z]+_/.exec(secret)?.[0] ?? '';
  return secret.slice(0, label.length + 4);
}
