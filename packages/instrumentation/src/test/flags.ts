import type { FlagSetInput } from '@flaglens/evaluator';

/** A routing flag with a rule per plan, so tests can pick a variant through the context. */
export const flagSet: FlagSetInput = {
  flags: {
    'ai-model': {
      type: 'object',
      variants: { control: { model: 'logreg' }, candidate: { model: 'gbdt' } },
      rules: [{ when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'candidate' } }],
      fallthrough: { variant: 'control' },
      version: 3,
    },
    reranker: {
      type: 'string',
      variants: { off: 'none', on: 'cross-encoder' },
      rules: [{ when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'on' } }],
      fallthrough: { variant: 'off' },
    },
  },
};

export const beta = { targetingKey: 'user-1', plan: 'beta' };
export const free = { targetingKey: 'user-2', plan: 'free' };
