import type { Database } from '../db/database';
import { bucketStart, RESOLUTIONS } from './resolutions';
import { AGGREGATE_KEY, upsertSql } from './upsert';

const MINUTE_MS = 60_000;
// Pushes carry their own time and arrive a little after it (clocks drift up to the 5 minutes ingest
// accepts); rolling up only minutes this old leaves nearly every push in minutes not rolled up yet,
// so it writes one table, not three.
export const ROLLUP_DELAY_MS = 5 * MINUTE_MS;

/**
 * The minutes in [`from`, `to`) summed into buckets of `width` ms (three SQL expressions), as aggregate
 * rows; bucket arrays summed element by element.
 */
export const rolledMinutesSql = (from: string, to: string, width: string) => `with minutes as (
    select environment, flag, bucket_ms - bucket_ms % ${width} as bucket_ms, metric, variant, model, labels, bounds,
      value, histogram_sum, buckets
    from metric_minutes where bucket_ms >= ${from} and bucket_ms < ${to}
  ), elements as (
    select ${AGGREGATE_KEY}, u.i, sum(u.x) as x
    from minutes cross join unnest(minutes.buckets) with ordinality as u (x, i)
    group by ${AGGREGATE_KEY}, u.i
  ), arrays as (
    select ${AGGREGATE_KEY}, array_agg(x order by i) as buckets from elements group by ${AGGREGATE_KEY}
  ), scalars as (
    select ${AGGREGATE_KEY}, sum(value) as value, sum(histogram_sum) as histogram_sum from minutes group by ${AGGREGATE_KEY}
  )
  select ${AGGREGATE_KEY}, scalars.value, scalars.histogram_sum, arrays.buckets
  from scalars left join arrays using (${AGGREGATE_KEY})`;

const ROLLED_MINUTES = rolledMinutesSql('$1::bigint', '$2::bigint', '$3::bigint');

/**
 * Adds the minutes not yet rolled up, up to {@link ROLLUP_DELAY_MS} before `nowMs`, to every coarser
 * table, and moves the mark that says how far they go (never backwards). One transaction holding
 * the mark's row lock: pushes wait for it, and a push into an earlier minute afterwards adds to the
 * coarser tables itself. Returns the new mark.
 */
export async function rollUp(db: Database, nowMs: number): Promise<number> {
  return db.transaction(async (tx) => {
    const [mark] = await tx.query<{ through: number }>('select through_ms::float8 as through from metric_rollup for update');
    const from = mark?.through ?? 0;
    const to = bucketStart(nowMs - ROLLUP_DELAY_MS, MINUTE_MS);
    if (to <= from) return from;
    for (const resolution of RESOLUTIONS) {
      if (resolution.name === 'minute') continue;
      await tx.query(upsertSql(resolution.table, ROLLED_MINUTES), [from, to, resolution.ms]);
    }
    await tx.query('update metric_rollup set through_ms = $1', [to]);
    return to;
  });
}
