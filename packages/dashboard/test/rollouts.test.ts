import { FlagEvaluator, type FlagSet } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rules from '@/app/api/v1/alert-rules/route';
import * as rolloutAction from '@/app/api/v1/flags/[key]/rollout/[action]/route';
import * as rollout from '@/app/api/v1/flags/[key]/rollout/route';
import { type AlertEngine, startAlertEngine } from '@/src/server/alerts/engine';
import { putFlag, readFlagSet } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { comparisonOf, errorWindow, manualClock } from './alerts-support';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';
import { call, errorCode } from './http';

const MINUTE = 60_000;
const STAGES = [100, 500, 2000, 5000, 10_000];
const planFor = (minSamples = 100) => ({
  candidate: 'v2',
  control: 'v1',
  stages: STAGES.map((weight) => ({ weight, hold: '5m', minSamples })),
});

interface RolloutBody {
  status: string;
  stage: number;
  weights: { candidate: number; control: number };
  decisionCounts: Record<string, number>;
  lastDecision: { decision: string; why: string; guardrails: { name: string; status: string }[] } | null;
  decisions: { decision: string; actor: string; stage: number; evidence: { why: string; samples: { candidate: number } | null } }[];
}

describe.each(backends)('guarded rollouts on $name', (backend) => {
  let plane: ControlPlane;
  let token: string;
  let drop: () => Promise<void>;
  let engine: AlertEngine;
  const clock = manualClock(Date.UTC(2026, 0, 1));
  // Synthetic figures per flag, as the compare API would return them: [requests, errors] of control and candidate.
  const traffic = new Map<string, { control: [number, number]; candidate: [number, number] }>();
  const healthy = { control: [2000, 20], candidate: [2000, 20] } as { control: [number, number]; candidate: [number, number] };

  beforeAll(async () => {
    ({ plane, adminToken: token, drop } = await openScratchPlane(backend));
    useControlPlane(plane);
    engine = startAlertEngine(plane, undefined, {
      now: clock.now,
      intervalMs: 3_600_000,
      deliveryPollMs: 3_600_000,
      compare: async (flag) => {
        const t = traffic.get(flag) ?? healthy;
        return comparisonOf(errorWindow(t.control, t.candidate));
      },
    });
  });
  afterAll(async () => {
    await engine.close();
    await drop();
  });

  async function newFlag() {
    const key = uniqueKey('rollout');
    await putFlag(plane, {
      environment: 'production',
      key,
      actor: editor,
      input: modelFlag({ fallthrough: { variant: 'v1' } }),
      expectedVersion: undefined,
    });
    return key;
  }
  const read = async (key: string) => (await (await call(rollout.GET, 'GET', '', { key }, { token })).json()) as RolloutBody;
  const putPlan = (key: string, body: unknown) => call(rollout.PUT, 'PUT', '', { key }, { token, body });
  const act = (key: string, action: string, body?: unknown) => call(rolloutAction.POST, 'POST', '', { key, action }, { token, body });
  /** Creates a rule on `key` that judges the candidate's errors more than 1 point above control's; `more` sets the rest. */
  const errorRule = async (key: string, name: string, more: object) => {
    const comparison = { type: 'relative', op: 'above', by: 1, unit: 'points' };
    const body = { name, flag: key, figure: { kind: 'errorRate' }, comparison, ...more };
    expect((await call(rules.POST, 'POST', '', {}, { token, body })).status).toBe(201);
  };
  const tick = async (ms = 0) => {
    clock.advance(ms);
    await engine.evaluateNow();
  };
  const users = (set: FlagSet, key: string) => {
    const evaluator = new FlagEvaluator(set);
    return Array.from({ length: 4000 }, (_, i) => evaluator.evaluate(key, { targetingKey: `user-${i}` }, {}).variant);
  };

  it('advances through every stage on healthy data, sticky for users, audited as rollout:<flag>', async () => {
    const key = await newFlag();
    expect((await putPlan(key, planFor())).status).toBe(200);
    await tick();
    expect(await read(key)).toMatchObject({ status: 'running', stage: 0, weights: { candidate: 100 } });
    await tick(2 * MINUTE);
    expect((await read(key)).lastDecision?.decision).toBe('wait');

    const inCandidate: Set<number>[] = [];
    for (let stage = 1; stage < STAGES.length; stage++) {
      await tick(5 * MINUTE);
      const state = await read(key);
      expect(state).toMatchObject({ status: 'running', stage, weights: { candidate: STAGES[stage] } });
      const served = users((await readFlagSet(plane, 'production')).set, key);
      inCandidate.push(new Set(served.flatMap((variant, i) => (variant === 'v2' ? [i] : []))));
    }
    // Users in the candidate at 5% are still in it at 20%, 50% and 100%.
    for (let i = 1; i < inCandidate.length; i++) for (const user of inCandidate[i - 1] ?? []) expect(inCandidate[i]?.has(user)).toBe(true);
    expect(inCandidate[0]?.size).toBeGreaterThan(100);
    expect(inCandidate[1]?.size).toBeGreaterThan(600);

    await tick(5 * MINUTE);
    const done = await read(key);
    expect(done.status).toBe('completed');
    expect(done.decisions.map((d) => d.decision).reverse()).toEqual([
      'plan',
      'advance',
      'wait',
      'advance',
      'advance',
      'advance',
      'advance',
      'complete',
    ]);
    const audit = await plane.db.query<{ actor: string; action: string }>(
      `select actor, action from audit_log where flag_key = $1 and actor_id like 'rollout:%' order by id`,
      [key],
    );
    expect(audit).toEqual(STAGES.map(() => ({ actor: `rollout:${key}`, action: 'flag.update' })));
    // Paused and finished rollouts are left alone.
    await tick(5 * MINUTE);
    expect((await read(key)).decisions).toHaveLength(8);
  });

  it('holds while a hold guardrail is pending and advances once it clears', async () => {
    const key = await newFlag();
    await errorRule(key, 'candidate errors 1 point above control', { for: '30m', action: 'hold' });
    await putPlan(key, planFor());
    await tick();
    expect((await read(key)).stage).toBe(0);

    traffic.set(key, { control: [2000, 20], candidate: [2000, 200] });
    for (let i = 0; i < 3; i++) await tick(5 * MINUTE);
    const held = await read(key);
    expect(held).toMatchObject({ status: 'running', stage: 0, weights: { candidate: 100 }, lastDecision: { decision: 'hold' } });
    expect(held.lastDecision?.guardrails).toEqual([
      expect.objectContaining({ name: 'candidate errors 1 point above control', status: 'pending' }),
    ]);
    expect(held.decisionCounts.hold).toBe(3);
    // The timeline records the hold once, not every tick.
    expect(held.decisions.filter((d) => d.decision === 'hold')).toHaveLength(1);

    traffic.set(key, healthy);
    await tick(MINUTE);
    expect(await read(key)).toMatchObject({ stage: 1, weights: { candidate: 500 }, lastDecision: { decision: 'advance' } });
  });

  it('does not advance without samples and records "not enough data yet"', async () => {
    const key = await newFlag();
    await putPlan(key, planFor(500));
    await tick();
    traffic.set(key, { control: [2000, 20], candidate: [40, 0] });
    await tick(6 * MINUTE);
    await tick(MINUTE);
    const waiting = await read(key);
    expect(waiting).toMatchObject({ stage: 0, weights: { candidate: 100 }, lastDecision: { decision: 'insufficient' } });
    const recorded = waiting.decisions.filter((d) => d.decision === 'insufficient');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.evidence.why).toMatch(/^not enough data yet: 40 of 500 samples/);
    expect(recorded[0]?.evidence.samples?.candidate).toBe(40);
    traffic.set(key, { control: [2000, 20], candidate: [600, 6] });
    await tick(MINUTE);
    expect((await read(key)).stage).toBe(1);
  });

  it('does not advance while a rollback rule has too few samples on the candidate to judge it', async () => {
    const key = await newFlag();
    await errorRule(key, 'roll back on errors, from 1000 samples', { minSamples: 1000, action: 'rollback' });
    await putPlan(key, planFor(100));
    await tick();
    // Enough for the stage (100), too few for the rule (1000): the rule cannot yet tell a regression.
    traffic.set(key, { control: [2000, 20], candidate: [500, 5] });
    await tick(6 * MINUTE);
    const waiting = await read(key);
    expect(waiting).toMatchObject({ stage: 0, weights: { candidate: 100 }, lastDecision: { decision: 'insufficient' } });
    expect(waiting.lastDecision?.why).toBe('not enough data yet: "roll back on errors, from 1000 samples" has not judged the candidate');
    traffic.set(key, { control: [2000, 20], candidate: [1500, 15] });
    await tick(MINUTE);
    expect(await read(key)).toMatchObject({ stage: 1, weights: { candidate: 500 }, lastDecision: { decision: 'advance' } });
  });

  it('pauses, resumes, skips and aborts through the API, each audited; refuses invalid plans naming the path', async () => {
    const key = await newFlag();
    const bad = await putPlan(key, { candidate: 'v9', control: 'v1', stages: [{ weight: 500 }, { weight: 100 }] });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe('invalid_rollout_plan');
    expect(body.error.details.issues.map((i) => i.path)).toEqual(['stages.1.weight']);
    const unknown = await putPlan(key, { candidate: 'v9', control: 'v1', stages: [{ weight: 500 }] });
    expect(((await unknown.json()) as typeof body).error.details.issues.map((i) => i.path)).toEqual(['candidate']);
    expect((await call(rollout.GET, 'GET', '', { key }, { token })).status).toBe(404);

    await putPlan(key, planFor());
    await tick();
    expect((await act(key, 'pause', { note: 'looking at a dashboard' })).status).toBe(200);
    await tick(10 * MINUTE);
    expect(await read(key)).toMatchObject({ status: 'paused', stage: 0 });
    expect(await errorCode(await act(key, 'pause'))).toBe('rollout_state');
    expect((await act(key, 'resume')).status).toBe(200);
    expect((await act(key, 'skip')).status).toBe(200);
    expect(await read(key)).toMatchObject({ status: 'running', stage: 1, weights: { candidate: 500 } });
    expect((await act(key, 'abort')).status).toBe(200);
    expect(await read(key)).toMatchObject({ status: 'aborted', weights: { candidate: 0, control: 10_000 } });
    expect(await errorCode(await act(key, 'resume'))).toBe('rollout_state');
    expect((await act(key, 'promote')).status).toBe(404);

    const audit = await plane.db.query<{ action: string; note: string }>(
      `select action, note from audit_log where note like $1 order by id`,
      [`rollout:${key}:%`],
    );
    expect(audit.map((a) => a.action)).toEqual(['rollout.plan', 'rollout.pause', 'rollout.resume', 'rollout.skip', 'rollout.abort']);
    expect(audit[1]?.note).toContain('looking at a dashboard');
    const timeline = (await read(key)).decisions.map((d) => `${d.decision}:${d.actor}`).reverse();
    // The person's skip and abort changed the flag under their own name.
    const flagAudit = await plane.db.query<{ actor: string }>(
      `select actor from audit_log where flag_key = $1 and action = 'flag.update' order by id`,
      [key],
    );
    expect(flagAudit.map((a) => a.actor)).toEqual([`rollout:${key}`, 'first admin', 'first admin']);
    expect(timeline).toEqual([
      'plan:first admin',
      'advance:controller',
      'pause:first admin',
      'resume:first admin',
      'skip:first admin',
      'abort:first admin',
    ]);
  });

  it('marks the rollout rolled back when a rollback rule fires (the engine turns the flag off)', async () => {
    const key = await newFlag();
    await errorRule(key, 'roll back on errors', { for: '1m', action: 'rollback' });
    await putPlan(key, planFor());
    await tick();
    traffic.set(key, { control: [2000, 20], candidate: [2000, 300] });
    await tick(5 * MINUTE);
    expect((await read(key)).lastDecision?.decision).toBe('hold');
    await tick(MINUTE);
    const rolled = await read(key);
    expect(rolled).toMatchObject({ status: 'rolled_back', stage: 0, lastDecision: { decision: 'rolled_back' } });
    expect((await readFlagSet(plane, 'production')).set.flags[key]?.enabled).toBe(false);
  });
});
