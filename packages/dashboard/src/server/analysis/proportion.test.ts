import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pooledZTest, proportionDelta, proportionFigure, wilsonInterval } from './proportion';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857, Table I,
  // method 3 (Wilson score); the same digits from scipy binomtest(k, n).proportion_ci(0.95, 'wilson').
  it.each([
    [81, 263, 0.2552885198782742, 0.36620957698280004],
    [15, 148, 0.06238639953073629, 0.16048724172330803],
    [0, 20, 0, 0.16112515805281935],
    [1, 29, 0.006113214292762667, 0.17175521879320282],
    [29, 29, 0.8830302015002592, 1],
  ])('%d/%d gives the published interval', (k, n, lower, upper) => {
    const interval = wilsonInterval(k, n, 0.05);
    expect(interval.lower).toBeCloseTo(lower, 12);
    expect(interval.upper).toBeCloseTo(upper, 12);
    expect(interval.level).toBe(0.95);
  });

  it('contains the observed proportion and stays inside [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.round(n * share);
        const { lower, upper } = wilsonInterval(k, n, 0.05);
        expect(lower).toBeGreaterThanOrEqual(0);
        expect(upper).toBeLessThanOrEqual(1);
        expect(lower).toBeLessThanOrEqual(k / n + 1e-12);
        expect(upper).toBeGreaterThanOrEqual(k / n - 1e-12);
      }),
    );
  });
});

describe('proportionDelta', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // Stat Med 17:873, Table II, method 10 (hybrid score), examples (a)–(h) as published to 4 places.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ])('%d/%d − %d/%d has Newcombe’s hybrid score interval', (a, m, b, n, lower, upper) => {
    const delta = proportionDelta({ successes: a, trials: m }, { successes: b, trials: n }, 0.05);
    expect(delta?.interval?.lower).toBeCloseTo(lower, 4);
    expect(delta?.interval?.upper).toBeCloseTo(upper, 4);
  });

  it('p-value is the pooled z-test: 56/70 vs 48/80 gives χ² = 7.0234, p = 0.0080451 (scipy chi2_contingency, correction=False)', () => {
    const delta = proportionDelta({ successes: 56, trials: 70 }, { successes: 48, trials: 80 }, 0.05);
    expect(delta?.value).toBeCloseTo(0.2, 12);
    expect(delta?.pValue).toBeCloseTo(0.008045081368196585, 12);
    expect(delta?.significant).toBe(true);
  });

  it('identical all-zero samples are not different (p = 1)', () => {
    expect(pooledZTest({ successes: 0, trials: 500 }, { successes: 0, trials: 800 })).toBe(1);
  });
});

describe('proportionFigure', () => {
  it('says how many more requests it needs instead of a rate from 40 requests', () => {
    expect(proportionFigure({ successes: 2, trials: 40 }, 0.05, 100)).toEqual({
      status: 'insufficient',
      needed: 100,
      have: 40,
      unit: 'requests',
    });
  });

  it('reports the rate with its Wilson interval once there is enough data', () => {
    const figure = proportionFigure({ successes: 15, trials: 148 }, 0.05, 100);
    expect(figure.status).toBe('ok');
    if (figure.status === 'ok') {
      expect(figure.value).toBeCloseTo(15 / 148, 15);
      expect(figure.interval?.lower).toBeCloseTo(0.06238639953073629, 12);
      expect(figure.n).toBe(148);
    }
  });
});
