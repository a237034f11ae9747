/** The key columns of every aggregate table, in their primary key's order. */
export const AGGREGATE_KEY = 'environment, flag, bucket_ms, metric, variant, model, labels, bounds';

/**
 * `insert ... on conflict do update` that adds the rows of `select` (key columns, then value,
 * histogram_sum, buckets) to those already in `table`; bucket arrays add element by element (rows
 * with the same key have the same bounds, so the same length).
 */
export const upsertSql = (table: string, select: string) => `insert into ${table} (${AGGREGATE_KEY}, value, histogram_sum, buckets)
  ${select}
  on conflict (${AGGREGATE_KEY}) do update set
    value = ${table}.value + excluded.value,
    histogram_sum = ${table}.histogram_sum + excluded.histogram_sum,
    buckets = case when excluded.buckets is null then null else
      (select array_agg(a + b order by i) from unnest(${table}.buckets, excluded.buckets) with ordinality as u (a, b, i)) end`;
