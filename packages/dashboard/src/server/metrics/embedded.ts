import type { Database, Queryable } from '../db/database';
import { bucketStart, resolutionFor } from './resolutions';
import { type StoredStep, seriesFromSteps } from './series';
import type { MetricsSource, SeriesQuery, SeriesResult } from './source';

const MINUTE_MS = 60_000;
/** Enough for a week of minutes (10,080); more points than that is a caller's mistake, not a chart. */
export const MAX_STEPS = 11_000;

const COLUMNS = 'metric, variant, model, labels, bounds, bucket_ms, value, histogram_sum, buckets';
const GROUP = 'metric, variant, model, labels, bounds, step';

/** Bucket arrays are summed element by element in SQL for this many elements; a wider histogram is read again. */
const BUCKET_WIDTH = 16;
/** `sum(buckets[1]), ..., sum(buckets[width])`: one array per step, with no row per bucket and no array of arrays to parse. */
const elementSums = (width: number) => Array.from({ length: width }, (_, i) => `sum(buckets[${i + 1}])`).join(', ');

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

/** A step as read, with the length of its widest stored bucket array. */
type SummedStep = StoredStep & { width: number | null };

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
  const read = (width: number) =>
    inTransaction(db, (tx) =>
      tx.query<SummedStep>(
        `with stepped as (
           select metric, variant, model, labels, bounds, ((bucket_ms - $3::bigint) / $5::bigint)::int as step, value, histogram_sum, buckets
           from (${source}) as source
         )
         select ${GROUP}, sum(value)::float8 as value, sum(histogram_sum)::float8 as histogram_sum,
           case when bounds <> '' then array[${elementSums(width)}]::float8[] end as buckets, max(cardinality(buckets)) as width
         from stepped group by ${GROUP}`,
        params,
      ),
    );
  let rows = await read(BUCKET_WIDTH);
  // A histogram with more buckets than the sums cover (rare): read again with room for all of them.
  const widest = rows.reduce((max, row) => Math.max(max, row.width ?? 0), 0);
  if (widest > BUCKET_WIDTH) rows = await read(widest);
  const starts = Array.from({ length: count }, (_, i) => fromMs + i * stepMs);
  const wanted = query.metrics ? new Set(query.metrics) : undefined;
  return { fromMs, stepMs, steps: starts, series: seriesFromSteps(rows, count, wanted) };
}

/** The embedded implementation of {@link MetricsSource}: pushed metrics, aggregated in the control plane's store. */
export function embeddedMetricsSource(db: Queryable): MetricsSource {
  return { readSeries: (query) => readSeries(db, query) };
}
