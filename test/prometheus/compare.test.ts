import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenOf, type RunningPlane, startControlPlane } from '@flaglens/dashboard/testing';
import { MetricPush } from '@flaglens/instrumentation';
import type { Counter, Histogram } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evenSplit } from '../alerts/harness.js';
import { adminApi } from '../control-plane/admin.js';
import { instantQuery, type RunningPrometheus, startPrometheus } from './prometheus.js';
import { type MetricsService, startMetricsService } from './service.js';

// The same traffic reaches both metric sources at once: Prometheus scrapes the service's /metrics every
// second, and the same registry's text is pushed to a control plane's ingest. A second control plane reads
// Prometheus (PROMETHEUS_URL). Both must give the same comparison.
//
// Tolerance. increase() extrapolates the increase it sees between the first and last sample in each
// step's range to the range's edges. With every series zero before the traffic, the start is not
// extrapolated (Prometheus stops at the counter's zero), and the end is stretched by half a scrape
// interval (0.5 s) over at least 15 s of samples: counts come out up to ~3.5% high, and the same factor
// applies to every series of the target because one scrape reads them all at one timestamp. So counts
// agree within 5%, and everything that is a ratio of counts (shares, error rate, accuracy, quantiles,
// event rates) agrees to 1e-9; verdicts (ok / insufficient, significant or not) agree exactly.

const FLAG = 'support-model';
const MINUTE = 60_000;
const CALLS = 1_200;

interface Figure {
  status: string;
  value?: number;
  n?: number;
}
interface Compared {
  variant: Figure;
  control: Figure;
  delta?: { value: number; significant: boolean };
}
interface Row {
  variant: string;
  requests: { count: number; share: number };
  latency: Record<string, Compared>;
  errorRate: Compared;
  accuracy: Compared;
  macroPrecision: Compared;
  macroRecall: Compared;
  macroF1: Compared;
  quality?: { classes: { label: string; precision: Figure; recall: Figure; f1: Figure }[] };
  events: Record<string, { rate: Compared; value: Compared }>;
}
interface Body {
  source: string;
  window: { fromMs: number; toMs: number; stepMs: number };
  summary: { srm: Figure & { value?: { mismatch: boolean } }; variants: Row[] };
  series: { steps: number[]; variants: { variant: string; requests: number[] }[] };
}

let service: MetricsService;
let prometheus: RunningPrometheus;
let embedded: RunningPlane;
let viaPrometheus: RunningPlane;
const dirs: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 200 ms until it returns true; throws after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function startPlane(env: Record<string, string>): Promise<RunningPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'flaglens-prom-plane-'));
  dirs.push(dir);
  return startControlPlane({ FLAGLENS_DATA_DIR: dir, DATABASE_URL: '', ...env });
}

/** Creates every series the traffic will touch at zero, so both sources start from the same point. */
function zeroSeries(s: MetricsService): void {
  const counter = (name: string) => s.registry.getSingleMetric(name) as Counter<string>;
  // The two inference histograms are the instrumentation's own fast histograms (one series object per
  // label set, created by series()); the others are prom-client's (created at zero by zero()).
  const histogram = (name: string) => {
    const metric = s.registry.getSingleMetric(name) as Partial<Histogram<string>>;
    return {
      zero(labels: Record<string, string>) {
        if (metric.zero) return metric.zero(labels);
        const fast = metric as unknown as { labelNames: readonly string[]; series(values: readonly string[]): unknown };
        fast.series(fast.labelNames.map((label) => labels[label] ?? ''));
      },
    };
  };
  for (const [variant, model] of [
    ['v1', 'gpt-a'],
    ['v2', 'gpt-b'],
  ] as const) {
    const call = { flag: FLAG, variant, model, mode: 'served' };
    counter('flaglens_flag_evaluations_total').inc({ flag: FLAG, variant, reason: 'SPLIT' }, 0);
    histogram('flaglens_inference_duration_seconds').zero(call);
    counter('flaglens_inference_errors_total').inc({ ...call, type: 'Timeout' }, 0);
    histogram('flaglens_prediction_score').zero(call);
    for (const cls of ['approve', 'reject']) counter('flaglens_predicted_class_total').inc({ ...call, class: cls }, 0);
    for (const predicted of ['approve', 'reject']) {
      for (const actual of ['approve', 'reject']) {
        const outcome = predicted === actual ? 'correct' : 'incorrect';
        counter('flaglens_outcomes_total').inc({ ...call, outcome, predicted_class: predicted, actual_class: actual }, 0);
      }
    }
    histogram('flaglens_outcome_absolute_error').zero(call);
    for (const name of [
      'flaglens_business_events_total',
      'flaglens_business_event_value_total',
      'flaglens_business_event_value_squared_total',
    ])
      counter(name).inc({ flag: FLAG, variant, event: 'purchase' }, 0);
  }
}

/** Deterministic traffic: the candidate (v2) is slower and fails more often. */
function drive(s: MetricsService): void {
  for (let i = 0; i < CALLS; i++) {
    const u = ((i * 7919) % CALLS) / CALLS;
    for (const variant of ['v1', 'v2'] as const) {
      const labels = { flag: FLAG, variant, model: variant === 'v1' ? 'gpt-a' : 'gpt-b' };
      const slow = variant === 'v2';
      s.metrics.evaluation(FLAG, variant, 'SPLIT');
      s.metrics.inference(labels, 'served', slow ? 0.2 + 0.3 * u : 0.03 + 0.05 * u, i % (slow ? 20 : 100) === 0 ? 'Timeout' : undefined);
      const predictedClass = u > 0.5 ? 'approve' : 'reject';
      s.metrics.prediction(labels, 'served', { score: u, class: predictedClass });
      // On top of every tenth call, the candidate calls one reject in five approve: its reject recall is lower.
      const correct = i % 10 !== 0 && !(slow && predictedClass === 'approve' && i % 5 === 1);
      const actualClass = correct ? predictedClass : predictedClass === 'approve' ? 'reject' : 'approve';
      s.metrics.outcome(labels, { correct, absoluteError: (i % 10) / 10, predictedClass, actualClass });
      if (i % 8 === 0) s.metrics.businessEvent(FLAG, variant, 'purchase', slow ? 20 + (i % 3) * 10 : 20 + (i % 2) * 5);
    }
  }
}

async function compare(plane: RunningPlane, endMs: number): Promise<Body> {
  const response = await fetch(`${plane.url}/api/v1/flags/${FLAG}/compare?window=5m&step=1m&end=${endMs}`, {
    headers: { authorization: `Bearer ${adminTokenOf(plane)}` },
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Body;
}

const flag = evenSplit({ v1: 'gpt-a', v2: 'gpt-b' });

let fromEmbedded: Body;
let fromPrometheus: Body;

beforeAll(async () => {
  service = await startMetricsService();
  zeroSeries(service);
  prometheus = await startPrometheus(service.target);
  [embedded, viaPrometheus] = await Promise.all([startPlane({}), startPlane({ PROMETHEUS_URL: prometheus.url })]);
  const admin = adminApi(embedded.url, adminTokenOf(embedded));
  await admin.putFlag(FLAG, flag);
  await adminApi(viaPrometheus.url, adminTokenOf(viaPrometheus)).putFlag(FLAG, flag);
  const push = new MetricPush({ url: embedded.url, sdkKey: await admin.createSdkKey('prometheus test'), registry: service.registry });
  expect(await push.pushOnce()).toBe(true);

  const served = () => instantQuery(prometheus.url, `sum(flaglens_inference_duration_seconds_count{flag="${FLAG}"})`);
  await until(async () => (await served()).length > 0, 10_000, 'Prometheus scraping the zeroed series');
  const zeroedAt = Date.now();
  // The traffic lands 15–45 s into a minute and 15 s after the zeros were first scraped: at least 15 s of
  // zero samples precede it in its step, and no step boundary falls between it and the scrapes that see it.
  const ready = () => {
    const now = Date.now();
    const second = (now % MINUTE) / 1000;
    return second >= 15 && second < 45 && now - Math.max(zeroedAt, now - (now % MINUTE)) >= 15_000;
  };
  while (!ready()) await sleep(250);
  drive(service);
  expect(await push.pushOnce()).toBe(true);
  await until(async () => Number((await served())[0]?.value[1]) === 2 * CALLS, 5_000, 'Prometheus scraping the traffic');
  await sleep(1_500);
  const endMs = Date.now();
  [fromEmbedded, fromPrometheus] = await Promise.all([compare(embedded, endMs), compare(viaPrometheus, endMs)]);
}, 80_000);

afterAll(async () => {
  await Promise.all([embedded?.stop(), viaPrometheus?.stop()]);
  await prometheus?.stop();
  await service?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const within = (actual: number | undefined, expected: number | undefined, relative: number) => {
  expect(actual).toBeTypeOf('number');
  expect(Math.abs((actual ?? 0) - (expected ?? 0))).toBeLessThanOrEqual(relative * Math.abs(expected ?? 0) + 1e-12);
};

describe('the Prometheus metrics source', () => {
  it('answers from Prometheus over the same window and steps as the embedded store', () => {
    expect(fromEmbedded.source).toBe('embedded');
    expect(fromPrometheus.source).toBe('prometheus');
    expect(fromPrometheus.window).toEqual(fromEmbedded.window);
    expect(fromPrometheus.series.steps).toEqual(fromEmbedded.series.steps);
  });

  it('counts the same requests per variant and per step, within the extrapolation of increase()', () => {
    for (const row of fromEmbedded.summary.variants) {
      const other = fromPrometheus.summary.variants.find((v) => v.variant === row.variant);
      expect(row.requests.count).toBe(CALLS);
      within(other?.requests.count, row.requests.count, 0.05);
      within(other?.requests.share, row.requests.share, 1e-9);
      const steps = fromEmbedded.series.variants.find((v) => v.variant === row.variant)?.requests ?? [];
      const promSteps = fromPrometheus.series.variants.find((v) => v.variant === row.variant)?.requests ?? [];
      for (const [i, count] of steps.entries()) within(promSteps[i], count, 0.05);
    }
  });

  it('gives the same figures and the same verdicts: latency, error rate, accuracy, events, SRM', () => {
    expect(fromPrometheus.summary.srm.status).toBe(fromEmbedded.summary.srm.status);
    expect(fromPrometheus.summary.srm.value?.mismatch).toBe(fromEmbedded.summary.srm.value?.mismatch);
    for (const row of fromEmbedded.summary.variants) {
      const other = fromPrometheus.summary.variants.find((v) => v.variant === row.variant);
      const figures: [string, Compared | undefined, Compared | undefined][] = [
        ...Object.keys(row.latency).map((q): [string, Compared | undefined, Compared | undefined] => [
          q,
          row.latency[q],
          other?.latency[q],
        ]),
        ['errorRate', row.errorRate, other?.errorRate],
        ['accuracy', row.accuracy, other?.accuracy],
        ['macro precision', row.macroPrecision, other?.macroPrecision],
        ['macro recall', row.macroRecall, other?.macroRecall],
        ['macro F1', row.macroF1, other?.macroF1],
        ['purchase rate', row.events.purchase?.rate, other?.events.purchase?.rate],
        ['purchase value', row.events.purchase?.value, other?.events.purchase?.value],
      ];
      for (const [name, mine, theirs] of figures) {
        expect(theirs?.variant.status, `${row.variant} ${name}`).toBe(mine?.variant.status);
        if (mine?.variant.status === 'ok') within(theirs?.variant.value, mine.variant.value, 1e-9);
        expect(theirs?.delta?.significant, `${row.variant} ${name}`).toBe(mine?.delta?.significant);
        if (mine?.delta) within(theirs?.delta?.value, mine.delta.value, 1e-9);
      }
    }
    const candidate = fromPrometheus.summary.variants.find((v) => v.variant === 'v2');
    expect(candidate?.latency.p95?.delta?.significant).toBe(true);
    expect(candidate?.errorRate.delta?.significant).toBe(true);
  });

  it('gives the same precision, recall and F1 per class, from the predicted and actual class labels', () => {
    for (const row of fromEmbedded.summary.variants) {
      const other = fromPrometheus.summary.variants.find((v) => v.variant === row.variant);
      const classes = row.quality?.classes ?? [];
      expect(classes.map((c) => c.label)).toEqual(['approve', 'reject']);
      expect(other?.quality?.classes.map((c) => c.label)).toEqual(['approve', 'reject']);
      for (const [k, mine] of classes.entries()) {
        const theirs = other?.quality?.classes[k];
        for (const key of ['precision', 'recall', 'f1'] as const) {
          expect(theirs?.[key].status, `${row.variant} ${mine.label} ${key}`).toBe(mine[key].status);
          within(theirs?.[key].value, mine[key].value, 1e-9);
        }
      }
    }
    // The seeded miss, rejects called approve: the candidate's reject recall is lower than control's.
    const recall = (body: Body, variant: string) =>
      body.summary.variants.find((v) => v.variant === variant)?.quality?.classes.find((c) => c.label === 'reject')?.recall.value ?? 1;
    expect(recall(fromPrometheus, 'v2')).toBeLessThan(recall(fromPrometheus, 'v1') - 0.05);
  });
});
