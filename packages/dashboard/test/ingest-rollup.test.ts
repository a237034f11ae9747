import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@/src/server/db/migrate';
import { MIGRATIONS } from '@/src/server/db/migrations';
import { ingestPush } from '@/src/server/ingest/ingest';
import { embeddedMetricsSource } from '@/src/server/metrics/embedded';
import { ROLLUP_DELAY_MS, rollUp } from '@/src/server/metrics/rollup';
import type { MetricSeries } from '@/src/server/metrics/source';
import { compactMetrics } from '@/src/server/metrics/store';
import type { ControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane, openStoreAtVersion } from './backends';
import { uniqueKey } from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// UTC midnights far enough apart that each test has its own stretch of the global roll-up mark.
const DAYS = { tail: Date.UTC(2024, 1, 1), late: Date.UTC(2024, 2, 1), race: Date.UTC(2024, 3, 1), histogram: Date.UTC(2024, 4, 1) };

const counter = (flag: string, value: number) =>
  `# TYPE flaglens_business_events_total counter\nflaglens_business_events_total{flag="${flag}",variant="v1",event="signup"} ${value}\n`;

/** A histogram as prom-client writes it, from cumulative bucket counts (the last is +Inf) and a sum. */
function histogram(flag: string, bounds: readonly string[], counts: readonly number[], sum: number, extra = ''): string {
  const labels = `flag="${flag}",variant="v1",model="m",mode="served"`;
  return [
    '# TYPE flaglens_inference_duration_seconds histogram',
    ...bounds.map((le, i) => `flaglens_inference_duration_seconds_bucket{le="${le}",${labels}} ${counts[i]}`),
    `flaglens_inference_duration_seconds_sum{${labels}} ${sum}`,
    `flaglens_inference_duration_seconds_count{${labels}} ${counts[counts.length - 1]}`,
    extra,
  ].join('\n');
}

const totals = (series: readonly MetricSeries[]) =>
  Object.fromEntries(series.map((s) => [`${s.metric}${s.labels.le ? ` le=${s.labels.le}` : ''}`, s.values.reduce((a, b) => a + b, 0)]));

describe.each(backends)('roll-ups built by compaction on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const push = (text: string, instance: string, atMs: number) =>
    ingestPush(plane.db, { environment: 'production', instance, pushTimeMs: undefined, text, receivedMs: atMs }, { compactEveryMs: 0 });
  const read = (flag: string, fromMs: number, toMs: number, stepMs: number) =>
    embeddedMetricsSource(plane.db).readSeries({ environment: 'production', flag, fromMs, toMs, stepMs });
  const rows = async (table: string, flag: string) =>
    (await plane.db.query<{ n: number }>(`select count(*)::int as n from ${table} where flag = $1`, [flag]))[0]?.n;

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
  });
  afterAll(() => drop());

  it('sums hour and day steps exactly from rolled-up hours plus the minutes not rolled up yet', async () => {
    const flag = uniqueKey();
    const d = DAYS.tail;
    // One push every 7 minutes for 6 hours: the cumulative value is the push number, so each adds 1.
    for (let i = 1; i <= 51; i++) await push(counter(flag, i), 'tail-pod', d + i * 7 * MINUTE);
    const hourly = async () => (await read(flag, d, d + 6 * HOUR, HOUR)).series[0]?.values;
    const daily = async () => (await read(flag, d, d + DAY, DAY)).series[0]?.values;
    const expected = [8, 9, 8, 9, 8, 9];
    expect(await hourly()).toEqual(expected);
    // The mark stops mid-hour: hour 2 is half in its hour row, half still in minutes.
    expect(await rollUp(plane.db, d + 2 * HOUR + 30 * MINUTE + ROLLUP_DELAY_MS)).toBe(d + 2 * HOUR + 30 * MINUTE);
    expect(await rows('metric_hours', flag)).toBe(3);
    expect(await hourly()).toEqual(expected);
    expect(await daily()).toEqual([51]);
    await compactMetrics(plane.db, d + DAY);
    expect(await rows('metric_hours', flag)).toBe(6);
    expect(await hourly()).toEqual(expected);
    expect(await daily()).toEqual([51]);
    expect(await rows('metric_days', flag)).toBe(1);
  });

  it('adds a push into a minute already rolled up to the hours and days as well, and never moves the mark back', async () => {
    const flag = uniqueKey();
    const d = DAYS.late;
    await push(counter(flag, 5), 'late-pod', d + 10 * MINUTE);
    const mark = await rollUp(plane.db, d + 3 * HOUR);
    expect(await rollUp(plane.db, d + HOUR)).toBe(mark);
    // A second instance whose push arrives long after its time.
    await push(counter(flag, 7), 'late-pod-2', d + 20 * MINUTE);
    await push(counter(flag, 9), 'late-pod', d + HOUR + 10 * MINUTE);
    expect(await rows('metric_hours', flag)).toBe(2);
    expect((await read(flag, d, d + 3 * HOUR, HOUR)).series[0]?.values).toEqual([12, 4, 0]);
    expect((await read(flag, d, d + DAY, DAY)).series[0]?.values).toEqual([16]);
    expect((await read(flag, d, d + 3 * HOUR, 30 * MINUTE)).series[0]?.values).toEqual([12, 0, 4, 0, 0, 0]);
  });

  it('counts every minute once when pushes race a roll-up', async () => {
    const flag = uniqueKey();
    const d = DAYS.race;
    // Each pod pushes in order (every 5 minutes, adding 1 each time); pods and roll-ups run side by side.
    const pod = async (name: string) => {
      for (let i = 0; i < 12; i++) await push(counter(flag, i + 1), name, d + i * 5 * MINUTE + 1_000);
    };
    const rollUps = async () => {
      for (let minute = 5; minute <= 60; minute += 5) await rollUp(plane.db, d + minute * MINUTE + ROLLUP_DELAY_MS);
    };
    await Promise.all([...Array.from({ length: 8 }, (_, i) => pod(`race-pod-${i}`)), rollUps()]);
    expect((await read(flag, d, d + HOUR, HOUR)).series[0]?.values).toEqual([8 * 12]);
    expect((await read(flag, d, d + DAY, DAY)).series[0]?.values).toEqual([8 * 12]);
  });
});

describe.each(backends)('histograms stored as one row on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const push = (text: string, instance: string, atMs: number) =>
    ingestPush(plane.db, { environment: 'production', instance, pushTimeMs: undefined, text, receivedMs: atMs }, { compactEveryMs: 0 });
  const read = (flag: string, stepMs: number, metrics?: string[]) =>
    embeddedMetricsSource(plane.db).readSeries({
      environment: 'production',
      flag,
      fromMs: DAYS.histogram,
      toMs: DAYS.histogram + DAY,
      stepMs,
      metrics,
    });
  const stored = async (flag: string) =>
    plane.db.query<{ metric: string; bounds: string; value: number; histogram_sum: number | null; buckets: number[] | null }>(
      'select metric, bounds, value, histogram_sum, buckets from metric_minutes where flag = $1 order by bucket_ms, bounds, metric, labels',
      [flag],
    );

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
  });
  afterAll(() => drop());

  it('keeps a histogram push as one row of bucket increases and reads it back as _bucket, _sum and _count series', async () => {
    const flag = uniqueKey();
    const d = DAYS.histogram;
    const bounds = ['0.1', '1', '+Inf'];
    await push(histogram(flag, bounds, [1, 2, 2], 0.6), 'h-pod', d + 10_000);
    await push(histogram(flag, bounds, [1, 4, 5], 9.1), 'h-pod', d + 20_000);
    const [row, ...others] = await stored(flag);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ metric: 'flaglens_inference_duration_seconds', bounds: '0.1,1,+Inf', value: 5, buckets: [1, 4, 5] });
    expect(row?.histogram_sum).toBeCloseTo(9.1, 9);
    const { series } = await read(flag, MINUTE);
    expect(series.map((s) => [s.metric, s.labels])).toEqual([
      ['flaglens_inference_duration_seconds_bucket', { le: '+Inf', mode: 'served' }],
      ['flaglens_inference_duration_seconds_bucket', { le: '0.1', mode: 'served' }],
      ['flaglens_inference_duration_seconds_bucket', { le: '1', mode: 'served' }],
      ['flaglens_inference_duration_seconds_count', { mode: 'served' }],
      ['flaglens_inference_duration_seconds_sum', { mode: 'served' }],
    ]);
    expect(series[2]).toMatchObject({ variant: 'v1', model: 'm' });
    expect(series[2]?.values.slice(0, 2)).toEqual([4, 0]);
    const onlyCounts = await read(flag, MINUTE, ['flaglens_inference_duration_seconds_count']);
    expect(onlyCounts.series.map((s) => s.metric)).toEqual(['flaglens_inference_duration_seconds_count']);
    // Rolled up, the hour and day tables give the same figures.
    const byMinute = totals(series);
    await rollUp(plane.db, d + DAY);
    expect(totals((await read(flag, HOUR)).series)).toEqual(byMinute);
    expect(totals((await read(flag, DAY)).series)).toEqual(byMinute);
  });

  it('keeps two bucket layouts apart and sums the series they share', async () => {
    const flag = uniqueKey();
    const d = DAYS.histogram + HOUR;
    await push(histogram(flag, ['1', '+Inf'], [2, 3], 4), 'old-layout', d);
    // Unordered on purpose: the stored bounds are ascending whatever order the lines came in.
    await push(histogram(flag, ['1', '0.5', '+Inf'], [4, 1, 6], 5), 'new-layout', d);
    expect((await stored(flag)).map((row) => [row.bounds, row.buckets])).toEqual([
      ['0.5,1,+Inf', [1, 4, 6]],
      ['1,+Inf', [2, 3]],
    ]);
    expect(totals((await read(flag, HOUR)).series)).toEqual({
      'flaglens_inference_duration_seconds_bucket le=+Inf': 9,
      'flaglens_inference_duration_seconds_bucket le=0.5': 1,
      'flaglens_inference_duration_seconds_bucket le=1': 6,
      flaglens_inference_duration_seconds_count: 9,
      flaglens_inference_duration_seconds_sum: 9,
    });
  });

  it('stores a histogram without its count sample by sample, as exposed', async () => {
    const flag = uniqueKey();
    const d = DAYS.histogram + 2 * HOUR;
    const text = histogram(flag, ['1', '+Inf'], [1, 2], 3).replace(/\nflaglens_inference_duration_seconds_count.*\n/, '\n');
    await push(text, 'partial-pod', d);
    expect((await stored(flag)).map((row) => [row.metric, row.bounds, row.value])).toEqual([
      ['flaglens_inference_duration_seconds_bucket', '', 2],
      ['flaglens_inference_duration_seconds_bucket', '', 1],
      ['flaglens_inference_duration_seconds_sum', '', 3],
    ]);
    expect(totals((await read(flag, HOUR)).series)).toEqual({
      'flaglens_inference_duration_seconds_bucket le=+Inf': 2,
      'flaglens_inference_duration_seconds_bucket le=1': 1,
      flaglens_inference_duration_seconds_sum: 3,
    });
  });
});

describe.each(backends)('upgrading a store written before histogram rows on $name', (backend) => {
  it('reads the old rows as before, rolled up already, and sums them with new pushes', async () => {
    const histogramRows = MIGRATIONS.find((migration) => migration.name.startsWith('metric aggregates: a histogram as one row'));
    if (!histogramRows) throw new Error('no histogram-row migration');
    const { db, drop } = await openStoreAtVersion(backend, histogramRows.version - 1);
    try {
      const d = DAYS.histogram;
      // What the old roll-up on write left: one row per bucket, sum and count, in all three tables.
      const old = [
        ['flaglens_inference_duration_seconds_bucket', '{"le":"1","mode":"served"}', 2],
        ['flaglens_inference_duration_seconds_bucket', '{"le":"+Inf","mode":"served"}', 3],
        ['flaglens_inference_duration_seconds_sum', '{"mode":"served"}', 4],
        ['flaglens_inference_duration_seconds_count', '{"mode":"served"}', 3],
      ] as const;
      for (const [table, bucket] of [
        ['metric_minutes', d + 5 * MINUTE],
        ['metric_hours', d],
        ['metric_days', d],
      ] as const) {
        for (const [metric, labels, value] of old) {
          await db.query(
            `insert into ${table} (environment, flag, bucket_ms, metric, variant, model, labels, value)
             values ('production', 'upgraded', $1, $2, 'v1', 'm', $3, $4)`,
            [bucket, metric, labels, value],
          );
        }
      }
      await migrate(db);
      await ingestPush(
        db,
        {
          environment: 'production',
          instance: 'new-pod',
          pushTimeMs: undefined,
          text: histogram('upgraded', ['1', '+Inf'], [1, 1], 0.5),
          receivedMs: d + 10 * MINUTE,
        },
        { compactEveryMs: 0 },
      );
      const read = (stepMs: number) =>
        embeddedMetricsSource(db).readSeries({ environment: 'production', flag: 'upgraded', fromMs: d, toMs: d + DAY, stepMs });
      const expected = {
        'flaglens_inference_duration_seconds_bucket le=+Inf': 4,
        'flaglens_inference_duration_seconds_bucket le=1': 3,
        flaglens_inference_duration_seconds_count: 4,
        flaglens_inference_duration_seconds_sum: 4.5,
      };
      // The old minute is already in the hour and day rows; the new one is not yet.
      expect(totals((await read(MINUTE)).series)).toEqual(expected);
      expect(totals((await read(HOUR)).series)).toEqual(expected);
      expect(totals((await read(DAY)).series)).toEqual(expected);
    } finally {
      await drop();
    }
  });
});
