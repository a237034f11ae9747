import type { Confusion, EventCounts, Histogram, SliceCounts, VariantWindow } from '../analysis';
import type { MetricSeries, SeriesResult } from '../metrics/source';
import type { CompareMode } from './types';

/** The instrumentation's metric names (packages/instrumentation/src/metrics/names.ts), as they arrive. */
export const METRIC = {
  duration: 'flaglens_inference_duration_seconds',
  errors: 'flaglens_inference_errors_total',
  evaluations: 'flaglens_flag_evaluations_total',
  score: 'flaglens_prediction_score',
  predictedClass: 'flaglens_predicted_class_total',
  outcomes: 'flaglens_outcomes_total',
  absoluteError: 'flaglens_outcome_absolute_error',
  events: 'flaglens_business_events_total',
  eventValue: 'flaglens_business_event_value_total',
  eventValueSquared: 'flaglens_business_event_value_squared_total',
  cost: 'flaglens_llm_cost_usd_total',
} as const;

/** Every sample name the comparison reads, so a source fetches nothing else. */
export const COMPARE_METRICS: readonly string[] = [
  `${METRIC.duration}_bucket`,
  `${METRIC.duration}_sum`,
  `${METRIC.duration}_count`,
  METRIC.errors,
  METRIC.evaluations,
  `${METRIC.score}_bucket`,
  METRIC.predictedClass,
  METRIC.outcomes,
  `${METRIC.absoluteError}_bucket`,
  `${METRIC.absoluteError}_sum`,
  METRIC.events,
  METRIC.eventValue,
  METRIC.eventValueSquared,
  METRIC.cost,
];

/** What the drift-against-baseline figures read. */
export const BASELINE_METRICS: readonly string[] = [`${METRIC.score}_bucket`, METRIC.predictedClass];

/** Labels with a meaning of their own; any other label on a series is a slice attribute (region, plan, ...). */
const NON_SLICE_LABELS = new Set(['mode', 'reason', 'type', 'class', 'outcome', 'predicted_class', 'actual_class', 'event', 'le', 'label']);

/** A histogram per step: cumulative count per upper bound (`Infinity` for `+Inf`), and the `_sum` when read. */
export interface StepHistogram {
  buckets: Map<number, number[]>;
  sum?: number[];
}

/** Judged outcomes per step by predicted class, then actual class. */
export type ConfusionSteps = Map<string, Map<string, number[]>>;

/** Counted series of one slice value. */
interface SliceSteps {
  requests: number[];
  errors: number[];
  confusion: ConfusionSteps;
}

/** One business event per step: count, summed value and, when recorded, summed squared value. */
interface EventSteps {
  count: number[];
  value: number[];
  squares?: number[];
}

/** Everything read for one variant, per step, summed over models and instances. */
export interface VariantSteps {
  variant: string;
  /** Counted inference calls (`_count` of the duration histogram). */
  requests: number[];
  requestsByModel: Map<string, number[]>;
  errors: Map<string, number[]>;
  latency?: StepHistogram;
  score?: StepHistogram;
  absoluteError?: StepHistogram;
  predictedClasses: Map<string, number[]>;
  correct: number[];
  judged: number[];
  /** Outcomes that name their predicted and actual class. */
  confusion: ConfusionSteps;
  /** Estimated language-model cost in US dollars. */
  cost: number[];
  events: Map<string, EventSteps>;
  evaluations: Map<string, number[]>;
  /** Slice attribute → value → counters. */
  slices: Map<string, Map<string, SliceSteps>>;
}

const zeros = (n: number) => new Array<number>(n).fill(0);

function addInto(target: number[], values: readonly number[]): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) + (values[i] ?? 0);
}

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

const parseBound = (le: string) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));

/** A variant with no data in any of `n` steps. */
export function emptyVariantSteps(variant: string, n: number): VariantSteps {
  return {
    variant,
    requests: zeros(n),
    requestsByModel: new Map(),
    errors: new Map(),
    predictedClasses: new Map(),
    correct: zeros(n),
    judged: zeros(n),
    confusion: new Map(),
    cost: zeros(n),
    events: new Map(),
    evaluations: new Map(),
    slices: new Map(),
  };
}

function addHistogramSeries(target: StepHistogram | undefined, s: MetricSeries, part: 'bucket' | 'sum', n: number): StepHistogram {
  const h: StepHistogram = target ?? { buckets: new Map() };
  if (part === 'sum') {
    h.sum ??= zeros(n);
    addInto(h.sum, s.values);
  } else {
    const bound = parseBound(s.labels.le ?? '');
    // Same as `sum by (le)` in PromQL: equal bounds add up whatever other labels the series carry.
    if (!Number.isNaN(bound))
      addInto(
        entry(h.buckets, bound, () => zeros(n)),
        s.values,
      );
  }
  return h;
}

/** Adds an outcome series to a confusion matrix when it names both classes. */
function addConfusion(confusion: ConfusionSteps, s: MetricSeries, n: number): void {
  const { predicted_class: predicted, actual_class: actual } = s.labels;
  if (predicted === undefined || actual === undefined) return;
  addInto(
    entry(
      entry(confusion, predicted, () => new Map()),
      actual,
      () => zeros(n),
    ),
    s.values,
  );
}

function addSlices(v: VariantSteps, s: MetricSeries, field: 'requests' | 'errors' | 'confusion', n: number): void {
  for (const [attribute, value] of Object.entries(s.labels)) {
    if (NON_SLICE_LABELS.has(attribute)) continue;
    const slice = entry(
      entry(v.slices, attribute, () => new Map()),
      value,
      () => ({ requests: zeros(n), errors: zeros(n), confusion: new Map() }),
    );
    if (field === 'confusion') addConfusion(slice.confusion, s, n);
    else addInto(slice[field], s.values);
  }
}

const eventOf = (v: VariantSteps, s: MetricSeries, n: number): EventSteps =>
  entry(v.events, s.labels.event ?? '', () => ({ count: zeros(n), value: zeros(n) }));

/**
 * Groups a source's series by variant, per step: histograms by bucket bound, counters by their meaning
 * (errors by type, classes, outcomes, events by name, evaluations by reason). Series with a `mode` label
 * count only when it matches `mode` (`all` takes both); series without one (outcomes, events, evaluations)
 * always count. Series without a variant label are ignored.
 */
export function groupByVariant(result: SeriesResult, mode: CompareMode): Map<string, VariantSteps> {
  const n = result.steps.length;
  const variants = new Map<string, VariantSteps>();
  for (const s of result.series) {
    if (s.variant === '') continue;
    const seriesMode = s.labels.mode;
    if (seriesMode !== undefined && mode !== 'all' && seriesMode !== mode) continue;
    const v = entry(variants, s.variant, () => emptyVariantSteps(s.variant, n));
    switch (s.metric) {
      case `${METRIC.duration}_count`:
        addInto(v.requests, s.values);
        addInto(
          entry(v.requestsByModel, s.model, () => zeros(n)),
          s.values,
        );
        addSlices(v, s, 'requests', n);
        break;
      case `${METRIC.duration}_bucket`:
        v.latency = addHistogramSeries(v.latency, s, 'bucket', n);
        break;
      case `${METRIC.duration}_sum`:
        v.latency = addHistogramSeries(v.latency, s, 'sum', n);
        break;
      case METRIC.errors:
        addInto(
          entry(v.errors, s.labels.type ?? 'error', () => zeros(n)),
          s.values,
        );
        addSlices(v, s, 'errors', n);
        break;
      case `${METRIC.score}_bucket`:
        v.score = addHistogramSeries(v.score, s, 'bucket', n);
        break;
      case METRIC.predictedClass:
        addInto(
          entry(v.predictedClasses, s.labels.class ?? '', () => zeros(n)),
          s.values,
        );
        break;
      case METRIC.outcomes:
        addInto(v.judged, s.values);
        if (s.labels.outcome === 'correct') addInto(v.correct, s.values);
        addConfusion(v.confusion, s, n);
        addSlices(v, s, 'confusion', n);
        break;
      case `${METRIC.absoluteError}_bucket`:
        v.absoluteError = addHistogramSeries(v.absoluteError, s, 'bucket', n);
        break;
      case `${METRIC.absoluteError}_sum`:
        v.absoluteError = addHistogramSeries(v.absoluteError, s, 'sum', n);
        break;
      case METRIC.events:
        addInto(eventOf(v, s, n).count, s.values);
        break;
      case METRIC.eventValue:
        addInto(eventOf(v, s, n).value, s.values);
        break;
      case METRIC.eventValueSquared: {
        const e = eventOf(v, s, n);
        e.squares ??= zeros(n);
        addInto(e.squares, s.values);
        break;
      }
      case METRIC.cost:
        addInto(v.cost, s.values);
        break;
      case METRIC.evaluations:
        addInto(
          entry(v.evaluations, s.labels.reason ?? 'UNKNOWN', () => zeros(n)),
          s.values,
        );
        break;
    }
  }
  return variants;
}

/** Steps `[from, to)` of a per-step column, summed. */
export function sumSteps(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i] ?? 0;
  return total;
}

const sumMap = (map: Map<string, number[]>, from: number, to: number): Record<string, number> =>
  Object.fromEntries([...map].map(([key, values]) => [key, sumSteps(values, from, to)]));

/** A step histogram summed over steps `[from, to)`, as the analysis's cumulative {@link Histogram}. */
export function histogramOf(h: StepHistogram | undefined, from: number, to: number): Histogram | undefined {
  if (!h || h.buckets.size === 0) return undefined;
  const bounds = [...h.buckets.keys()].sort((a, b) => a - b);
  const histogram: Histogram = { bounds, counts: bounds.map((bound) => sumSteps(h.buckets.get(bound) ?? [], from, to)) };
  if (h.sum) histogram.sum = sumSteps(h.sum, from, to);
  return histogram;
}

/**
 * The confusion matrix of steps `[from, to)`, over the union of predicted and actual classes in code-unit
 * order; undefined when no outcome in the range names its classes.
 */
export function confusionOf(steps: ConfusionSteps, from: number, to: number): Confusion | undefined {
  const classes = new Set<string>();
  let total = 0;
  for (const [predicted, byActual] of steps) {
    for (const [actual, values] of byActual) {
      const count = sumSteps(values, from, to);
      if (count === 0) continue;
      total += count;
      classes.add(predicted).add(actual);
    }
  }
  if (total === 0) return undefined;
  const sorted = [...classes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const matrix = sorted.map((p) => sorted.map((a) => sumSteps(steps.get(p)?.get(a) ?? [], from, to)));
  return { classes: sorted, matrix };
}

/** Labelled outcomes of a variant as correct / judged, which outcomes without their classes also give. */
export interface OutcomeCounts {
  correct: number;
  judged: number;
}

/**
 * One variant's steps `[from, to)` as the analysis's {@link VariantWindow}, with its labelled outcomes
 * beside it (accuracy comes from those, see {@link OutcomeCounts}). A histogram with no observation in the
 * range is left out, so the analysis reports it as insufficient rather than comparing empty distributions.
 */
export function variantWindow(
  v: VariantSteps,
  weightBasisPoints: number,
  from: number,
  to: number,
): VariantWindow & { outcomes: OutcomeCounts } {
  const window: VariantWindow & { outcomes: OutcomeCounts } = {
    variant: v.variant,
    weightBasisPoints,
    requests: sumSteps(v.requests, from, to),
    errors: sumMap(v.errors, from, to),
    outcomes: { correct: sumSteps(v.correct, from, to), judged: sumSteps(v.judged, from, to) },
  };
  const observed = (h: Histogram | undefined) => (h && (h.counts.at(-1) ?? 0) > 0 ? h : undefined);
  const latency = observed(histogramOf(v.latency, from, to));
  if (latency) window.latency = latency;
  const score = observed(histogramOf(v.score, from, to));
  if (score) window.score = score;
  const absoluteError = observed(histogramOf(v.absoluteError, from, to));
  if (absoluteError) window.absoluteError = absoluteError;
  if (v.predictedClasses.size > 0) window.predictedClasses = sumMap(v.predictedClasses, from, to);
  const confusion = confusionOf(v.confusion, from, to);
  if (confusion) window.confusion = confusion;
  if (v.events.size > 0) {
    const events: Record<string, EventCounts> = {};
    for (const [name, e] of v.events) {
      const counts: EventCounts = { events: sumSteps(e.count, from, to), valueSum: sumSteps(e.value, from, to) };
      if (e.squares) counts.valueSumSquares = sumSteps(e.squares, from, to);
      events[name] = counts;
    }
    window.events = events;
  }
  if (v.slices.size > 0) {
    const slices: Record<string, Record<string, SliceCounts>> = {};
    for (const [attribute, values] of v.slices) {
      slices[attribute] = Object.fromEntries(
        [...values].map(([value, c]) => {
          const counts: SliceCounts = { requests: sumSteps(c.requests, from, to), errors: sumSteps(c.errors, from, to) };
          const sliceConfusion = confusionOf(c.confusion, from, to);
          if (sliceConfusion) counts.confusion = sliceConfusion;
          return [value, counts];
        }),
      );
    }
    window.slices = slices;
  }
  return window;
}
