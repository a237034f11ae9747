import { type AggregateRow, histogramRow, seriesRow } from '../metrics/store';
import type { AdmittedSample } from './admit';

const boundOf = (le: string) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));

/**
 * The aggregate rows of one push's increases: a complete histogram (buckets, sum and count) becomes
 * one row holding all its parts, written when any part grew; a counter, or a histogram missing its
 * sum or count, a row per sample that grew, as exposed.
 */
export function aggregateRows(samples: readonly AdmittedSample[], increases: ReadonlyMap<AdmittedSample, number>): AggregateRow[] {
  const rows: AggregateRow[] = [];
  const histograms = new Map<string, AdmittedSample[]>();
  for (const sample of samples) {
    if (sample.kind === 'counter') {
      const increase = increases.get(sample) ?? 0;
      if (increase !== 0) rows.push(seriesRow(sample, increase));
      continue;
    }
    const parts = histograms.get(sample.group);
    if (parts) parts.push(sample);
    else histograms.set(sample.group, [sample]);
  }
  for (const parts of histograms.values()) {
    const sum = parts.find((part) => part.kind === 'sum');
    const count = parts.find((part) => part.kind === 'count');
    const buckets = parts.filter((part) => part.kind === 'bucket');
    if (!sum || !count || buckets.length === 0) {
      for (const part of parts) {
        const increase = increases.get(part) ?? 0;
        if (increase !== 0) rows.push(seriesRow(part, increase));
      }
      continue;
    }
    if (parts.every((part) => (increases.get(part) ?? 0) === 0)) continue;
    // Ascending by bound, so the same layout always gives the same key whatever order it came in.
    const sorted = buckets
      .map((bucket) => ({ bucket, bound: boundOf(bucket.le ?? '') }))
      .sort((a, b) => a.bound - b.bound || ((a.bucket.le ?? '') < (b.bucket.le ?? '') ? -1 : 1));
    rows.push(
      histogramRow(
        { ...sum, metric: sum.metric.slice(0, -'_sum'.length) },
        {
          bounds: sorted.map(({ bucket }) => bucket.le ?? ''),
          buckets: sorted.map(({ bucket }) => increases.get(bucket) ?? 0),
          count: increases.get(count) ?? 0,
          sum: increases.get(sum) ?? 0,
        },
      ),
    );
  }
  return rows;
}
