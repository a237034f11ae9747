import type { Histogram } from './types';

/** Total observations of a cumulative histogram (the `+Inf` bucket), 0 for an empty one. */
export function histogramTotal(histogram: Histogram): number {
  return histogram.counts.at(-1) ?? 0;
}

/**
 * Per-bucket (non-cumulative) counts of a cumulative histogram. A count that decreases — possible
 * when windows were summed from inconsistent scrapes — contributes 0, as Prometheus's monotonic envelope does.
 */
export function bucketCounts(histogram: Histogram): number[] {
  const out: number[] = [];
  let previous = 0;
  for (const count of histogram.counts) {
    const cumulative = Math.max(previous, count);
    out.push(cumulative - previous);
    previous = cumulative;
  }
  return out;
}

/** True when two histograms share the same bucket edges, the precondition of every drift measure. */
export function sameBounds(a: Histogram, b: Histogram): boolean {
  return a.bounds.length === b.bounds.length && a.bounds.every((bound, i) => bound === b.bounds[i]);
}

/** Sums histograms with the same edges (e.g. minutes of a window, or models of a variant). */
export function addHistograms(histograms: Histogram[]): Histogram | undefined {
  const [first, ...rest] = histograms;
  if (!first) return undefined;
  const out: Histogram = { bounds: [...first.bounds], counts: [...first.counts] };
  let sum = first.sum;
  for (const h of rest) {
    if (!sameBounds(first, h)) throw new RangeError('histograms with different bucket edges cannot be added');
    h.counts.forEach((c, i) => {
      out.counts[i] = (out.counts[i] ?? 0) + c;
    });
    sum = sum === undefined || h.sum === undefined ? undefined : sum + h.sum;
  }
  if (sum !== undefined) out.sum = sum;
  return out;
}
