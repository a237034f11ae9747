import { type Counter, register as defaultRegistry, type Registry } from 'prom-client';
import type { RequestTally } from '../context/active.js';
import { type VariantActivity, variantActivityIn } from '../health/variant-activity.js';
import { DURATION_BUCKETS, SCORE_BUCKETS } from './buckets.js';
import { type CallHistogram, CallLabelCache, observeCall } from './call-labels.js';
import { LabelGuard, type LabelLimit } from './label-guard.js';
import { LlmMetrics } from './llm-metrics.js';
import { counterIn, seriesHistogramIn } from './lookup.js';
import { MetricName } from './names.js';
import { type JudgedOutcome, OutcomeMetrics, type OutcomeSlices, sliceLimits } from './outcome-metrics.js';
import { ShadowMetrics } from './shadow-metrics.js';
import type { Mode, VariantLabels } from './variant-labels.js';

export type { Mode, VariantLabels } from './variant-labels.js';

/** Options for {@link VariantMetrics}. */
export interface VariantMetricsOptions {
  /** Registry to register in; prom-client's default registry (the one `/metrics` usually serves) if omitted. */
  readonly registry?: Registry;
  /** Per-label allow-lists and caps, e.g. `{ class: { allow: ['spam', 'ham'], cap: 0 } }`. */
  readonly labelLimits?: Readonly<Record<string, LabelLimit>>;
  /**
   * Slice attributes outcomes carry as labels (at most 4, e.g. `['region', 'plan']`), for quality per
   * segment; each learns up to 20 values unless `labelLimits` names it. Fixed when the metrics are created.
   */
  readonly sliceLabels?: readonly string[];
  /** Histogram buckets; they apply only when this call creates the metric. */
  readonly buckets?: {
    readonly duration?: readonly number[];
    readonly score?: readonly number[];
    readonly absoluteError?: readonly number[];
  };
}

const MODES: LabelLimit = { allow: ['served', 'shadow'], cap: 0 };
const OUTCOMES: LabelLimit = { allow: ['correct', 'incorrect'], cap: 0 };
const REASONS: LabelLimit = { allow: ['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED', 'ERROR', 'CACHED', 'UNKNOWN'], cap: 0 };

/**
 * The per-variant prom-client metrics. Every label value passes a {@link LabelGuard}, so no caller
 * can grow the series count past the configured caps.
 */
export class VariantMetrics {
  /** The registry the metrics live in. */
  readonly registry: Registry;
  /** The guard every label value passes through. */
  readonly guard: LabelGuard;
  readonly #duration: CallHistogram;
  readonly #errors: Counter<'flag' | 'variant' | 'model' | 'mode' | 'type'>;
  readonly #evaluations: Counter<'flag' | 'variant' | 'reason'>;
  readonly #score: CallHistogram;
  readonly #calls: CallLabelCache;
  readonly #predictedClass: Counter<'flag' | 'variant' | 'model' | 'mode' | 'class'>;
  readonly #events: Counter<'flag' | 'variant' | 'event'>;
  readonly #eventValue: Counter<'flag' | 'variant' | 'event'>;
  readonly #eventValueSquared: Counter<'flag' | 'variant' | 'event'>;
  /** Outcomes: correct / incorrect, predicted × actual class, slices, absolute error. */
  readonly outcomes: OutcomeMetrics;
  /** Shadow agreement and dropped shadow calls. */
  readonly shadow: ShadowMetrics;
  /** Language-model tokens and cost. */
  readonly llm: LlmMetrics;
  /** Which variants ran recently (`flaglens_variant_active`). */
  readonly activity: VariantActivity;

  constructor(options: VariantMetricsOptions = {}) {
    const r = options.registry ?? defaultRegistry;
    this.registry = r;
    const overflow = counterIn(r, MetricName.LABEL_OVERFLOW, 'Label values replaced by __other__ by the cardinality guard.', ['label']);
    this.guard = new LabelGuard(
      {
        mode: MODES,
        outcome: OUTCOMES,
        reason: REASONS,
        type: { cap: 20 },
        ...sliceLimits(options.sliceLabels ?? []),
        ...options.labelLimits,
      },
      { onOverflow: (label) => overflow.inc({ label }) },
    );
    const b = options.buckets ?? {};
    const variant = ['flag', 'variant', 'model'] as const;
    this.#duration = seriesHistogramIn(
      r,
      MetricName.INFERENCE_DURATION,
      'Inference call duration per variant.',
      [...variant, 'mode'],
      b.duration ?? DURATION_BUCKETS,
    );
    this.#errors = counterIn(r, MetricName.INFERENCE_ERRORS, 'Failed inference calls per variant, by error type.', [
      ...variant,
      'mode',
      'type',
    ]);
    this.#evaluations = counterIn(r, MetricName.FLAG_EVALUATIONS, 'Flag evaluations per variant, by reason.', [
      'flag',
      'variant',
      'reason',
    ]);
    this.#score = seriesHistogramIn(
      r,
      MetricName.PREDICTION_SCORE,
      'Prediction scores per variant.',
      [...variant, 'mode'],
      b.score ?? SCORE_BUCKETS,
    );
    this.#predictedClass = counterIn(r, MetricName.PREDICTED_CLASS, 'Predicted classes per variant.', [...variant, 'mode', 'class']);
    this.outcomes = new OutcomeMetrics(r, this.guard, {
      sliceLabels: options.sliceLabels ?? [],
      buckets: b.absoluteError,
      onOverflow: (label) => overflow.inc({ label }),
    });
    this.#events = counterIn(r, MetricName.BUSINESS_EVENTS, 'Business events per variant.', ['flag', 'variant', 'event']);
    this.#eventValue = counterIn(r, MetricName.BUSINESS_EVENT_VALUE, 'Sum of business event values per variant.', [
      'flag',
      'variant',
      'event',
    ]);
    this.#eventValueSquared = counterIn(
      r,
      MetricName.BUSINESS_EVENT_VALUE_SQUARED,
      "Sum over requests of the request's business event value squared, per variant: for the variance of value per request.",
      ['flag', 'variant', 'event'],
    );
    this.#calls = new CallLabelCache(this.guard);
    this.shadow = new ShadowMetrics(r, this.guard);
    this.llm = new LlmMetrics(r, this.guard);
    this.activity = variantActivityIn(r);
  }

  /** Records one inference call's duration, and its error type if it failed. */
  inference(labels: VariantLabels, mode: Mode, seconds: number, errorType?: string): void {
    const entry = this.#calls.get(labels, mode);
    const l = entry.labels;
    observeCall(this.#duration, entry, seconds);
    this.activity.touch(l.flag, l.variant);
    if (errorType !== undefined) this.#errors.inc({ ...l, type: this.guard.value('type', errorType) });
  }

  /** Counts one flag evaluation. */
  evaluation(flag: string, variant: string, reason: string): void {
    this.#evaluations.inc({
      flag: this.guard.value('flag', flag),
      variant: this.guard.value('variant', variant),
      reason: this.guard.value('reason', reason),
    });
  }

  /** Records what a model predicted: a score, a class, or both. */
  prediction(labels: VariantLabels, mode: Mode, prediction: { score?: number | undefined; class?: string | undefined }): void {
    const entry = this.#calls.get(labels, mode);
    const l = entry.labels;
    if (prediction.score !== undefined && Number.isFinite(prediction.score)) observeCall(this.#score, entry, prediction.score);
    if (prediction.class !== undefined) this.#predictedClass.inc({ ...l, class: this.guard.value('class', prediction.class) });
  }

  /**
   * Records a prediction judged against ground truth: by the served call (default) or a shadow run, with
   * the declared slice attributes of its request.
   */
  outcome(labels: VariantLabels, judged: JudgedOutcome, scope: { mode?: Mode; slices?: OutcomeSlices | undefined } = {}): void {
    this.outcomes.record(labels, scope.mode ?? 'served', judged, scope.slices);
  }

  /** Counts an outcome that could not be joined to its prediction. */
  unmatchedOutcome(): void {
    this.outcomes.unmatched();
  }

  /**
   * Counts a business event for a variant and adds its value, if any, to Σ value and to Σ value² per
   * request (see the README's metric table). Within one request (`tally`), a value v on top of the
   * request's earlier value e adds (e + v)² − e², so the request ends at (its whole value)²; without
   * one, the event is a request of its own.
   */
  businessEvent(flag: string, variant: string, event: string, value?: number, tally?: RequestTally): void {
    const l = {
      flag: this.guard.value('flag', flag),
      variant: this.guard.value('variant', variant),
      event: this.guard.value('event', event),
    };
    this.#events.inc(l);
    if (value === undefined || !Number.isFinite(value) || value < 0) return;
    this.#eventValue.inc(l, value);
    if (!tally) {
      this.#eventValueSquared.inc(l, value * value);
      return;
    }
    const key = `${l.flag}\u0000${l.variant}\u0000${l.event}`;
    tally.eventValues ??= new Map();
    const earlier = tally.eventValues.get(key) ?? 0;
    tally.eventValues.set(key, earlier + value);
    this.#eventValueSquared.inc(l, value * (2 * earlier + value));
  }
}
