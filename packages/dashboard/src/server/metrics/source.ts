/**
 * What the analysis asks a metrics source for: one flag's series in one environment, summed into
 * steps of `stepMs` starting at `fromMs`.
 *
 * @example
 * // the last hour of a flag, per minute
 * const to = Date.now();
 * await source.readSeries({ environment: 'production', flag: 'support-model', fromMs: to - 3_600_000, toMs: to, stepMs: 60_000 });
 */
export interface SeriesQuery {
  environment: string;
  flag: string;
  /** Start of the first step, epoch ms; rounded down to a whole minute. */
  fromMs: number;
  /** End of the window, epoch ms (exclusive); the last step may end after it. */
  toMs: number;
  /** Step width in ms; a whole number of minutes (rounded up to one). */
  stepMs: number;
  /** Sample names to read (e.g. `flaglens_inference_duration_seconds_bucket`); every one when omitted. */
  metrics?: readonly string[];
}

/**
 * One series of a flag: a sample name with its variant, model and remaining labels, and its
 * increase in each step. A histogram is three kinds of series, as in Prometheus: `<name>_bucket`
 * (one per `le`, cumulative over `le` as exposed), `<name>_sum` and `<name>_count`.
 */
export interface MetricSeries {
  /** The sample name, e.g. `flaglens_inference_errors_total` or `flaglens_prediction_score_bucket`. */
  metric: string;
  /** '' when the metric has no variant label. */
  variant: string;
  /** '' when the metric has no model label (flag evaluations, business events). */
  model: string;
  /** Every other label (`mode`, `class`, `outcome`, `event`, `le`, slices...). */
  labels: Readonly<Record<string, string>>;
  /** Increase in each step, aligned with {@link SeriesResult.steps}; 0 where nothing happened. */
  values: number[];
}

/** The answer to a {@link SeriesQuery}: the step starts and every series with data in the window. */
export interface SeriesResult {
  fromMs: number;
  stepMs: number;
  /** Start of each step, epoch ms; step `i` covers `[steps[i], steps[i] + stepMs)`. */
  steps: number[];
  series: MetricSeries[];
}

/**
 * Where the analysis reads per-variant metrics from. Two implementations return the same shapes:
 * the embedded store (pushed metrics, see `embeddedMetricsSource`) and Prometheus (the same figures
 * as `sum by (variant, model, ...) (increase(<metric>{flag="..."}[step]))`).
 */
export interface MetricsSource {
  /** Increases per step of every series of one flag (summed over service instances) in the window. */
  readSeries(query: SeriesQuery): Promise<SeriesResult>;
}
