import { histogramTotal } from './histogram';
import { kolmogorovSf } from './kolmogorov';
import type { Histogram } from './types';

/** Two-sample Kolmogorov–Smirnov result on bucketed data. */
export interface KolmogorovSmirnov {
  /** Largest gap between the two empirical CDFs, read at the shared bucket edges. */
  statistic: number;
  /** Asymptotic two-sided p-value. */
  pValue: number;
  /** n·m / (n + m). */
  effectiveN: number;
}

/**
 * Two-sample KS on two cumulative histograms with the same edges. The empirical CDFs are known only at the
 * edges, so D is the maximum gap there — never larger than the gap on the raw data — and the p-value,
 * P(K > √(nm/(n+m))·D) from the Kolmogorov limiting distribution (scipy.stats.kstwobign), is therefore
 * conservative: bucketing can hide a shift, never invent one. Ties make the asymptotic law conservative too.
 */
export function ksBucketed(current: Histogram, reference: Histogram): KolmogorovSmirnov | undefined {
  const n = histogramTotal(current);
  const m = histogramTotal(reference);
  if (n <= 0 || m <= 0) return undefined;
  let statistic = 0;
  current.counts.forEach((count, i) => {
    const gap = Math.abs(count / n - (reference.counts[i] ?? 0) / m);
    if (gap > statistic) statistic = gap;
  });
  const effectiveN = (n * m) / (n + m);
  return { statistic, pValue: kolmogorovSf(Math.sqrt(effectiveN) * statistic), effectiveN };
}
