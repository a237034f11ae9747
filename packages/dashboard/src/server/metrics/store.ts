import type { Queryable } from '../db/database';
import { bucketStart, RESOLUTIONS } from './resolutions';

/** One series' increase to add to the store, keyed as the aggregate tables key it. */
export interface AggregateRow {
  flag: string;
  metric: string;
  variant: string;
  model: string;
  /** The remaining labels as canonical JSON (sorted keys). */
  labels: string;
  value: number;
}

/** How long an instance's last cumulative values are kept after its last push. */
export const INSTANCE_RETENTION_MS = 7 * 24 * 3_600_000;
/**
 * How long an accepted label value holds a place under its cap. A value still in use is simply
 * accepted again on its next push, so the caps bound the values of the last 30 days, not of all time.
 */
export const LABEL_VALUE_RETENTION_MS = 30 * 24 * 3_600_000;

/**
 * Adds increases observed at `atMs` to the minute, hour and day tables at once (roll-up on write):
 * three statements per push however many series, and reads never sum fine rows they could take
 * ready-made from a coarser table.
 */
export async function addAggregates(tx: Queryable, environment: string, atMs: number, rows: readonly AggregateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = {
    flag: rows.map((row) => row.flag),
    metric: rows.map((row) => row.metric),
    variant: rows.map((row) => row.variant),
    model: rows.map((row) => row.model),
    labels: rows.map((row) => row.labels),
    value: rows.map((row) => row.value),
  };
  for (const resolution of RESOLUTIONS) {
    await tx.query(
      `insert into ${resolution.table} (environment, flag, bucket_ms, metric, variant, model, labels, value)
       select $1, f, $2, m, v, mo, l, x
       from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[]) as t (f, m, v, mo, l, x)
       on conflict (environment, flag, bucket_ms, metric, variant, model, labels)
       do update set value = ${resolution.table}.value + excluded.value`,
      [
        environment,
        bucketStart(atMs, resolution.ms),
        columns.flag,
        columns.metric,
        columns.variant,
        columns.model,
        columns.labels,
        columns.value,
      ],
    );
  }
}

/** Rows removed by one {@link compactMetrics} run, by table. */
export type CompactionReport = Record<string, number>;

/**
 * Applies the retention policy as of `nowMs`: drops aggregate rows older than their level keeps,
 * instances silent for {@link INSTANCE_RETENTION_MS} with their cumulative values, and label values
 * older than {@link LABEL_VALUE_RETENTION_MS}. Idempotent, so every replica may run it.
 */
export async function compactMetrics(db: Queryable, nowMs: number): Promise<CompactionReport> {
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
