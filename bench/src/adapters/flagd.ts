import { FlagdCore } from '@openfeature/flagd-core';
import { COUNTRIES_IN, ENDS_WITH, evaluationContexts, PLAN_EQUALS, RULE_VERSION, SPLITS, type Workload } from '../workloads.js';
import type { Adapter, Subject } from './types.js';

// Weights in basis points, so flagd's `(hash * total) >> 32` picks the same bucket as flaglens for every user.
function fractional(kind: Workload['kind']) {
  return { fractional: Object.entries(SPLITS[kind]).map(([variant, share]) => [variant, Math.round(share * 10_000)]) };
}

/** The flagd flag definition (JsonLogic targeting with flagd's custom operators) for one workload flag. */
export function flagdFlag(kind: Workload['kind']) {
  if (kind === 'rollout') {
    return { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: fractional(kind) };
  }
  return {
    state: 'ENABLED',
    variants: { v1: 'v1', v2: 'v2', v3: 'v3' },
    defaultVariant: 'v1',
    targeting: {
      if: [
        { and: [{ in: [{ var: 'country' }, [...COUNTRIES_IN]] }, { '==': [{ var: 'plan' }, PLAN_EQUALS] }] },
        'v2',
        { ends_with: [{ var: 'email' }, ENDS_WITH] },
        'v3',
        { sem_ver: [{ var: 'appVersion' }, '>=', RULE_VERSION] },
        'v2',
        fractional(kind),
      ],
    },
  };
}

export const flagdCore: Adapter = {
  name: 'flagd-core',
  role: 'anchor',
  async prepare(workload) {
    const core = new FlagdCore();
    core.setConfigurations(JSON.stringify({ flags: Object.fromEntries(workload.flagKeys.map((key) => [key, flagdFlag(workload.kind)])) }));
    const keys = workload.flagKeys;
    const contexts = evaluationContexts(workload.users);
    const users = contexts.length;
    const flags = keys.length;
    const batch =
      workload.kind === 'rollout'
        ? () => {
            let on = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) if (core.resolveBooleanEvaluation(keys[f] as string, false, contexts[u]).value) on++;
            }
            return on;
          }
        : () => {
            let sum = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) sum += core.resolveStringEvaluation(keys[f] as string, 'default', contexts[u]).value.length;
            }
            return sum;
          };
    const subject: Subject = {
      batch,
      variant: (u, f) => {
        const key = keys[f] as string;
        const details =
          workload.kind === 'rollout'
            ? core.resolveBooleanEvaluation(key, false, contexts[u])
            : core.resolveStringEvaluation(key, 'default', contexts[u]);
        return details.errorCode ? undefined : details.variant;
      },
      close: () => {},
    };
    return subject;
  },
};
