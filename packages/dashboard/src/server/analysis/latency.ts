import { guard, ok } from './guards';
import { histogramTotal } from './histogram';
import { zCritical } from './normal';
import { histogramQuantile } from './quantile';
import type { Delta, Figure, Histogram, Interval } from './types';

/**
 * A latency quantile with a distribution-free interval. The number of observations below the true
 * q-quantile is Binomial(n, q), so the order statistics of ranks nq ∓ z·√(nq(1−q)) bracket it with
 * confidence ≈ 1 − α (Conover, Practical Nonparametric Statistics, 3rd ed., §3.2). A histogram only says
 * which bucket an order statistic fell in, so the interval runs from the lower edge of the bucket holding
 * the lower rank to the upper edge of the bucket holding the upper rank: conservative by construction,
 * and `Infinity` when the upper rank lands in `+Inf`.
 */
export function quantileFigure(q: number, histogram: Histogram, alpha: number, tail: number): Figure {
  const n = histogramTotal(histogram);
  const needed = q < 1 ? Math.ceil(tail / (1 - q)) : tail;
  const short = guard(n, needed, 'observations');
  if (short) return short;
  const value = histogramQuantile(q, histogram);
  const spread = zCritical(alpha) * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.max(1, Math.floor(n * q - spread));
  const highRank = Math.min(n, Math.ceil(n * q + spread));
  const interval: Interval = { lower: lowerEdge(histogram, lowRank), upper: upperEdge(histogram, highRank), level: 1 - alpha };
  return ok(value, n, interval);
}

/**
 * Variant minus control for a quantile. No p-value: the difference is called significant only when the
 * two conservative intervals do not overlap, which errs on the side of "not significant".
 */
export function quantileDelta(variant: Figure, control: Figure): Delta | undefined {
  if (variant.status !== 'ok' || control.status !== 'ok' || !variant.interval || !control.interval) return undefined;
  const disjoint = variant.interval.lower > control.interval.upper || variant.interval.upper < control.interval.lower;
  return { value: variant.value - control.value, significant: disjoint, method: 'order-statistic intervals do not overlap' };
}

// Index of the bucket holding the observation of 1-based rank r.
function bucketOfRank(histogram: Histogram, rank: number): number {
  const index = histogram.counts.findIndex((cumulative) => cumulative >= rank);
  return index === -1 ? histogram.counts.length - 1 : index;
}

function lowerEdge(histogram: Histogram, rank: number): number {
  // The first bucket whose cumulative count reaches the rank holds it, so it is never an empty one.
  const i = bucketOfRank(histogram, rank);
  if (i > 0) return histogram.bounds[i - 1] ?? Number.NEGATIVE_INFINITY;
  const first = histogram.bounds[0] ?? 0;
  // Prometheus's convention: the first bucket starts at 0 unless its bound is not positive.
  return first > 0 ? 0 : Number.NEGATIVE_INFINITY;
}

function upperEdge(histogram: Histogram, rank: number): number {
  return histogram.bounds[bucketOfRank(histogram, rank)] ?? Number.POSITIVE_INFINITY;
}
