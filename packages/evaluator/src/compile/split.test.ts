import { describe, expect, it } from 'vitest';
import { FlagEvaluator } from '../evaluator.js';
import type { FlagSetInput, SplitArm } from '../model/schema.js';

const suits: SplitArm[] = ['clubs', 'diamonds', 'hearts', 'spades'].map((variant) => ({ variant, weight: 2500 }));

function splitFlag(key: string, arms: SplitArm[], extra: Record<string, unknown> = {}): FlagSetInput {
  return {
    flags: {
      [key]: {
        type: 'string',
        variants: Object.fromEntries(arms.map((arm) => [arm.variant, arm.variant])),
        fallthrough: { split: { arms } },
        ...extra,
      },
    },
  };
}

const variantOf = (flags: FlagEvaluator, key: string, context: Record<string, unknown>) => flags.evaluate(key, context, 'none').variant;

/** Pearson's chi-square statistic of observed counts against expected shares. */
function chiSquare(observed: number[], shares: number[]): number {
  const total = observed.reduce((sum, count) => sum + count, 0);
  return observed.reduce((sum, count, i) => {
    const expected = total * (shares[i] as number);
    return sum + (count - expected) ** 2 / expected;
  }, 0);
}

describe('splits', () => {
  // Expected buckets from the flagd testbed's @fractional-v2 examples (flagd 3.9.0): a native split
  // seeded with the flag key and bucketed by the same attribute lands every user where flagd does.
  it('puts users in the same buckets as flagd fractional v2', () => {
    const flags = new FlagEvaluator(splitFlag('fractional-flag', suits, { bucketBy: 'user.name' }));
    const expected = { jack: 'hearts', queen: 'spades', ten: 'clubs', nine: 'diamonds', '3': 'clubs' };
    for (const [name, suit] of Object.entries(expected)) expect(variantOf(flags, 'fractional-flag', { user: { name } })).toBe(suit);

    const withSeed = new FlagEvaluator({
      flags: {
        'any-key': {
          type: 'string',
          variants: { clubs: 'c', diamonds: 'd', hearts: 'h', spades: 's' },
          bucketBy: 'user.name',
          fallthrough: { split: { arms: suits, seed: 'shared-seed' } },
        },
      },
    });
    const sharedExpected = { seven: 'hearts', eight: 'diamonds', nine: 'clubs', two: 'spades' };
    for (const [name, suit] of Object.entries(sharedExpected)) expect(variantOf(withSeed, 'any-key', { user: { name } })).toBe(suit);

    const coin = new FlagEvaluator(
      splitFlag('fractional-flag-shorthand', [
        { variant: 'heads', weight: 5000 },
        { variant: 'tails', weight: 5000 },
      ]),
    );
    expect(variantOf(coin, 'fractional-flag-shorthand', { targetingKey: 'jon@company.com' })).toBe('heads');
    expect(variantOf(coin, 'fractional-flag-shorthand', { targetingKey: 'jane@company.com' })).toBe('tails');
  });

  it('gives a user the same variant from independently compiled sets', () => {
    const definition = splitFlag('ai-model', suits);
    const first = new FlagEvaluator(definition);
    const second = new FlagEvaluator(structuredClone(definition));
    for (let i = 0; i < 5_000; i++) {
      const context = { targetingKey: `user-${i}` };
      expect(variantOf(second, 'ai-model', context)).toBe(variantOf(first, 'ai-model', context));
    }
  });

  it('serves each arm in proportion to its weight over 100,000 keys (chi-square, p > 0.001)', () => {
    const arms = [
      { variant: 'v1', weight: 8000 },
      { variant: 'v2', weight: 1000 },
      { variant: 'v3', weight: 1000 },
    ];
    const flags = new FlagEvaluator(splitFlag('ai-model', arms));
    const counts = new Map(arms.map((arm) => [arm.variant, 0]));
    for (let i = 0; i < 100_000; i++) {
      const variant = variantOf(flags, 'ai-model', { targetingKey: `user-${i}-${(i * 2654435761) % 1000003}` }) as string;
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    // Critical value of chi-square with 2 degrees of freedom at p = 0.001.
    expect(chiSquare([...counts.values()], [0.8, 0.1, 0.1])).toBeLessThan(13.816);
  });

  it('buckets two flags independently', () => {
    const halves = [
      { variant: 'a', weight: 5000 },
      { variant: 'b', weight: 5000 },
    ];
    const flags = new FlagEvaluator({
      flags: { ...splitFlag('model-x', halves).flags, ...splitFlag('model-y', halves).flags },
    });
    const table = [0, 0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const context = { targetingKey: `user-${i}` };
      const x = variantOf(flags, 'model-x', context) === 'a' ? 0 : 1;
      const y = variantOf(flags, 'model-y', context) === 'a' ? 0 : 1;
      table[x * 2 + y] = (table[x * 2 + y] as number) + 1;
    }
    const [aa, ab, ba, bb] = table as [number, number, number, number];
    const rowA = (aa + ab) / n;
    const colA = (aa + ba) / n;
    // Independence: the 2×2 contingency table against the product of its margins, 1 degree of freedom, p = 0.001.
    expect(chiSquare([aa, ab, ba, bb], [rowA * colA, rowA * (1 - colA), (1 - rowA) * colA, (1 - rowA) * (1 - colA)])).toBeLessThan(10.828);
  });

  it('a new seed re-randomises about half the users of a 50/50 split', () => {
    const halves = [
      { variant: 'a', weight: 5000 },
      { variant: 'b', weight: 5000 },
    ];
    const before = new FlagEvaluator(splitFlag('ai-model', halves));
    const after = new FlagEvaluator({
      flags: { 'ai-model': { type: 'string', variants: { a: 'a', b: 'b' }, fallthrough: { split: { arms: halves, seed: 'ai-model#2' } } } },
    });
    let moved = 0;
    for (let i = 0; i < 10_000; i++) {
      const context = { targetingKey: `user-${i}` };
      if (variantOf(before, 'ai-model', context) !== variantOf(after, 'ai-model', context)) moved++;
    }
    expect(moved).toBeGreaterThan(4_700);
    expect(moved).toBeLessThan(5_300);
  });

  it('buckets by a configured attribute, and numbers count as their decimal text', () => {
    const flags = new FlagEvaluator(splitFlag('ai-model', suits, { bucketBy: 'accountId' }));
    expect(variantOf(flags, 'ai-model', { targetingKey: 'x', accountId: 42 })).toBe(variantOf(flags, 'ai-model', { accountId: '42' }));
    const missing = flags.evaluate('ai-model', { targetingKey: 'x' }, 'none');
    expect(missing).toMatchObject({ value: 'none', reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  });
});
