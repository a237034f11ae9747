import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jensenShannon, psi } from './divergence';
import { alignHistograms, classDrift, histogramDrift } from './drift';
import { ksBucketed } from './ks';
import type { Histogram } from './types';

const INF = Number.POSITIVE_INFINITY;
const settings = { psiEpsilon: 1e-4, minimum: 100 };

describe('psi', () => {
  it('matches a hand calculation: a = (.1, .2, .7), e = (.2, .2, .6)', () => {
    // −0.1·ln(0.5) + 0 + 0.1·ln(7/6) = 0.0693147 + 0.0154151 = 0.08472978603872036 (numpy, same formula).
    expect(psi([10, 20, 70], [20, 20, 60], 1e-4)).toBeCloseTo(0.08472978603872036, 14);
  });

  it('substitutes epsilon = 1e-4 for an empty bin, as Evidently does (numpy reference 1.5753819804560047)', () => {
    expect(psi([0, 30, 70], [20, 20, 60], 1e-4)).toBeCloseTo(1.5753819804560047, 12);
  });

  it('is non-negative, zero for identical shapes and symmetric', () => {
    const bins = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(bins, bins, fc.integer({ min: 1, max: 9 }), (a, b, k) => {
        const e = b.slice(0, a.length).concat(Array(Math.max(0, a.length - b.length)).fill(1));
        expect(psi(a, e, 1e-4)).toBeGreaterThanOrEqual(0);
        expect(psi(a, e, 1e-4)).toBeCloseTo(psi(e, a, 1e-4), 12);
        expect(
          psi(
            a,
            a.map((x) => x * k),
            1e-4,
          ),
        ).toBeCloseTo(0, 12);
      }),
    );
  });
});

describe('jensenShannon', () => {
  // scipy.spatial.distance.jensenshannon(p, q, base=2) returns the distance; its square is the divergence.
  it('matches scipy: ([1, 0], [.5, .5]) has distance 0.5579230452841438', () => {
    expect(jensenShannon([1, 0], [0.5, 0.5]).distance).toBeCloseTo(0.5579230452841438, 12);
  });

  it('matches scipy on counts: ([10, 20, 70], [20, 20, 60]) has divergence 0.015032781036625018', () => {
    expect(jensenShannon([10, 20, 70], [20, 20, 60]).divergence).toBeCloseTo(0.015032781036625018, 14);
    expect(jensenShannon([0, 30, 70], [20, 20, 60]).distance).toBeCloseTo(0.3317220335327928, 12);
  });

  it('is 1 bit for disjoint supports and stays in [0, 1], symmetric', () => {
    expect(jensenShannon([1, 0, 0], [0, 1, 0]).divergence).toBe(1);
    const bins = fc.array(fc.nat(1000), { minLength: 3, maxLength: 3 }).filter((x) => x.some((v) => v > 0));
    fc.assert(
      fc.property(bins, bins, (a, b) => {
        const { divergence } = jensenShannon(a, b);
        expect(divergence).toBeGreaterThanOrEqual(0);
        expect(divergence).toBeLessThanOrEqual(1);
        expect(divergence).toBeCloseTo(jensenShannon(b, a).divergence, 14);
      }),
    );
  });
});

const bucketed = (values: number[], bounds: number[]): Histogram => ({
  bounds: [...bounds, INF],
  counts: [...bounds, INF].map((b) => values.filter((v) => v <= b).length),
});

function rawKs(x: number[], y: number[]): number {
  const points = [...x, ...y];
  return Math.max(...points.map((t) => Math.abs(x.filter((v) => v <= t).length / x.length - y.filter((v) => v <= t).length / y.length)));
}

describe('ksBucketed', () => {
  it('equals scipy ks_2samp D when the data sit on bucket edges, p from kstwobign', () => {
    // x: 30×0.1, 50×0.2, 80×0.5, 30×1.0, 10×2.0; y: 50, 60, 60, 20, 10 at the same points. scipy.stats.ks_2samp
    // gives D = 0.15; kstwobign.sf(√(200·200/400)·0.15) = 0.02221796261652509. (ks_2samp's own asymptotic
    // p-value, 0.0198, uses a finite-n correction we do not apply.)
    const bounds = [0.1, 0.2, 0.5, 1];
    const x: Histogram = { bounds: [...bounds, INF], counts: [30, 80, 160, 190, 200] };
    const y: Histogram = { bounds: [...bounds, INF], counts: [50, 110, 170, 190, 200] };
    const ks = ksBucketed(x, y);
    expect(ks?.statistic).toBeCloseTo(0.15, 12);
    expect(ks?.effectiveN).toBe(100);
    expect(ks?.pValue).toBeCloseTo(0.02221796261652509, 12);
  });

  it('never exceeds the KS statistic of the raw data, so bucketing only makes it conservative', () => {
    const sample = fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const bounds = [0.1, 0.25, 0.5, 1];
        const d = ksBucketed(bucketed(x, bounds), bucketed(y, bounds))?.statistic ?? 0;
        expect(d).toBeLessThanOrEqual(rawKs(x, y) + 1e-12);
      }),
    );
  });
});

describe('histogramDrift and classDrift', () => {
  it('compares on the bucket edges both histograms share', () => {
    const fine: Histogram = { bounds: [0.1, 0.2, 0.5, 1, INF], counts: [10, 40, 90, 150, 200] };
    const coarse: Histogram = { bounds: [0.2, 1, INF], counts: [30, 120, 200] };
    const [a, b] = alignHistograms(fine, coarse);
    expect(a).toEqual({ bounds: [0.2, 1, INF], counts: [40, 150, 200] });
    expect(b.counts).toEqual([30, 120, 200]);
    const drift = histogramDrift(fine, coarse, settings);
    expect(drift.status === 'ok' && drift.value.ks?.statistic).toBeCloseTo(0.15, 12);
  });

  it('shows no drift for the same distribution at another scale', () => {
    const h: Histogram = { bounds: [0.5, 1, INF], counts: [100, 300, 400] };
    const twice: Histogram = { bounds: [0.5, 1, INF], counts: [200, 600, 800] };
    const drift = histogramDrift(h, twice, settings);
    expect(drift.status === 'ok' && drift.value).toMatchObject({
      psi: 0,
      jensenShannon: { divergence: 0 },
      ks: { statistic: 0, pValue: 1 },
    });
  });

  it('refuses to judge drift on 50 predictions', () => {
    expect(classDrift({ cat: 30, dog: 20 }, { cat: 500, dog: 500 }, settings)).toEqual({
      status: 'insufficient',
      needed: 100,
      have: 50,
      unit: 'predictions per side',
    });
  });

  it('tests class distributions with chi-square over the union of classes', () => {
    // Same table as the scipy chi2_contingency documentation example: χ² = 2.7777…, p = 0.2493522087772962.
    const drift = classDrift({ a: 10, b: 10, c: 20 }, { a: 20, b: 20, c: 20 }, { ...settings, minimum: 40 });
    expect(drift.status === 'ok' && drift.value.chiSquare?.pValue).toBeCloseTo(0.24935220877729619, 12);
    const unseen = classDrift({ a: 100, b: 100 }, { a: 100, b: 90, c: 10 }, settings);
    expect(unseen.status === 'ok' && unseen.value.chiSquare?.degreesOfFreedom).toBe(2);
  });
});
