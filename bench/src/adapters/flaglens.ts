import { type Condition, FlagEvaluator, type FlagInput } from '@flaglens/evaluator';
import { COUNTRIES_IN, ENDS_WITH, evaluationContexts, PLAN_EQUALS, RULE_VERSION, SPLITS, type Workload } from '../workloads.js';
import type { Adapter, Subject } from './types.js';

function arms(kind: Workload['kind']) {
  return Object.entries(SPLITS[kind]).map(([variant, share]) => ({ variant, weight: Math.round(share * 10_000) }));
}

const rule = (when: Condition[], variant: string) => ({ when, serve: { variant } });

/** The flaglens native definition of one workload flag. */
export function flaglensFlag(kind: Workload['kind']): FlagInput {
  if (kind === 'rollout') {
    return { type: 'boolean', variants: { on: true, off: false }, fallthrough: { split: { arms: arms(kind) } } };
  }
  return {
    type: 'string',
    variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
    rules: [
      rule(
        [
          { attribute: 'country', op: 'in', value: [...COUNTRIES_IN] },
          { attribute: 'plan', op: 'equals', value: PLAN_EQUALS },
        ],
        'v2',
      ),
      rule([{ attribute: 'email', op: 'endsWith', value: ENDS_WITH }], 'v3'),
      rule([{ attribute: 'appVersion', op: 'semverGte', value: RULE_VERSION }], 'v2'),
    ],
    fallthrough: { split: { arms: arms(kind) } },
  };
}

export const flaglens: Adapter = {
  name: 'flaglens',
  role: 'flaglens',
  async prepare(workload) {
    const evaluator = new FlagEvaluator({
      flags: Object.fromEntries(workload.flagKeys.map((key) => [key, flaglensFlag(workload.kind)])),
    });
    const keys = workload.flagKeys;
    const contexts = evaluationContexts(workload.users);
    const users = contexts.length;
    const flags = keys.length;
    const batch =
      workload.kind === 'rollout'
        ? () => {
            let on = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) if (evaluator.evaluate(keys[f] as string, contexts[u], false).value) on++;
            }
            return on;
          }
        : () => {
            let sum = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) sum += evaluator.evaluate(keys[f] as string, contexts[u], 'default').value.length;
            }
            return sum;
          };
    const subject: Subject = {
      batch,
      variant: (u, f) => {
        const details = evaluator.evaluate<unknown>(keys[f] as string, contexts[u], workload.kind === 'rollout' ? false : 'default');
        return details.reason === 'ERROR' ? undefined : details.variant;
      },
      close: () => {},
    };
    return subject;
  },
};
