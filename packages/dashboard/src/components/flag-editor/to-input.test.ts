import type { Flag } from '@flaglens/evaluator';
import { describe, expect, it } from 'vitest';
import { draftOf, newFlagDraft } from './draft';
import { placeOf, relativeToFlag } from './issues';
import { toFlagInput } from './to-input';

const stored: Flag = {
  type: 'object',
  variants: { control: { model: 'a' }, candidate: { model: 'b' } },
  enabled: true,
  offVariant: 'control',
  rules: [{ when: [{ attribute: 'beta', op: 'equals', value: true }], serve: { variant: 'candidate' } }],
  fallthrough: {
    split: {
      arms: [
        { variant: 'control', weight: 9000 },
        { variant: 'candidate', weight: 1000 },
      ],
    },
  },
  bucketBy: 'targetingKey',
  version: 4,
};

describe('toFlagInput', () => {
  it('gives back an untouched flag unchanged, typed condition values and stored split included', () => {
    const result = toFlagInput(draftOf('ai-model', stored), 10_000);
    expect(result).toMatchObject({ ok: true, reweights: [] });
    if (!result.ok) return;
    const { version: _version, ...rest } = stored;
    expect(result.flag).toEqual(rest);
  });

  it('turns percentages into basis points and leaves the new layout to reweightSplit, from the stored split', () => {
    const draft = draftOf('ai-model', stored);
    draft.fallthrough.arms = draft.fallthrough.arms.map((arm) => ({ ...arm, percent: arm.variant === 'control' ? '87.5' : '12.5' }));
    const result = toFlagInput(draft, 10_000);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.reweights).toHaveLength(1);
    expect(result.reweights[0]?.base).toBe(stored.fallthrough?.split);
    expect(result.reweights[0]?.arms).toEqual([
      { variant: 'control', weight: 8750 },
      { variant: 'candidate', weight: 1250 },
    ]);
  });

  it('names broken JSON and weights that miss 100% by the paths the server would use', () => {
    const draft = draftOf('ai-model', stored);
    draft.variants = draft.variants.map((variant) => (variant.name === 'candidate' ? { ...variant, text: '{ "model": ' } : variant));
    draft.fallthrough.arms = draft.fallthrough.arms.map((arm) => ({ ...arm, percent: '30' }));
    const result = toFlagInput(draft, 10_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(['variants.candidate', 'fallthrough.split.arms']);
    expect(result.issues[1]?.problem).toBe('the weights add up to 60%; they must add up to 100%');
  });

  it('sends list operators as arrays and numeric ones as numbers', () => {
    const draft = newFlagDraft();
    draft.rules = [
      {
        uid: 'r',
        id: '',
        description: '',
        when: [
          { uid: 'a', attribute: 'country', op: 'in', value: 'NL, BE,,DE' },
          { uid: 'b', attribute: 'age', op: 'gte', value: '18' },
        ],
        serve: { kind: 'variant', variant: 'control', arms: [], base: null },
      },
    ];
    const result = toFlagInput(draft, 10_000);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.flag.rules?.[0]?.when.map((condition) => condition.value)).toEqual([['NL', 'BE', 'DE'], 18]);
  });
});

describe('validation paths', () => {
  it("strips the server's flag-set prefix and reads a path as words", () => {
    const issues = relativeToFlag([{ path: 'flags["ai-model"].rules[0].when[1].value', problem: 'x' }], 'ai-model');
    expect(issues[0]?.path).toBe('rules[0].when[1].value');
    expect(placeOf('rules[0].when[1].value')).toBe('rule 1 › condition 2 › value');
    expect(placeOf('variants["gpt-4o"]')).toBe('variants › gpt-4o');
  });
});
