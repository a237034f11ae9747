import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from './quantile';
import type { Histogram } from './types';

// Expected values from Prometheus's own PromQL test suite,
// prometheus/prometheus promql/promqltest/testdata/histograms.test (classic `_bucket` cases; rates
// scale every bucket alike, so the counts below are the loaded series at 50m divided by 10).
const h = (bounds: number[], counts: number[]): Histogram => ({ bounds: [...bounds, Number.POSITIVE_INFINITY], counts });
const positive = h([0.1, 0.2, 1], [5, 7, 11, 12]);
const negative = h([-0.2, -0.1, 0.3], [1, 2, 2, 3]);
const middle = h([0, 2, 4, 6], [0, 1, 2, 3, 3]);
const positive3 = h([0, 0.1, 0.2, 1], [0, 5, 7, 11, 11]);
const negative3 = h([-0.25, -0.2, -0.1, 0.3], [0, 1, 2, 2, 2]);

describe('histogramQuantile follows PromQL histogram_quantile', () => {
  it.each([
    ['positive', positive, 0, 0],
    ['positive', positive, 0.2, 0.048],
    ['positive', positive, 0.5, 0.15],
    ['positive', positive, 0.8, 0.72],
    ['positive (rank in +Inf → highest finite bound)', positive, 1, 1],
    ['negative (first bound ≤ 0 is returned as is)', negative, 0, -0.2],
    ['negative', negative, 0.2, -0.2],
    ['negative', negative, 0.5, -0.15],
    ['negative', negative, 0.8, 0.3],
    ['negative', negative, 1, 0.3],
    ['mid-bucket', middle, 1 / 6, 1],
    ['mid-bucket', middle, 0.5, 3],
    ['mid-bucket', middle, 5 / 6, 5],
    ['testhistogram3 positive', positive3, 0, 0],
    ['testhistogram3 positive', positive3, 0.25, 0.055],
    ['testhistogram3 positive', positive3, 0.5, 0.125],
    ['testhistogram3 positive', positive3, 0.75, 0.45],
    ['testhistogram3 positive', positive3, 1, 1],
    ['testhistogram3 negative', negative3, 0, -0.25],
    ['testhistogram3 negative', negative3, 0.25, -0.225],
    ['testhistogram3 negative', negative3, 0.5, -0.2],
    ['testhistogram3 negative', negative3, 0.75, -0.15],
    ['testhistogram3 negative', negative3, 1, -0.1],
  ])('%s: q=%d', (_name, histogram, q, expected) => {
    expect(histogramQuantile(q, histogram)).toBeCloseTo(expected, 12);
  });

  it('aggregated request_duration_seconds (sum by le of four series): q0.3 = 0.075, q0.5 = 0.12777…', () => {
    const all = h([0.1, 0.2], [10, 19, 25]);
    expect(histogramQuantile(0.3, all)).toBeCloseTo(0.075, 12);
    expect(histogramQuantile(0.5, all)).toBeCloseTo(0.1277777777777778, 12);
  });

  it('equal bounds written differently (le="0.2", "2e-1", "2.0e-1") are one bucket whose counts add', () => {
    const mixed = h([0.1, 0.2, 0.2, 0.2], [1, 1, 1, 1, 4]);
    expect(histogramQuantile(0.5, mixed)).toBeCloseTo(0.15, 12);
    expect(histogramQuantile(0.75, mixed)).toBeCloseTo(0.2, 12);
    expect(histogramQuantile(1, mixed)).toBeCloseTo(0.2, 12);
  });

  it('non-monotonic counts are forced monotonic: 0.0045, 8.5, 979.75', () => {
    const nonmonotonic = h([0.1, 1, 10, 100, 1000], [2, 1, 5, 4, 9, 8]);
    expect(histogramQuantile(0.01, nonmonotonic)).toBeCloseTo(0.0045, 12);
    expect(histogramQuantile(0.5, nonmonotonic)).toBeCloseTo(8.5, 12);
    expect(histogramQuantile(0.99, nonmonotonic)).toBeCloseTo(979.75, 12);
  });

  it('out-of-range and degenerate inputs give what Prometheus gives', () => {
    expect(histogramQuantile(-0.1, positive)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.01, positive)).toBe(Number.POSITIVE_INFINITY);
    expect(histogramQuantile(Number.NaN, positive)).toBeNaN();
    expect(histogramQuantile(0.2, h([0.1, 0.2], [0, 0, 0]))).toBeNaN();
    expect(histogramQuantile(0.5, { bounds: [0.1, 0.2], counts: [1, 2] })).toBeNaN();
    expect(histogramQuantile(0.5, { bounds: [Number.POSITIVE_INFINITY], counts: [3] })).toBeNaN();
  });

  it('sorts buckets given out of order', () => {
    const shuffled: Histogram = { bounds: [1, Number.POSITIVE_INFINITY, 0.1, 0.2], counts: [11, 12, 5, 7] };
    expect(histogramQuantile(0.8, shuffled)).toBeCloseTo(0.72, 12);
  });
});

const histograms = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 12 }),
    fc.array(fc.nat(1000), { minLength: 13, maxLength: 13 }),
  )
  .map(([edges, increments]) => {
    const bounds = [...edges].sort((a, b) => a - b).map((e) => e / 1000);
    let running = 0;
    const counts = [...bounds, Number.POSITIVE_INFINITY].map((_, i) => (running += increments[i] ?? 0));
    return h(bounds, counts);
  })
  .filter((histogram) => (histogram.counts.at(-1) ?? 0) > 0);

describe('histogramQuantile properties', () => {
  // q = 0 over an empty first bucket is 0/0 in Prometheus's own interpolation too (NaN, found by this
  // property with seed -87545554); the figures use q > 0, so the property does as well.
  it('is non-decreasing in q and stays within [0, highest finite bound]', () => {
    const q = fc.double({ min: 1e-9, max: 1, noNaN: true });
    fc.assert(
      fc.property(histograms, q, q, (histogram, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const top = histogram.bounds.at(-2) ?? 0;
        const x = histogramQuantile(lo, histogram);
        const y = histogramQuantile(hi, histogram);
        expect(x).toBeLessThanOrEqual(y + 1e-12);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(top + 1e-12);
      }),
    );
  });
});
