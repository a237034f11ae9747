import { describe, expect, it } from 'vitest';
import { compareEvent, eventValueFigure } from './business';

// 1,000 requests per arm. Variant: 80 purchases of 25 and 20 of 100; control: 60 of 25 and 10 of 100.
// Reference values computed in Python from the per-request values themselves (numpy, scipy 1.17):
// mean, scipy.stats.sem (ddof 1) and scipy.stats.norm.interval(0.95, loc=mean, scale=sem).
const variant = { requests: 1000, events: 100, valueSum: 4000, valueSumSquares: 20 * 100 ** 2 + 80 * 25 ** 2 };
const control = { requests: 1000, events: 70, valueSum: 2500, valueSumSquares: 10 * 100 ** 2 + 60 * 25 ** 2 };
const settings = { alpha: 0.05, tuning: 5000, minimum: 100, sequentialMinimum: 100 };

describe('business event value per request', () => {
  it('gives value per request a normal interval from the recorded sum of squares', () => {
    const figure = eventValueFigure(variant, 0.05, 100);
    expect(figure).toMatchObject({ status: 'ok', value: 4, n: 1000 });
    if (figure.status !== 'ok') return;
    expect(figure.interval?.lower).toBeCloseTo(3.0514215028751535, 12);
    expect(figure.interval?.upper).toBeCloseTo(4.9485784971248465, 12);
    expect(figure.note).toBeUndefined();
  });

  it('says why there is no interval when the sum of squares was not recorded', () => {
    const { valueSumSquares: _, ...bare } = variant;
    expect(eventValueFigure(bare, 0.05, 100)).toEqual({
      status: 'ok',
      value: 4,
      n: 1000,
      note: 'no interval: value sum of squares not recorded',
    });
  });

  it('tests the value difference with the always-valid mixture test on the real variances', () => {
    // Reference: GrowthBook's Gaussian-mixture sequence in Python, V = s²ᵥ/nᵥ + s²꜀/n꜀ from the same values
    // (see sequential.test.ts). A fixed-horizon z-test would give p = 0.0131; the always-valid p is 0.197.
    const { value } = compareEvent(variant, control, settings);
    expect(value.delta?.value).toBeCloseTo(1.5, 12);
    expect(value.delta?.pValue).toBeCloseTo(0.19683138389783777, 10);
    expect((value.delta?.interval?.upper ?? 0) - 1.5).toBeCloseTo(1.8888291734718061, 10);
    expect(value.delta?.significant).toBe(false);
    expect(value.delta?.method).toContain('mSPRT');
  });
});
