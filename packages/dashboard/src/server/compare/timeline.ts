import { type AnalysisOptions, classificationQuality, histogramDrift, histogramQuantile, histogramTotal } from '../analysis';
import { confusionOf, histogramOf, type VariantSteps } from './mapping';
import type { CompareSeries, VariantSeries } from './types';

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The per-step columns of every variant for charts. Each step is judged alone with the analysis's own
 * minimums: a quantile needs `quantileTail / (1 − q)` observations in the step and a drift measure
 * `distribution` per side, else the point is null; rates are null only when their denominator is zero.
 */
export function timeline(
  steps: readonly number[],
  stepMs: number,
  variants: readonly VariantSteps[],
  control: string,
  options: AnalysisOptions,
): CompareSeries {
  const n = steps.length;
  const totals = new Array<number>(n).fill(0);
  for (const v of variants) for (let i = 0; i < n; i++) totals[i] = (totals[i] ?? 0) + (v.requests[i] ?? 0);
  const controlSteps = variants.find((v) => v.variant === control);
  const eventNames = [...new Set(variants.flatMap((v) => [...v.events.keys()]))].sort();
  const drift = { psiEpsilon: options.psiEpsilon, minimum: options.minimums.distribution };

  return {
    steps: [...steps],
    stepMs,
    variants: variants.map((v): VariantSeries => {
      const errors = [...v.errors.values()];
      const series: VariantSeries = {
        variant: v.variant,
        requests: [...v.requests],
        share: v.requests.map((r, i) => ratio(r, totals[i] ?? 0)),
        latency: {},
        errorRate: v.requests.map((r, i) =>
          ratio(
            errors.reduce((s, e) => s + (e[i] ?? 0), 0),
            r,
          ),
        ),
        accuracy: v.judged.map((judged, i) => ratio(v.correct[i] ?? 0, judged)),
        macroPrecision: new Array(n).fill(null),
        macroRecall: new Array(n).fill(null),
        macroF1: new Array(n).fill(null),
        drift: { psi: new Array(n).fill(null), jensenShannon: new Array(n).fill(null) },
        cost: [...v.cost],
        costPerRequest: v.requests.map((r, i) => ratio(v.cost[i] ?? 0, r)),
        events: {},
      };
      const latency = steps.map((_, i) => histogramOf(v.latency, i, i + 1));
      for (const q of options.quantiles) {
        const needed = q < 1 ? Math.ceil(options.minimums.quantileTail / (1 - q)) : options.minimums.quantileTail;
        series.latency[`p${Math.round(q * 1000) / 10}`] = latency.map((h) =>
          h && histogramTotal(h) >= needed ? finite(histogramQuantile(q, h)) : null,
        );
      }
      for (let i = 0; i < n && v.confusion.size > 0; i++) {
        const confusion = confusionOf(v.confusion, i, i + 1);
        if (!confusion) continue;
        const { macro } = classificationQuality(confusion, options.alpha, options.minimums);
        if (macro.precision.status === 'ok') series.macroPrecision[i] = macro.precision.value;
        if (macro.recall.status === 'ok') series.macroRecall[i] = macro.recall.value;
        if (macro.f1.status === 'ok') series.macroF1[i] = macro.f1.value;
      }
      if (controlSteps && v !== controlSteps) {
        for (let i = 0; i < n; i++) {
          const current = histogramOf(v.score, i, i + 1);
          const reference = histogramOf(controlSteps.score, i, i + 1);
          if (!current || !reference) continue;
          const figure = histogramDrift(current, reference, drift);
          if (figure.status !== 'ok') continue;
          series.drift.psi[i] = finite(figure.value.psi);
          series.drift.jensenShannon[i] = finite(figure.value.jensenShannon.divergence);
        }
      }
      for (const name of eventNames) {
        const e = v.events.get(name);
        const count = e ? [...e.count] : new Array<number>(n).fill(0);
        series.events[name] = {
          count,
          rate: count.map((c, i) => ratio(c, v.requests[i] ?? 0)),
          value: e ? [...e.value] : new Array<number>(n).fill(0),
        };
      }
      return series;
    }),
  };
}
