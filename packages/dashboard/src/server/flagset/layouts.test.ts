import { type Flag, parseFlagSet, reweightSplit, type Split } from '@flaglens/evaluator';
import { describe, expect, it } from 'vitest';
import { carryLayouts } from './layouts';

const arms = (v1: number) => [
  { variant: 'v1', weight: v1 },
  { variant: 'v2', weight: 10_000 - v1 },
];

function flag(input: object): Flag {
  const parsed = parseFlagSet({ flags: { f: { type: 'string', variants: { v1: 'a', v2: 'b' }, ...input } } }).flags.f;
  if (!parsed) throw new Error('no flag');
  return parsed;
}

// 10/90 → 20/80 moves v2's highest slots to v1: a layout that is not flagd's cumulative one.
const stored = flag({
  rules: [{ id: 'beta', when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { split: { arms: arms(1000) } } }],
  fallthrough: { split: reweightSplit({ arms: arms(1000) }, arms(2000)) },
});
const storedFallthrough = stored.fallthrough?.split as Split;

describe('carryLayouts', () => {
  it('keeps the stored layout when the file leaves the weights and layout alone, or leaves the layout out', () => {
    const { layout: _layout, ...withoutLayout } = storedFallthrough;
    expect(carryLayouts(stored, flag({ fallthrough: { split: withoutLayout } })).fallthrough).toEqual({ split: storedFallthrough });
  });

  it('reweights from the stored layout when the weights change and the layout is as exported', () => {
    const next = carryLayouts(stored, flag({ fallthrough: { split: { ...storedFallthrough, arms: arms(5000) } } }));
    expect(next.fallthrough).toEqual({ split: reweightSplit(storedFallthrough, arms(5000)) });
  });

  it('keeps a layout or seed the file sets on purpose', () => {
    const layout = [
      { variant: 'v2', from: 0, to: 5000 },
      { variant: 'v1', from: 5000, to: 10_000 },
    ];
    expect(carryLayouts(stored, flag({ fallthrough: { split: { arms: arms(5000), layout } } })).fallthrough).toEqual({
      split: { arms: arms(5000), layout },
    });
    expect(carryLayouts(stored, flag({ fallthrough: { split: { arms: arms(5000), seed: 'new' } } })).fallthrough).toEqual({
      split: { arms: arms(5000), seed: 'new' },
    });
  });

  it('matches a rule by its id wherever it moved', () => {
    const moved = flag({
      rules: [
        { when: [{ attribute: 'plan', op: 'equals', value: 'free' }], serve: { variant: 'v1' } },
        { id: 'beta', when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { split: { arms: arms(3000) } } },
      ],
    });
    expect(carryLayouts(stored, moved).rules[1]?.serve).toEqual({ split: reweightSplit({ arms: arms(1000) }, arms(3000)) });
  });

  it('leaves a new flag as written', () => {
    const fresh = flag({ fallthrough: { split: { arms: arms(5000) } } });
    expect(carryLayouts(undefined, fresh)).toBe(fresh);
  });
});
