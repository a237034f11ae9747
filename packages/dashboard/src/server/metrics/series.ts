import type { MetricSeries } from './source';

/**
 * The stored rows of one series (or histogram) in one step, summed: a histogram's bucket increases
 * added element by element (a single series has `bounds` '' and nulls).
 */
export interface StoredStep {
  metric: string;
  variant: string;
  model: string;
  labels: string;
  bounds: string;
  step: number;
  /** A series' increase, or a histogram's count increase. */
  value: number;
  histogram_sum: number | null;
  /** A histogram's bucket increases, aligned with `bounds` (longer arrays are read past their end as 0). */
  buckets: number[] | null;
}

const canonical = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));

/** The output series one stored series (or histogram) adds to; undefined where a part is not wanted. */
interface Targets {
  value: MetricSeries | undefined;
  count: MetricSeries | undefined;
  sum: MetricSeries | undefined;
  /** Per `le`, created on its first non-zero step. */
  buckets: (MetricSeries | null | undefined)[];
  bounds: string[];
}

/**
 * Turns stored steps into the series Prometheus would show: a histogram row becomes its
 * `_bucket` (one per `le`), `_sum` and `_count` series. A histogram part that did not change in
 * the window is left out, as a single series that did not change is never stored. Series come
 * sorted by metric, variant, model and labels; `wanted` keeps only those sample names.
 */
export function seriesFromSteps(rows: readonly StoredStep[], count: number, wanted?: ReadonlySet<string>): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  const entry = (metric: string, row: StoredStep, labels: string, parsed?: Record<string, string>): MetricSeries | undefined => {
    if (wanted && !wanted.has(metric)) return undefined;
    const key = `${metric}\u0000${row.variant}\u0000${row.model}\u0000${labels}`;
    let found = series.get(key);
    if (!found) {
      const values = new Array<number>(count).fill(0);
      found = { metric, variant: row.variant, model: row.model, labels: parsed ?? (JSON.parse(labels) as Record<string, string>), values };
      series.set(key, found);
    }
    return found;
  };
  // One lookup per stored row; the output series (and their label JSON) are worked out once per stored series.
  const stored = new Map<string, Targets>();
  const targetsOf = (row: StoredStep): Targets => {
    const key = `${row.metric}\u0000${row.variant}\u0000${row.model}\u0000${row.labels}\u0000${row.bounds}`;
    let targets = stored.get(key);
    if (!targets) {
      targets =
        row.bounds === ''
          ? { value: undefined, count: undefined, sum: undefined, buckets: [], bounds: [] }
          : { value: undefined, count: undefined, sum: undefined, buckets: [], bounds: row.bounds.split(',') };
      stored.set(key, targets);
    }
    return targets;
  };
  const part = (target: MetricSeries | undefined, step: number, value: number) => {
    if (target) target.values[step] = (target.values[step] ?? 0) + value;
  };
  for (const row of rows) {
    const targets = targetsOf(row);
    if (row.bounds === '') {
      targets.value ??= entry(row.metric, row, row.labels);
      part(targets.value, row.step, row.value);
      continue;
    }
    if (row.value !== 0) {
      targets.count ??= entry(`${row.metric}_count`, row, row.labels);
      part(targets.count, row.step, row.value);
    }
    if (row.histogram_sum !== null && row.histogram_sum !== 0) {
      targets.sum ??= entry(`${row.metric}_sum`, row, row.labels);
      part(targets.sum, row.step, row.histogram_sum);
    }
    const buckets = row.buckets ?? [];
    for (let i = 0; i < targets.bounds.length; i++) {
      const value = buckets[i] ?? 0;
      if (value === 0) continue;
      let target = targets.buckets[i];
      if (target === undefined) {
        const labels = { ...(JSON.parse(row.labels) as Record<string, string>), le: targets.bounds[i] as string };
        const text = canonical(labels);
        target = entry(`${row.metric}_bucket`, row, text, JSON.parse(text) as Record<string, string>) ?? null;
        targets.buckets[i] = target;
      }
      if (target) target.values[row.step] = (target.values[row.step] ?? 0) + value;
    }
  }
  // Code-unit order: what the C collation of both backends gave when the database sorted them.
  return [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}
