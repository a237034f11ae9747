import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as compare } from '@/app/api/v1/flags/[key]/compare/route';
import type { CompareResponse } from '@/src/server/compare/types';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { comparedService, recordCalls, type VariantBehaviour } from './compare-traffic';
import { modelFlag, uniqueKey } from './fixtures';
import { call, errorCode } from './http';
import { managementToken, pushExposition, sdkKey } from './ingest-shapes';
import { routes } from './routes';
import { seeded } from './seeded';

const MINUTE = 60_000;
// Minute-aligned, in the recent past: pushes are never in the future and steps are predictable.
const T0 = Math.floor((Date.now() - 3_600_000) / MINUTE) * MINUTE;
const split = (v1: number, v2: number) => ({
  split: {
    arms: [
      { variant: 'v1', weight: v1 },
      { variant: 'v2', weight: v2 },
    ],
  },
});

const control: VariantBehaviour = {
  variant: 'v1',
  model: 'gpt-a',
  latency: (u) => 0.03 + 0.05 * u,
  errorRate: 0.01,
  accuracy: 0.9,
  purchaseRate: 0.1,
};
// The seeded regression: the candidate is about six times slower, and 2% of its calls pass 30 s (the +Inf bucket).
const candidate: VariantBehaviour = {
  variant: 'v2',
  model: 'gpt-b',
  latency: (u) => (u > 0.98 ? 45 : 0.2 + 0.3 * u),
  errorRate: 0.01,
  accuracy: 0.9,
  purchaseRate: 0.1,
};

/** Every `status` in a figure tree, with the path that holds it. */
function statuses(value: unknown, path = ''): { path: string; status: string }[] {
  if (value === null || typeof value !== 'object') return [];
  const own = 'status' in value && typeof value.status === 'string' ? [{ path, status: value.status }] : [];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => statuses(child, `${path}.${key}`))];
}

describe.each(backends)('compare API on $name', (backend) => {
  let plane: ControlPlane;
  let adminToken: string;
  let viewer: string;
  let sdk: string;
  let drop: () => Promise<void>;

  const createFlag = async (key: string, overrides = {}) => {
    const response = await call(routes.flag.PUT, 'PUT', `/api/v1/flags/${key}`, { key }, { token: adminToken, body: modelFlag(overrides) });
    expect(response.status).toBe(201);
  };
  const push = (text: string, instance: string, timeMs: number) => pushExposition(sdk, text, instance, timeMs);
  const get = (key: string, query: string, token = viewer) =>
    call(compare, 'GET', `/api/v1/flags/${key}/compare?${query}`, { key }, { token });
  const getBody = async (key: string, query: string) => {
    const response = await get(key, query);
    expect(response.status).toBe(200);
    return (await response.json()) as CompareResponse;
  };

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    sdk = await sdkKey(plane.db);
    viewer = await managementToken(plane.db, 'viewer');
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  describe('with a seeded latency regression in the candidate', () => {
    const flag = uniqueKey();
    let body: CompareResponse;

    beforeAll(async () => {
      useControlPlane(plane);
      await createFlag(flag, { fallthrough: split(5000, 5000) });
      const m = comparedService();
      const random = seeded(7);
      // The baseline window (the ten minutes before) holds control alone, with the same scores.
      recordCalls(m, flag, control, 300, random);
      await push(await m.registry.metrics(), 'pod-a', T0 - 5 * MINUTE);
      // Three pushes over three minutes of the window, 600 calls per variant in each.
      for (let minute = 0; minute < 3; minute++) {
        recordCalls(m, flag, control, 600, random);
        recordCalls(m, flag, candidate, 600, random);
        await push(await m.registry.metrics(), 'pod-a', T0 + minute * MINUTE + 20_000);
      }
      body = await getBody(flag, `window=10m&step=1m&end=${T0 + 10 * MINUTE}`);
    });

    it('compares against the flag offVariant over the aligned window, with the preceding window as baseline', () => {
      expect(body).toMatchObject({ control: 'v1', controlFrom: 'offVariant', source: 'embedded', mode: 'served' });
      expect(body.window).toEqual({ fromMs: T0, toMs: T0 + 10 * MINUTE, stepMs: MINUTE });
      expect(body.baseline).toEqual({ fromMs: T0 - 10 * MINUTE, toMs: T0 });
      expect(body.summary.variants.map((v) => v.variant)).toEqual(['v1', 'v2']);
    });

    it('reports the candidate p50, p95 and p99 latency as significantly higher', () => {
      const v2 = body.summary.variants.find((v) => v.variant === 'v2');
      for (const q of ['p50', 'p95']) {
        expect(v2?.latency[q]?.delta, q).toMatchObject({ significant: true });
        expect(v2?.latency[q]?.delta?.value, q).toBeGreaterThan(0.1);
      }
      // 2% of calls above 30 s: the p99 falls in +Inf, reported as the highest bound, its open upper edge as null.
      const p99 = v2?.latency.p99?.variant;
      expect(p99).toMatchObject({ status: 'ok', value: 30 });
      expect(p99?.status === 'ok' && p99.interval?.upper).toBeNull();
    });

    it('counts requests, split evaluations, models and cost per variant, with no sample-ratio mismatch', () => {
      const v1 = body.summary.variants.find((v) => v.variant === 'v1');
      expect(v1?.requests).toMatchObject({ count: 1800, share: 0.5, expectedShare: 0.5 });
      expect(body.split).toMatchObject({ from: 'fallthrough', basis: 'split-evaluations', weights: { v1: 5000, v2: 5000 } });
      expect(body.summary.srm).toMatchObject({ status: 'ok', n: 3600, value: { mismatch: false } });
      const facts = body.variants.find((v) => v.variant === 'v2');
      expect(facts).toMatchObject({ defined: true, requestsByModel: { 'gpt-b': 1800 }, evaluationsByReason: { SPLIT: 1800 } });
      expect(facts?.costUsd).toBeCloseTo(1.8, 9);
    });

    it('reads accuracy from outcomes and sees no difference where none was seeded', () => {
      const v2 = body.summary.variants.find((v) => v.variant === 'v2');
      expect(v2?.accuracy.variant).toMatchObject({ status: 'ok', n: 1800 });
      expect(v2?.accuracy.delta?.significant).toBe(false);
      expect(v2?.errorRate.delta?.significant).toBe(false);
      expect(v2?.events.purchase?.rate.variant.status).toBe('ok');
      const drift = v2?.drift.vsBaseline.score;
      expect(drift?.status === 'ok' && drift.value.psi).toBeLessThan(0.1);
    });

    it('returns per-step series that add up to the summary', () => {
      const { series } = body;
      expect(series.steps).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * MINUTE));
      const v2 = series.variants.find((v) => v.variant === 'v2');
      expect(v2?.requests.slice(0, 4)).toEqual([600, 600, 600, 0]);
      expect(v2?.share.slice(0, 4)).toEqual([0.5, 0.5, 0.5, null]);
      expect(v2?.latency.p95?.[0]).toBeGreaterThan(0.4);
      expect(v2?.latency.p95?.[3]).toBeNull();
      expect(v2?.drift.psi[0]).toBeLessThan(0.1);
      const purchases = v2?.events.purchase?.count.reduce((a, b) => a + b, 0) ?? 0;
      const rate = body.summary.variants.find((v) => v.variant === 'v2')?.events.purchase?.rate.variant;
      expect(rate?.status === 'ok' && rate.value).toBeCloseTo(purchases / 1800, 12);
      const v1 = series.variants.find((v) => v.variant === 'v1');
      expect(v1?.drift.psi.every((x) => x === null)).toBe(true);
      expect(v1?.cost[0]).toBeCloseTo(0.6, 9);
    });

    it('compares against ?control= when given, and skips the baseline with baseline=none', async () => {
      const other = await getBody(flag, `window=15m&step=5m&end=${T0 + 10 * MINUTE}&control=v2&baseline=none`);
      expect(other).toMatchObject({ control: 'v2', controlFrom: 'parameter', baseline: null });
      // The end is rounded up to a whole step, so the steps are 5-minute aligned.
      const end = Math.ceil((T0 + 10 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE;
      expect(other.series.steps).toEqual([end - 15 * MINUTE, end - 10 * MINUTE, end - 5 * MINUTE]);
      const v1 = other.summary.variants.find((v) => v.variant === 'v1');
      expect(v1?.latency.p50?.delta).toMatchObject({ significant: true });
      expect(v1?.latency.p50?.delta?.value).toBeLessThan(0);
      expect(v1?.drift.vsBaseline).toEqual({});
    });
  });

  describe('with classes, a regional quality regression, a shadow run and purchase values', () => {
    const flag = uniqueKey();
    let body: CompareResponse;
    // v2 is as accurate as control in eu but far worse in us, and sells dearer; v3 runs in v1's shadow.
    const worseInUs: VariantBehaviour = { ...candidate, latency: control.latency, accuracyIn: { us: 0.6 }, purchaseValue: 35 };
    const shadow: VariantBehaviour = { ...control, variant: 'v3', model: 'gpt-c', accuracy: 0.97, mode: 'shadow' };

    beforeAll(async () => {
      useControlPlane(plane);
      await createFlag(flag, { fallthrough: split(5000, 5000) });
      const m = comparedService();
      const random = seeded(12);
      for (let minute = 0; minute < 2; minute++) {
        recordCalls(m, flag, control, 1000, random);
        recordCalls(m, flag, worseInUs, 1000, random);
        recordCalls(m, flag, shadow, 500, random);
        await push(await m.registry.metrics(), 'pod-b', T0 + minute * MINUTE + 20_000);
      }
      body = await getBody(flag, `window=10m&step=1m&end=${T0 + 10 * MINUTE}`);
    });

    it('gives precision, recall and F1 per class with intervals, and macro figures with a test against control', () => {
      const v2 = body.summary.variants.find((v) => v.variant === 'v2');
      expect(v2?.quality?.classes.map((c) => c.label)).toEqual(['approve', 'reject']);
      for (const c of v2?.quality?.classes ?? []) {
        for (const figure of [c.precision, c.recall, c.f1]) {
          expect(figure.status).toBe('ok');
          if (figure.status === 'ok') expect(figure.interval?.lower).toBeLessThan(figure.value);
        }
      }
      expect(v2?.quality?.classes.reduce((s, c) => s + c.support, 0)).toBe(2000);
      expect(v2?.macroF1.delta).toMatchObject({ significant: true });
      expect(v2?.macroF1.delta?.value).toBeLessThan(-0.1);
      const series = body.series.variants.find((v) => v.variant === 'v2');
      expect(series?.macroF1.slice(0, 3).map((x) => x !== null)).toEqual([true, true, false]);
    });

    it('finds the regression in the us slice only, from the region label of outcomes', () => {
      const row = (value: string) =>
        body.summary.slices.rows.find((r) => r.attribute === 'region' && r.value === value && r.variant === 'v2');
      expect(body.summary.slices.attributes).toEqual([{ attribute: 'region', seen: 2, kept: ['eu', 'us'], dropped: 0 }]);
      expect(row('us')?.accuracy.delta).toMatchObject({ significant: true });
      expect(row('us')?.accuracy.delta?.value).toBeLessThan(-0.2);
      expect(row('eu')?.accuracy.delta?.significant).toBe(false);
      expect(row('us')?.accuracy.variant).toMatchObject({ status: 'ok', n: 1000 });
    });

    it('shows the shadow run apart, judged by the same ground truth, and leaves it out of the served figures', () => {
      expect(body.summary.variants.map((v) => v.variant)).toEqual(['v1', 'v2']);
      const v3 = body.shadow?.variants.find((v) => v.variant === 'v3');
      expect(v3?.requests).toEqual({ count: 1000, share: 0.25, expectedShare: 0 });
      expect(v3?.accuracy.variant).toMatchObject({ status: 'ok', n: 1000 });
      expect(v3?.accuracy.delta).toMatchObject({ significant: true });
      expect(v3?.events).toEqual({});
      expect(v3?.quality?.classes).toHaveLength(2);
      expect(body.shadow?.slices.rows.some((r) => r.variant === 'v3')).toBe(true);
    });

    it('gives value per request an interval and an always-valid test from the recorded sum of squares', () => {
      const value = body.summary.variants.find((v) => v.variant === 'v2')?.events.purchase?.value;
      expect(value?.variant.status === 'ok' && value.variant.interval?.lower).toBeGreaterThan(0);
      expect(value?.variant.status === 'ok' && value.variant.note).toBeUndefined();
      expect(value?.delta?.method).toContain('mSPRT');
      expect(value?.delta?.value).toBeGreaterThan(0);
    });
  });

  it('says insufficient for every figure of a flag with no data', async () => {
    const flag = uniqueKey();
    await createFlag(flag);
    const body = await getBody(flag, 'window=1h');
    const found = statuses(body.summary);
    expect(found.length).toBeGreaterThan(10);
    expect(found.filter((f) => f.status !== 'insufficient')).toEqual([]);
    expect(body.summary.srm.status).toBe('insufficient');
    expect(body.series.steps).toHaveLength(60);
    for (const v of body.series.variants) {
      expect(v.requests.every((r) => r === 0)).toBe(true);
      expect([...v.share, ...v.errorRate, ...(v.latency.p50 ?? [])].every((x) => x === null)).toBe(true);
    }
  });

  it('answers 400 naming the bad parameter', async () => {
    const flag = uniqueKey();
    await createFlag(flag);
    const cases: [string, string][] = [
      ['window=abc', 'window'],
      ['window=0m', 'window'],
      ['window=400d', 'window'],
      ['step=30s', 'step'],
      ['window=1h&step=2h', 'step'],
      ['window=30d&step=1m', 'step'],
      ['end=yesterday', 'end'],
      ['baseline=soon', 'baseline'],
      ['control=v9', 'control'],
      ['mode=both', 'mode'],
    ];
    for (const [query, parameter] of cases) {
      const response = await get(flag, query);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { parameter: string } } };
      expect(body.error.details.parameter, query).toBe(parameter);
    }
  });

  it('answers 404 for an unknown flag, 401 without credentials and 403 for an SDK key', async () => {
    const missing = await get('no-such-flag', 'window=1h');
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('not_found');
    expect((await call(compare, 'GET', '/api/v1/flags/x/compare', { key: 'x' })).status).toBe(401);
    expect((await get('x', 'window=1h', sdk)).status).toBe(403);
  });
});
