import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareSf } from './chi-square';
import { logGamma, regularizedGammaP, regularizedGammaQ } from './gamma';
import { kolmogorovSf } from './kolmogorov';
import { normalCdf, normalQuantile, twoSidedP } from './normal';

// Reference values computed with scipy 1.17.1 (scipy.special.gammainc / gammaincc, scipy.stats.chi2.sf,
// scipy.stats.norm, scipy.stats.kstwobign.sf), printed with repr().
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('incomplete gamma', () => {
  it.each([
    [0.5, 0.1, 0.34527915398142317],
    [1, 1, 0.6321205588285577],
    [3, 2, 0.32332358381693654],
    [100, 90, 0.15822098918643007],
    [5, 0.01, 8.264185641806515e-13],
  ])('P(%d, %d) matches scipy gammainc', (a, x, expected) => {
    expect(relative(regularizedGammaP(a, x), expected)).toBeLessThan(1e-12);
  });

  it.each([
    [10, 20, 0.0049954123083075785],
    [0.5, 25, 1.537459794428033e-12],
    [50, 80, 0.0001307839765914092],
    [2.5, 1.5, 0.6999858358786276],
  ])('Q(%d, %d) matches scipy gammaincc, small tails included', (a, x, expected) => {
    expect(relative(regularizedGammaQ(a, x), expected)).toBeLessThan(1e-12);
  });

  it('ln Γ matches factorials: Γ(n) = (n−1)!, Γ(1/2) = √π', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 9); // ln(170!) from the Stirling series, also scipy gammaln(171)
  });

  it('P + Q = 1 and P rises with x', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 200, noNaN: true }), fc.double({ min: 0, max: 400, noNaN: true }), (a, x) => {
        const p = regularizedGammaP(a, x);
        expect(p + regularizedGammaQ(a, x)).toBeCloseTo(1, 12);
        expect(regularizedGammaP(a, x * 1.1 + 0.01)).toBeGreaterThanOrEqual(p - 1e-15);
      }),
    );
  });

  it('rejects arguments outside the domain with NaN instead of throwing', () => {
    expect(regularizedGammaP(-1, 1)).toBeNaN();
    expect(regularizedGammaQ(1, -1)).toBeNaN();
  });
});

describe('chi-square upper tail', () => {
  it.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [10, 3, 0.01856613546304325],
    [100, 80, 0.064570368921133],
    [1e-3, 2, 0.9995001249791693],
    [250, 200, 0.009379131668826098],
  ])('sf(%d, df %d) matches scipy chi2.sf', (x, df, expected) => {
    expect(relative(chiSquareSf(x, df), expected)).toBeLessThan(1e-11);
  });
});

describe('normal distribution', () => {
  it('quantiles match scipy norm.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 13);
    expect(relative(normalQuantile(1e-10), -6.361340902404056)).toBeLessThan(1e-12);
  });

  it('the far tail keeps its digits (norm.cdf(−8) = 6.22096057427174e-16)', () => {
    expect(relative(normalCdf(-8), 6.22096057427174e-16)).toBeLessThan(1e-10);
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
  });

  it('quantile inverts the CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        expect(relative(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('Kolmogorov distribution', () => {
  it.each([
    [0.2, 0.999999999999495],
    [0.5, 0.9639452436648751],
    [1.0, 0.26999967167735456],
    [1.36, 0.049485876755377876],
    [2.0, 0.0006709252557796953],
  ])('sf(%d) matches scipy kstwobign.sf', (lambda, expected) => {
    expect(relative(kolmogorovSf(lambda), expected)).toBeLessThan(1e-10);
  });

  it('is continuous where the two series meet (λ = 1)', () => {
    expect(Math.abs(kolmogorovSf(1 - 1e-9) - kolmogorovSf(1 + 1e-9))).toBeLessThan(1e-8);
  });
});
