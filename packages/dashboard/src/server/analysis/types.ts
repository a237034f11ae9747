import type { ClassificationQuality } from './classification';
import type { DriftReport } from './drift';
import type { PreviousLook } from './sequential';
import type { SampleRatioMismatch } from './srm';

/**
 * Shared types of the analysis library. Inputs mirror what the control plane stores per flag,
 * variant, model and minute (counters and Prometheus-style cumulative histograms), summed over a window.
 */

/**
 * Cumulative histogram, Prometheus style: `counts[i]` observations were `<= bounds[i]`.
 * The last bound is `Infinity` (`le="+Inf"`), so the last count is the total.
 * `sum` is the `_sum` series when it was recorded.
 * @example { bounds: [0.1, 0.5, 1, Infinity], counts: [40, 90, 99, 100], sum: 21.3 }
 */
export interface Histogram {
  bounds: number[];
  counts: number[];
  sum?: number;
}

/** Confusion matrix: `matrix[p][a]` outcomes predicted as `classes[p]` whose actual class was `classes[a]`. */
export interface Confusion {
  classes: string[];
  matrix: number[][];
}

/** Two-sided interval at confidence `level` (0.95 = 95%). `upper` may be `Infinity` for an open-ended bucket. */
export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

/** A figure computed from enough data. `n` is the sample the figure rests on, in the unit of its guard. */
export interface FigureOk<T = number> {
  status: 'ok';
  value: T;
  interval?: Interval;
  n: number;
  /** Why something expected is missing or approximate (e.g. "mean from bucket midpoints"). */
  note?: string;
}

/** Too little data to say anything honest: `have` of the `needed` units (`unit` names them). */
export interface FigureInsufficient {
  status: 'insufficient';
  needed: number;
  have: number;
  unit: string;
}

/** Every figure the library returns: a value with its uncertainty, or an admission that data is short. */
export type Figure<T = number> = FigureOk<T> | FigureInsufficient;

/** Variant minus control, with the interval of the difference and whether it excludes zero. */
export interface Delta {
  value: number;
  interval?: Interval;
  /** Two-sided p-value where the method gives one; interval-only methods leave it out. */
  pValue?: number;
  /** Holm-adjusted p-value across a family of slice comparisons; `significant` then uses it. */
  adjustedPValue?: number;
  significant: boolean;
  /** The method, e.g. "newcombe-hybrid-score + pooled z-test" — shown so a reader knows what was tested. */
  method: string;
}

/** A figure of one variant beside the same figure of control and their difference. */
export interface Compared {
  variant: Figure;
  control: Figure;
  delta?: Delta;
}

/**
 * Minimum sample sizes below which a figure reports `insufficient` instead of a number.
 * Defaults are in `DEFAULT_MINIMUMS` (guards.ts), with the reasoning beside each.
 */
export interface MinimumSamples {
  /** Requests (trials) for an error rate or an event rate. */
  trials: number;
  /** Labelled outcomes for accuracy and the macro averages. */
  outcomes: number;
  /** Denominator of one class's precision (predicted as it) or recall (actually it). */
  classSupport: number;
  /** Observations beyond a quantile: a q-quantile needs `quantileTail / (1 - q)` observations. */
  quantileTail: number;
  /** Observations on each side of a distribution comparison (PSI, KS, JS, chi-square). */
  distribution: number;
  /** Expected assignments in the smallest arm for the SRM chi-square (Cochran's rule). */
  srmExpected: number;
  /** Requests in each arm before the sequential test reports a decision. */
  sequential: number;
  /** Observations in an absolute-error histogram for a mean absolute error. */
  meanError: number;
}

/** Knobs of the whole analysis; `DEFAULT_OPTIONS` (guards.ts) documents every default. */
export interface AnalysisOptions {
  /** Two-sided significance level of intervals and tests. */
  alpha: number;
  /** SRM is flagged when the chi-square p-value is below this (GrowthBook: 0.001). */
  srmThreshold: number;
  /** Tuning N* of the sequential test: the sample size where its confidence sequence is tightest. */
  sequentialTuning: number;
  /** Proportion substituted for an empty bin in PSI. */
  psiEpsilon: number;
  /** Most slice values analysed per slice attribute; the rest are dropped and counted. */
  sliceCap: number;
  /** Latency quantiles reported. */
  quantiles: number[];
  minimums: MinimumSamples;
}

/** One business event of a variant over the window (`requests` comes from the variant). */
export interface EventCounts {
  events: number;
  valueSum: number;
  /** Σ over requests of (that request's value)²; without it value figures carry no interval. */
  valueSumSquares?: number;
}

/** Counters of one slice value (e.g. region = eu) of one variant. */
export interface SliceCounts {
  requests: number;
  errors: number;
  confusion?: Confusion;
}

/** Everything stored for one variant over the window, summed over minutes and models. */
export interface VariantWindow {
  variant: string;
  /** Configured weight in basis points (10,000 = 100%). */
  weightBasisPoints: number;
  requests: number;
  /** Errors by type; the error rate uses their sum. */
  errors: Record<string, number>;
  latency?: Histogram;
  /** Prediction score distribution. */
  score?: Histogram;
  /** Predicted class counts (all predictions, labelled or not). */
  predictedClasses?: Record<string, number>;
  /** Labelled outcomes, predicted × actual. */
  confusion?: Confusion;
  absoluteError?: Histogram;
  events?: Record<string, EventCounts>;
  /** Slice attribute → slice value → counters. */
  slices?: Record<string, Record<string, SliceCounts>>;
}

/** Input of `compareVariants`. */
export interface CompareInput {
  /** Name of the control variant; every other variant is compared with it. */
  control: string;
  variants: VariantWindow[];
  /** Reference distributions of an earlier window, for drift against a baseline. */
  baseline?: { score?: Histogram; predictedClasses?: Record<string, number> };
  /** Previous look of each variant's sequential tests (variant → event → rate/value), to keep them monotone. */
  previous?: Record<string, Record<string, { rate?: PreviousLook; value?: PreviousLook }>>;
}

/** Drift of one variant's predictions against a reference. */
export interface DriftPair {
  score?: Figure<DriftReport>;
  classes?: Figure<DriftReport>;
}

/** Every figure of one variant beside control. The control's own row has no deltas. */
export interface VariantComparison {
  variant: string;
  isControl: boolean;
  requests: { count: number; share: number; expectedShare: number };
  /** Keyed "p50", "p95", "p99", … */
  latency: Record<string, Compared>;
  errorRate: Compared;
  errorsByType: Record<string, number>;
  accuracy: Compared;
  macroPrecision: Compared;
  macroRecall: Compared;
  macroF1: Compared;
  /** Per-class figures of this variant. */
  quality?: ClassificationQuality;
  meanAbsoluteError: Compared;
  drift: { vsControl: DriftPair; vsBaseline: DriftPair };
  events: Record<string, { rate: Compared; value: Compared }>;
}

/** One slice value of one variant against control in the same slice. */
export interface SliceRow {
  attribute: string;
  value: string;
  variant: string;
  errorRate: Compared;
  accuracy: Compared;
  macroF1: Compared;
}

/** Slice analysis: capped cardinality (visible) and Holm-corrected significance. */
export interface SliceReport {
  cap: number;
  correction: 'holm-bonferroni';
  attributes: { attribute: string; seen: number; kept: string[]; dropped: number }[];
  rows: SliceRow[];
}

/** What `GET /api/v1/flags/{key}/compare` returns for a window. */
export interface Comparison {
  control: string;
  srm: Figure<SampleRatioMismatch>;
  variants: VariantComparison[];
  slices: SliceReport;
  options: AnalysisOptions;
}
