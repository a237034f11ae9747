import fc from 'fast-check';
import MurmurHash3 from 'imurmurhash';
import { describe, expect, it } from 'vitest';
import { evaluateFlag } from '../compile/evaluate.js';
import { compileFlagSet } from '../compile/flag-set.js';
import { fractional } from './fractional.js';
import { compileJsonLogic } from './targeting.js';

/** flagd-core's v2 bucketing, written from its description with imurmurhash: exact 64-bit product. */
function reference(key: string, weights: number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const bucket = (BigInt(new MurmurHash3(key).result()) * BigInt(total)) >> 32n;
  let end = 0n;
  for (const [index, weight] of weights.entries()) {
    end += BigInt(weight);
    if (bucket < end) return index;
  }
  return -1;
}

const asciiKey = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-_@.'.split('')), maxLength: 48 });

describe('fractional', () => {
  it('picks the bucket flagd-core picks (imurmurhash) for ASCII keys, small and huge weights alike', () => {
    fc.assert(
      fc.property(asciiKey, fc.array(fc.integer({ min: 1, max: 2 ** 30 }), { minLength: 1, maxLength: 6 }), (key, weights) => {
        const buckets = weights.map((weight, index) => [`v${index}`, weight]);
        expect(fractional([key, ...buckets], {})).toBe(`v${reference(key, weights)}`);
      }),
    );
  });

  it('buckets by $flagd.flagKey + targetingKey when the first argument is a bucket', () => {
    const data = { targetingKey: 'user-7', $flagd: { flagKey: 'checkout', timestamp: 0 } };
    const buckets = [
      ['a', 30],
      ['b', 70],
    ];
    expect(fractional(buckets, data)).toBe(fractional(['checkoutuser-7', ...buckets], {}));
  });

  it('gives a user the same pick every time', () => {
    fc.assert(
      fc.property(asciiKey, (key) => {
        const buckets = [
          ['a', 10],
          ['b', 20],
          ['c', 70],
        ];
        expect(fractional([key, ...buckets], {})).toBe(fractional([key, ...buckets], {}));
      }),
    );
  });

  it('splits users in proportion to the weights', () => {
    const counts = new Map<unknown, number>();
    const buckets = [
      ['a', 25],
      ['b', 25],
      ['c', 50],
    ];
    for (let i = 0; i < 20_000; i++) {
      const pick = fractional([`user-${i}`, ...buckets], {});
      counts.set(pick, (counts.get(pick) ?? 0) + 1);
    }
    expect((counts.get('a') ?? 0) / 20_000).toBeCloseTo(0.25, 1);
    expect((counts.get('b') ?? 0) / 20_000).toBeCloseTo(0.25, 1);
    expect((counts.get('c') ?? 0) / 20_000).toBeCloseTo(0.5, 1);
  });

  it('weighs a bucket without a weight as 1 and a negative weight as 0', () => {
    fc.assert(
      fc.property(asciiKey, (key) => {
        expect(fractional([key, ['a'], ['b', 1]], {})).toBe(fractional([key, ['a', 1], ['b', 1]], {}));
        expect(fractional([key, ['a', -40], ['b', 3]], {})).toBe('b');
      }),
    );
  });

  it('returns null when it cannot choose', () => {
    const data = { targetingKey: 'u', $flagd: { flagKey: 'f', timestamp: 0 } };
    expect(fractional(['u', ['a', 0], ['b', 0]], data)).toBeNull();
    expect(fractional([null, ['a', 1]], data)).toBeNull();
    expect(fractional([42, ['a', 1]], data)).toBeNull();
    expect(fractional(['u'], data)).toBeNull();
    expect(fractional([], data)).toBeNull();
    expect(fractional(['u', ['a', 'heavy']], data)).toBeNull();
    expect(fractional(['u', ['a', 1, 2]], data)).toBeNull();
    expect(fractional(['u', [{ nested: true }, 1]], data)).toBeNull();
    expect(fractional([['a', 1]], { $flagd: { flagKey: 'f', timestamp: 0 } })).toBeNull();
  });

  it('serves booleans when used as a condition', () => {
    expect(fractional(['u', [false, 0], [true, 100]], {})).toBe(true);
    expect(fractional(['u', [false, 100], [true, 0]], {})).toBe(false);
  });
});

describe('fractional inside targeting', () => {
  it('is evaluated per context, never folded into a constant', () => {
    const run = compileJsonLogic(
      {
        fractional: [
          ['a', 50],
          ['b', 50],
        ],
      },
      'flag',
    );
    const picks = new Set(Array.from({ length: 50 }, (_, i) => run({ targetingKey: `user-${i}` })));
    expect(picks).toEqual(new Set(['a', 'b']));
  });

  it('takes nested expressions as picks and weights', () => {
    const run = compileJsonLogic({ fractional: ['key', [{ var: 'color' }, { if: [{ var: 'on' }, 100, 0] }], ['blue', 1]] }, 'flag');
    expect(run({ color: 'red', on: true })).toBe(fractional(['key', ['red', 100], ['blue', 1]], {}));
    expect(run({ color: 'red', on: false })).toBe('blue');
  });
});

describe('fractional and native splits', () => {
  it('put every user in the same arm, so a flag keeps its users when it moves between flagd and flaglens', () => {
    const variants = { a: 'a', b: 'b', c: 'c' };
    const set = compileFlagSet({
      flags: {
        native: {
          type: 'string',
          variants,
          fallthrough: {
            split: {
              seed: 'rollout',
              arms: [
                { variant: 'a', weight: 1000 },
                { variant: 'b', weight: 2000 },
                { variant: 'c', weight: 7000 },
              ],
            },
          },
        },
        rollout: {
          type: 'string',
          variants,
          targeting: {
            jsonLogic: {
              fractional: [
                ['a', 10],
                ['b', 20],
                ['c', 70],
              ],
            },
          },
        },
      },
    });
    fc.assert(
      fc.property(asciiKey, (targetingKey) => {
        fc.pre(targetingKey !== '');
        const native = evaluateFlag(set, 'native', { targetingKey }, 'none');
        expect(evaluateFlag(set, 'rollout', { targetingKey }, 'none').variant).toBe(native.variant);
      }),
    );
  });
});
