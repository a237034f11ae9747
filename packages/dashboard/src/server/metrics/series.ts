import type { MetricSeries } from './source';

/**
 * The stored rows of one series (or histogram) in one step: scalar parts summed; a histogram's bucket
 * arrays as stored, one per row, for the caller to add up (a single series has `bounds` '' and nulls).
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
  buckets: number[][] | null;
}

const canonical = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));

/**
 * Turns stored steps into the series Prometheus would show: a histogram row becomes its
 * `_bucket` (one per `le`), `_sum` and `_count` series. A histogram part that did not change in
 * the window is left out, as a single series that did not change is never stored. Series come
 * sorted by metric, variant, model and labels; `wanted` keeps only those sample names.
 */
export function seriesFromSteps(rows: readonly StoredStep[], count: number, wanted?: ReadonlySet<string>): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  const withLe = new Map<string, string>();
  const add = (metric: string, row: StoredStep, labels: string, value: number | null) => {
    if (value === null || (wanted && !wanted.has(metric))) return;
    const key = `${metric}\u0000${row.variant}\u0000${row.model}\u0000${labels}`;
    let entry = series.get(key);
    if (!entry) {
      const parsed = JSON.parse(labels) as Record<string, string>;
      entry = { metric, variant: row.variant, model: row.model, labels: parsed, values: new Array<number>(count).fill(0) };
      series.set(key, entry);
    }
    entry.values[row.step] = (entry.values[row.step] ?? 0) + value;
  };
  for (const row of rows) {
    if (row.bounds === '') {
      add(row.metric, row, row.labels, row.value);
      continue;
    }
    if (row.value !== 0) add(`${row.metric}_count`, row, row.labels, row.value);
    if (row.histogram_sum !== 0) add(`${row.metric}_sum`, row, row.labels, row.histogram_sum);
    const bounds = row.bounds.split(',');
    for (const [i, le] of bounds.entries()) {
      let value = 0;
      for (const buckets of row.buckets ?? []) value += buckets[i] ?? 0;
      if (value === 0) continue;
      const key = `${row.labels}\u0000${le}`;
      let labels = withLe.get(key);
      if (labels === undefined) {
        labels = canonical({ ...(JSON.parse(row.labels) as Record<string, string>), le });
        withLe.set(key, labels);
      }
      add(`${row.metric}_bucket`, row, labels, value);
    }
  }
  // Code-unit order: what the C collation of both backends gave when the database sorted them.
  return [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}
