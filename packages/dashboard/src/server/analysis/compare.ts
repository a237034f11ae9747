import { compareEvent } from './business';
import { comparedProportion, comparedQuality } from './compared';
import { classDrift, type DriftSettings, histogramDrift } from './drift';
import { insufficient, resolveOptions } from './guards';
import { quantileDelta, quantileFigure } from './latency';
import { meanAbsoluteError, meanDelta } from './mean-error';
import { sliceReport } from './slices';
import { sampleRatioMismatch } from './srm';
import type {
  AnalysisOptions,
  Compared,
  CompareInput,
  Comparison,
  DriftPair,
  Histogram,
  MinimumSamples,
  VariantComparison,
  VariantWindow,
} from './types';

/**
 * Assembles the comparison of every variant against control for one window — the body of
 * `GET /api/v1/flags/{key}/compare`: request share with the SRM check, latency quantiles, error rate,
 * accuracy and macro precision / recall / F1, mean absolute error, drift of predictions against control and
 * against a baseline window, each business event's rate and value with an always-valid test, and slices.
 * Every figure is a `Figure` (ok with interval, or insufficient); every delta says which method produced it.
 * Pure: the caller passes the window's aggregates and, for the sequential tests, the previous look.
 *
 * @example
 * const comparison = compareVariants({ control: 'v1', variants: [v1Window, v2Window] }, { alpha: 0.05 });
 * if (comparison.srm.status === 'ok' && comparison.srm.value.mismatch) showSrmBanner();
 */
export function compareVariants(input: CompareInput, options: Parameters<typeof resolveOptions>[0] = {}): Comparison {
  const resolved = resolveOptions(options);
  const control = input.variants.find((v) => v.variant === input.control);
  if (!control) throw new RangeError(`control variant "${input.control}" is not among the variants`);
  const others = input.variants.filter((v) => v !== control);
  const srm = sampleRatioMismatch(
    input.variants.map((v) => ({ variant: v.variant, count: v.requests, weightBasisPoints: v.weightBasisPoints })),
    resolved.srmThreshold,
    resolved.minimums.srmExpected,
  );
  const totalRequests = input.variants.reduce((s, v) => s + v.requests, 0);
  const totalWeight = input.variants.reduce((s, v) => s + v.weightBasisPoints, 0);
  const variants = input.variants.map((v) => compareOne(v, control, input, resolved, totalRequests, totalWeight));
  return { control: control.variant, srm, variants, slices: sliceReport(control, others, resolved), options: resolved };
}

function compareOne(
  v: VariantWindow,
  control: VariantWindow,
  input: CompareInput,
  options: AnalysisOptions,
  total: number,
  weight: number,
): VariantComparison {
  const { alpha, minimums } = options;
  const isControl = v === control;
  const withDelta = !isControl;
  const errors = (w: VariantWindow): number => Object.values(w.errors).reduce((s, e) => s + e, 0);
  const quality = comparedQuality(v.confusion, control.confusion, alpha, minimums, withDelta);
  const drift: DriftSettings = { psiEpsilon: options.psiEpsilon, minimum: minimums.distribution };
  const events: VariantComparison['events'] = {};
  for (const name of Object.keys({ ...control.events, ...v.events }).sort()) {
    const totals = (w: VariantWindow) => ({ requests: w.requests, ...(w.events?.[name] ?? { events: 0, valueSum: 0 }) });
    events[name] = compareEvent(totals(v), totals(control), {
      alpha,
      tuning: options.sequentialTuning,
      minimum: minimums.trials,
      sequentialMinimum: isControl ? Number.POSITIVE_INFINITY : minimums.sequential,
      previous: input.previous?.[v.variant]?.[name],
    });
  }
  const comparison: VariantComparison = {
    variant: v.variant,
    isControl,
    requests: {
      count: v.requests,
      share: total > 0 ? v.requests / total : 0,
      expectedShare: weight > 0 ? v.weightBasisPoints / weight : 0,
    },
    latency: latency(v.latency, control.latency, options, withDelta),
    errorRate: comparedProportion(
      { successes: errors(v), trials: v.requests },
      { successes: errors(control), trials: control.requests },
      alpha,
      minimums.trials,
      'requests',
      withDelta,
    ),
    errorsByType: { ...v.errors },
    accuracy: quality.accuracy,
    macroPrecision: quality.macroPrecision,
    macroRecall: quality.macroRecall,
    macroF1: quality.macroF1,
    meanAbsoluteError: meanError(v.absoluteError, control.absoluteError, alpha, minimums, withDelta),
    drift: {
      vsControl: isControl ? {} : driftPair(v, control, drift),
      vsBaseline: input.baseline ? driftPair(v, input.baseline, drift) : {},
    },
    events,
  };
  if (quality.quality) comparison.quality = quality.quality;
  return comparison;
}

function latency(
  v: Histogram | undefined,
  c: Histogram | undefined,
  options: AnalysisOptions,
  withDelta: boolean,
): Record<string, Compared> {
  const out: Record<string, Compared> = {};
  const none = insufficient(options.minimums.quantileTail, 0, 'observations');
  for (const q of options.quantiles) {
    const figure = (h: Histogram | undefined) => (h ? quantileFigure(q, h, options.alpha, options.minimums.quantileTail) : none);
    const compared: Compared = { variant: figure(v), control: figure(c) };
    const delta = withDelta ? quantileDelta(compared.variant, compared.control) : undefined;
    if (delta) compared.delta = delta;
    out[`p${Math.round(q * 1000) / 10}`] = compared;
  }
  return out;
}

function meanError(
  v: Histogram | undefined,
  c: Histogram | undefined,
  alpha: number,
  minimums: MinimumSamples,
  withDelta: boolean,
): Compared {
  const none = insufficient(minimums.meanError, 0, 'observations');
  const compared: Compared = {
    variant: v ? meanAbsoluteError(v, alpha, minimums.meanError) : none,
    control: c ? meanAbsoluteError(c, alpha, minimums.meanError) : none,
  };
  if (withDelta && v && c && compared.variant.status === 'ok' && compared.control.status === 'ok') {
    const delta = meanDelta(v, c, alpha);
    if (delta) compared.delta = delta;
  }
  return compared;
}

function driftPair(
  v: VariantWindow,
  reference: { score?: Histogram; predictedClasses?: Record<string, number> },
  settings: DriftSettings,
): DriftPair {
  const pair: DriftPair = {};
  if (v.score && reference.score) pair.score = histogramDrift(v.score, reference.score, settings);
  if (v.predictedClasses && reference.predictedClasses) pair.classes = classDrift(v.predictedClasses, reference.predictedClasses, settings);
  return pair;
}
