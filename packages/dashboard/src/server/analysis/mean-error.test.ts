import { describe, expect, it } from 'vitest';
import { quantileDelta, quantileFigure } from './latency';
import { meanAbsoluteError, meanDelta, meanEstimate } from './mean-error';
import type { Histogram } from './types';

const INF = Number.POSITIVE_INFINITY;
// 40 errors ≤ 0.5, 30 in (0.5, 1], 30 in (1, 2], none above.
const errors: Histogram = { bounds: [0.5, 1, 2, INF], counts: [40, 70, 100, 100], sum: 60 };

describe('meanAbsoluteError', () => {
  it('uses _sum / _count when the sum was recorded', () => {
    const figure = meanAbsoluteError(errors, 0.05, 30);
    expect(figure.status === 'ok' && figure.value).toBe(0.6);
    // Midpoints 0.25, 0.75, 1.5 → grouped mean 0.775, variance (40·0.525² + 30·0.025² + 30·0.725²)/99 = 26.8125/99;
    // half-width 1.959963984540054 · √(26.8125/99/100) = 0.10200.
    const half = 1.959963984540054 * Math.sqrt(26.8125 / 99 / 100);
    expect(figure.status === 'ok' && figure.interval?.lower).toBeCloseTo(0.6 - half, 12);
    expect(figure.status === 'ok' && figure.note).toBeUndefined();
  });

  it('falls back to bucket midpoints and says so', () => {
    const { sum: _, ...withoutSum } = errors;
    const figure = meanAbsoluteError(withoutSum, 0.05, 30);
    expect(figure.status === 'ok' && figure.value).toBeCloseTo(0.775, 14);
    expect(figure.status === 'ok' && figure.note).toBe('mean from bucket midpoints');
  });

  it('gives no interval when errors fell above the highest finite bucket', () => {
    const open: Histogram = { bounds: [0.5, 1, INF], counts: [40, 70, 100], sum: 90 };
    const figure = meanAbsoluteError(open, 0.05, 30);
    expect(figure.status === 'ok' && figure.interval).toBeUndefined();
    expect(meanEstimate(open)?.variance).toBeUndefined();
  });

  it('tests variant − control means with a two-sample z', () => {
    const worse: Histogram = { ...errors, sum: 80 };
    const delta = meanDelta(worse, errors, 0.05);
    expect(delta?.value).toBeCloseTo(0.2, 14);
    // z = 0.2 / √(2 · 26.8125/99/100) = 2.71746488194703; two-sided p = 0.006578413612826367 (2·scipy norm.sf(z)).
    expect(delta?.pValue).toBeCloseTo(0.006578413612826367, 12);
    expect(delta?.significant).toBe(true);
  });
});

describe('quantileFigure', () => {
  const latency: Histogram = { bounds: [0.05, 0.1, 0.25, 0.5, 1, INF], counts: [200, 600, 900, 980, 998, 1000] };

  it('needs ten observations beyond the quantile: p99 wants 1,000, p50 only 20', () => {
    const small: Histogram = { bounds: [0.1, INF], counts: [300, 400] };
    expect(quantileFigure(0.99, small, 0.05, 10)).toEqual({ status: 'insufficient', needed: 1000, have: 400, unit: 'observations' });
    expect(quantileFigure(0.5, small, 0.05, 10).status).toBe('ok');
  });

  it('brackets the median between the edges of the buckets holding ranks 500 ∓ 1.96·√250', () => {
    // Ranks ⌊500 − 30.99⌋ = 469 and ⌈500 + 30.99⌉ = 531 both fall in (0.05, 0.1]; median 0.05 + 0.05·300/400 = 0.0875.
    const figure = quantileFigure(0.5, latency, 0.05, 10);
    expect(figure.status === 'ok' && figure.value).toBeCloseTo(0.0875, 14);
    expect(figure.status === 'ok' && figure.interval).toMatchObject({ lower: 0.05, upper: 0.1 });
  });

  it('calls a latency change significant only when the intervals are apart', () => {
    const slower: Histogram = { bounds: latency.bounds, counts: [50, 150, 300, 950, 995, 1000] };
    const delta = quantileDelta(quantileFigure(0.5, slower, 0.05, 10), quantileFigure(0.5, latency, 0.05, 10));
    expect(delta?.significant).toBe(true);
    expect(delta?.value).toBeGreaterThan(0);
    const same = quantileDelta(quantileFigure(0.5, latency, 0.05, 10), quantileFigure(0.5, latency, 0.05, 10));
    expect(same?.significant).toBe(false);
  });
});
