import type { Counter, Histogram, Registry } from 'prom-client';
import { ABSOLUTE_ERROR_BUCKETS } from './buckets.js';
import { type LabelGuard, type LabelLimit, OTHER_LABEL_VALUE } from './label-guard.js';
import { counterIn, histogramIn } from './lookup.js';
import { MetricName } from './names.js';
import { guardedCall, type Mode, type VariantLabels } from './variant-labels.js';

/** A prediction judged against its ground truth. */
export interface JudgedOutcome {
  /** Whether a predicted class was right. */
  readonly correct?: boolean | undefined;
  /** How far a numeric prediction was off. */
  readonly absoluteError?: number | undefined;
  /** The class predicted and the class it turned out to be: one cell of the confusion matrix. */
  readonly predictedClass?: string | undefined;
  readonly actualClass?: string | undefined;
}

/** Slice attribute → value of the request an outcome belongs to, e.g. `{ region: 'eu', plan: 'pro' }`. */
export type OutcomeSlices = Readonly<Record<string, string>>;

/**
 * Distinct `flaglens_outcomes_total` series one process keeps. Each label is capped, but their product
 * (classes² × slice values) is not: past this many, a new cell keeps its slices only if that cell is
 * already known, else folds classes and slices into `__other__`, so the count stays right and bounded.
 */
export const MAX_OUTCOME_SERIES = 5000;

/** Most slice attributes a service may declare; the control plane keeps up to 8 and analyses each. */
export const MAX_SLICE_LABELS = 4;
/** Distinct values learned per slice attribute unless `labelLimits` says otherwise; the analysis keeps the 20 largest. */
export const SLICE_VALUE_CAP = 20;

// Labels that already mean something on flaglens metrics, or are Prometheus's own.
const RESERVED = new Set([
  'flag',
  'variant',
  'model',
  'mode',
  'outcome',
  'class',
  'predicted_class',
  'actual_class',
  'le',
  'event',
  'type',
  'reason',
  'label',
]);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks declared slice attributes; throws a RangeError naming the first bad one. */
export function checkSliceLabels(names: readonly string[]): readonly string[] {
  if (names.length > MAX_SLICE_LABELS) throw new RangeError(`at most ${MAX_SLICE_LABELS} slice labels, got ${names.length}`);
  for (const name of names) {
    if (!LABEL_NAME.test(name) || name.startsWith('__'))
      throw new RangeError(`slice label ${JSON.stringify(name)} is not a Prometheus label name`);
    if (RESERVED.has(name)) throw new RangeError(`slice label ${JSON.stringify(name)} is reserved by flaglens`);
  }
  if (new Set(names).size !== names.length) throw new RangeError('slice labels must be distinct');
  return [...names];
}

/** Default guard limits of the slice labels: {@link SLICE_VALUE_CAP} learned values each. */
export const sliceLimits = (names: readonly string[]): Record<string, LabelLimit> =>
  Object.fromEntries(names.map((name) => [name, { cap: SLICE_VALUE_CAP }]));

/**
 * Outcome metrics: `flaglens_outcomes_total` counts judged classifications by `outcome` (correct,
 * incorrect) and by `predicted_class` × `actual_class`, so the control plane can build each variant's
 * confusion matrix, and by the declared slice labels, for per-segment quality; the absolute error of
 * numeric predictions goes to a histogram. Both carry `mode`, so a shadow's outcomes stay apart from
 * the served variant's. Classes share the guard's `class` allow-list and cap with the predicted-class counter.
 */
export class OutcomeMetrics {
  /** The declared slice labels, in declaration order. */
  readonly sliceLabels: readonly string[];
  readonly #guard: LabelGuard;
  readonly #outcomes: Counter<string>;
  readonly #absoluteError: Histogram<'flag' | 'variant' | 'model' | 'mode'>;
  readonly #unmatched: Counter<never>;
  readonly #onOverflow: ((label: string) => void) | undefined;
  readonly #series = new Set<string>();

  constructor(
    registry: Registry,
    guard: LabelGuard,
    options: {
      sliceLabels?: readonly string[];
      buckets?: readonly number[] | undefined;
      /** Called with `outcome_series` each time the series budget folds a cell, e.g. to count it. */
      onOverflow?: (label: string) => void;
    } = {},
  ) {
    this.#guard = guard;
    this.sliceLabels = checkSliceLabels(options.sliceLabels ?? []);
    this.#outcomes = counterIn(
      registry,
      MetricName.OUTCOMES,
      'Predictions judged against ground truth, per variant: correct or not, predicted × actual class.',
      ['flag', 'variant', 'model', 'mode', 'outcome', 'predicted_class', 'actual_class', ...this.sliceLabels],
    );
    this.#absoluteError = histogramIn(
      registry,
      MetricName.OUTCOME_ABSOLUTE_ERROR,
      'Absolute error of numeric predictions against ground truth, per variant.',
      ['flag', 'variant', 'model', 'mode'],
      options.buckets ?? ABSOLUTE_ERROR_BUCKETS,
    );
    this.#unmatched = counterIn(registry, MetricName.OUTCOMES_UNMATCHED, 'Outcomes whose prediction was unknown or already evicted.', []);
    this.#onOverflow = options.onOverflow;
  }

  /** Records one judged prediction; slice attributes that were not declared are ignored. */
  record(labels: VariantLabels, mode: Mode, judged: JudgedOutcome, slices?: OutcomeSlices): void {
    const l = guardedCall(this.#guard, labels, mode);
    if (judged.absoluteError !== undefined && Number.isFinite(judged.absoluteError)) this.#absoluteError.observe(l, judged.absoluteError);
    if (judged.correct === undefined) return;
    const counted: Record<string, string> = { ...l, outcome: judged.correct ? 'correct' : 'incorrect' };
    if (judged.predictedClass !== undefined) counted.predicted_class = this.#guard.value('class', judged.predictedClass);
    if (judged.actualClass !== undefined) counted.actual_class = this.#guard.value('class', judged.actualClass);
    for (const name of this.sliceLabels) {
      const value = slices?.[name];
      if (value !== undefined) counted[name] = this.#guard.value(name, value);
    }
    this.#outcomes.inc(this.#withinBudget(counted));
  }

  /** `counted`, or past {@link MAX_OUTCOME_SERIES} a known coarser cell: slices folded, then classes too. */
  #withinBudget(counted: Record<string, string>): Record<string, string> {
    const key = (labels: Record<string, string>) => JSON.stringify(labels);
    if (this.#series.size < MAX_OUTCOME_SERIES || this.#series.has(key(counted))) {
      this.#series.add(key(counted));
      return counted;
    }
    this.#onOverflow?.('outcome_series');
    const folded = { ...counted };
    for (const name of this.sliceLabels) if (name in folded) folded[name] = OTHER_LABEL_VALUE;
    if (this.#series.has(key(folded))) return folded;
    for (const name of ['predicted_class', 'actual_class']) if (name in folded) folded[name] = OTHER_LABEL_VALUE;
    // Bounded by the capped flag × variant × model × mode × outcome, so always admitted.
    this.#series.add(key(folded));
    return folded;
  }

  /** Counts an outcome that could not be joined to its prediction. */
  unmatched(): void {
    this.#unmatched.inc();
  }

  /** The declared slice attributes of an evaluation context, as label values (strings, numbers, booleans). */
  slicesOf(attributes: Readonly<Record<string, unknown>>): OutcomeSlices | undefined {
    let slices: Record<string, string> | undefined;
    for (const name of this.sliceLabels) {
      const value = attributes[name];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      slices ??= {};
      slices[name] = String(value);
    }
    return slices;
  }
}
