import { cumulativeLayout, type Flag, layoutOf, TOTAL_SLOTS } from '@flaglens/evaluator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertStatus } from '@/src/server/alerts/machine';
import { durationMs } from '@/src/server/alerts/rule';
import { decideRollout, type GuardrailState, nextState, type RolloutState } from '@/src/server/rollouts/decide';
import { parseRolloutPlan, type RolloutPlan } from '@/src/server/rollouts/plan';
import { candidateWeight, fallthroughWith, planProblemsFor } from '@/src/server/rollouts/weights';

const planArb = fc
  .uniqueArray(fc.integer({ min: 1, max: TOTAL_SLOTS }), { minLength: 1, maxLength: 6 })
  .chain((weights) =>
    fc.tuple(
      fc.constant([...weights].sort((a, b) => a - b)),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 500 })), {
        minLength: weights.length,
        maxLength: weights.length,
      }),
    ),
  )
  .map(([weights, params]) =>
    parseRolloutPlan({
      candidate: 'v2',
      control: 'v1',
      stages: weights.map((weight, i) => ({ weight, hold: `${params[i]?.[0] ?? 0}m`, minSamples: params[i]?.[1] ?? 0 })),
    }),
  );

const statusArb = fc.constantFrom<AlertStatus>('inactive', 'pending', 'firing', 'resolved');
const guardrailsArb = fc.array(
  fc.record({
    rule: fc.constantFrom('r1', 'r2', 'r3'),
    name: fc.constant('rule'),
    action: fc.constantFrom<GuardrailState['action']>('notify', 'hold', 'rollback'),
    status: statusArb,
    judged: fc.boolean(),
  }),
  { maxLength: 3 },
);
// Ticks: a gap of up to 10 minutes, the candidate's samples (or unavailable), guardrail states, and the kill switch.
const ticksArb = fc.array(
  fc.record({
    gapMs: fc.integer({ min: 1, max: 600_000 }),
    samples: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
    guardrails: guardrailsArb,
    flagEnabled: fc.boolean(),
  }),
  { maxLength: 60 },
);

interface Tick {
  gapMs: number;
  samples: number | undefined;
  guardrails: GuardrailState[];
  flagEnabled: boolean;
}

function replay(plan: RolloutPlan, ticks: Tick[]) {
  let state: RolloutState = { status: 'running', stage: -1, stageSinceMs: 0 };
  let now = 1_000_000;
  return ticks.map((tick) => {
    now += tick.gapMs;
    const before = state;
    const verdict = decideRollout({ plan, state, nowMs: now, ...tick });
    if (verdict) state = nextState(state, verdict, now);
    return { tick, now, before, verdict, after: state };
  });
}

describe('rollout gate (pure)', () => {
  it('never advances or completes before the stage’s hold and samples are met', () => {
    fc.assert(
      fc.property(planArb, ticksArb, (plan, ticks) => {
        for (const { tick, now, before, verdict } of replay(plan, ticks)) {
          if (verdict?.decision !== 'advance' && verdict?.decision !== 'complete') continue;
          const stage = plan.stages[before.stage];
          if (!stage) continue; // entering the first stage needs no hold
          expect(now - before.stageSinceMs).toBeGreaterThanOrEqual(durationMs(stage.hold));
          expect(tick.samples).toBeGreaterThanOrEqual(stage.minSamples);
        }
      }),
    );
  });

  it('never advances while a hold or rollback guardrail is pending or firing, or while the flag is off', () => {
    fc.assert(
      fc.property(planArb, ticksArb, (plan, ticks) => {
        for (const { tick, verdict } of replay(plan, ticks)) {
          if (verdict?.decision !== 'advance' && verdict?.decision !== 'complete') continue;
          expect(tick.flagEnabled).toBe(true);
          expect(tick.guardrails.filter((g) => g.action !== 'notify' && (g.status === 'pending' || g.status === 'firing'))).toEqual([]);
        }
      }),
    );
  });

  it('never advances past a stage while a hold or rollback guardrail has not judged the candidate', () => {
    fc.assert(
      fc.property(planArb, ticksArb, (plan, ticks) => {
        for (const { tick, before, verdict } of replay(plan, ticks)) {
          if ((verdict?.decision !== 'advance' && verdict?.decision !== 'complete') || before.stage < 0) continue;
          expect(tick.guardrails.filter((g) => g.action !== 'notify' && !g.judged)).toEqual([]);
        }
      }),
    );
  });

  it('only moves forward one stage at a time, weights only grow, and rolls back exactly on a firing rollback rule', () => {
    fc.assert(
      fc.property(planArb, ticksArb, (plan, ticks) => {
        let weight = 0;
        for (const { tick, before, verdict, after } of replay(plan, ticks)) {
          if (before.status !== 'running') expect(verdict).toBeUndefined();
          const firing = tick.guardrails.some((g) => g.action === 'rollback' && g.status === 'firing');
          if (before.status === 'running') expect(verdict?.decision === 'rolled_back').toBe(firing);
          if (verdict?.decision === 'advance') {
            expect(after.stage).toBe(before.stage + 1);
            const next = plan.stages[after.stage]?.weight ?? 0;
            expect(next).toBeGreaterThan(weight);
            weight = next;
          } else expect(after.stage).toBe(before.stage);
        }
      }),
    );
  });

  it('keeps everyone in the candidate as its weight grows (slot layout from reweightSplit)', () => {
    const flag = { fallthrough: { variant: 'v1' }, variants: { v1: 1, v2: 2 } } as unknown as Flag;
    fc.assert(
      fc.property(planArb, (plan) => {
        let current: Flag = flag;
        let owned = new Uint8Array(TOTAL_SLOTS);
        for (const stage of plan.stages) {
          current = { ...current, fallthrough: fallthroughWith(current, plan, stage.weight) };
          expect(candidateWeight(current, plan)).toBe(stage.weight);
          const split = current.fallthrough?.split;
          if (!split) throw new Error('no split');
          const now = new Uint8Array(TOTAL_SLOTS);
          for (const range of layoutOf(split)) if (range.variant === 'v2') now.fill(1, range.from, range.to);
          // Every slot the candidate owned is still its own.
          expect(owned.every((was, slot) => was === 0 || now[slot] === 1)).toBe(true);
          owned = now;
        }
      }),
      { numRuns: 50 },
    );
    expect(cumulativeLayout([{ variant: 'v1', weight: TOTAL_SLOTS }])).toHaveLength(1);
  });

  it('names every problem of a plan by path', () => {
    const result = () =>
      parseRolloutPlan({ candidate: 'v1', control: 'v1', stages: [{ weight: 500 }, { weight: 100, hold: '5 minutes' }] });
    expect(result).toThrowError(/invalid rollout plan/);
    try {
      result();
    } catch (error) {
      const paths = (error as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['candidate', 'stages.1.weight', 'stages.1.hold']));
    }
    const plan = parseRolloutPlan({ candidate: 'v3', control: 'v1', stages: [{ weight: 100 }] });
    const threeArms = {
      variants: { v1: 1, v2: 2 },
      fallthrough: {
        split: {
          arms: [
            { variant: 'v1', weight: 5000 },
            { variant: 'v2', weight: 5000 },
          ],
        },
      },
    } as unknown as Flag;
    expect(planProblemsFor(threeArms, plan).map((p) => p.path)).toEqual(['candidate', '(root)']);
  });
});
