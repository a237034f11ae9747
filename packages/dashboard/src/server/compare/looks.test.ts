import { describe, expect, it } from 'vitest';
import { compareEvent, resolveOptions } from '../analysis';
import type { MetricSeries } from '../metrics/source';
import { previousLooks } from './looks';
import { groupByVariant } from './mapping';

const STEPS = 10;
const perStep = (value: number) => new Array<number>(STEPS).fill(value);
const series = (metric: string, variant: string, labels: Record<string, string>, values: number[]): MetricSeries => ({
  metric,
  variant,
  model: '',
  labels,
  values,
});
// 1,000 requests per arm per step. The candidate converts at 15% for five steps, then at 5%: 10% overall, as control.
const grouped = groupByVariant(
  {
    fromMs: 0,
    stepMs: 60_000,
    steps: perStep(0).map((_, i) => i * 60_000),
    series: [
      series('flaglens_inference_duration_seconds_count', 'v1', { mode: 'served' }, perStep(1000)),
      series('flaglens_inference_duration_seconds_count', 'v2', { mode: 'served' }, perStep(1000)),
      series('flaglens_business_events_total', 'v1', { event: 'purchase' }, perStep(100)),
      series('flaglens_business_events_total', 'v2', { event: 'purchase' }, [...perStep(150).slice(5), ...perStep(50).slice(5)]),
    ],
  },
  'served',
);
const options = resolveOptions();

describe('previousLooks', () => {
  it('chains one look per step, so the window’s p-value remembers a lift seen mid-window', () => {
    const looks = previousLooks([...grouped.values()], 'v1', STEPS, options);
    const previous = looks.v2?.purchase;
    expect(previous?.rate?.pValue).toBeLessThan(1e-6);
    const totals = { requests: 10_000, valueSum: 0 };
    const settings = { alpha: 0.05, tuning: 5000, minimum: 100, sequentialMinimum: 100 };
    const alone = compareEvent({ ...totals, events: 1000 }, { ...totals, events: 1000 }, settings);
    const chained = compareEvent({ ...totals, events: 1000 }, { ...totals, events: 1000 }, { ...settings, previous });
    expect(alone.rate.delta?.significant).toBe(false);
    expect(chained.rate.delta?.significant).toBe(true);
    expect(chained.rate.delta?.pValue).toBe(previous?.rate?.pValue);
  });

  it('makes no look for control, nor before both arms have the sequential minimum', () => {
    expect(Object.keys(previousLooks([...grouped.values()], 'v1', STEPS, options))).toEqual(['v2']);
    expect(previousLooks([...grouped.values()], 'v1', STEPS, resolveOptions({ minimums: { sequential: 100_000 } }))).toEqual({});
  });
});
