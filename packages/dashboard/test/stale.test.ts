import type { FlagInput } from '@flaglens/evaluator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as staleRoute from '@/app/api/v1/flags/stale/route';
import { parseScan } from '@/src/server/code-refs/scan';
import { replaceScan } from '@/src/server/code-refs/store';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag } from '@/src/server/flags/service';
import { ingestPush } from '@/src/server/ingest/ingest';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { parseRolloutPlan } from '@/src/server/rollouts/plan';
import { findRollout, upsertPlan, writeRolloutState } from '@/src/server/rollouts/store';
import type { StaleReport } from '@/src/server/stale/report';
import { staleFlags } from '@/src/server/stale/service';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';
import { call } from './http';

const environment = 'production';
const DAY = 86_400_000;
// The controlled clock: 40 days after the flags below are created, so "created" is 40 days ago.
const NOW = Date.now() + 40 * DAY;

const split = (v1: number): FlagInput['fallthrough'] => ({
  split: {
    arms: [
      { variant: 'v1', weight: v1 },
      { variant: 'v2', weight: 10_000 - v1 },
    ],
  },
});

describe.each(backends)('stale-flag report on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let adminToken: string;
  let report: StaleReport;
  const prefix = uniqueKey('debt');
  const keys = {
    rolledOut: `${prefix}-rolled-out`,
    allV2: `${prefix}-all-v2`,
    off: `${prefix}-off`,
    permanent: `${prefix}-permanent`,
    permanentUnused: `${prefix}-permanent-unused`,
    unused: `${prefix}-unused`,
    oldEvaluations: `${prefix}-old-evaluations`,
    unreferenced: `${prefix}-unreferenced`,
    healthy: `${prefix}-healthy`,
    archived: `${prefix}-archived`,
  };
  const create = (key: string, input: object) => putFlag(plane, { environment, key, actor: editor, input, expectedVersion: undefined });
  let pushes = 0;
  const evaluated = (key: string, atMs: number) =>
    ingestPush(
      plane.db,
      {
        environment,
        instance: `svc-${pushes++}`,
        pushTimeMs: atMs,
        receivedMs: atMs,
        text: `# TYPE flaglens_flag_evaluations_total counter\nflaglens_flag_evaluations_total{flag="${key}",variant="v1",reason="SPLIT"} 12\n`,
      },
      { compactEveryMs: 0 },
    );
  const rowOf = (key: string) => report.flags.find((row) => row.key === key);
  const codesOf = (key: string) => rowOf(key)?.reasons.map((reason) => reason.code) ?? [];

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    useControlPlane(plane);
    await create(keys.rolledOut, modelFlag({ fallthrough: split(0) }));
    await create(keys.allV2, modelFlag({ fallthrough: { variant: 'v2' } }));
    await create(keys.off, modelFlag({ enabled: false }));
    await create(keys.permanent, { ...modelFlag({ fallthrough: { variant: 'v2' } }), kind: 'permanent' });
    await create(keys.permanentUnused, { ...modelFlag({ fallthrough: { variant: 'v2' } }), kind: 'permanent', owner: 'sre' });
    for (const key of [keys.unused, keys.oldEvaluations, keys.unreferenced, keys.healthy]) await create(key, modelFlag());
    await create(keys.archived, modelFlag({ fallthrough: { variant: 'v2' } }));
    await archiveFlag(plane, { environment, key: keys.archived, actor: editor });

    // A guarded rollout that completed 21 days before the clock.
    const plan = parseRolloutPlan({ candidate: 'v2', control: 'v1', stages: [{ weight: 5000 }, { weight: 10000 }] });
    await plane.db.transaction(async (tx) => {
      await upsertPlan(tx, environment, keys.rolledOut, plan, NOW - 30 * DAY);
      const started = await findRollout(tx, environment, keys.rolledOut);
      if (!started) throw new Error('no rollout');
      await writeRolloutState(tx, started, { status: 'completed', stage: 1, stageSinceMs: NOW - 21 * DAY }, undefined, NOW - 21 * DAY);
    });

    const silent = [keys.unused, keys.oldEvaluations, keys.permanentUnused];
    for (const key of Object.values(keys)) if (!silent.includes(key)) await evaluated(key, NOW - 2 * DAY);
    await evaluated(keys.oldEvaluations, NOW - 35 * DAY);

    const refs = Object.values(keys)
      .filter((key) => key !== keys.unreferenced)
      .map((flag, line) => ({ flag, file: 'src/app.ts', line: line + 1, column: 3, kind: 'evaluator' }));
    // Scanned a day before the clock (the route would judge that time against the real clock).
    const scan = parseScan({ repository: 'acme/app', commit: 'abc123', scannedAt: new Date(NOW - DAY).toISOString(), refs }, NOW);
    await replaceScan(plane.db, environment, scan, editor);
    report = await staleFlags(plane, environment, { days: 30, nowMs: NOW });
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('reports a completed rollout with how long ago and which code path to remove', () => {
    expect(rowOf(keys.rolledOut)).toMatchObject({
      kind: 'temporary',
      // At 100% the candidate is also the one variant everyone gets; the rollout decides the advice.
      reasons: [
        { code: 'rollout_completed', message: 'rollout completed 21 days ago', since: new Date(NOW - 21 * DAY).toISOString() },
        { code: 'single_variant' },
      ],
      advice: 'remove the flag and the v1 code path; v2 is what everyone gets',
    });
  });

  it('reports a temporary flag serving one variant to everyone since it was created', () => {
    const row = rowOf(keys.allV2);
    expect(codesOf(keys.allV2)).toEqual(['single_variant']);
    expect(row?.reasons[0]?.message).toMatch(/^served "v2" to everyone for (39|40) days$/);
    expect(row?.reasons[0]?.since).toBe(row?.createdAt);
    expect(row?.advice).toBe('remove the flag and keep only the v2 code path');
    expect(rowOf(keys.off)?.reasons[0]?.message).toMatch(/^off for (39|40) days: everyone gets "v1"$/);
  });

  it('exempts permanent flags from the one-variant rule but not from "no evaluations"', () => {
    expect(rowOf(keys.permanent)).toBeUndefined();
    expect(rowOf(keys.permanentUnused)).toMatchObject({
      kind: 'permanent',
      owner: 'sre',
      reasons: [{ code: 'no_evaluations', message: 'no evaluations in the last 30 days' }],
    });
  });

  it('reports flags nothing evaluated in the window, however long ago they were', () => {
    expect(codesOf(keys.unused)).toEqual(['no_evaluations']);
    expect(codesOf(keys.oldEvaluations)).toEqual(['no_evaluations']);
    expect(rowOf(keys.unused)?.advice).toBe('no service evaluates it: check that nothing still reads it, then archive the flag');
  });

  it('reports flags no scanned code references', () => {
    expect(rowOf(keys.unreferenced)).toMatchObject({
      reasons: [{ code: 'no_code_refs', since: new Date(NOW - DAY).toISOString() }],
      advice: 'no code reads it: archive the flag, then delete it once nobody needs its history',
    });
  });

  it('leaves out healthy and archived flags, and says what it could check', () => {
    expect(rowOf(keys.healthy)).toBeUndefined();
    expect(rowOf(keys.archived)).toBeUndefined();
    expect(report).toMatchObject({
      environment,
      days: 30,
      generatedAt: new Date(NOW).toISOString(),
      checks: { evaluations: 'ok', codeRefs: 'ok' },
    });
  });

  it('judges nothing on age before the window has passed', async () => {
    const early = await staleFlags(plane, environment, { days: 30, nowMs: Date.now() + DAY });
    expect(early.flags.filter((row) => row.key.startsWith(prefix)).flatMap((row) => row.reasons.map((reason) => reason.code))).toEqual([]);
  });

  it('serves the report over HTTP with ?days=, refusing a bad value', async () => {
    const response = await call(staleRoute.GET, 'GET', '/api/v1/flags/stale?days=7', {}, { token: adminToken });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ days: 7, checks: { evaluations: 'ok' } });
    for (const days of ['0', '3651', 'abc', '1.5']) {
      const bad = await call(staleRoute.GET, 'GET', `/api/v1/flags/stale?days=${days}`, {}, { token: adminToken });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { details: { parameter: 'days' } } });
    }
  });
});
