import { guard, insufficient, ok } from './guards';
import { bucketCounts, histogramTotal } from './histogram';
import { twoSidedP, zCritical } from './normal';
import type { Delta, Figure, Histogram, Interval } from './types';

/** Mean of a histogram's observations and, where defensible, the variance of one observation. */
export interface MeanEstimate {
  mean: number;
  n: number;
  /** Undefined when observations fell in `+Inf`: their spread is unknown, so no interval can be defended. */
  variance?: number;
  /** True when the mean is `_sum / _count` (exact); false when it comes from bucket midpoints. */
  exact: boolean;
}

/**
 * Mean from `_sum / _count` when the sum was recorded, else from bucket midpoints (the first bucket
 * starts at 0: absolute errors are non-negative; the `+Inf` bucket counts at the highest finite edge, so
 * that mean is a lower bound). The variance always comes from midpoints — a histogram keeps no sum of
 * squares — and is the usual grouped-data estimate (Sheppard's correction omitted: it is smaller than the
 * bucket-width error it would correct).
 */
export function meanEstimate(histogram: Histogram): MeanEstimate | undefined {
  const n = histogramTotal(histogram);
  if (n <= 0) return undefined;
  const counts = bucketCounts(histogram);
  const finite = histogram.bounds.filter((b) => Number.isFinite(b));
  const mids = counts.map((_, i) => {
    const upper = histogram.bounds[i] ?? Number.POSITIVE_INFINITY;
    const lower = i === 0 ? Math.min(0, upper) : (histogram.bounds[i - 1] ?? 0);
    return Number.isFinite(upper) ? (lower + upper) / 2 : (finite.at(-1) ?? 0);
  });
  const midMean = counts.reduce((s, c, i) => s + c * (mids[i] ?? 0), 0) / n;
  const exact = histogram.sum !== undefined;
  const mean = exact ? (histogram.sum ?? 0) / n : midMean;
  const overflow = counts.at(-1) ?? 0;
  const estimate: MeanEstimate = { mean, n, exact };
  if (overflow === 0 && n > 1) {
    estimate.variance = counts.reduce((s, c, i) => s + c * ((mids[i] ?? 0) - midMean) ** 2, 0) / (n - 1);
  }
  return estimate;
}

/**
 * Mean absolute error from the absolute-error histogram, with a normal (CLT) interval mean ± z·s/√n when
 * the variance can be estimated.
 */
export function meanAbsoluteError(histogram: Histogram, alpha: number, minimum: number): Figure {
  const n = histogramTotal(histogram);
  const short = guard(n, minimum, 'observations');
  if (short) return short;
  const estimate = meanEstimate(histogram);
  if (!estimate) return insufficient(Math.max(1, minimum), 0, 'observations');
  const notes: string[] = [];
  if (!estimate.exact) notes.push('mean from bucket midpoints');
  let interval: Interval | undefined;
  if (estimate.variance === undefined) notes.push('no interval: observations above the highest finite bucket');
  else {
    const half = zCritical(alpha) * Math.sqrt(estimate.variance / n);
    interval = { lower: Math.max(0, estimate.mean - half), upper: estimate.mean + half, level: 1 - alpha };
  }
  return ok(estimate.mean, n, interval, notes.join('; ') || undefined);
}

/** Variant − control mean with a two-sample z interval and p-value (unequal variances, Welch's form). */
export function meanDelta(variant: Histogram, control: Histogram, alpha: number): Delta | undefined {
  const a = meanEstimate(variant);
  const b = meanEstimate(control);
  if (!a || !b) return undefined;
  const value = a.mean - b.mean;
  if (a.variance === undefined || b.variance === undefined) return { value, significant: false, method: 'no interval: unbounded bucket' };
  const se = Math.sqrt(a.variance / a.n + b.variance / b.n);
  const half = zCritical(alpha) * se;
  const pValue = se > 0 ? twoSidedP(value / se) : value === 0 ? 1 : 0;
  return {
    value,
    interval: { lower: value - half, upper: value + half, level: 1 - alpha },
    pValue,
    significant: pValue < alpha,
    method: 'two-sample z on means, variances from bucket midpoints',
  };
}
