import type { Queryable } from '../db/database';
import { bucketStart, resolutionFor } from './resolutions';
import type { MetricSeries, MetricsSource, SeriesQuery, SeriesResult } from './source';

const MINUTE_MS = 60_000;
/** Enough for a week of minutes (10,080); more points than that is a caller's mistake, not a chart. */
export const MAX_STEPS = 11_000;

interface Row {
  metric: string;
  variant: string;
  model: string;
  labels: string;
  step: number;
  value: number;
}

/**
 * Reads one flag's series from the embedded store, summed over instances into steps. It reads the
 * coarsest roll-up whose buckets tile the steps, so a 30-day window at hourly steps reads hour rows.
 */
export async function readSeries(db: Queryable, query: SeriesQuery): Promise<SeriesResult> {
  const fromMs = bucketStart(query.fromMs, MINUTE_MS);
  const stepMs = Math.max(1, Math.ceil(query.stepMs / MINUTE_MS)) * MINUTE_MS;
  const count = Math.max(1, Math.ceil((query.toMs - fromMs) / stepMs));
  if (!Number.isFinite(count) || count > MAX_STEPS)
    throw new RangeError(`a series query may have at most ${MAX_STEPS} steps, not ${count}`);
  const endMs = fromMs + count * stepMs;
  const resolution = resolutionFor(fromMs, stepMs);
  const params: unknown[] = [query.environment, query.flag, fromMs, endMs, stepMs];
  if (query.metrics) params.push([...query.metrics]);
  const rows = await db.query<Row>(
    `select metric, variant, model, labels, ((bucket_ms - $3::bigint) / $5::bigint)::int as step, sum(value)::float8 as value
     from ${resolution.table}
     where environment = $1 and flag = $2 and bucket_ms >= $3::bigint and bucket_ms < $4::bigint
       ${query.metrics ? 'and metric = any($6::text[])' : ''}
     group by metric, variant, model, labels, step
     order by metric, variant, model, labels`,
    params,
  );
  const series = new Map<string, MetricSeries>();
  for (const row of rows) {
    const key = `${row.metric}\u0000${row.variant}\u0000${row.model}\u0000${row.labels}`;
    let entry = series.get(key);
    if (!entry) {
      const labels = JSON.parse(row.labels) as Record<string, string>;
      entry = { metric: row.metric, variant: row.variant, model: row.model, labels, values: new Array<number>(count).fill(0) };
      series.set(key, entry);
    }
    entry.values[row.step] = row.value;
  }
  const steps = Array.from({ length: count }, (_, i) => fromMs + i * stepMs);
  return { fromMs, stepMs, steps, series: [...series.values()] };
}

/** The embedded implementation of {@link MetricsSource}: pushed metrics, aggregated in the control plane's store. */
export function embeddedMetricsSource(db: Queryable): MetricsSource {
  return { readSeries: (query) => readSeries(db, query) };
}
