import type { Database, Queryable } from '../db/database';
import { bucketStart, resolutionFor } from './resolutions';
import { type StoredSeries, seriesFromStored } from './series';
import type { MetricsSource, SeriesQuery, SeriesResult } from './source';

const MINUTE_MS = 60_000;
/** Enough for a week of minutes (10,080); more points than that is a caller's mistake, not a chart. */
export const MAX_STEPS = 11_000;

const COLUMNS = 'metric, variant, model, labels, bounds, bucket_ms, value, histogram_sum, buckets';
const SERIES = 'metric, variant, model, labels, bounds';

/**
 * Runs `work` in a transaction (when `db` can open one) with room to hash-aggregate a day of minutes in
 * memory: the default work_mem makes the planner sort ~200,000 rows on disk instead, several times slower.
 */
function inTransaction<T>(db: Queryable, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const run = async (tx: Queryable) => {
    await tx.query(`set local work_mem = '64MB'`);
    await tx.query('set local enable_sort = off');
    return work(tx);
  };
  return 'transaction' in db && typeof db.transaction === 'function' ? (db as Database).transaction(run) : work(db);
}

/** A histogram is stored under its family name, so asking for `x_bucket` reads the rows of `x`. */
function storedNames(metrics: readonly string[]): string[] {
  const families = metrics.map((name) => /^(.*)_(?:bucket|sum|count)$/.exec(name)?.[1]).filter((f) => f !== undefined);
  return [...new Set([...metrics, ...families])];
}

/**
 * Reads one flag's series from the embedded store, summed over instances into steps. It reads the
 * coarsest roll-up whose buckets tile the steps, so a 30-day window at hourly steps reads hour rows,
 * plus the minutes that compaction has not rolled up yet; one statement, so one snapshot: a roll-up
 * committing meanwhile cannot make a minute count twice or not at all.
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
  if (query.metrics) params.push(storedNames(query.metrics));
  const where = `environment = $1 and flag = $2 and bucket_ms < $4::bigint ${query.metrics ? 'and metric = any($6::text[])' : ''}`;
  const minutes = `select ${COLUMNS} from metric_minutes where ${where}`;
  const source =
    resolution.name === 'minute'
      ? `${minutes} and bucket_ms >= $3::bigint`
      : `select ${COLUMNS} from ${resolution.table} where ${where} and bucket_ms >= $3::bigint
         union all
         ${minutes} and bucket_ms >= greatest($3::bigint, (select through_ms from metric_rollup))`;
  // One row per stored series with its rows as text (see StoredSeries); the steps are summed in JS.
  const rows = await inTransaction(db, (tx) =>
    tx.query<StoredSeries>(
      `select ${SERIES}, string_agg(
         ((bucket_ms - $3::bigint) / $5::bigint)::int || ':' || value ||
           case when bounds = '' then '' else ':' || coalesce(histogram_sum, 0) || ':' || coalesce(array_to_string(buckets, ',', ''), '') end,
         ';') as rows
       from (${source}) as source group by ${SERIES}`,
      params,
    ),
  );
  const starts = Array.from({ length: count }, (_, i) => fromMs + i * stepMs);
  const wanted = query.metrics ? new Set(query.metrics) : undefined;
  return { fromMs, stepMs, steps: starts, series: seriesFromStored(rows, count, wanted) };
}

/** The embedded implementation of {@link MetricsSource}: pushed metrics, aggregated in the control plane's store. */
export function embeddedMetricsSource(db: Queryable): MetricsSource {
  return { readSeries: (query) => readSeries(db, query) };
}
