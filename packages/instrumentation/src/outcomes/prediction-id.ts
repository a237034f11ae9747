import { randomFillSync } from 'node:crypto';

// Random bytes for 256 ids per refill, from the CSPRNG, as Node buffers them for randomUUID.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;
const text = Buffer.alloc(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` makes, but returned as one flat string. Node's
 * randomUUID builds the text by concatenation, and V8 keeps such a string as a tree of pieces until
 * the GC gets round to flattening it: with 100,000 ids held in the outcome store, that was 65 MB of
 * heap instead of about 6. The ids must stay unguessable, since they come back from clients with
 * outcomes, so the bytes come from the CSPRNG, not from a counter.
 */
export function newPredictionId(): string {
  if (offset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  let at = 0;
  for (let i = 0; i < 16; i++) {
    let byte = pool[offset + i] as number;
    // RFC 9562: version 4 in the high nibble of byte 6, variant 10 in the high bits of byte 8.
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = 0x2d;
    text[at++] = HEX[byte >> 4] as number;
    text[at++] = HEX[byte & 0x0f] as number;
  }
  offset += 16;
  return text.toString('latin1', 0, 36);
}
