import fc from 'fast-check';
import MurmurHash3 from 'imurmurhash';
import { describe, expect, it } from 'vitest';
import { murmur3, murmur3Continue, murmur3Prefix } from './murmur3.js';

/** Textbook murmur3 x86 32-bit over a byte array, written straight from the reference algorithm. */
function reference(bytes: Uint8Array): number {
  let h = 0;
  const blocks = bytes.length >> 2;
  const mix = (k: number) => {
    let x = Math.imul(k, 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    return Math.imul(x, 0x1b873593);
  };
  for (let i = 0; i < blocks; i++) {
    const k =
      (bytes[i * 4] as number) |
      ((bytes[i * 4 + 1] as number) << 8) |
      ((bytes[i * 4 + 2] as number) << 16) |
      ((bytes[i * 4 + 3] as number) << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let i = bytes.length & 3; i > 0; i--) tail |= (bytes[blocks * 4 + i - 1] as number) << ((i - 1) * 8);
  if (bytes.length & 3) h ^= mix(tail);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const utf8 = new TextEncoder();

describe('murmur3', () => {
  it('matches published x86_32 vectors', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('hello')).toBe(0x248bfa47);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('agrees with imurmurhash (what flagd-core uses) on ASCII keys', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_@.'.split('')), maxLength: 64 }), (key) => {
        expect(murmur3(key)).toBe(new MurmurHash3(key).result());
      }),
    );
  });

  it('hashes the UTF-8 bytes of any string, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(murmur3(text)).toBe(reference(utf8.encode(text)));
      }),
    );
  });

  it('resuming from a prefix state equals hashing the concatenation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 }), (prefix, rest) => {
        expect(murmur3Continue(murmur3Prefix(prefix), rest)).toBe(reference(utf8.encode(prefix + rest)));
      }),
    );
  });
});
