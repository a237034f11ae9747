import { describe, expect, it } from 'vitest';
import { FlagEvaluator } from '../evaluator.js';
import type { FlagSetInput } from '../model/schema.js';
import { rejection } from '../test/rejection.js';
import { pinVariants, variantsOf } from './pin.js';

const flagSet: FlagSetInput = {
  flags: {
    'ai-model': {
      type: 'string',
      variants: { v1: 'gpt-a', v2: 'gpt-b', v3: 'gpt-c' },
      enabled: false,
      offVariant: 'v1',
      rules: [{ when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'v3' } }],
      fallthrough: {
        split: {
          arms: [
            { variant: 'v1', weight: 9000 },
            { variant: 'v2', weight: 1000 },
          ],
        },
      },
      version: 4,
    },
    'dark-launch': { type: 'boolean', variants: { on: true, off: false }, fallthrough: { variant: 'off' } },
  },
};

describe('pinVariants', () => {
  it('serves the pinned variant to everyone, even on a switched-off flag, with reason STATIC', () => {
    const flags = new FlagEvaluator(pinVariants(flagSet, { 'ai-model': 'v2' }));
    for (const context of [{}, { targetingKey: 'u1', plan: 'beta' }, { targetingKey: 'u2' }]) {
      expect(flags.evaluate('ai-model', context, 'none')).toMatchObject({ value: 'gpt-b', variant: 'v2', reason: 'STATIC', version: 4 });
    }
  });

  it('leaves unpinned flags and the input untouched', () => {
    const before = JSON.stringify(flagSet);
    const pinned = pinVariants(flagSet, { 'ai-model': 'v2' });
    expect(JSON.stringify(flagSet)).toBe(before);
    expect(pinned.flags['dark-launch']).toEqual(new FlagEvaluator(flagSet).flagSet?.flags['dark-launch']);
  });

  it('names an unknown flag with its path and the flags there are', () => {
    const error = rejection(() => pinVariants(flagSet, { 'ai-modle': 'v2' }));
    expect(error.path).toBe('flags["ai-modle"]');
    expect(error.problem).toContain('ai-model, dark-launch');
  });

  it('names an unknown variant with the variants there are, and reports every bad pin', () => {
    const error = rejection(() => pinVariants(flagSet, { 'ai-model': 'v4', 'dark-launch': 'toString' }));
    expect(error.issues).toEqual([
      { path: 'flags["ai-model"].variants', problem: 'cannot pin unknown variant "v4"; variants are "v1", "v2", "v3"' },
      { path: 'flags["dark-launch"].variants', problem: 'cannot pin unknown variant "toString"; variants are "on", "off"' },
    ]);
  });
});

describe('variantsOf', () => {
  it('lists a flag’s variants in definition order', () => {
    expect(variantsOf(flagSet, 'ai-model')).toEqual(['v1', 'v2', 'v3']);
  });

  it('rejects an unknown flag with a FlagValidationError', () => {
    expect(rejection(() => variantsOf(flagSet, 'nope'))).toMatchObject({ path: 'flags["nope"]', problem: 'no such flag' });
  });

  it.each(variantsOf(flagSet, 'ai-model'))('every variant can be pinned: %s', (variant) => {
    expect(new FlagEvaluator(pinVariants(flagSet, { 'ai-model': variant })).evaluate('ai-model', {}, 'none').variant).toBe(variant);
  });
});
