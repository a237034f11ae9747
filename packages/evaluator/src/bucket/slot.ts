import { TOTAL_SLOTS } from '../model/schema.js';

/**
 * Slot in [0, total) for an unsigned 32-bit hash: flagd fractional v2, `(hash * total) >> 32`.
 * The product stays below 2^53, so the division is exact in doubles.
 */
export function slotOfHash(hash: number, total: number = TOTAL_SLOTS): number {
  return Math.floor((hash * total) / 4294967296);
}
