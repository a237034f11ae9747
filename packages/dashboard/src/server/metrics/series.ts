import type { MetricSeries } from './source';

/**
 * One stored series (or histogram) over a window as the store returns it: its stored rows in the window as
 * one text, `;`-separated, each `step:value` (a single series) or `step:count:sum:bucket,bucket,...` (a
 * histogram, buckets aligned with `bounds`), in any order; rows in the same step add up. One row per series
 * with numbers as text spares both the database (no per-step, per-bucket sums) and its driver (no row or
 * array per step to decode) most of their work: a week of hourly rows is ~150 rows instead of ~13,000.
 */
export interface StoredSeries {
  metric: string;
  variant: string;
  model: string;
  labels: string;
  bounds: string;
  rows: string;
}

const canonical = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));

/**
 * Turns stored series into the series Prometheus would show: a histogram becomes its `_bucket` (one
 * per `le`), `_sum` and `_count` series. A histogram part that did not change in the window is left
 * out, as a single series that did not change is never stored. Series come sorted by metric, variant,
 * model and labels; `wanted` keeps only those sample names.
 */
export function seriesFromStored(stored: readonly StoredSeries[], count: number, wanted?: ReadonlySet<string>): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  // Rows with the same labels but other bounds (a histogram whose buckets changed) add to the same output series.
  const entry = (metric: string, row: StoredSeries, labels: string, parsed?: Record<string, string>): MetricSeries | undefined => {
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
  for (const row of stored) {
    const entries = row.rows.split(';');
    if (row.bounds === '') {
      // A stored single series is shown even when its increases are 0.
      const target = entry(row.metric, row, row.labels);
      if (!target) continue;
      for (const text of entries) {
        const colon = text.indexOf(':');
        const step = Number(text.slice(0, colon));
        target.values[step] = (target.values[step] ?? 0) + Number(text.slice(colon + 1));
      }
      continue;
    }
    const bounds = row.bounds.split(',');
    // Output parts: 0 `_count`, 1 `_sum`, then one `_bucket` per bound; made on their first non-zero value.
    const parts: (MetricSeries | undefined | null)[] = new Array(bounds.length + 2).fill(null);
    const make = (part: number): MetricSeries | undefined => {
      if (part === 0) return entry(`${row.metric}_count`, row, row.labels);
      if (part === 1) return entry(`${row.metric}_sum`, row, row.labels);
      const text = canonical({ ...(JSON.parse(row.labels) as Record<string, string>), le: bounds[part - 2] as string });
      return entry(`${row.metric}_bucket`, row, text, JSON.parse(text) as Record<string, string>);
    };
    const add = (part: number, step: number, value: number) => {
      if (value === 0) return;
      let target = parts[part];
      if (target === null) {
        target = make(part);
        parts[part] = target;
      }
      if (target) target.values[step] = (target.values[step] ?? 0) + value;
    };
    for (const text of entries) {
      const [step, value, sum, buckets] = text.split(':');
      const at = Number(step);
      add(0, at, Number(value));
      add(1, at, Number(sum));
      // A stored array shorter than the bounds reads as 0 past its end.
      const increases = (buckets ?? '').split(',');
      for (let i = 0; i < bounds.length; i++) add(i + 2, at, Number(increases[i] ?? 0));
    }
  }
  // Code-unit order: what the C collation of both backends gave when the database sorted them.
  return [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}
