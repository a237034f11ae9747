import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/ingest/route';
import { embeddedMetricsSource } from '@/src/server/metrics/embedded';
import type { MetricSeries } from '@/src/server/metrics/source';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { comparedService } from './compare-traffic';
import { uniqueKey } from './fixtures';
import { call } from './http';
import { sdkKey, serviceRegistry } from './ingest-shapes';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const MINUTE = 60_000;
// A fixed minute in the recent past, so pushes are never "in the future" and steps are predictable.
const T0 = Math.floor((Date.now() - 3_600_000) / MINUTE) * MINUTE;

interface PushBody {
  status: string;
  kept: number;
  changed: number;
  resets: number;
  dropped: { total: number; byReason: Record<string, number> };
}

const total = (series: MetricSeries[], metric: string, match: Partial<MetricSeries> = {}) =>
  series
    .filter((s) => s.metric === metric && Object.entries(match).every(([k, v]) => s[k as keyof MetricSeries] === v))
    .reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0);

describe.each(backends)('metric ingest on $name', (backend) => {
  let plane: ControlPlane;
  let key: string;
  let drop: () => Promise<void>;
  const push = async (text: string, instance: string, timeMs: number) => {
    const response = await call(
      POST,
      'POST',
      '/api/v1/ingest',
      {},
      {
        token: key,
        rawBody: text,
        headers: { 'content-type': TEXT, 'x-flaglens-instance': instance, 'x-flaglens-push-time': String(timeMs) },
      },
    );
    expect(response.status).toBe(200);
    return (await response.json()) as PushBody;
  };
  const read = (flag: string, stepMs = MINUTE, minutes = 10) =>
    embeddedMetricsSource(plane.db).readSeries({ environment: 'production', flag, fromMs: T0, toMs: T0 + minutes * MINUTE, stepMs });

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    key = await sdkKey(plane.db);
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('keeps every sample of a prom-client push and turns later pushes into per-minute increases', async () => {
    const flag = uniqueKey();
    const instance = uniqueKey('pod');
    const m = serviceRegistry();
    const v2 = { flag, variant: 'v2', model: 'gpt-b', mode: 'served' };
    m.evaluations.inc({ flag, variant: 'v2', reason: 'SPLIT' }, 4);
    m.duration.observe(v2, 0.04);
    const first = await push(await m.registry.metrics(), instance, T0 + 10_000);
    expect(first).toMatchObject({ status: 'stored', dropped: { total: 0 } });
    expect(first.kept).toBe(1 + 12 + 1 + 2); // one counter; 13 buckets, sum and count
    m.evaluations.inc({ flag, variant: 'v2', reason: 'SPLIT' }, 3);
    await push(await m.registry.metrics(), instance, T0 + 25_000);
    m.evaluations.inc({ flag, variant: 'v2', reason: 'SPLIT' }, 5);
    m.duration.observe(v2, 3);
    await push(await m.registry.metrics(), instance, T0 + 2 * MINUTE + 5_000);

    const { series, steps } = await read(flag);
    expect(steps).toHaveLength(10);
    const evaluations = series.find((s) => s.metric === 'flaglens_flag_evaluations_total');
    expect(evaluations).toMatchObject({ variant: 'v2', model: '', labels: { reason: 'SPLIT' } });
    expect(evaluations?.values.slice(0, 3)).toEqual([7, 0, 5]);
    const bucket = (le: string) => series.find((s) => s.metric === 'flaglens_inference_duration_seconds_bucket' && s.labels.le === le);
    expect(bucket('0.05')?.values.slice(0, 3)).toEqual([1, 0, 0]);
    expect(bucket('5')?.values.slice(0, 3)).toEqual([1, 0, 1]);
    expect(bucket('+Inf')?.labels).toEqual({ le: '+Inf', mode: 'served' });
    expect(total(series, 'flaglens_inference_duration_seconds_count')).toBe(2);
    expect(total(series, 'flaglens_inference_duration_seconds_sum')).toBeCloseTo(3.04, 9);
  });

  it('counts a restarted process its new value, as increase() does', async () => {
    const flag = uniqueKey();
    const instance = uniqueKey('pod');
    const before = serviceRegistry();
    before.errors.inc({ flag, variant: 'v1', model: 'm', mode: 'served', type: 'Timeout' }, 10);
    before.duration.observe({ flag, variant: 'v1', model: 'm', mode: 'served' }, 0.2);
    before.duration.observe({ flag, variant: 'v1', model: 'm', mode: 'served' }, 0.2);
    await push(await before.registry.metrics(), instance, T0 + 1_000);
    const after = serviceRegistry();
    after.errors.inc({ flag, variant: 'v1', model: 'm', mode: 'served', type: 'Timeout' }, 3);
    after.duration.observe({ flag, variant: 'v1', model: 'm', mode: 'served' }, 0.2);
    const restarted = await push(await after.registry.metrics(), instance, T0 + 16_000);
    expect(restarted.resets).toBe(2);
    const { series } = await read(flag);
    expect(total(series, 'flaglens_inference_errors_total')).toBe(13);
    expect(total(series, 'flaglens_inference_duration_seconds_count')).toBe(3);
  });

  it('changes nothing for a duplicate push or one older than the last', async () => {
    const flag = uniqueKey();
    const instance = uniqueKey('pod');
    const m = serviceRegistry();
    const labels = { flag, variant: 'v1', event: 'purchase' };
    m.events.inc(labels, 5);
    const older = await m.registry.metrics();
    m.events.inc(labels, 5);
    const newer = await m.registry.metrics();
    expect((await push(newer, instance, T0 + 30_000)).status).toBe('stored');
    expect((await push(newer, instance, T0 + 30_000)).status).toBe('duplicate');
    expect((await push(older, instance, T0 + 20_000)).status).toBe('out_of_order');
    // The same values again at a later time: a retry of a lost response adds nothing either.
    expect(await push(newer, instance, T0 + 45_000)).toMatchObject({ status: 'stored', changed: 0 });
    expect(total((await read(flag)).series, 'flaglens_business_events_total')).toBe(10);
  });

  it('keeps each instance apart and sums them when read', async () => {
    const flag = uniqueKey();
    const [a, b] = [uniqueKey('pod'), uniqueKey('pod')];
    const counts = { a: serviceRegistry(), b: serviceRegistry() };
    const labels = { flag, variant: 'v1', reason: 'DEFAULT' };
    counts.a.evaluations.inc(labels, 5);
    counts.b.evaluations.inc(labels, 7);
    await push(await counts.a.registry.metrics(), a, T0 + 1_000);
    await push(await counts.b.registry.metrics(), b, T0 + 1_000);
    counts.a.evaluations.inc(labels, 3);
    await push(await counts.a.registry.metrics(), a, T0 + MINUTE + 1_000);
    const evaluations = (await read(flag)).series.find((s) => s.metric === 'flaglens_flag_evaluations_total');
    expect(evaluations?.values.slice(0, 2)).toEqual([12, 3]);
  });

  it('sums minutes into wider steps and reads only the metrics asked for', async () => {
    const flag = uniqueKey();
    const instance = uniqueKey('pod');
    const m = serviceRegistry();
    for (let minute = 0; minute < 10; minute++) {
      m.predictedClass.inc({ flag, variant: 'v1', model: 'm', mode: 'served', class: 'spam' }, minute + 1);
      m.evaluations.inc({ flag, variant: 'v1', reason: 'SPLIT' });
      await push(await m.registry.metrics(), instance, T0 + minute * MINUTE + 1_000);
    }
    const result = await embeddedMetricsSource(plane.db).readSeries({
      environment: 'production',
      flag,
      fromMs: T0,
      toMs: T0 + 10 * MINUTE,
      stepMs: 5 * MINUTE,
      metrics: ['flaglens_predicted_class_total'],
    });
    expect(result.steps).toEqual([T0, T0 + 5 * MINUTE]);
    expect(result.series).toHaveLength(1);
    expect(result.series[0]).toMatchObject({ variant: 'v1', model: 'm', labels: { class: 'spam', mode: 'served' }, values: [15, 40] });
  });

  it('keeps outcomes with their predicted and actual class, mode and slice, and the squared event values', async () => {
    const flag = uniqueKey();
    const m = comparedService();
    const cell = { flag, variant: 'v2', model: 'gbdt', outcome: 'incorrect', predicted_class: 'spam', actual_class: 'ham' };
    m.outcomes.inc({ ...cell, mode: 'shadow', region: 'eu' }, 3);
    m.eventValueSquared.inc({ flag, variant: 'v2', event: 'purchase' }, 400);
    const body = await push(await m.registry.metrics(), uniqueKey('pod'), T0 + 10_000);
    expect(body).toMatchObject({ status: 'stored', kept: 2, dropped: { total: 0 } });
    const { series } = await read(flag);
    const { flag: _, variant, model, ...labels } = cell;
    expect(series.find((s) => s.metric === 'flaglens_outcomes_total')).toMatchObject({
      variant,
      model,
      labels: { ...labels, mode: 'shadow', region: 'eu' },
    });
    expect(total(series, 'flaglens_outcomes_total')).toBe(3);
    expect(total(series, 'flaglens_business_event_value_squared_total', { variant: 'v2' })).toBe(400);
  });
});
