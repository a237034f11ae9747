import { describe, expect, it } from 'vitest';
import { seeded } from '@/test/seeded';
import { pooledZTest } from './proportion';
import { type MeanSummary, mixingRho2, mixtureSequentialTest } from './sequential';

const settings = { alpha: 0.05, tuning: 5000, minimum: 100 };
const bernoulli = (successes: number, n: number): MeanSummary => {
  const p = successes / n;
  return { n, mean: p, variance: p * (1 - p) };
};

describe('mixtureSequentialTest', () => {
  it('reproduces GrowthBook’s Gaussian-mixture confidence sequence (α 0.05, tuning 5,000)', () => {
    // Reference computed in Python from GrowthBook gbstats' published formulas (Waudby-Smith et al. 2023,
    // eqs. 155 and 161): ρ² = (−2 ln α + ln(1 − 2 ln α))/N*, half-width √s²·√(2(nρ²+1)·ln(√(nρ²+1)/α)/(nρ)²),
    // p = exp(−(ρ²t²/(2(nρ²+1)) − ½ ln(nρ²+1))), with s² = V·n, n = 20,000 and t² = Δ²n/V.
    // 1,100/10,000 vs 1,000/10,000: a fixed-horizon z-test would say p = 0.0211; the always-valid p is 0.434.
    expect(mixingRho2(0.05, 5000)).toBeCloseTo(0.0015872309203475133, 15);
    const result = mixtureSequentialTest(bernoulli(1100, 10_000), bernoulli(1000, 10_000), settings);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.value.estimate).toBeCloseTo(0.01, 14);
    expect(result.value.confidenceSequence.upper - result.value.estimate).toBeCloseTo(0.013555237271372596, 12);
    expect(result.value.pValue).toBeCloseTo(0.433720213425706, 10);
    expect(result.value.significant).toBe(false);
  });

  it('detects a real lift: 15% vs 10% on 2,000 requests each', () => {
    const result = mixtureSequentialTest(bernoulli(300, 2000), bernoulli(200, 2000), settings);
    expect(result.status === 'ok' && result.value.significant).toBe(true);
    expect(result.status === 'ok' && result.value.confidenceSequence.lower).toBeGreaterThan(0);
  });

  it('keeps the p-value non-increasing and the sequence nested when given the previous look', () => {
    const first = mixtureSequentialTest(bernoulli(300, 2000), bernoulli(200, 2000), settings);
    if (first.status !== 'ok') throw new Error('expected a result');
    const next = mixtureSequentialTest(bernoulli(310, 2100), bernoulli(230, 2100), { ...settings, previous: first.value });
    if (next.status !== 'ok') throw new Error('expected a result');
    expect(next.value.pValue).toBeLessThanOrEqual(first.value.pValue);
    expect(next.value.confidenceSequence.lower).toBeGreaterThanOrEqual(first.value.confidenceSequence.lower);
    expect(next.value.confidenceSequence.upper).toBeLessThanOrEqual(first.value.confidenceSequence.upper);
  });

  it('keeps the current sequence when it is disjoint from the previous one, never an empty interval', () => {
    const previous = { pValue: 0.5, confidenceSequence: { lower: 0.3, upper: 0.4, level: 0.95 } };
    const next = mixtureSequentialTest(bernoulli(300, 2000), bernoulli(200, 2000), { ...settings, previous });
    if (next.status !== 'ok') throw new Error('expected a result');
    expect(next.value.confidenceSequence.lower).toBeLessThan(next.value.estimate);
    expect(next.value.confidenceSequence.upper).toBeGreaterThan(next.value.estimate);
    expect(next.value.confidenceSequence.upper).toBeLessThan(0.3);
  });

  it('waits for 100 requests per arm', () => {
    expect(mixtureSequentialTest(bernoulli(5, 50), bernoulli(10, 500), settings)).toEqual({
      status: 'insufficient',
      needed: 100,
      have: 50,
      unit: 'units per arm',
    });
  });
});

describe('peeking on A/A traffic', () => {
  it('keeps the always-valid false-alarm rate ≤ α while a naive z-test peeked every step exceeds it', () => {
    const random = seeded(20240611);
    const runs = 1000;
    const perArm = 2000;
    const every = 20;
    const rate = 0.1;
    let sequentialAlarms = 0;
    let naiveAlarms = 0;
    for (let run = 0; run < runs; run++) {
      let a = 0;
      let b = 0;
      let sequentialFired = false;
      let naiveFired = false;
      for (let n = 1; n <= perArm; n++) {
        if (random() < rate) a++;
        if (random() < rate) b++;
        if (n < settings.minimum || n % every !== 0) continue;
        const test = mixtureSequentialTest(bernoulli(a, n), bernoulli(b, n), settings);
        if (test.status === 'ok' && test.value.significant) sequentialFired = true;
        if (pooledZTest({ successes: a, trials: n }, { successes: b, trials: n }) < settings.alpha) naiveFired = true;
      }
      if (sequentialFired) sequentialAlarms++;
      if (naiveFired) naiveAlarms++;
    }
    // Monte-Carlo tolerance: 3 standard errors of a 5% rate over 1,000 runs, √(0.05·0.95/1000) ≈ 0.0069.
    const tolerance = 3 * Math.sqrt((0.05 * 0.95) / runs);
    expect(sequentialAlarms / runs).toBeLessThanOrEqual(0.05 + tolerance);
    expect(naiveAlarms / runs).toBeGreaterThan(0.05 + tolerance);
  });
});
