import type { FlagInput } from '@flaglens/evaluator';
import { expect } from 'vitest';

/** A model-routing flag: a rule for beta users, a 10% canary for everyone else, `v1` when off. */
export function modelFlag(overrides: Partial<FlagInput> = {}): FlagInput {
  return {
    description: 'which model answers support chats',
    type: 'object',
    variants: { v1: { model: 'gpt-a', temperature: 0.2 }, v2: { model: 'gpt-b', temperature: 0.2 } },
    offVariant: 'v1',
    rules: [{ when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'v2' } }],
    fallthrough: {
      split: {
        arms: [
          { variant: 'v1', weight: 9000 },
          { variant: 'v2', weight: 1000 },
        ],
      },
    },
    ...overrides,
  };
}

/** `modelFlag` with a rule serving `variant` whose second condition misspells its operator as `equalz`. */
export function misspelledOperator(variant = 'v2'): FlagInput {
  const when = [
    { attribute: 'plan', op: 'equals' as const, value: 'x' },
    { attribute: 'plan', op: 'equalz' as 'equals', value: 'y' },
  ];
  return modelFlag({ rules: [{ when, serve: { variant } }] });
}

/** A model flag whose one rule serves `v2` to the members of segment `key`. */
export const segmentFlag = (key: string) => modelFlag({ rules: [{ when: [{ op: 'inSegment', value: key }], serve: { variant: 'v2' } }] });

export const admin = { id: 'test-admin', name: 'test admin' };
export const editor = { id: 'test-editor', name: 'test editor' };

let counter = 0;
/** A flag key no other test in the run uses. */
export const uniqueKey = (prefix = 'flag') => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

/** An alert rule as `POST /alert-rules` takes it: the flag's candidate p95 more than 20% above control's rolls it back. */
export const p95Rule = (flag: string, extra: object = {}) => ({
  name: 'p95 more than 20% above control',
  flag,
  figure: { kind: 'latency', quantile: 'p95' },
  comparison: { type: 'relative', op: 'above', by: 20, unit: 'percent' },
  window: '15m',
  for: '2m',
  severity: 'critical',
  action: 'rollback',
  ...extra,
});

/** An alert rule as `POST /alert-rules` takes it: the candidate's error rate more than 1 point above control's over 2 minutes, at once. */
export const errorRateRule = (flag: string, extra: object = {}) => ({
  name: 'errors above control',
  flag,
  figure: { kind: 'errorRate' },
  comparison: { type: 'relative', op: 'above', by: 1, unit: 'points' },
  window: '2m',
  for: '0s',
  ...extra,
});
