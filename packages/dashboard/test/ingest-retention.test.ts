import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPush } from '@/src/server/ingest/ingest';
import { embeddedMetricsSource } from '@/src/server/metrics/embedded';
import { RESOLUTIONS, resolutionFor } from '@/src/server/metrics/resolutions';
import { compactMetrics } from '@/src/server/metrics/store';
import type { ControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { uniqueKey } from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// A UTC midnight long enough ago that no real push lands near it.
const D0 = Date.UTC(2024, 0, 10);

const counter = (flag: string, value: number) =>
  `# TYPE flaglens_business_events_total counter\nflaglens_business_events_total{flag="${flag}",variant="v1",event="signup"} ${value}\n`;

describe.each(backends)('roll-ups and retention on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const push = (flag: string, instance: string, value: number, atMs: number) =>
    ingestPush(
      plane.db,
      { environment: 'production', instance, pushTimeMs: undefined, text: counter(flag, value), receivedMs: atMs },
      { compactEveryMs: 0 },
    );
  const rows = async (table: string, flag: string) =>
    (await plane.db.query<{ n: number }>(`select count(*)::int as n from ${table} where flag = $1`, [flag]))[0]?.n;
  const read = (flag: string, fromMs: number, toMs: number, stepMs: number) =>
    embeddedMetricsSource(plane.db).readSeries({ environment: 'production', flag, fromMs, toMs, stepMs });

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
  });
  afterAll(() => drop());

  it('reads the coarsest table whose buckets tile the steps', () => {
    expect(resolutionFor(D0, DAY).name).toBe('day');
    expect(resolutionFor(D0 + HOUR, DAY).name).toBe('hour');
    expect(resolutionFor(D0, 2 * HOUR).name).toBe('hour');
    expect(resolutionFor(D0, 90 * MINUTE).name).toBe('quarter-hour');
    expect(resolutionFor(D0 + 5 * MINUTE, 15 * MINUTE).name).toBe('five-minute');
    expect(resolutionFor(D0, 7 * MINUTE).name).toBe('minute');
  });

  it('rolls minutes into hour and day rows at compaction, giving the same sums before and after', async () => {
    const flag = uniqueKey();
    // Pushes every 20 minutes over two days: cumulative value = push number.
    for (let i = 1; i <= 144; i++) await push(flag, 'roll-pod', i, D0 + i * 20 * MINUTE - 1_000);
    const sums = async () => {
      // 20-minute steps are no multiple of an hour: they come from minutes, then from five-minute rows.
      const byMinute = (await read(flag, D0, D0 + 2 * DAY, 20 * MINUTE)).series[0]?.values ?? [];
      const byHour = (await read(flag, D0, D0 + 2 * DAY, HOUR)).series[0]?.values ?? [];
      const byDay = await read(flag, D0, D0 + 2 * DAY, DAY);
      expect(byDay.series[0]?.values).toEqual([72, 72]);
      expect(byHour).toHaveLength(48);
      expect(byHour).toEqual(byHour.map((_, h) => (byMinute[3 * h] ?? 0) + (byMinute[3 * h + 1] ?? 0) + (byMinute[3 * h + 2] ?? 0)));
      expect(byHour.every((value) => value === 3)).toBe(true);
    };
    // Before compaction, hour and day steps are summed from the minutes not rolled up yet.
    await sums();
    expect(await rows('metric_hours', flag)).toBe(0);
    await compactMetrics(plane.db, D0 + 2 * DAY);
    expect(await rows('metric_minutes', flag)).toBe(144);
    expect(await rows('metric_hours', flag)).toBe(48);
    expect(await rows('metric_days', flag)).toBe(2);
    await sums();
  });

  it('keeps minutes two days, five minutes 11 days, quarter hours 32 days, hours 30 days and days a year, reading what is left', async () => {
    const flag = uniqueKey();
    await push(flag, 'kept-pod', 4, D0 + 30_000);
    await push(flag, 'kept-pod', 10, D0 + HOUR + 30_000);
    const sum = async (stepMs: number) => (await read(flag, D0, D0 + DAY, stepMs)).series[0]?.values.reduce((a, b) => a + b, 0);

    await compactMetrics(plane.db, D0 + 2 * DAY);
    expect(await rows('metric_minutes', flag)).toBe(2);
    await compactMetrics(plane.db, D0 + 2 * DAY + MINUTE + 30_000);
    expect(await rows('metric_minutes', flag)).toBe(1);
    expect(await sum(HOUR)).toBe(10);
    expect(await sum(15 * MINUTE)).toBe(10);

    await compactMetrics(plane.db, D0 + 12 * DAY);
    expect([await rows('metric_five_minutes', flag), await rows('metric_quarter_hours', flag)]).toEqual([0, 2]);
    await compactMetrics(plane.db, D0 + 33 * DAY);
    expect([await rows('metric_minutes', flag), await rows('metric_hours', flag), await rows('metric_quarter_hours', flag)]).toEqual([
      0, 0, 0,
    ]);
    expect(await sum(DAY)).toBe(10);
    await compactMetrics(plane.db, D0 + 367 * DAY);
    expect(await rows('metric_days', flag)).toBe(0);
    expect((await read(flag, D0, D0 + DAY, DAY)).series).toEqual([]);
  });

  it('forgets an instance silent for a week, and a label value after 30 days', async () => {
    const flag = uniqueKey();
    const instance = uniqueKey('pod');
    await push(flag, instance, 5, D0 + 1_000);
    const state = async () =>
      (
        await plane.db.query<{ n: number }>(
          `select (select count(*) from metric_instances where instance = $1) + (select count(*) from metric_label_values where flag = $2) as n`,
          [instance, flag],
        )
      )[0]?.n;
    // The instance with its cumulative values; the flag's variant and event values (the flag itself is listed under '').
    expect(Number(await state())).toBe(3);
    const report = await compactMetrics(plane.db, D0 + 8 * DAY);
    expect(report.metric_instances).toBeGreaterThanOrEqual(1);
    expect(Number(await state())).toBe(2);
    await compactMetrics(plane.db, D0 + 31 * DAY);
    expect(Number(await state())).toBe(0);
  });

  it('documents its levels finest first', () => {
    expect(RESOLUTIONS.map((r) => [r.name, r.retentionMs / DAY])).toEqual([
      ['minute', 2],
      ['five-minute', 11],
      ['quarter-hour', 32],
      ['hour', 30],
      ['day', 366],
    ]);
  });
});
