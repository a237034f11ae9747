import type { Comparison, SliceReport, VariantComparison } from '../analysis';

/**
 * The body of `GET /api/v1/flags/{key}/compare`: one flag's variants over one window, as a `summary`
 * (every figure of the analysis library with its delta against control) and as per-step `series` for charts.
 *
 * JSON has no infinities, so every `Infinity` / `-Infinity` in the analysis (e.g. the open upper edge of a
 * p99 interval that falls in the `+Inf` bucket) is sent as `null`, and so is `NaN`. A `null` where a number
 * is typed therefore means "unbounded or undefined", never zero.
 *
 * @example
 * const body: CompareResponse = await (await fetch(`/api/v1/flags/${key}/compare?window=1h`)).json();
 * const candidate = body.summary.variants.find((v) => !v.isControl);
 * if (candidate?.latency.p95?.delta?.significant) warn('p95 latency moved');
 */
export interface CompareResponse {
  flag: { key: string; version: number; enabled: boolean };
  /** The variant every other one is compared with. */
  control: string;
  /** Why it is the control: `?control=`, the flag's `offVariant`, or the first arm of the fallthrough split. */
  controlFrom: 'parameter' | 'offVariant' | 'split' | 'first-variant';
  /** Which metrics source answered. */
  source: 'embedded' | 'prometheus';
  /** Which calls are counted: `served` (the default), `shadow` (dark-launch calls), or `all`. */
  mode: CompareMode;
  /** The analysed window `[fromMs, toMs)`, epoch ms, split into `stepMs` steps. */
  window: { fromMs: number; toMs: number; stepMs: number };
  /** The window the "drift vs baseline" figures compare against; `null` with `?baseline=none`. */
  baseline: { fromMs: number; toMs: number } | null;
  /** The configured split the SRM check uses, and the counts it uses. */
  split: SplitInfo;
  /** Per-variant facts the analysis does not compute: weights, models, evaluations by reason. */
  variants: VariantFacts[];
  /** Every figure per variant against control (the analysis library's `Comparison`, infinities as null). */
  summary: Comparison;
  /**
   * Shadow (dark-launch) runs, with `mode=served` only: each variant's shadow calls and their outcomes against
   * control's served figures; null when no variant ran in shadow in the window (see ./shadow.ts).
   */
  shadow: ShadowComparison | null;
  /** Per-step values per variant, column-wise, for charts. */
  series: CompareSeries;
}

/**
 * Shadow rows: the analysis's figures of each shadow variant against the served control, without business
 * events (they belong to the served variant); `requests.share` is shadow calls over all served calls.
 */
export interface ShadowComparison {
  variants: VariantComparison[];
  slices: SliceReport;
}

/** Which inference calls a comparison counts (the instrumentation's `mode` label). */
export type CompareMode = 'served' | 'shadow' | 'all';

/**
 * The split the sample-ratio-mismatch check tests against. `from` says where the weights come from;
 * `basis` says what was counted: `split-evaluations` (flag evaluations whose reason is `SPLIT`, the
 * assignments the split itself made) when the service records evaluations, else `requests`.
 */
export interface SplitInfo {
  from: 'fallthrough' | 'rule' | 'none';
  /** Index of the rule whose split is used, when `from` is `rule`. */
  ruleIndex?: number;
  basis: 'split-evaluations' | 'requests';
  /** Configured weight per variant in basis points (10,000 = 100%); 0 for variants outside the split. */
  weights: Record<string, number>;
  /**
   * The splits in force during the window, oldest first, from the flag's audit history (a rollout stage, an
   * edit, a rollback each start one; `weights: null` while the split assigned nobody). The SRM test expects each
   * step's counts from the split then in force, so a change inside the window is not a mismatch.
   */
  history: SplitPeriod[];
}

/** One split in force from `fromMs` until the next one starts (see `SplitInfo.history`). */
export interface SplitPeriod {
  fromMs: number;
  weights: Record<string, number> | null;
}

/** Facts about one variant over the window, beside its figures in `summary`. */
export interface VariantFacts {
  variant: string;
  /** False for a variant seen in the data but no longer defined on the flag. */
  defined: boolean;
  weightBasisPoints: number;
  /** Counted requests (inference calls of the chosen mode) per model label. */
  requestsByModel: Record<string, number>;
  /** Estimated language-model cost over the window in US dollars. */
  costUsd: number;
  /** Flag evaluations per OpenFeature reason (`SPLIT`, `TARGETING_MATCH`, `DISABLED`, ...). */
  evaluationsByReason: Record<string, number>;
}

/**
 * Per-step values, column-wise: `values[i]` belongs to the step starting at `steps[i]`. A `null` is a step
 * whose figure cannot be computed or would not be honest: no requests for a rate, fewer observations than the
 * analysis's minimum for a quantile or a drift measure.
 */
export interface CompareSeries {
  /** Start of each step, epoch ms; step `i` covers `[steps[i], steps[i] + stepMs)`. */
  steps: number[];
  stepMs: number;
  variants: VariantSeries[];
}

/** One variant's per-step values. */
export interface VariantSeries {
  variant: string;
  /** Counted requests in each step. */
  requests: number[];
  /** This variant's requests over all variants' requests in the step; null when the step has none. */
  share: (number | null)[];
  /** Latency quantiles in seconds, keyed like the summary (`p50`, `p95`, `p99`). */
  latency: Record<string, (number | null)[]>;
  /** Errors over requests. */
  errorRate: (number | null)[];
  /** Correct over judged outcomes; null when the step has no outcome. */
  accuracy: (number | null)[];
  /**
   * Macro precision, recall and F1 from the step's confusion matrix; null when outcomes carry no classes or a
   * class in the step has fewer outcomes than the analysis's `classSupport` minimum.
   */
  macroPrecision: (number | null)[];
  macroRecall: (number | null)[];
  macroF1: (number | null)[];
  /** Prediction-score drift against control in the same step; all null for control itself. */
  drift: { psi: (number | null)[]; jensenShannon: (number | null)[] };
  /** Estimated language-model cost in US dollars in each step (0 when the service records none). */
  cost: number[];
  /** Cost over requests. */
  costPerRequest: (number | null)[];
  /** Business events: count, events per request, and summed value in each step. */
  events: Record<string, { count: number[]; rate: (number | null)[]; value: number[] }>;
}

/** The parsed, validated query of a compare request. */
export interface CompareParams {
  /** Window length in ms (`?window=`, default 1h). */
  windowMs: number;
  /** Step in ms, a whole number of minutes (`?step=`, default: the window over about 60 steps). */
  stepMs: number;
  /** End of the window, epoch ms (`?end=`, default now); rounded up to a step boundary. */
  endMs: number;
  /** `?baseline=`: start of the baseline window (same length), `null` for none, undefined for the preceding window. */
  baselineFromMs?: number | null;
  /** `?control=`: the variant to compare against instead of the default. */
  control?: string;
  mode: CompareMode;
  /** The caller's clock (the alert engine's); a window ending later is judged for SRM only up to now. Default `Date.now()`. */
  nowMs?: number;
}
