import { type Flag, reweightSplit, type Serve, type Split, TOTAL_SLOTS } from '@flaglens/evaluator';
import type { RolloutPlan } from './plan';

/** Why a plan cannot drive this flag's fallthrough, by path; empty when it can. */
export function planProblemsFor(flag: Flag, plan: RolloutPlan): { path: string; problem: string }[] {
  const problems: { path: string; problem: string }[] = [];
  for (const field of ['candidate', 'control'] as const) {
    if (!(plan[field] in flag.variants)) problems.push({ path: field, problem: `the flag has no variant ${JSON.stringify(plan[field])}` });
  }
  const serve = flag.fallthrough;
  const served = serve?.split
    ? serve.split.arms.filter((arm) => arm.weight > 0).map((arm) => arm.variant)
    : serve?.variant
      ? [serve.variant]
      : [];
  const others = served.filter((variant) => variant !== plan.candidate && variant !== plan.control);
  if (others.length > 0) {
    problems.push({
      path: '(root)',
      problem: `the flag's fallthrough also serves ${others.map((v) => JSON.stringify(v)).join(', ')}; a rollout moves traffic between control and candidate only`,
    });
  }
  return problems;
}

/** The candidate's current share of the fallthrough, in basis points. */
export function candidateWeight(flag: Flag, plan: RolloutPlan): number {
  const serve = flag.fallthrough;
  if (serve?.split) return serve.split.arms.find((arm) => arm.variant === plan.candidate)?.weight ?? 0;
  return serve?.variant === plan.candidate ? TOTAL_SLOTS : 0;
}

/**
 * The fallthrough with the candidate at `weight` and control at the rest, derived with `reweightSplit` from the
 * split the flag serves now, so only slots moving from control to candidate (or back) change hands: nobody in
 * the candidate at 5% leaves it at 20%. A fallthrough serving one variant starts from that variant's full split.
 */
export function fallthroughWith(flag: Flag, plan: RolloutPlan, weight: number): Serve {
  const serve = flag.fallthrough;
  const base: Split = serve?.split ?? { arms: [{ variant: serve?.variant ?? plan.control, weight: TOTAL_SLOTS }] };
  const wanted = new Map([
    [plan.control, TOTAL_SLOTS - weight],
    [plan.candidate, weight],
  ]);
  const arms = base.arms.map((arm) => ({ variant: arm.variant, weight: wanted.get(arm.variant) ?? 0 }));
  for (const [variant, w] of wanted) if (!arms.some((arm) => arm.variant === variant)) arms.push({ variant, weight: w });
  return { split: reweightSplit(base, arms) };
}
