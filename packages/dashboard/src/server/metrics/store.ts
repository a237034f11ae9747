import type { Database, Queryable } from '../db/database';
import { bucketStart, RESOLUTIONS, type Resolution } from './resolutions';
import { rollUp } from './rollup';
import { upsertSql } from './upsert';

/**
 * One increase to add to the store, keyed as the aggregate tables key it: a single series, or a
 * whole histogram (its buckets, sum and count) as one row.
 */
export interface AggregateRow {
  flag: string;
  /** The sample name of a single series; a histogram's family name (without `_bucket`). */
  metric: string;
  variant: string;
  model: string;
  /** The remaining labels as canonical JSON (sorted keys); a histogram's without `le`. */
  labels: string;
  /** A histogram's `le` values in ascending order, comma-separated; '' for a single series. */
  bounds: string;
  /** A series' increase, or a histogram's count increase. */
  value: number;
  /** A histogram's sum increase; null for a single series. */
  histogramSum: number | null;
  /** A histogram's bucket increases (cumulative over `le`, as exposed), aligned with `bounds`; null for a single series. */
  buckets: readonly number[] | null;
}

/** The columns that name a series: every key column of a row but `bounds`. */
export type SeriesKey = Pick<AggregateRow, 'flag' | 'metric' | 'variant' | 'model' | 'labels'>;

/** The row of a single series' increase. */
export function seriesRow({ flag, metric, variant, model, labels }: SeriesKey, value: number): AggregateRow {
  return { flag, metric, variant, model, labels, bounds: '', value, histogramSum: null, buckets: null };
}

/** The row of a whole histogram's increases; `bounds` ascending, `buckets` cumulative and aligned with them. */
export function histogramRow(
  { flag, metric, variant, model, labels }: SeriesKey,
  increases: { bounds: readonly string[]; buckets: readonly number[]; count: number; sum: number },
): AggregateRow {
  const { bounds, buckets, count, sum } = increases;
  return { flag, metric, variant, model, labels, bounds: bounds.join(','), value: count, histogramSum: sum, buckets };
}

/** How long an instance's last cumulative values are kept after its last push. */
export const INSTANCE_RETENTION_MS = 7 * 24 * 3_600_000;
/**
 * How long an accepted label value holds a place under its cap. A value still in use is simply
 * accepted again on its next push, so the caps bound the values of the last 30 days, not of all time.
 */
export const LABEL_VALUE_RETENTION_MS = 30 * 24 * 3_600_000;

const MINUTE_MS = 60_000;
const PUSH_ROWS = `select $1, f, $2::bigint, m, v, mo, l, b, x, s, a::float8[]
  from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::text[])
    as t (f, m, v, mo, l, b, x, s, a)`;

/**
 * Adds increases observed at `atMs` to the minute table, one statement per push however many rows.
 * The hour and day tables are built from minutes by {@link compactMetrics}; only a late push, into a
 * minute already rolled up, is added to them here as well, so their sums stay exact.
 */
export async function addAggregates(tx: Queryable, environment: string, atMs: number, rows: readonly AggregateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = [
    rows.map((row) => row.flag),
    rows.map((row) => row.metric),
    rows.map((row) => row.variant),
    rows.map((row) => row.model),
    rows.map((row) => row.labels),
    rows.map((row) => row.bounds),
    rows.map((row) => row.value),
    rows.map((row) => row.histogramSum),
    // Passed as array literals: unnest would flatten an array of arrays.
    rows.map((row) => (row.buckets === null ? null : `{${row.buckets.join(',')}}`)),
  ];
  const [minute, ...coarser] = RESOLUTIONS as [Resolution, ...Resolution[]];
  // The roll-up mark comes back from the same statement. Its shared lock lets pushes run side by side,
  // while a roll-up (which takes it exclusively) waits for the pushes in progress, and they for it.
  const [mark] = await tx.query<{ through: number }>(
    `with mark as (select through_ms from metric_rollup for share),
       added as (${upsertSql(minute.table, PUSH_ROWS)} returning 1)
     select (select through_ms from mark)::float8 as through`,
    [environment, bucketStart(atMs, minute.ms), ...columns],
  );
  if (bucketStart(atMs, MINUTE_MS) >= (mark?.through ?? 0)) return;
  for (const resolution of coarser) {
    await tx.query(upsertSql(resolution.table, PUSH_ROWS), [environment, bucketStart(atMs, resolution.ms), ...columns]);
  }
}

/** Rows removed by one {@link compactMetrics} run, by table. */
export type CompactionReport = Record<string, number>;

/**
 * Rolls the minutes up to `nowMs` into the hour and day tables, then applies the retention policy:
 * drops aggregate rows older than their level keeps, instances silent for {@link INSTANCE_RETENTION_MS}
 * with their cumulative values, and label values older than {@link LABEL_VALUE_RETENTION_MS}.
 * Idempotent, so every replica may run it.
 */
export async function compactMetrics(db: Database, nowMs: number): Promise<CompactionReport> {
  // First, so no minute is dropped before its hour and day hold it.
  await rollUp(db, nowMs);
  const report: CompactionReport = {};
  const remove = async (table: string, column: string, before: number) => {
    const rows = await db.query<{ n: number }>(
      `with gone as (delete from ${table} where ${column} < $1 returning 1) select count(*)::int as n from gone`,
      [before],
    );
    report[table] = rows[0]?.n ?? 0;
  };
  for (const resolution of RESOLUTIONS) {
    // A bucket goes once all of it is older than the retention.
    await remove(resolution.table, 'bucket_ms', bucketStart(nowMs - resolution.retentionMs, resolution.ms));
  }
  await remove('metric_instances', 'last_push_ms', nowMs - INSTANCE_RETENTION_MS);
  await remove('metric_label_values', 'added_ms', nowMs - LABEL_VALUE_RETENTION_MS);
  return report;
}
