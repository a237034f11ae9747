import { compareVariants } from '@/src/server/analysis/compare';
import type { Comparison, Figure, Histogram, VariantWindow } from '@/src/server/analysis/types';
import type { CompareResponse, CompareSeries, VariantSeries } from './response';

// Test fixtures: real `compareVariants` output, so the view is tested against what the analysis produces.

const INF = Number.POSITIVE_INFINITY;
const LATENCY_BOUNDS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, INF];
const scale = (counts: number[], factor: number) => counts.map((c) => Math.round(c * factor));
const latency = (counts: number[]): Histogram => ({ bounds: LATENCY_BOUNDS, counts });

/** Control over a whole window: 10,000 requests, p50 under 100 ms, p99 under 400 ms, 1% errors, 90% accurate. */
export function controlWindow(factor = 1): VariantWindow {
  return {
    variant: 'control',
    weightBasisPoints: 5000,
    requests: Math.round(10_000 * factor),
    errors: { timeout: Math.round(100 * factor) },
    latency: latency(scale([1000, 7000, 9500, 9900, 9990, 9999, 10_000], factor)),
    score: { bounds: [0.25, 0.5, 0.75, INF], counts: scale([2500, 5000, 7500, 10_000], factor) },
    confusion: {
      classes: ['approve', 'reject'],
      matrix: [scale([900, 100], factor), scale([100, 900], factor)],
    },
    events: { purchase: { events: Math.round(1000 * factor), valueSum: 50_000 * factor } },
    slices: {
      region: {
        eu: { requests: Math.round(5000 * factor), errors: Math.round(50 * factor) },
        us: { requests: Math.round(4000 * factor), errors: Math.round(40 * factor) },
        apac: { requests: Math.round(1000 * factor), errors: Math.round(10 * factor) },
      },
    },
  };
}

/** The candidate with the seeded latency regression: everything else as control. */
export function candidateWindow(factor = 1): VariantWindow {
  const base = controlWindow(factor);
  return {
    ...base,
    variant: 'candidate',
    latency: latency(scale([0, 100, 500, 3000, 9000, 9950, 10_000], factor)),
  };
}

const figureValue = (figure: Figure | undefined): number | null => (figure?.status === 'ok' ? figure.value : null);

/** Per-step series in the API's shape, from one `compareVariants` result per step. */
export function seriesFromComparisons(steps: number[], stepMs: number, comparisons: Comparison[]): CompareSeries {
  const names = comparisons[0]?.variants.map((v) => v.variant) ?? [];
  const variants = names.map((variant): VariantSeries => {
    const rows = comparisons.map((c) => c.variants.find((v) => v.variant === variant));
    const latencyKeys = Object.keys(rows[0]?.latency ?? {});
    const eventKeys = Object.keys(rows[0]?.events ?? {});
    const drift = rows.map((r) => r?.drift.vsControl.score);
    return {
      variant,
      requests: rows.map((r) => r?.requests.count ?? 0),
      share: rows.map((r) => r?.requests.share ?? null),
      latency: Object.fromEntries(latencyKeys.map((q) => [q, rows.map((r) => figureValue(r?.latency[q]?.variant))])),
      errorRate: rows.map((r) => figureValue(r?.errorRate.variant)),
      cost: rows.map(() => 0),
      costPerRequest: rows.map((r) => (r?.requests.count ? 0 : null)),
      accuracy: rows.map((r) => figureValue(r?.accuracy.variant)),
      macroPrecision: rows.map((r) => figureValue(r?.macroPrecision.variant)),
      macroRecall: rows.map((r) => figureValue(r?.macroRecall.variant)),
      macroF1: rows.map((r) => figureValue(r?.macroF1.variant)),
      drift: {
        psi: drift.map((d) => (d?.status === 'ok' ? d.value.psi : null)),
        jensenShannon: drift.map((d) => (d?.status === 'ok' ? d.value.jensenShannon.divergence : null)),
      },
      events: Object.fromEntries(
        eventKeys.map((e) => {
          const rate = rows.map((r) => figureValue(r?.events[e]?.rate.variant));
          const count = rows.map((r, i) => Math.round((rate[i] ?? 0) * (r?.requests.count ?? 0)));
          return [e, { count, rate, value: count.map(() => 0) }];
        }),
      ),
    };
  });
  return { steps, stepMs, variants };
}

/** A one-hour response at one-minute steps: control against the candidate with the latency regression. */
export function regressionResponse(toMs = Date.UTC(2026, 0, 15, 12, 0)): CompareResponse {
  const stepMs = 60_000;
  const steps = Array.from({ length: 60 }, (_, i) => toMs - 3_600_000 + i * stepMs);
  // 2,000 requests a step (enough for p99), except a first step with too little data for any quantile.
  const factorAt = (i: number) => (i === 0 ? 0.001 : 0.2);
  const perStep = steps.map((_, i) =>
    compareVariants({ control: 'control', variants: [controlWindow(factorAt(i)), candidateWindow(factorAt(i))] }),
  );
  const total = steps.reduce((s, _, i) => s + factorAt(i), 0);
  const windows = [controlWindow(total), candidateWindow(total)];
  return {
    flag: { key: 'ai-model', version: 3, enabled: true },
    control: 'control',
    controlFrom: 'offVariant',
    source: 'embedded',
    mode: 'served',
    window: { fromMs: toMs - 3_600_000, toMs, stepMs },
    baseline: null,
    split: {
      from: 'fallthrough',
      basis: 'requests',
      weights: { control: 5000, candidate: 5000 },
      history: [{ fromMs: toMs - 3_600_000, weights: { control: 5000, candidate: 5000 } }],
    },
    variants: windows.map((w) => ({
      variant: w.variant,
      defined: true,
      weightBasisPoints: w.weightBasisPoints,
      requestsByModel: { [`${w.variant}-model`]: w.requests },
      evaluationsByReason: {},
      costUsd: 0,
    })),
    summary: compareVariants({ control: 'control', variants: windows }),
    shadow: null,
    series: seriesFromComparisons(steps, stepMs, perStep),
  };
}
