import {
  type AnalysisOptions,
  type Compared,
  type CompareInput,
  type Comparison,
  compareVariants,
  type Figure,
  proportionDelta,
  proportionFigure,
  resolveOptions,
  type SampleRatioMismatch,
  sampleRatioMismatch,
} from '../analysis';
import { readFlag } from '../flags/service';
import { ApiError } from '../http/errors';
import { MetricsSourceError } from '../metrics/prometheus';
import type { MetricsSource, SeriesQuery, SeriesResult } from '../metrics/source';
import type { ControlPlane } from '../plane';
import { chooseControl, configuredSplit } from './control';
import { finiteOrNull } from './json';
import {
  BASELINE_METRICS,
  COMPARE_METRICS,
  emptyVariantSteps,
  groupByVariant,
  type OutcomeCounts,
  sumSteps,
  type VariantSteps,
  variantWindow,
} from './mapping';
import { timeline } from './timeline';
import type { CompareParams, CompareResponse, SplitInfo, VariantFacts } from './types';

type Plane = Pick<ControlPlane, 'db' | 'feed' | 'metrics' | 'metricsSource'>;

async function read(source: MetricsSource, query: SeriesQuery): Promise<SeriesResult> {
  try {
    return await source.readSeries(query);
  } catch (error) {
    // The store's own failures stay 500s; an unreachable or failing Prometheus is the upstream's fault.
    if (error instanceof MetricsSourceError) {
      throw new ApiError(502, 'metrics_unavailable', `the metrics source did not answer: ${error.message}`);
    }
    throw error;
  }
}

/** Accuracy from correct / judged outcomes, with the same Wilson figure and Newcombe delta as the library's proportions. */
function accuracyOf(v: OutcomeCounts, c: OutcomeCounts, options: AnalysisOptions, withDelta: boolean): Compared {
  const count = (o: OutcomeCounts) => ({ successes: o.correct, trials: o.judged });
  const unit = 'labelled outcomes';
  const compared: Compared = {
    variant: proportionFigure(count(v), options.alpha, options.minimums.outcomes, unit),
    control: proportionFigure(count(c), options.alpha, options.minimums.outcomes, unit),
  };
  if (withDelta && compared.variant.status === 'ok' && compared.control.status === 'ok') {
    const delta = proportionDelta(count(v), count(c), options.alpha);
    if (delta) compared.delta = delta;
  }
  return compared;
}

/**
 * Sample-ratio mismatch against the configured split. It counts evaluations whose reason is `SPLIT` when the
 * service records evaluations: those are exactly the assignments the split made, while requests also include
 * users a targeting rule sent to one variant. Without evaluations, requests are all there is.
 */
function srmOf(
  variants: readonly VariantSteps[],
  split: Omit<SplitInfo, 'basis'>,
  options: AnalysisOptions,
): { srm: Figure<SampleRatioMismatch>; basis: SplitInfo['basis'] } {
  const splitEvaluations = (v: VariantSteps) => sumSteps(v.evaluations.get('SPLIT') ?? []);
  const basis = variants.some((v) => splitEvaluations(v) > 0) ? 'split-evaluations' : 'requests';
  const count = basis === 'split-evaluations' ? splitEvaluations : (v: VariantSteps) => sumSteps(v.requests);
  const assignments = variants
    .map((v) => ({ variant: v.variant, count: count(v), weightBasisPoints: split.weights[v.variant] ?? 0 }))
    .filter((a) => a.count > 0 || a.weightBasisPoints > 0);
  if (split.from === 'none') return { srm: { status: 'insufficient', needed: 1, have: 0, unit: 'configured splits' }, basis };
  return { srm: sampleRatioMismatch(assignments, options.srmThreshold, options.minimums.srmExpected), basis };
}

/** Control first, then the flag's variants in definition order, then variants seen only in the data. */
function variantOrder(defined: readonly string[], seen: Iterable<string>, control: string): string[] {
  const extra = [...seen].filter((v) => !defined.includes(v)).sort();
  return [control, ...defined.filter((v) => v !== control), ...extra];
}

/**
 * Compares one flag's variants over a window: reads the flag (404 when missing), reads its series and a
 * baseline window through the configured metrics source, runs the analysis library, and returns the
 * summary and per-step series documented in ./types.ts. Pages and the API both call this.
 */
export async function compareFlag(plane: Plane, environment: string, key: string, params: CompareParams): Promise<CompareResponse> {
  const stored = await readFlag(plane, environment, key);
  const { control, from: controlFrom } = chooseControl(stored.flag, params.control);
  const fromMs = params.endMs - params.windowMs;
  const baselineFromMs = params.baselineFromMs === undefined ? fromMs - params.windowMs : params.baselineFromMs;
  const scope = { environment, flag: key };
  const [current, baseline] = await Promise.all([
    read(plane.metrics, { ...scope, fromMs, toMs: params.endMs, stepMs: params.stepMs, metrics: COMPARE_METRICS }),
    baselineFromMs === null
      ? undefined
      : read(plane.metrics, {
          ...scope,
          fromMs: baselineFromMs,
          toMs: baselineFromMs + params.windowMs,
          stepMs: params.windowMs,
          metrics: BASELINE_METRICS,
        }),
  ]);

  const options = resolveOptions();
  const n = current.steps.length;
  const grouped = groupByVariant(current, params.mode);
  const defined = Object.keys(stored.flag.variants);
  const names = variantOrder(defined, grouped.keys(), control);
  const steps = names.map((name) => grouped.get(name) ?? emptyVariantSteps(name, n));
  const split = configuredSplit(stored.flag);
  const windows = steps.map((v) => variantWindow(v, split.weights[v.variant] ?? 0, 0, n));

  const reference = baseline && groupByVariant(baseline, params.mode).get(control);
  const referenceWindow = reference && variantWindow(reference, 0, 0, baseline.steps.length);
  const input: CompareInput = {
    control,
    variants: windows.map(({ outcomes: _, ...window }) => window),
  };
  if (referenceWindow) {
    input.baseline = {};
    if (referenceWindow.score) input.baseline.score = referenceWindow.score;
    if (referenceWindow.predictedClasses) input.baseline.predictedClasses = referenceWindow.predictedClasses;
  }
  const summary: Comparison = compareVariants(input, options);
  const controlOutcomes = windows[0]?.outcomes ?? { correct: 0, judged: 0 };
  summary.variants.forEach((row, i) => {
    row.accuracy = accuracyOf(windows[i]?.outcomes ?? { correct: 0, judged: 0 }, controlOutcomes, options, !row.isControl);
  });
  const { srm, basis } = srmOf(steps, split, options);
  summary.srm = srm;

  const variants: VariantFacts[] = steps.map((v) => ({
    variant: v.variant,
    defined: defined.includes(v.variant),
    weightBasisPoints: split.weights[v.variant] ?? 0,
    costUsd: sumSteps(v.cost),
    requestsByModel: Object.fromEntries([...v.requestsByModel].map(([model, values]) => [model, sumSteps(values)])),
    evaluationsByReason: Object.fromEntries([...v.evaluations].map(([reason, values]) => [reason, sumSteps(values)])),
  }));
  return {
    flag: { key: stored.key, version: stored.version, enabled: stored.flag.enabled },
    control,
    controlFrom,
    source: plane.metricsSource,
    mode: params.mode,
    window: { fromMs: current.fromMs, toMs: current.fromMs + n * current.stepMs, stepMs: current.stepMs },
    baseline: baseline ? { fromMs: baseline.fromMs, toMs: baseline.fromMs + baseline.steps.length * baseline.stepMs } : null,
    split: { ...split, basis },
    variants,
    summary: finiteOrNull(summary),
    series: finiteOrNull(timeline(current.steps, current.stepMs, steps, control, options)),
  };
}
