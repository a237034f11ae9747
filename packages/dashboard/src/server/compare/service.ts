import { type CompareInput, type Comparison, compareVariants, resolveOptions } from '../analysis';
import { readFlag } from '../flags/service';
import { ApiError } from '../http/errors';
import { MetricsSourceError } from '../metrics/prometheus';
import type { MetricsSource, SeriesQuery, SeriesResult } from '../metrics/source';
import type { ControlPlane } from '../plane';
import { accuracyOf } from './accuracy';
import { chooseControl, configuredSplit } from './control';
import { finiteOrNull } from './json';
import { previousLooks } from './looks';
import { BASELINE_METRICS, COMPARE_METRICS, emptyVariantSteps, groupByVariant, sumSteps, variantWindow } from './mapping';
import { shadowComparison } from './shadow';
import { srmOf } from './srm';
import { timeline } from './timeline';
import type { CompareParams, CompareResponse, VariantFacts } from './types';

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
    previous: previousLooks(steps, control, n, options),
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
  const windowEndMs = current.fromMs + n * current.stepMs;
  const srmWindow = { fromMs: current.fromMs, stepMs: current.stepMs, untilMs: Math.min(windowEndMs, params.nowMs ?? Date.now()) };
  const { srm, split: splitInfo } = await srmOf(plane.db, { environment, key, flag: stored.flag }, steps, srmWindow, options);
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
    split: splitInfo,
    variants,
    summary: finiteOrNull(summary),
    shadow:
      params.mode === 'served' && windows[0]
        ? finiteOrNull(shadowComparison(current, windows[0], sumSteps(windows.map((w) => w.requests)), options))
        : null,
    series: finiteOrNull(timeline(current.steps, current.stepMs, steps, control, options)),
  };
}
