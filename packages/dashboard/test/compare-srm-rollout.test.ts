import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as compare } from '@/app/api/v1/flags/[key]/compare/route';
import { planeComparisons } from '@/src/server/alerts/source';
import type { CompareResponse } from '@/src/server/compare/types';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { comparedService, recordCalls, type VariantBehaviour } from './compare-traffic';
import { modelFlag, uniqueKey } from './fixtures';
import { call } from './http';
import { managementToken, pushExposition, sdkKey } from './ingest-shapes';
import { routes } from './routes';
import { seeded } from './seeded';

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 3_600_000) / MINUTE) * MINUTE;
const behaviour = (variant: string): VariantBehaviour => ({
  variant,
  model: `model-${variant}`,
  latency: (u) => 0.05 + 0.05 * u,
  errorRate: 0.01,
  accuracy: 0.9,
  purchaseRate: 0.1,
});
const split = (v2: number) => ({
  split: {
    arms: [
      { variant: 'v1', weight: 10_000 - v2 },
      { variant: 'v2', weight: v2 },
    ],
  },
});

describe.each(backends)('sample-ratio mismatch across a staged rollout on $name', (backend) => {
  let plane: ControlPlane;
  let adminToken: string;
  let viewer: string;
  let sdk: string;
  let drop: () => Promise<void>;

  const putFlag = async (key: string, v2: number, version?: number) => {
    const headers = version === undefined ? undefined : { 'if-match': `"${version}"` };
    const response = await call(
      routes.flag.PUT,
      'PUT',
      `/api/v1/flags/${key}`,
      { key },
      { token: adminToken, body: modelFlag({ fallthrough: split(v2) }), headers },
    );
    expect(response.status).toBeLessThan(300);
  };
  // The rollout controller's stage changes as the audit log stores them, back-dated into the seeded window:
  // a copy of the flag's created definition (its first entry is in the request's environment) with that stage's weight.
  const auditStage = async (key: string, v2: number, atMs: number) => {
    const [latest] = await plane.db.query<{ environment: string; after: Record<string, unknown> }>(
      `select environment, after from audit_log where flag_key = $1 order by id limit 1`,
      [key],
    );
    if (!latest) throw new Error(`no audited definition of ${key}`);
    await plane.db.query(
      `insert into audit_log (at, actor, actor_id, action, environment, flag_key, version, before, after)
       values (to_timestamp($1 / 1000.0), 'rollout:test', 'rollout:test', 'flag.update', $2, $3, 1, $4::jsonb, $5::jsonb)`,
      [atMs, latest.environment, key, JSON.stringify(latest.after), JSON.stringify({ ...latest.after, fallthrough: split(v2) })],
    );
  };
  const push = (text: string, instance: string, timeMs: number) => pushExposition(sdk, text, instance, timeMs);
  const getBody = async (key: string, query: string) => {
    const response = await call(compare, 'GET', `/api/v1/flags/${key}/compare?${query}`, { key }, { token: viewer });
    expect(response.status).toBe(200);
    return (await response.json()) as CompareResponse;
  };

  /**
   * Ten minutes at 10% then ten at 25% (the split changes at T0 + 10 min), 2,000 split assignments a minute;
   * `candidateLate` is the candidate's count per minute after the change (500 when healthy).
   */
  const seedRollout = async (candidateLate: number) => {
    const key = uniqueKey('srm');
    await putFlag(key, 1000);
    await auditStage(key, 1000, T0 - 30 * MINUTE);
    await auditStage(key, 2500, T0 + 10 * MINUTE);
    // The flag as it stands now: the latest stage's weights.
    await putFlag(key, 2500, 1);
    const m = comparedService();
    const random = seeded(11);
    recordCalls(m, key, behaviour('v1'), 100, random);
    await push(await m.registry.metrics(), key, T0 - 5 * MINUTE);
    for (let minute = 0; minute < 20; minute++) {
      const late = minute >= 10;
      recordCalls(m, key, behaviour('v1'), late ? 1500 : 1800, random);
      recordCalls(m, key, behaviour('v2'), late ? candidateLate : 200, random);
      await push(await m.registry.metrics(), key, T0 + minute * MINUTE + 20_000);
    }
    return key;
  };

  let healthy: string;
  let broken: string;
  let widenedLater: string;

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    useControlPlane(plane);
    sdk = await sdkKey(plane.db);
    viewer = await managementToken(plane.db, 'viewer');
    healthy = await seedRollout(500);
    // The traffic generator's `srm-bug`: every request the candidate answers is evaluated twice.
    broken = await seedRollout(1000);
    // Widened again 45 s into minute 10: after the engine's "now" in the test below, before the minute ends.
    widenedLater = await seedRollout(500);
    await auditStage(widenedLater, 5000, T0 + 10 * MINUTE + 45_000);
  }, 60_000);
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('finds no mismatch in a healthy rollout whose split widened inside the window, and lists the splits', async () => {
    const body = await getBody(healthy, `window=20m&step=1m&end=${T0 + 20 * MINUTE}`);
    expect(body.split.weights).toEqual({ v1: 7500, v2: 2500 });
    expect(body.split.history.map((p) => p.fromMs)).toEqual([T0, T0 + 10 * MINUTE]);
    expect(body.split.history.map((p) => p.weights)).toEqual([
      { v1: 9000, v2: 1000 },
      { v1: 7500, v2: 2500 },
    ]);
    expect(body.summary.srm).toMatchObject({ status: 'ok', n: 40_000, value: { mismatch: false } });
    // 10% of the first half and 25% of the second: 17.5% expected, which is what was observed.
    const srm = body.summary.srm.status === 'ok' ? body.summary.srm.value : undefined;
    expect(srm?.expectedShares.v2).toBeCloseTo(0.175, 9);
    expect(srm?.observedShares.v2).toBeCloseTo(0.175, 9);
  });

  it('still flags a real mismatch during the rollout', async () => {
    const body = await getBody(broken, `window=20m&step=1m&end=${T0 + 20 * MINUTE}`);
    expect(body.summary.srm).toMatchObject({ status: 'ok', value: { mismatch: true } });
  });

  it('tests a window after the change against the new split alone', async () => {
    const body = await getBody(healthy, `window=5m&step=1m&end=${T0 + 20 * MINUTE}`);
    expect(body.split.history).toEqual([{ fromMs: T0 + 15 * MINUTE, weights: { v1: 7500, v2: 2500 } }]);
    expect(body.summary.srm).toMatchObject({ status: 'ok', value: { mismatch: false, expectedShares: { v2: 0.25 } } });
  });

  it('gives alert rules the same verdict over one whole-window step, the splits weighted by time', async () => {
    const comparisons = planeComparisons(plane, () => T0 + 20 * MINUTE);
    const ok = await comparisons(healthy, 20 * MINUTE, 'production');
    expect(ok.srm).toMatchObject({ status: 'ok', value: { mismatch: false } });
    const mismatch = await comparisons(broken, 20 * MINUTE, 'production');
    expect(mismatch.srm).toMatchObject({ status: 'ok', value: { mismatch: true } });
  });

  it("judges the split only up to the engine's clock, not past it to the wall clock's", async () => {
    // 30 s into minute 10 by the engine's clock: the compared minutes 9 and 10 end after the widening at 10:45.
    const comparison = await planeComparisons(plane, () => T0 + 10 * MINUTE + 30_000)(widenedLater, MINUTE, 'production');
    const srm = comparison.srm.status === 'ok' ? comparison.srm.value : undefined;
    // Minute 9 at 10% and minute 10 at 25% until now; the 50% from 10:45 on would make it 20.6%.
    expect(srm?.expectedShares.v2).toBeCloseTo(0.175, 9);
    expect(srm?.mismatch).toBe(false);
  });
});
