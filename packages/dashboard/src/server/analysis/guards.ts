import type { AnalysisOptions, Figure, FigureInsufficient, FigureOk, Interval, MinimumSamples } from './types';

/**
 * Default minimum samples. Each is the smallest count at which the figure's approximation is
 * usually trusted, so a dashboard shows "need N more" instead of noise (Argo Rollouts #1945, GrowthBook #4786).
 */
export const DEFAULT_MINIMUMS: Readonly<MinimumSamples> = Object.freeze({
  // 100 trials: a Wilson interval is then at most ±0.1 wide, narrow enough to act on.
  trials: 100,
  // Same reasoning for accuracy, which is a proportion of labelled outcomes.
  outcomes: 100,
  // 20 in a class's denominator: below that per-class precision/recall swing by ±0.2 or more.
  classSupport: 20,
  // At least 10 observations above the quantile: p50 needs 20, p95 200, p99 1000.
  quantileTail: 10,
  // 100 per side: below that, bucket proportions are too noisy for PSI thresholds (0.1 / 0.25).
  distribution: 100,
  // Cochran's rule for chi-square: every expected count at least 5.
  srmExpected: 5,
  // The normal approximation behind the sequential test needs both arms past ~100.
  sequential: 100,
  // 30 observations: the usual floor for a CLT interval on a mean.
  meanError: 30,
});

/** Defaults for the whole analysis. */
export const DEFAULT_OPTIONS: Readonly<AnalysisOptions> = Object.freeze({
  alpha: 0.05,
  // GrowthBook flags a sample-ratio mismatch at p < 0.001.
  srmThreshold: 0.001,
  // GrowthBook's default sequential tuning parameter.
  sequentialTuning: 5000,
  // Evidently substitutes 0.0001 for an empty bin's proportion (stattests/utils.get_binned_data).
  psiEpsilon: 1e-4,
  sliceCap: 20,
  quantiles: [0.5, 0.95, 0.99],
  minimums: DEFAULT_MINIMUMS,
});

/** Fills unspecified options (and unspecified minimums) with the defaults. */
export function resolveOptions(
  options: Partial<Omit<AnalysisOptions, 'minimums'>> & { minimums?: Partial<MinimumSamples> } = {},
): AnalysisOptions {
  return { ...DEFAULT_OPTIONS, ...options, minimums: { ...DEFAULT_MINIMUMS, ...options.minimums } };
}

export function ok<T>(value: T, n: number, interval?: Interval, note?: string): FigureOk<T> {
  const figure: FigureOk<T> = { status: 'ok', value, n };
  if (interval) figure.interval = interval;
  if (note) figure.note = note;
  return figure;
}

export function insufficient(needed: number, have: number, unit: string): FigureInsufficient {
  return { status: 'insufficient', needed, have, unit };
}

/** Returns `insufficient` when `have < needed`, else undefined, so callers read `guard(...) ?? compute()`. */
export function guard(have: number, needed: number, unit: string): FigureInsufficient | undefined {
  return have < needed ? insufficient(needed, have, unit) : undefined;
}

/** Narrows a figure to its ok branch. */
export function isOk<T>(figure: Figure<T>): figure is FigureOk<T> {
  return figure.status === 'ok';
}
