import { type Flag, TOTAL_SLOTS } from '@flaglens/evaluator';
import type { CompareFn } from '../alerts/evaluate';
import { putFlag } from '../flags/service';
import { findFlag, type StoredFlag } from '../flags/store';
import type { ControlPlane } from '../plane';
import { decideRollout, nextState, type RolloutVerdict } from './decide';
import type { RolloutPlan } from './plan';
import {
  appendDecision,
  guardrailStates,
  RolloutChanged,
  type RolloutEvidence,
  runningRollouts,
  type StoredRollout,
  writeRolloutState,
} from './store';
import { candidateWeight, fallthroughWith, planProblemsFor } from './weights';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

export interface RolloutContext {
  plane: Plane;
  compare: CompareFn;
  now(): number;
}

export interface RolloutPassSummary {
  evaluated: number;
  advanced: number;
  completed: number;
  rolledBack: number;
}

const MINUTE_MS = 60_000;

/** The actor of the controller's own flag changes. */
export const rolloutActor = (flag: string) => ({ id: `rollout:${flag}`, name: `rollout:${flag}` });

export const weightsOf = (candidate: number) => ({ candidate, control: TOTAL_SLOTS - candidate });

/**
 * Writes the candidate's new share of the fallthrough through the flags service (versioned, validated,
 * audited, announced to SDKs), derived with `reweightSplit` so nobody is reshuffled. Weights only grow
 * here: a stage below the current share leaves the flag as it is.
 */
export async function applyWeight(
  plane: Plane,
  target: { environment: string; stored: StoredFlag; plan: RolloutPlan; weight: number; actor: { id: string; name: string } },
): Promise<void> {
  const { stored, plan, weight } = target;
  if (candidateWeight(stored.flag, plan) === weight) return;
  const flag: Flag = { ...stored.flag, fallthrough: fallthroughWith(stored.flag, plan, weight) };
  await putFlag(plane, {
    environment: target.environment,
    key: stored.key,
    actor: target.actor,
    input: flag,
    expectedVersion: stored.version,
  });
}

/** Whether a decision says something new, so the timeline records changes, not every tick's repeat. */
function isNews(last: RolloutEvidence | null, verdict: RolloutVerdict, stage: number): boolean {
  if (!last || last.decision !== verdict.decision || last.stage !== stage) return true;
  // Waiting and gathering samples change their numbers every tick; the counts are on the rollout row.
  return verdict.decision !== 'wait' && verdict.decision !== 'insufficient' && last.why !== verdict.why;
}

async function samplesOf(ctx: RolloutContext, rollout: StoredRollout, nowMs: number) {
  if (rollout.state.stage < 0) return null;
  // Since the stage began; the compare API works in whole minutes, so it may reach up to a minute before.
  const windowMs = Math.max(MINUTE_MS, nowMs - rollout.state.stageSinceMs);
  try {
    const comparison = await ctx.compare(rollout.flag, windowMs, rollout.environment);
    const count = (variant: string) => comparison.variants.find((v) => v.variant === variant)?.requests.count ?? 0;
    return { candidate: count(rollout.plan.candidate), control: count(rollout.plan.control), windowMs };
  } catch {
    return { candidate: null, control: null, windowMs };
  }
}

/** Decides one rollout, applies what it decided and records it. */
async function runOne(ctx: RolloutContext, rollout: StoredRollout, summary: RolloutPassSummary): Promise<void> {
  const { db } = ctx.plane;
  const nowMs = ctx.now();
  const { plan, state } = rollout;
  const stored = await findFlag(db, rollout.environment, rollout.flag);
  const guardrails = await guardrailStates(db, rollout.environment, rollout.flag, plan.candidate);
  const samples = await samplesOf(ctx, rollout, nowMs);
  let verdict = decideRollout({
    plan,
    state,
    nowMs,
    samples: samples?.candidate ?? (samples ? undefined : 0),
    guardrails,
    flagEnabled: stored?.flag.enabled ?? false,
  });
  if (!verdict) return;
  const misfit = stored ? planProblemsFor(stored.flag, plan) : [{ path: '(root)', problem: 'the flag no longer exists' }];
  if (misfit.length > 0 && verdict.decision !== 'rolled_back') {
    verdict = { ...verdict, decision: 'hold', toStage: state.stage, why: misfit.map((m) => m.problem).join('; ') };
  }
  const current = stored ? candidateWeight(stored.flag, plan) : 0;
  const evidence: RolloutEvidence = {
    decision: verdict.decision,
    why: verdict.why,
    at: new Date(nowMs).toISOString(),
    stage: state.stage,
    toStage: verdict.toStage,
    weights: weightsOf(current),
    holdElapsedMs: verdict.holdElapsedMs,
    holdMs: verdict.holdMs,
    samples: samples && { ...samples, minSamples: verdict.minSamples },
    guardrails,
  };
  if (verdict.decision === 'advance' && stored) {
    const weight = Math.max(current, plan.stages[verdict.toStage]?.weight ?? current);
    evidence.nextWeights = weightsOf(weight);
    // Before the state: a crash in between re-decides the same advance, and applying it again changes nothing.
    await applyWeight(ctx.plane, { environment: rollout.environment, stored, plan, weight, actor: rolloutActor(rollout.flag) });
  }
  const next = nextState(state, verdict, nowMs);
  try {
    await db.transaction(async (tx) => {
      await writeRolloutState(tx, rollout, next, evidence, nowMs);
      if (isNews(rollout.lastDecision, verdict, state.stage)) {
        await appendDecision(tx, {
          environment: rollout.environment,
          flag: rollout.flag,
          nowMs,
          actor: 'controller',
          decision: verdict.decision,
          stage: state.stage,
          evidence,
        });
      }
    });
  } catch (error) {
    // A person paused, skipped or replaced the plan meanwhile: their word stands; the next tick decides afresh.
    if (error instanceof RolloutChanged) return;
    throw error;
  }
  summary.evaluated += 1;
  if (verdict.decision === 'advance') summary.advanced += 1;
  if (verdict.decision === 'complete') summary.completed += 1;
  if (verdict.decision === 'rolled_back') summary.rolledBack += 1;
}

/**
 * One controller pass over every running rollout, run by the alert engine's leader right after its rule
 * pass, so the guardrails' states it reads are this tick's. One rollout failing does not stop the others.
 */
export async function runRollouts(ctx: RolloutContext): Promise<RolloutPassSummary> {
  const summary: RolloutPassSummary = { evaluated: 0, advanced: 0, completed: 0, rolledBack: 0 };
  for (const rollout of await runningRollouts(ctx.plane.db)) {
    try {
      await runOne(ctx, rollout, summary);
    } catch (error) {
      console.error(`flaglens: rollout of ${rollout.flag} in ${rollout.environment} failed`, error);
    }
  }
  return summary;
}
