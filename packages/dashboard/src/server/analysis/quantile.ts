import type { Histogram } from './types';

interface Bucket {
  upper: number;
  count: number;
}

/**
 * The q-quantile of a cumulative histogram with exactly the rules of PromQL's `histogram_quantile`
 * for classic histograms (prometheus/prometheus promql/quantile.go, `bucketQuantile`):
 * - linear interpolation inside the bucket holding rank q·total;
 * - the first bucket's lower edge is 0 when its upper bound is positive; when that bound is ≤ 0 the
 *   bound itself is returned;
 * - a rank in the `+Inf` bucket returns the highest finite bound;
 * - NaN for NaN q, no `+Inf` bucket, fewer than 2 buckets or no observations; −Inf for q < 0, +Inf for q > 1;
 * - buckets are sorted, equal bounds merged, float noise (relative 1e-12) smoothed and counts forced
 *   monotonic before the search, as Prometheus does.
 */
export function histogramQuantile(q: number, histogram: Histogram): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = histogram.bounds.map((upper, i) => ({ upper, count: histogram.counts[i] ?? 0 })).sort((a, b) => a.upper - b.upper);
  if (sorted.at(-1)?.upper !== Number.POSITIVE_INFINITY) return Number.NaN;
  const buckets = monotonic(coalesce(sorted));
  if (buckets.length < 2) return Number.NaN;
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;

  let rank = q * total;
  const last = buckets.length - 1;
  let b = buckets.findIndex((bucket, i) => i < last && bucket.count >= rank);
  if (b === -1) b = last;
  const at = (i: number): Bucket => buckets[i] as Bucket;
  if (b === last) return at(last - 1).upper;
  if (b === 0 && at(0).upper <= 0) return at(0).upper;
  let start = 0;
  let count = at(b).count;
  if (b > 0) {
    start = at(b - 1).upper;
    count -= at(b - 1).count;
    rank -= at(b - 1).count;
  }
  return start + (at(b).upper - start) * (rank / count);
}

// Buckets with the same bound (e.g. le="0.2" and le="2e-1") are one bucket: their counts add.
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const bucket of sorted) {
    const previous = out.at(-1);
    if (previous && previous.upper === bucket.upper) previous.count += bucket.count;
    else out.push({ ...bucket });
  }
  return out;
}

// Prometheus first treats a relative difference ≤ 1e-12 as float noise, then takes the monotonic envelope.
function monotonic(buckets: Bucket[]): Bucket[] {
  let previous = buckets[0]?.count ?? 0;
  for (let i = 1; i < buckets.length; i++) {
    const bucket = buckets[i] as Bucket;
    const delta = Math.abs(bucket.count - previous);
    if (delta === 0) continue;
    if (delta / bucket.count <= 1e-12) bucket.count = previous;
    else previous = bucket.count;
  }
  let max = buckets[0]?.count ?? 0;
  for (const bucket of buckets) {
    if (bucket.count > max) max = bucket.count;
    else bucket.count = max;
  }
  return buckets;
}
