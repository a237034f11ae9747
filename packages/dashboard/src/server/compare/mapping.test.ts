import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../analysis';
import type { MetricSeries, SeriesResult } from '../metrics/source';
import { finiteOrNull } from './json';
import { confusionOf, emptyVariantSteps, groupByVariant, histogramOf, variantWindow } from './mapping';
import { shadowComparison } from './shadow';
import { timeline } from './timeline';

const STEPS = [0, 60_000, 120_000];
const s = (metric: string, variant: string, labels: Record<string, string>, values: number[], model = 'm'): MetricSeries => ({
  metric,
  variant,
  model,
  labels,
  values,
});
const served = { mode: 'served' };
const result = (series: MetricSeries[]): SeriesResult => ({ fromMs: 0, stepMs: 60_000, steps: STEPS, series });

const series = [
  s('flaglens_inference_duration_seconds_count', 'v1', served, [10, 0, 30]),
  s('flaglens_inference_duration_seconds_count', 'v1', served, [5, 0, 0], 'm2'),
  s('flaglens_inference_duration_seconds_count', 'v1', { mode: 'shadow' }, [99, 99, 99]),
  s('flaglens_inference_duration_seconds_bucket', 'v1', { ...served, le: '0.1' }, [10, 0, 20]),
  s('flaglens_inference_duration_seconds_bucket', 'v1', { ...served, le: '+Inf' }, [15, 0, 30]),
  s('flaglens_inference_duration_seconds_bucket', 'v1', { ...served, le: '0.5' }, [15, 0, 25]),
  s('flaglens_inference_duration_seconds_sum', 'v1', served, [1, 0, 3]),
  s('flaglens_inference_errors_total', 'v1', { ...served, type: 'Timeout', region: 'eu' }, [1, 0, 2]),
  s('flaglens_outcomes_total', 'v1', { outcome: 'correct' }, [8, 0, 9]),
  s('flaglens_outcomes_total', 'v1', { outcome: 'incorrect' }, [2, 0, 1]),
  s('flaglens_business_events_total', 'v1', { event: 'purchase' }, [1, 0, 2], ''),
  s('flaglens_business_event_value_total', 'v1', { event: 'purchase' }, [10, 0, 40], ''),
  s('flaglens_flag_evaluations_total', 'v1', { reason: 'SPLIT' }, [12, 0, 30], ''),
  s('flaglens_flag_evaluations_total', 'v2', { reason: 'TARGETING_MATCH' }, [4, 4, 4], ''),
  s('flaglens_llm_cost_usd_total', 'v1', served, [0.5, 0, 1]),
  s('flaglens_label_overflow_total', '', { label: 'model' }, [1, 1, 1], ''),
];

describe('series to analysis input', () => {
  const grouped = groupByVariant(result(series), 'served');
  const v1 = grouped.get('v1');

  it('groups by variant, sums models, and counts only the chosen mode', () => {
    expect([...grouped.keys()]).toEqual(['v1', 'v2']);
    expect(v1?.requests).toEqual([15, 0, 30]);
    expect(Object.fromEntries(v1?.requestsByModel ?? [])).toEqual({ m: [10, 0, 30], m2: [5, 0, 0] });
    expect(groupByVariant(result(series), 'all').get('v1')?.requests).toEqual([114, 99, 129]);
    expect(grouped.get('v2')?.evaluations.get('TARGETING_MATCH')).toEqual([4, 4, 4]);
  });

  it('builds cumulative histograms sorted by bound, with +Inf last and the sum', () => {
    expect(histogramOf(v1?.latency, 0, 3)).toEqual({ bounds: [0.1, 0.5, Number.POSITIVE_INFINITY], counts: [30, 40, 45], sum: 4 });
    expect(histogramOf(v1?.latency, 1, 2)?.counts).toEqual([0, 0, 0]);
  });

  it('sums a window into the analysis shape, leaving out histograms with no observation', () => {
    if (!v1) throw new Error('no v1');
    const window = variantWindow(v1, 5000, 0, 3);
    expect(window).toMatchObject({
      variant: 'v1',
      weightBasisPoints: 5000,
      requests: 45,
      errors: { Timeout: 3 },
      outcomes: { correct: 17, judged: 20 },
      events: { purchase: { events: 3, valueSum: 50 } },
      slices: { region: { eu: { requests: 0, errors: 3 } } },
    });
    expect(variantWindow(v1, 5000, 1, 2).latency).toBeUndefined();
  });

  it('turns steps into chart columns with nulls where a step has nothing to say', () => {
    const chart = timeline(STEPS, 60_000, [...grouped.values()], 'v1', resolveOptions({ minimums: { quantileTail: 1 } }));
    const row = chart.variants[0];
    expect(row?.share).toEqual([1, null, 1]);
    expect(row?.errorRate).toEqual([1 / 15, null, 2 / 30]);
    expect(row?.accuracy).toEqual([0.8, null, 0.9]);
    expect(row?.latency.p50?.[1]).toBeNull();
    expect(row?.latency.p50?.[0]).toBeCloseTo(0.1 * (7.5 / 10), 12);
    expect(row?.events.purchase).toEqual({ count: [1, 0, 2], rate: [1 / 15, null, 2 / 30], value: [10, 0, 40] });
    expect(row?.cost).toEqual([0.5, 0, 1]);
    expect(chart.variants[1]?.events.purchase?.count).toEqual([0, 0, 0]);
  });

  it('sends infinities and NaN as null', () => {
    expect(finiteOrNull({ a: [1, Number.POSITIVE_INFINITY], b: { c: Number.NEGATIVE_INFINITY, d: Number.NaN, e: 'x' } })).toEqual({
      a: [1, null],
      b: { c: null, d: null, e: 'x' },
    });
  });
});

describe('outcomes with classes, slices and shadows', () => {
  const outcome = (variant: string, predicted: string, actual: string, values: number[], extra: Record<string, string> = {}) =>
    s(
      'flaglens_outcomes_total',
      variant,
      {
        mode: 'served',
        outcome: predicted === actual ? 'correct' : 'incorrect',
        predicted_class: predicted,
        actual_class: actual,
        ...extra,
      },
      values,
    );
  const withClasses = [
    s('flaglens_inference_duration_seconds_count', 'v1', served, [100, 100, 100]),
    outcome('v1', 'spam', 'spam', [30, 0, 10], { region: 'eu' }),
    outcome('v1', 'spam', 'ham', [5, 0, 0], { region: 'eu' }),
    outcome('v1', 'ham', 'spam', [0, 0, 5], { region: 'us' }),
    outcome('v1', 'ham', 'ham', [60, 0, 80], { region: 'us' }),
    // The shadow's outcomes stay out of the served confusion matrix.
    s('flaglens_outcomes_total', 'v1', { mode: 'shadow', outcome: 'correct', predicted_class: 'ham', actual_class: 'ham' }, [1000, 0, 0]),
    s('flaglens_business_events_total', 'v1', { event: 'purchase' }, [2, 0, 1], ''),
    s('flaglens_business_event_value_total', 'v1', { event: 'purchase' }, [30, 0, 5], ''),
    s('flaglens_business_event_value_squared_total', 'v1', { event: 'purchase' }, [500, 0, 25], ''),
  ];
  const v1 = groupByVariant(result(withClasses), 'served').get('v1');

  it('builds each variant’s confusion matrix (predicted × actual) from the class labels of its outcomes', () => {
    expect(confusionOf(v1?.confusion ?? new Map(), 0, 3)).toEqual({
      classes: ['ham', 'spam'],
      matrix: [
        [140, 5],
        [5, 40],
      ],
    });
    expect(confusionOf(v1?.confusion ?? new Map(), 1, 2)).toBeUndefined();
  });

  it('puts the confusion matrix of each slice value, and the events’ sum of squares, in the window', () => {
    if (!v1) throw new Error('no v1');
    const window = variantWindow(v1, 5000, 0, 3);
    expect(window.outcomes).toEqual({ correct: 180, judged: 190 });
    expect(window.slices?.region?.eu?.confusion).toEqual({
      classes: ['ham', 'spam'],
      matrix: [
        [0, 0],
        [5, 40],
      ],
    });
    expect(window.slices?.region?.us).toMatchObject({
      requests: 0,
      confusion: {
        classes: ['ham', 'spam'],
        matrix: [
          [140, 5],
          [0, 0],
        ],
      },
    });
    expect(window.events?.purchase).toEqual({ events: 3, valueSum: 35, valueSumSquares: 525 });
  });

  it('charts macro precision, recall and F1 per step where every class has enough outcomes', () => {
    const chart = timeline(STEPS, 60_000, [v1 ?? emptyVariantSteps('v1', 3)], 'v1', resolveOptions({ minimums: { classSupport: 5 } }));
    const row = chart.variants[0];
    // Step 0: spam predicted 35 (30 right), actual 30; ham predicted 60, actual 65 (60 right).
    expect(row?.macroPrecision[0]).toBeCloseTo((30 / 35 + 60 / 60) / 2, 12);
    expect(row?.macroRecall[0]).toBeCloseTo((30 / 30 + 60 / 65) / 2, 12);
    expect(row?.macroF1[0]).toBeCloseTo((60 / 65 + 120 / 125) / 2, 12);
    // Step 1 has no outcomes; step 2 predicts spam 10 times, enough, and ham 85.
    expect(row?.macroF1[1]).toBeNull();
    expect(row?.macroF1[2]).not.toBeNull();
  });

  it('compares shadow runs with the served control, without the served variant’s business events', () => {
    const mixed = result([
      s('flaglens_inference_duration_seconds_count', 'v1', served, [200, 200, 200]),
      outcome('v1', 'a', 'a', [150, 150, 150]),
      outcome('v1', 'a', 'b', [50, 50, 50]),
      s('flaglens_business_events_total', 'v1', { event: 'purchase' }, [20, 20, 20], ''),
      s('flaglens_inference_duration_seconds_count', 'v2', { mode: 'shadow' }, [100, 100, 100]),
      s('flaglens_outcomes_total', 'v2', { mode: 'shadow', outcome: 'correct', predicted_class: 'a', actual_class: 'a' }, [100, 100, 100]),
    ]);
    const control = variantWindow(groupByVariant(mixed, 'served').get('v1') ?? emptyVariantSteps('v1', 3), 10_000, 0, 3);
    const shadow = shadowComparison(mixed, control, 600, resolveOptions());
    expect(shadow?.variants.map((v) => [v.variant, v.requests])).toEqual([['v2', { count: 300, share: 0.5, expectedShare: 0 }]]);
    const accuracy = shadow?.variants[0]?.accuracy;
    expect(accuracy?.variant).toMatchObject({ status: 'ok', value: 1, n: 300 });
    expect(accuracy?.control).toMatchObject({ status: 'ok', value: 0.75, n: 600 });
    expect(accuracy?.delta?.significant).toBe(true);
    expect(shadow?.variants[0]?.events).toEqual({});
    expect(shadowComparison(result(series), control, 600, resolveOptions())?.variants.map((v) => v.variant)).toEqual(['v1']);
    expect(shadowComparison(result(withClasses.slice(0, 3)), control, 600, resolveOptions())).toBeNull();
  });
});
