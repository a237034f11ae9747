import type { Flag, Split } from '@flaglens/evaluator';
import { badRequest } from '../http/errors';
import type { CompareResponse, SplitInfo } from './types';

/**
 * The control variant: `?control=` when given (it must be a variant of the flag), else the flag's
 * `offVariant` (what the kill switch serves: the known-good model), else the first arm of the
 * fallthrough split, else the first variant in name order.
 */
export function chooseControl(flag: Flag, requested: string | undefined): { control: string; from: CompareResponse['controlFrom'] } {
  const variants = Object.keys(flag.variants);
  if (requested !== undefined) {
    if (!variants.includes(requested)) {
      throw badRequest(`control: ${JSON.stringify(requested)} is not a variant of the flag (${variants.join(', ')})`, {
        parameter: 'control',
      });
    }
    return { control: requested, from: 'parameter' };
  }
  if (flag.offVariant !== undefined && variants.includes(flag.offVariant)) return { control: flag.offVariant, from: 'offVariant' };
  const firstArm = flag.fallthrough?.split?.arms[0]?.variant;
  if (firstArm !== undefined && variants.includes(firstArm)) return { control: firstArm, from: 'split' };
  const first = [...variants].sort()[0];
  if (first === undefined) throw badRequest('the flag has no variants to compare', { parameter: 'key' });
  return { control: first, from: 'first-variant' };
}

/**
 * The split the sample-ratio-mismatch check tests: the fallthrough's when it splits, else the first rule
 * that serves a split. Weights are summed per variant (a variant may hold several arms).
 */
export function configuredSplit(flag: Flag): Omit<SplitInfo, 'basis' | 'history'> {
  const weightsOf = (split: Split): Record<string, number> => {
    const weights: Record<string, number> = {};
    for (const arm of split.arms) weights[arm.variant] = (weights[arm.variant] ?? 0) + arm.weight;
    return weights;
  };
  if (flag.fallthrough?.split) return { from: 'fallthrough', weights: weightsOf(flag.fallthrough.split) };
  const ruleIndex = flag.rules.findIndex((rule) => rule.serve.split !== undefined);
  const split = flag.rules[ruleIndex]?.serve.split;
  if (split) return { from: 'rule', ruleIndex, weights: weightsOf(split) };
  return { from: 'none', weights: {} };
}
