import type { Histogram } from 'prom-client';
import { type LabelGuard, OTHER_LABEL_VALUE } from './label-guard.js';
import { type Series, SeriesHistogram } from './series-histogram.js';
import { guardedCall, type Mode, type VariantLabels } from './variant-labels.js';

type CallLabelNames = 'flag' | 'variant' | 'model' | 'mode';

/** A histogram on the inference path: ours, or prom-client's when a same-named one was registered first. */
export type CallHistogram = SeriesHistogram | Histogram<CallLabelNames>;

/** The guarded labels of one (flag, variant, model, mode), and its series in each call histogram. */
export interface CallLabels {
  readonly labels: Readonly<Record<CallLabelNames, string>>;
  readonly series: Map<CallHistogram, Series>;
}

/**
 * Remembers, per raw (flag, variant, model, mode), the labels the guard admitted and the series they
 * observe into, so a repeated combination costs four Map lookups instead of four guard checks, a
 * label object and a series search. Only combinations the guard admitted whole are remembered: an
 * admitted value stays admitted, so the entry never goes stale, while a value turned into
 * `__other__` goes through the guard every time and keeps being counted as an overflow. The cache
 * is bounded by the guard's caps, like the series themselves.
 */
export class CallLabelCache {
  readonly #guard: LabelGuard;
  readonly #byFlag = new Map<string, Map<string, Map<string, Map<string, CallLabels>>>>();

  constructor(guard: LabelGuard) {
    this.#guard = guard;
  }

  /** The entry for these labels. */
  get(labels: VariantLabels, mode: Mode): CallLabels {
    const hit = this.#byFlag.get(labels.flag)?.get(labels.variant)?.get(labels.model)?.get(mode);
    if (hit) return hit;
    const guarded = guardedCall(this.#guard, labels, mode);
    const entry: CallLabels = { labels: guarded, series: new Map() };
    if (Object.values(guarded).includes(OTHER_LABEL_VALUE)) return entry;
    const variants = child(this.#byFlag, labels.flag);
    child(child(variants, labels.variant), labels.model).set(mode, entry);
    return entry;
  }
}

/** Observes `value` into `histogram` for the entry's labels: the series fast path when the histogram is ours. */
export function observeCall(histogram: CallHistogram, entry: CallLabels, value: number): void {
  if (!(histogram instanceof SeriesHistogram)) {
    histogram.observe(entry.labels, value);
    return;
  }
  let series = entry.series.get(histogram);
  if (!series) {
    const l = entry.labels;
    series = histogram.series(histogram.labelNames.map((name) => l[name as CallLabelNames] ?? ''));
    entry.series.set(histogram, series);
  }
  histogram.observeInto(series, value);
}

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (!next) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}
