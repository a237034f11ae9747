import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { readSeries } from './embedded';
import { type AggregateRow, addAggregates, compactMetrics } from './store';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (24 * HOUR));

// 30 bounds: wider than the instrumentation's histograms, so no width is assumed anywhere.
const BOUNDS = [...Array.from({ length: 29 }, (_, i) => String(i + 1)), '+Inf'];
const histogram = (scale: number): AggregateRow => ({
  flag: 'f',
  metric: 'h',
  variant: 'a',
  model: '',
  labels: '{}',
  bounds: BOUNDS.join(','),
  value: 30 * scale,
  histogramSum: scale,
  buckets: BOUNDS.map((_, i) => (i + 1) * scale),
});

describe('readSeries', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    for (let minute = 0; minute < 120; minute++) await addAggregates(db, 'production', T0 + minute * 60_000, [histogram(1)]);
    // The first hour rolled up; the second only in minutes.
    await compactMetrics(db, T0 + HOUR + 5 * 60_000);
  });
  afterAll(() => db.close());

  it.each([
    ['minutes', 30 * 60_000],
    ['hours and the minutes not rolled up', HOUR],
  ])('sums every bucket of a wide histogram, from %s', async (_, stepMs) => {
    const result = await readSeries(db, { environment: 'production', flag: 'f', fromMs: T0, toMs: T0 + 2 * HOUR, stepMs });
    const perStep = (2 * HOUR) / stepMs;
    const minutes = stepMs / 60_000;
    const le30 = result.series.find((s) => s.metric === 'h_bucket' && s.labels.le === '+Inf');
    const le29 = result.series.find((s) => s.metric === 'h_bucket' && s.labels.le === '29');
    expect(le30?.values).toEqual(new Array(perStep).fill(30 * minutes));
    expect(le29?.values).toEqual(new Array(perStep).fill(29 * minutes));
    expect(result.series.filter((s) => s.metric === 'h_bucket')).toHaveLength(30);
    expect(result.series.find((s) => s.metric === 'h_count')?.values).toEqual(new Array(perStep).fill(30 * minutes));
  });

  it('reads fractional and very large increases back exactly, not only whole counts', async () => {
    const at = T0 + 3 * HOUR;
    await addAggregates(db, 'production', at, [
      { ...histogram(1), flag: 'g', bounds: '1,+Inf', value: 2.5, histogramSum: 0.1, buckets: [0.25, 2.5] },
      { ...histogram(1), flag: 'g', metric: 'c', bounds: '', value: 2 ** 60, histogramSum: null, buckets: null },
      { ...histogram(1), flag: 'g', metric: 'd', bounds: '', value: 0.1 + 0.2, histogramSum: null, buckets: null },
    ]);
    const { series } = await readSeries(db, { environment: 'production', flag: 'g', fromMs: at, toMs: at + 60_000, stepMs: 60_000 });
    expect(Object.fromEntries(series.map((s) => [`${s.metric}${s.labels.le ?? ''}`, s.values[0]]))).toEqual({
      c: 2 ** 60,
      d: 0.1 + 0.2,
      'h_bucket+Inf': 2.5,
      h_bucket1: 0.25,
      h_count: 2.5,
      h_sum: 0.1,
    });
  });
});
