import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit, chiSquareHomogeneity } from './chi-square';
import { sampleRatioMismatch } from './srm';

describe('chiSquareHomogeneity', () => {
  it('matches the scipy.stats.chi2_contingency documentation example [[10, 10, 20], [20, 20, 20]]', () => {
    // Documented result: statistic 2.7777777777777777, p 0.24935220877729619, dof 2.
    const test = chiSquareHomogeneity([
      [10, 10, 20],
      [20, 20, 20],
    ]);
    expect(test?.statistic).toBeCloseTo(2.7777777777777777, 12);
    expect(test?.degreesOfFreedom).toBe(2);
    expect(test?.pValue).toBeCloseTo(0.24935220877729619, 12);
  });

  it('drops classes absent from both samples before counting degrees of freedom', () => {
    const test = chiSquareHomogeneity([
      [10, 10, 0, 20],
      [20, 20, 0, 20],
    ]);
    expect(test?.degreesOfFreedom).toBe(2);
    expect(test?.statistic).toBeCloseTo(2.7777777777777777, 12);
  });

  it('gives a p-value in [0, 1] and 1 for proportional rows', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), (row, k) => {
        const test = chiSquareHomogeneity([row, row.map((x) => x * k)]);
        expect(test?.statistic).toBeCloseTo(0, 9);
        expect(test?.pValue).toBeCloseTo(1, 9);
      }),
    );
  });
});

describe('chiSquareGoodnessOfFit', () => {
  // scipy.stats.chisquare documentation examples.
  it('uniform expectation: [16, 18, 16, 14, 12, 12] → χ² = 2, p = 0.84914503608460956', () => {
    const test = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [1, 1, 1, 1, 1, 1]);
    expect(test?.statistic).toBeCloseTo(2, 12);
    expect(test?.pValue).toBeCloseTo(0.84914503608460956, 12);
  });

  it('given expectation [16, 16, 16, 16, 16, 8] → χ² = 3.5, p = 0.62338762774958223', () => {
    const test = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expect(test?.statistic).toBeCloseTo(3.5, 12);
    expect(test?.pValue).toBeCloseTo(0.62338762774958223, 12);
  });
});

describe('sampleRatioMismatch', () => {
  it('flags a 50/50 split that delivered 5,200 / 4,800 (χ² = 16, p = 6.3e-5 < 0.001)', () => {
    // Hand check: expected 5,000 each; χ² = 200²/5000 · 2 = 16; P(χ²₁ > 16) = erfc(√8) = 6.334248366623988e-5 (scipy chi2.sf(16, 1)).
    const srm = sampleRatioMismatch(
      [
        { variant: 'control', count: 5200, weightBasisPoints: 5000 },
        { variant: 'canary', count: 4800, weightBasisPoints: 5000 },
      ],
      0.001,
      5,
    );
    expect(srm.status).toBe('ok');
    if (srm.status === 'ok') {
      expect(srm.value.statistic).toBeCloseTo(16, 12);
      expect(srm.value.pValue).toBeCloseTo(6.334248366623988e-5, 15);
      expect(srm.value.mismatch).toBe(true);
      expect(srm.value.expectedShares.canary).toBe(0.5);
    }
  });

  it('does not flag a 90/10 canary that delivered 9,030 / 970 (χ² = 1, p = 0.3173)', () => {
    // Expected 9,000 / 1,000: χ² = 30²/9000 + 30²/1000 = 0.1 + 0.9 = 1; P(χ²₁ > 1) = 0.31731050786291115.
    const srm = sampleRatioMismatch(
      [
        { variant: 'stable', count: 9030, weightBasisPoints: 9000 },
        { variant: 'canary', count: 970, weightBasisPoints: 1000 },
      ],
      0.001,
      5,
    );
    expect(srm.status === 'ok' && srm.value.mismatch).toBe(false);
    expect(srm.status === 'ok' && srm.value.pValue).toBeCloseTo(0.31731050786291115, 12);
  });

  it('treats traffic to a 0-weight arm as a mismatch at any size', () => {
    const srm = sampleRatioMismatch(
      [
        { variant: 'on', count: 1000, weightBasisPoints: 10000 },
        { variant: 'off', count: 3, weightBasisPoints: 0 },
      ],
      0.001,
      5,
    );
    expect(srm.status === 'ok' && srm.value).toMatchObject({ pValue: 0, mismatch: true });
  });

  it('waits until the smallest arm expects 5 assignments (a 1% canary needs 500)', () => {
    const srm = sampleRatioMismatch(
      [
        { variant: 'stable', count: 300, weightBasisPoints: 9900 },
        { variant: 'canary', count: 1, weightBasisPoints: 100 },
      ],
      0.001,
      5,
    );
    expect(srm).toEqual({ status: 'insufficient', needed: 500, have: 301, unit: 'assignments' });
  });
});
