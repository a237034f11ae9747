import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOWS } from '@/src/components/compare/response';
import { parseCompareParams } from '@/src/server/compare/params';
import { compareFlag } from '@/src/server/compare/service';
import type { CompareResponse } from '@/src/server/compare/types';
import { migrate } from '@/src/server/db/migrate';
import { MIGRATIONS } from '@/src/server/db/migrations';
import { openPglite } from '@/src/server/db/pglite';
import { openPostgres } from '@/src/server/db/postgres';
import { putFlag } from '@/src/server/flags/service';
import { readSeries } from '@/src/server/metrics/embedded';
import { resolutionFor } from '@/src/server/metrics/resolutions';
import { type AggregateRow, addAggregates, compactMetrics, histogramRow, seriesRow } from '@/src/server/metrics/store';
import type { ControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { admin, modelFlag } from './fixtures';
import { seeded } from './seeded';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Not on an hour or quarter-hour: compaction then stops inside the last quarter, whose step is read from
// its quarter-hour row plus the minutes not rolled up yet.
const NOW = Date.UTC(2025, 0, 10, 13, 37);
const FLAG = 'rollup-equivalence';
const DURATION_BOUNDS = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
const SCORE_BOUNDS = ['0.2', '0.4', '0.6', '0.8', '1', '+Inf'];

/** A histogram row of `count` draws, cumulative over `le`; its sum in eighths, so every sum of sums is exact. */
function histogram(metric: string, variant: string, model: string, bounds: readonly string[], draws: readonly number[]): AggregateRow {
  const limits = bounds.map((le) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)));
  return histogramRow(
    { flag: FLAG, metric, variant, model, labels: '{"mode":"served"}' },
    {
      bounds,
      buckets: limits.map((limit) => draws.filter((x) => x <= limit).length),
      count: draws.length,
      sum: draws.reduce((sum, x) => sum + Math.round(x * 8) / 8, 0),
    },
  );
}

const counter = (metric: string, variant: string, model: string, labels: object, value: number): AggregateRow =>
  seriesRow({ flag: FLAG, metric, variant, model, labels: JSON.stringify(labels) }, value);

/** One push's increases: two variants on two models each, the candidate slower and less sure; uneven per minute. */
function minuteRows(random: () => number): AggregateRow[] {
  const rows: AggregateRow[] = [];
  for (const [v, variant] of ['v1', 'v2'].entries()) {
    for (const model of ['gpt-a', 'gpt-b']) {
      const calls = 3 + Math.floor(random() * 12);
      const draws = (scale: number) => Array.from({ length: calls }, () => random() * scale);
      rows.push(histogram('flaglens_inference_duration_seconds', variant, model, DURATION_BOUNDS, draws(0.6 + v)));
      rows.push(histogram('flaglens_prediction_score', variant, model, SCORE_BOUNDS, draws(1 - v / 4)));
      rows.push(counter('flaglens_inference_errors_total', variant, model, { mode: 'served', type: 'Timeout' }, Math.floor(random() * 2)));
      const correct = Math.floor(calls * (0.7 + random() * 0.3));
      rows.push(counter('flaglens_outcomes_total', variant, model, { outcome: 'correct' }, correct));
      rows.push(counter('flaglens_outcomes_total', variant, model, { outcome: 'incorrect' }, calls - correct));
    }
    rows.push(counter('flaglens_flag_evaluations_total', variant, '', { reason: 'SPLIT' }, v === 0 ? 9 : 1));
    rows.push(counter('flaglens_business_events_total', variant, '', { event: 'purchase' }, Math.floor(random() * 3)));
    rows.push(counter('flaglens_business_event_value_total', variant, '', { event: 'purchase' }, Math.floor(random() * 60)));
  }
  return rows;
}

/** Minutes with data: every 3rd in the last 26 hours, every 29th in the week before (the 7d window and its baseline). */
function seededMinutes(): number[] {
  const minutes: number[] = [];
  for (let at = NOW - 8 * DAY; at < NOW - 26 * HOUR; at += 29 * MINUTE) minutes.push(at);
  for (let at = NOW - 26 * HOUR; at < NOW; at += 3 * MINUTE) minutes.push(at);
  return minutes;
}

const compareAt = (plane: ControlPlane, window: string, step: string): Promise<CompareResponse> =>
  compareFlag(plane, 'production', FLAG, parseCompareParams(new URLSearchParams({ window, step }), NOW));

describe.each(backends)('comparison figures from roll-ups on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const fromMinutes = new Map<string, CompareResponse>();

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    await putFlag(plane, { environment: 'production', key: FLAG, actor: admin, input: modelFlag(), expectedVersion: undefined });
    const random = seeded(7);
    for (const at of seededMinutes()) await addAggregates(plane.db, 'production', at + 1_000, minuteRows(random));
    // Nothing is rolled up yet, so every window is read from raw minute rows.
    for (const { window, step } of WINDOWS) fromMinutes.set(window, await compareAt(plane, window, step));
    await compactMetrics(plane.db, NOW);
  }, 180_000);
  afterAll(() => drop());

  it('reads every window the dashboard offers from the coarsest level that tiles its steps', () => {
    const levels = WINDOWS.map(({ window }) => {
      const { fromMs, stepMs } = fromMinutes.get(window)?.window ?? { fromMs: 0, stepMs: 0 };
      return resolutionFor(fromMs, stepMs).name;
    });
    expect(levels).toEqual(['minute', 'five-minute', 'quarter-hour', 'hour']);
  });

  it.each(WINDOWS)('gives the same $window figures from roll-ups as from raw minutes', async ({ window, step }) => {
    const rolledUp = await compareAt(plane, window, step);
    expect(rolledUp.summary.variants[1]?.requests.count).toBeGreaterThan(0);
    expect(rolledUp).toEqual(fromMinutes.get(window));
  });

  it('no longer holds the minutes of the older windows: those figures came from roll-ups alone', async () => {
    const [old] = await plane.db.query<{ n: number }>('select count(*)::int as n from metric_minutes where bucket_ms < $1', [
      NOW - 2 * DAY,
    ]);
    expect(old?.n).toBe(0);
  });
});

describe.each(backends)('upgrading a store to five-minute and quarter-hour roll-ups on $name', (backend) => {
  it('fills them from the minutes already rolled up, so a read right after the upgrade misses nothing', async () => {
    const scratch = await backend.scratch();
    const db = scratch.config.databaseUrl ? await openPostgres(scratch.config.databaseUrl) : await openPglite();
    try {
      const before = MIGRATIONS.findIndex((migration) => migration.name.startsWith('metric aggregates: five-minute'));
      await migrate(db, MIGRATIONS.slice(0, before));
      const random = seeded(11);
      for (let at = NOW - 3 * HOUR; at < NOW; at += 4 * MINUTE) await addAggregates(db, 'production', at, minuteRows(random));
      // Where a roll-up before the upgrade left the mark: these minutes are in the hours and days (which
      // 5- and 15-minute steps do not read), the last five are not.
      await db.query('update metric_rollup set through_ms = $1', [NOW - 5 * MINUTE]);
      // From 10:30, on a quarter-hour, to 13:37.
      const query = (stepMs: number) => ({ environment: 'production', flag: FLAG, fromMs: NOW - 3 * HOUR - 7 * MINUTE, toMs: NOW, stepMs });
      const totals = (result: { series: readonly { metric: string; labels: object; values: number[] }[] }) =>
        result.series.map((s) => [s.metric, s.labels, s.values.reduce((a, b) => a + b, 0)]);
      const byMinute = totals(await readSeries(db, query(MINUTE)));
      await migrate(db);
      expect(totals(await readSeries(db, query(5 * MINUTE)))).toEqual(byMinute);
      expect(totals(await readSeries(db, query(15 * MINUTE)))).toEqual(byMinute);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });
});
