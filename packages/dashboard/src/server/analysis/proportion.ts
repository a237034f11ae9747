import { guard, ok } from './guards';
import { twoSidedP, zCritical } from './normal';
import type { Delta, Figure, Interval } from './types';

/** Successes out of trials, e.g. errors out of requests or correct out of labelled outcomes. */
export interface Count {
  successes: number;
  trials: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927). Chosen over the Wald interval because it
 * keeps close to nominal coverage near 0 and 1 — where error rates live — and never leaves [0, 1]
 * (Newcombe 1998, "Two-sided confidence intervals for the single proportion", method 3).
 */
export function wilsonInterval(successes: number, trials: number, alpha: number): Interval {
  const level = 1 - alpha;
  if (trials <= 0) return { lower: 0, upper: 1, level };
  const z = zCritical(alpha);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  // At 0 or n successes the bound is exactly 0 or 1; keep it exact rather than ±1e-17.
  const lower = successes === 0 ? 0 : Math.max(0, center - half);
  const upper = successes === trials ? 1 : Math.min(1, center + half);
  return { lower, upper, level };
}

/** A proportion with its Wilson interval, or `insufficient` below `minimum` trials. */
export function proportionFigure(count: Count, alpha: number, minimum: number, unit = 'requests'): Figure {
  const short = guard(count.trials, minimum, unit);
  if (short) return short;
  return ok(count.successes / count.trials, count.trials, wilsonInterval(count.successes, count.trials, alpha));
}

/**
 * Difference of two independent proportions, variant − control.
 * Interval: Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation for the difference between
 * independent proportions", method 10), built from the two Wilson intervals; good coverage at small counts.
 * p-value: the pooled two-proportion z-test (equivalently Pearson's 2×2 chi-square without continuity
 * correction). The two can disagree at the margin; `significant` follows the p-value.
 */
export function proportionDelta(variant: Count, control: Count, alpha: number): Delta | undefined {
  if (variant.trials <= 0 || control.trials <= 0) return undefined;
  const p1 = variant.successes / variant.trials;
  const p2 = control.successes / control.trials;
  const w1 = wilsonInterval(variant.successes, variant.trials, alpha);
  const w2 = wilsonInterval(control.successes, control.trials, alpha);
  const value = p1 - p2;
  const lower = value - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2);
  const upper = value + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2);
  const pValue = pooledZTest(variant, control);
  return {
    value,
    interval: { lower, upper, level: 1 - alpha },
    pValue,
    significant: pValue < alpha,
    method: 'newcombe-hybrid-score interval, pooled two-proportion z-test',
  };
}

/** Two-sided p-value of the pooled z-test for p1 = p2; 1 when both samples are all-or-nothing alike. */
export function pooledZTest(a: Count, b: Count): number {
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return 1;
  return twoSidedP((a.successes / a.trials - b.successes / b.trials) / se);
}
