import { describe, expect, it } from 'vitest';
import { compareVariants } from './compare';
import type { Confusion, Histogram, SliceCounts, VariantWindow } from './types';

const INF = Number.POSITIVE_INFINITY;
const latency = (counts: number[]): Histogram => ({ bounds: [0.05, 0.1, 0.25, 0.5, 1, INF], counts });
const score = (counts: number[]): Histogram => ({ bounds: [0.25, 0.5, 0.75, INF], counts });
const absoluteError = (counts: number[], sum: number): Histogram => ({ bounds: [0.5, 1, 2, INF], counts, sum });
const confusion = (correctA: number, wrongA: number, correctB: number, wrongB: number): Confusion => ({
  classes: ['approve', 'reject'],
  matrix: [
    [correctA, wrongB],
    [wrongA, correctB],
  ],
});
const slice = (requests: number, errors: number, correct: number, wrong: number): SliceCounts => ({
  requests,
  errors,
  confusion: confusion(correct, wrong, correct, wrong),
});

const control: VariantWindow = {
  variant: 'v1',
  weightBasisPoints: 5000,
  requests: 10_000,
  errors: { timeout: 80, internal: 20 },
  latency: latency([2000, 6000, 9000, 9800, 9980, 10_000]),
  score: score([2500, 5000, 7500, 10_000]),
  predictedClasses: { approve: 5000, reject: 5000 },
  confusion: confusion(900, 100, 900, 100),
  absoluteError: absoluteError([400, 700, 1000, 1000], 600),
  events: { purchase: { events: 1000, valueSum: 50_000, valueSumSquares: 2_600_000 } },
  slices: { region: { eu: slice(5000, 50, 450, 50), us: slice(4000, 40, 360, 40), apac: slice(1000, 10, 90, 10) } },
};

// The canary regresses: more errors, lower accuracy, scores shifted up, errors concentrated in the EU slice.
// Its weight and its purchases are control's.
const canary: VariantWindow = {
  ...control,
  variant: 'v2',
  requests: 9_950,
  errors: { timeout: 250, internal: 50 },
  latency: latency([1500, 5000, 8800, 9700, 9930, 9950]),
  score: score([1000, 3000, 6000, 9950]),
  predictedClasses: { approve: 7000, reject: 2950 },
  confusion: confusion(820, 180, 840, 160),
  absoluteError: absoluteError([300, 600, 1000, 1000], 800),
  slices: { region: { eu: slice(5000, 200, 380, 120), us: slice(4000, 45, 355, 45), apac: slice(950, 10, 86, 10) } },
};

describe('compareVariants', () => {
  const comparison = compareVariants({ control: 'v1', variants: [control, canary] }, { sliceCap: 2 });
  const row = comparison.variants.find((v) => v.variant === 'v2');
  const base = comparison.variants.find((v) => v.variant === 'v1');

  it('checks the split: 10,000 / 9,950 against 50/50 is no sample-ratio mismatch', () => {
    expect(comparison.srm.status === 'ok' && comparison.srm.value.mismatch).toBe(false);
    expect(row?.requests).toMatchObject({ count: 9950, expectedShare: 0.5 });
  });

  it('shows the seeded regressions as significant deltas with their methods', () => {
    expect(row?.errorRate.delta).toMatchObject({ significant: true, method: expect.stringContaining('newcombe') });
    expect(row?.errorRate.delta?.value).toBeCloseTo(300 / 9950 - 100 / 10_000, 12);
    expect(row?.accuracy.delta?.significant).toBe(true);
    expect(row?.accuracy.delta?.value).toBeLessThan(0);
    expect(row?.meanAbsoluteError.delta?.significant).toBe(true);
    const drift = row?.drift.vsControl.score;
    expect(drift?.status === 'ok' && drift.value.psi).toBeGreaterThan(0.1);
    const classes = row?.drift.vsControl.classes;
    expect(classes?.status === 'ok' && (classes.value.chiSquare?.pValue ?? 1)).toBeLessThan(1e-6);
  });

  it('reports latency quantiles by name, and the control row carries no deltas', () => {
    expect(Object.keys(row?.latency ?? {})).toEqual(['p50', 'p95', 'p99']);
    expect(row?.latency.p99?.variant.status).toBe('ok');
    expect(base?.isControl).toBe(true);
    expect(base?.errorRate.delta).toBeUndefined();
    expect(base?.drift.vsControl).toEqual({});
  });

  it('tests business events with the always-valid sequential test', () => {
    const purchase = row?.events.purchase;
    expect(purchase?.rate.delta).toMatchObject({ method: 'mSPRT normal mixture (always valid)', significant: false });
    expect(purchase?.value.variant.status === 'ok' && purchase.value.variant.value).toBeCloseTo(50_000 / 9950, 12);
  });

  it('caps slice cardinality visibly and corrects slice p-values with Holm', () => {
    expect(comparison.slices.attributes).toEqual([{ attribute: 'region', seen: 3, kept: ['eu', 'us'], dropped: 1 }]);
    expect(comparison.slices.correction).toBe('holm-bonferroni');
    const eu = comparison.slices.rows.find((r) => r.value === 'eu');
    const us = comparison.slices.rows.find((r) => r.value === 'us');
    expect(eu?.errorRate.delta?.significant).toBe(true);
    expect(us?.errorRate.delta?.significant).toBe(false);
    for (const r of comparison.slices.rows) {
      expect(r.errorRate.delta?.adjustedPValue).toBeGreaterThanOrEqual(r.errorRate.delta?.pValue ?? 1);
    }
  });

  it('compares against a baseline window when one is given', () => {
    const withBaseline = compareVariants({ control: 'v1', variants: [control, canary], baseline: { score: control.score } });
    const drift = withBaseline.variants.find((v) => v.variant === 'v1')?.drift.vsBaseline.score;
    expect(drift?.status === 'ok' && drift.value.psi).toBe(0);
  });

  it('says which figures need more data on a young canary', () => {
    const young: VariantWindow = { variant: 'v3', weightBasisPoints: 100, requests: 60, errors: { timeout: 3 } };
    const result = compareVariants({ control: 'v1', variants: [{ ...control, weightBasisPoints: 9900 }, young] });
    const v3 = result.variants.find((v) => v.variant === 'v3');
    expect(v3?.errorRate.variant).toEqual({ status: 'insufficient', needed: 100, have: 60, unit: 'requests' });
    expect(v3?.errorRate.delta).toBeUndefined();
    expect(v3?.accuracy.variant.status).toBe('insufficient');
    expect(result.srm.status).toBe('ok');
  });

  it('refuses an unknown control variant', () => {
    expect(() => compareVariants({ control: 'nope', variants: [control] })).toThrow(RangeError);
  });
});
