import { cpus, loadavg } from 'node:os';
import { dashboardModules, withScratchPostgres } from '../dashboard-modules.js';

// Measures GET /api/v1/flags/{key}/compare, called in-process with real Requests, over 7 days of
// per-minute data for 4 variants x 5 models written straight into the store with its write function
// (addAggregates, one call per minute, and a compaction every 10 minutes of data that rolls minutes up and
// applies retention, as a running server does). p50 / p95 over CALLS (default 25) calls per window after 2 warm-up calls, on an
// in-memory PGlite and, when DATABASE_URL is set, on a throwaway PostgreSQL database.
// Run: cd bench && npx tsc -p . && node dist/compare/latency.js   (DATABASE_URL=postgres://... for PostgreSQL)

const TARGET_MS = 200;
const FLAG = 'bench-compare';
const VARIANTS = ['control', 'v2', 'v3', 'v4'];
const MODELS = ['gpt-a', 'gpt-b', 'claude-c', 'llama-d', 'mistral-e'];
const DURATION_BOUNDS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '+Inf'];
const SCORE_BOUNDS = ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1', '+Inf'];
const MINUTE = 60_000;
const DAYS = 7;
// Every window the comparison page's picker offers (src/components/compare/response.ts), at its default step.
const WINDOWS = ['1h', '6h', '24h', '7d'];
// How often the ingest route compacts (src/server/ingest/ingest.ts).
const COMPACT_EVERY_MINUTES = 10;

type Handler = (request: Request, context: { params: Promise<{ key: string }> }) => Promise<Response>;
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}
interface Plane {
  db: Queryable;
  close(): Promise<void>;
}
/** What names a series in the store (src/server/metrics/store.ts). */
interface SeriesKey {
  flag: string;
  metric: string;
  variant: string;
  model: string;
  labels: string;
}
/** A row for the store's minute table, built by the store's own functions; the bench never reads one. */
type AggregateRow = object;
interface Modules {
  compare: { GET: Handler };
  flag: { PUT: Handler };
  plane: { openControlPlane(config: object, announce: (line: string) => void): Promise<Plane>; useControlPlane(plane: Plane): void };
  store: {
    seriesRow(series: SeriesKey, value: number): AggregateRow;
    histogramRow(
      series: SeriesKey,
      increases: { bounds: readonly string[]; buckets: readonly number[]; count: number; sum: number },
    ): AggregateRow;
    addAggregates(tx: Queryable, environment: string, atMs: number, rows: readonly AggregateRow[]): Promise<void>;
    compactMetrics(db: Queryable, nowMs: number): Promise<unknown>;
  };
  postgres: { openPostgres(url: string, options?: { max?: number }): Promise<Queryable> };
}

/** One minute of every series: 4 variants x 5 models of histograms and counters, plus per-variant evaluations and events. */
function minuteRows(store: Modules['store'], minute: number): AggregateRow[] {
  /** A cumulative histogram row of `count` observations spread over the bounds, the candidate arms a little slower. */
  const histogram = (metric: string, variant: string, model: string, bounds: string[], count: number, shift: number) => {
    const last = bounds.length - 1;
    // Cumulative over `le`, increasing with the bound; a larger shift moves observations to higher buckets.
    const buckets = bounds.map((_, i) =>
      i === last ? count : Math.min(count, Math.floor((count * Math.max(0, i + 1 - 3 * shift)) / last)),
    );
    return store.histogramRow(
      { flag: FLAG, metric, variant, model, labels: '{"mode":"served"}' },
      { bounds, buckets, count, sum: count * 0.2 },
    );
  };
  const counter = (metric: string, variant: string, model: string, labels: object, value: number) =>
    store.seriesRow({ flag: FLAG, metric, variant, model, labels: JSON.stringify(labels) }, value);
  const rows: AggregateRow[] = [];
  for (const [v, variant] of VARIANTS.entries()) {
    const shift = v * 0.3;
    for (const model of MODELS) {
      const calls = 20 + ((minute + v) % 7);
      rows.push(histogram('flaglens_inference_duration_seconds', variant, model, DURATION_BOUNDS, calls, shift));
      rows.push(histogram('flaglens_prediction_score', variant, model, SCORE_BOUNDS, calls, shift / 2));
      rows.push(counter('flaglens_inference_errors_total', variant, model, { mode: 'served', type: 'Timeout' }, (minute + v) % 3));
      for (const cls of ['approve', 'reject']) {
        rows.push(counter('flaglens_predicted_class_total', variant, model, { class: cls, mode: 'served' }, calls / 2));
      }
      rows.push(counter('flaglens_outcomes_total', variant, model, { outcome: 'correct' }, Math.floor(calls * 0.9)));
      rows.push(counter('flaglens_outcomes_total', variant, model, { outcome: 'incorrect' }, calls - Math.floor(calls * 0.9)));
    }
    rows.push(counter('flaglens_flag_evaluations_total', variant, '', { reason: 'SPLIT' }, 100 + (minute % 5)));
    rows.push(counter('flaglens_business_events_total', variant, '', { event: 'purchase' }, 10));
    rows.push(counter('flaglens_business_event_value_total', variant, '', { event: 'purchase' }, 200));
  }
  return rows;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

async function run(modules: Modules, name: string, config: object, calls: number): Promise<void> {
  let adminToken = '';
  const plane = await modules.plane.openControlPlane(config, (line) => {
    adminToken = /fl_admin_\S+/.exec(line)?.[0] ?? adminToken;
  });
  try {
    modules.plane.useControlPlane(plane);
    const flag = {
      type: 'string',
      variants: Object.fromEntries(VARIANTS.map((v) => [v, v])),
      offVariant: 'control',
      fallthrough: { split: { arms: VARIANTS.map((variant) => ({ variant, weight: 2500 })) } },
    };
    const put = await modules.flag.PUT(
      new Request(`http://bench.test/api/v1/flags/${FLAG}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(flag),
      }),
      { params: Promise.resolve({ key: FLAG }) },
    );
    if (put.status !== 201) throw new Error(`flag PUT answered ${put.status}: ${await put.text()}`);

    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const began = performance.now();
    const minutes = DAYS * 1_440;
    for (let i = minutes; i > 0; i--) {
      const at = now - i * MINUTE;
      await modules.store.addAggregates(plane.db, 'production', at + 1_000, minuteRows(modules.store, i));
      if (i % COMPACT_EVERY_MINUTES === 0) await modules.store.compactMetrics(plane.db, at);
    }
    await modules.store.compactMetrics(plane.db, now);
    const rows = minuteRows(modules.store, 0).length * minutes;
    console.log(
      `compare ${name}: wrote ${rows.toLocaleString('en')} rows (${minutes} minutes) in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );

    for (const window of WINDOWS) {
      const once = async () => {
        const started = performance.now();
        const response = await modules.compare.GET(
          new Request(`http://bench.test/api/v1/flags/${FLAG}/compare?window=${window}`, {
            headers: { authorization: `Bearer ${adminToken}` },
          }),
          { params: Promise.resolve({ key: FLAG }) },
        );
        if (response.status !== 200) throw new Error(`compare answered ${response.status}: ${await response.text()}`);
        await response.json();
        return performance.now() - started;
      };
      await once();
      await once();
      const times: number[] = [];
      for (let i = 0; i < calls; i++) times.push(await once());
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 0.95);
      console.log(
        `compare ${name} window=${window}: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${calls} calls ` +
          `(target p95 < ${TARGET_MS} ms: ${p95 < TARGET_MS ? 'met' : 'MISSED'})`,
      );
    }
  } finally {
    await plane.close();
  }
}

async function main(): Promise<void> {
  const dashboard = await dashboardModules();
  const load = <T>(path: string) => dashboard.load<T>(path);
  const modules: Modules = {
    compare: await load('/app/api/v1/flags/[key]/compare/route.ts'),
    flag: await load('/app/api/v1/flags/[key]/route.ts'),
    plane: await load('/src/server/plane.ts'),
    store: await load('/src/server/metrics/store.ts'),
    postgres: await load('/src/server/db/postgres.ts'),
  };
  const calls = Math.max(20, Number(process.env.CALLS ?? 25));
  console.log(
    `compare: ${DAYS} days of minutes, ${VARIANTS.length} variants x ${MODELS.length} models, windows ${WINDOWS.join(', ')} at default steps; ` +
      `${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}, Node ${process.version}`,
  );
  await run(modules, 'PGlite (in memory)', {}, calls);
  const url = process.env.DATABASE_URL;
  if (url) await withScratchPostgres(modules.postgres, url, (databaseUrl) => run(modules, 'PostgreSQL', { databaseUrl }, calls));
  await dashboard.close();
}

await main();
