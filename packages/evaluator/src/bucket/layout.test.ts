import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlagValidationError } from '../model/errors.js';
import { type Split, type SplitArm, TOTAL_SLOTS } from '../model/schema.js';
import { armProblems, cumulativeLayout, layoutOf, layoutProblems, reweightSplit } from './layout.js';

function owners(split: Split): string[] {
  const slots: string[] = new Array(TOTAL_SLOTS);
  for (const range of layoutOf(split)) slots.fill(range.variant, range.from, range.to);
  return slots;
}

/** Random weights in basis points over `count` arms that add up to 10,000. */
const weightsArb = (count: number) =>
  fc.array(fc.integer({ min: 0, max: TOTAL_SLOTS }), { minLength: count - 1, maxLength: count - 1 }).map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), TOTAL_SLOTS];
    return sorted.slice(1).map((end, i) => end - (sorted[i] as number));
  });

const armsOf = (weights: number[]): SplitArm[] => weights.map((weight, i) => ({ variant: `v${i}`, weight }));

/** A split with 1–6 arms and a sequence of 1–8 weight changes over the same arms. */
const historyArb = fc
  .integer({ min: 1, max: 6 })
  .chain((count) => fc.tuple(weightsArb(count), fc.array(weightsArb(count), { minLength: 1, maxLength: 8 })));

describe('slot layouts', () => {
  it('a new split is flagd’s cumulative layout', () => {
    expect(cumulativeLayout(armsOf([8000, 1000, 1000]))).toEqual([
      { variant: 'v0', from: 0, to: 8000 },
      { variant: 'v1', from: 8000, to: 9000 },
      { variant: 'v2', from: 9000, to: 10000 },
    ]);
  });

  it('a weight change moves users only out of shrinking arms into growing ones', () => {
    fc.assert(
      fc.property(historyArb, ([initial, changes]) => {
        let split: Split = { arms: armsOf(initial) };
        for (const weights of changes) {
          const next = reweightSplit(split, armsOf(weights));
          const before = owners(split);
          const after = owners(next);
          const weightBefore = new Map(split.arms.map((arm) => [arm.variant, arm.weight]));
          const weightAfter = new Map(next.arms.map((arm) => [arm.variant, arm.weight]));
          const badMoves: string[] = [];
          for (let slot = 0; slot < TOTAL_SLOTS; slot++) {
            const from = before[slot] as string;
            const to = after[slot] as string;
            if (from === to) continue;
            // A moved user left an arm that shrank and joined an arm that grew: so no user ever
            // moves between two arms whose weights did not change.
            const shrank = (weightAfter.get(from) ?? 0) < (weightBefore.get(from) ?? 0);
            const grew = (weightAfter.get(to) ?? 0) > (weightBefore.get(to) ?? 0);
            if (!shrank || !grew) badMoves.push(`slot ${slot}: ${from} → ${to}`);
          }
          expect(badMoves).toEqual([]);
          expect(layoutProblems(next.arms, next.layout ?? [])).toEqual([]);
          split = next;
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('raising the canary’s weight keeps every canary user in it (5% → 20%)', () => {
    const five: Split = {
      arms: [
        { variant: 'control', weight: 9500 },
        { variant: 'canary', weight: 500 },
      ],
    };
    const twenty = reweightSplit(five, [
      { variant: 'control', weight: 8000 },
      { variant: 'canary', weight: 2000 },
    ]);
    const before = owners(five);
    const after = owners(twenty);
    const canaryBefore = before.flatMap((variant, slot) => (variant === 'canary' ? [slot] : []));
    expect(canaryBefore).toHaveLength(500);
    for (const slot of canaryBefore) expect(after[slot]).toBe('canary');
    expect(after.filter((variant) => variant === 'canary')).toHaveLength(2000);
  });

  it('an arm can be added and removed', () => {
    const two: Split = { arms: armsOf([5000, 5000]) };
    const three = reweightSplit(two, [...armsOf([4000, 4000]), { variant: 'v2', weight: 2000 }]);
    expect(layoutProblems(three.arms, three.layout ?? [])).toEqual([]);
    const back = reweightSplit(three, armsOf([5000, 5000]));
    expect(layoutProblems(back.arms, back.layout ?? [])).toEqual([]);
    expect(owners(back).filter((variant) => variant === 'v2')).toHaveLength(0);
  });

  it('keeps the seed and refuses weights that do not add up', () => {
    const seeded: Split = { arms: armsOf([5000, 5000]), seed: 'reshuffle-2026-11' };
    expect(reweightSplit(seeded, armsOf([6000, 4000])).seed).toBe('reshuffle-2026-11');
    expect(() => reweightSplit(seeded, armsOf([6000, 3000]))).toThrow(FlagValidationError);
    expect(armProblems(armsOf([6000, 3000]))).toEqual(['weights must add up to 10000 basis points, they add up to 9000']);
  });

  it('names what is wrong with a layout', () => {
    const arms = armsOf([5000, 5000]);
    expect(layoutProblems(arms, [{ variant: 'v0', from: 0, to: 5000 }])).toContain('slot ranges must cover [0, 10000), they end at 5000');
    expect(
      layoutProblems(arms, [
        { variant: 'v0', from: 0, to: 6000 },
        { variant: 'v1', from: 6000, to: 10000 },
      ]),
    ).toContain('variant "v0" owns 6000 slots but its weight is 5000');
  });
});
