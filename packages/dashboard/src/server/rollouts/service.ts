import type { Actor } from '../auth/principal';
import { findFlag } from '../flags/store';
import { conflict, notFound } from '../http/errors';
import type { ControlPlane } from '../plane';
import { applyWeight, weightsOf } from './controller';
import type { RolloutState } from './decide';
import { invalidPlan, parseRolloutPlan } from './plan';
import {
  appendDecision,
  appendRolloutAudit,
  findRollout,
  guardrailStates,
  listDecisions,
  RolloutChanged,
  type RolloutEvidence,
  type StoredRollout,
  upsertPlan,
  writeRolloutState,
} from './store';
import { candidateWeight, planProblemsFor } from './weights';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

export const ROLLOUT_ACTIONS = ['pause', 'resume', 'skip', 'abort'] as const;
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

interface Target {
  environment: string;
  key: string;
  actor: Actor;
  now?: () => number;
}

const view = (rollout: StoredRollout, weight: number) => ({
  flag: rollout.flag,
  plan: rollout.plan,
  status: rollout.state.status,
  stage: rollout.state.stage,
  stageSince: rollout.state.stage < 0 ? null : new Date(rollout.state.stageSinceMs).toISOString(),
  weights: weightsOf(weight),
  revision: rollout.revision,
  evaluatedAt: rollout.evaluatedMs === null ? null : new Date(rollout.evaluatedMs).toISOString(),
  lastDecision: rollout.lastDecision,
  decisionCounts: rollout.decisions,
});

/** The plan, its state, the candidate's current weights and the decision timeline (newest first). */
export async function readRollout(plane: Plane, environment: string, key: string, limit: number) {
  const rollout = await findRollout(plane.db, environment, key);
  if (!rollout) throw notFound(`flag ${JSON.stringify(key)} has no rollout plan`);
  const stored = await findFlag(plane.db, environment, key);
  const weight = stored ? candidateWeight(stored.flag, rollout.plan) : 0;
  return { ...view(rollout, weight), decisions: await listDecisions(plane.db, environment, key, limit) };
}

/** Sets a flag's plan (validated against the flag too) and starts it over; audited and put on the timeline. */
export async function putRolloutPlan(plane: Plane, target: Target & { input: unknown }) {
  const { environment, key, actor } = target;
  const nowMs = (target.now ?? Date.now)();
  const plan = parseRolloutPlan(target.input);
  const { rollout, weight } = await plane.db.transaction(async (tx) => {
    // Under the flag's row lock, as archiving takes it: a rollout cannot start on a flag archived meanwhile.
    const stored = await findFlag(tx, environment, key, true);
    if (!stored) throw notFound(`no flag ${JSON.stringify(key)}`);
    // Its advances could never be written: an archived flag refuses changes until restored.
    if (stored.archivedAt) throw conflict('flag_archived', `flag ${JSON.stringify(key)} is archived; restore it before rolling it out`);
    const problems = planProblemsFor(stored.flag, plan);
    if (problems.length > 0) throw invalidPlan(problems);
    const weight = candidateWeight(stored.flag, plan);
    const before = await findRollout(tx, environment, key, true);
    const saved = await upsertPlan(tx, environment, key, plan, nowMs);
    await appendRolloutAudit(tx, { actor, action: 'rollout.plan', environment, flag: key, before: before?.plan, after: plan });
    await appendDecision(tx, {
      environment,
      flag: key,
      nowMs,
      actor: actor.name,
      decision: 'plan',
      stage: -1,
      evidence: manualEvidence('plan', before ? 'plan replaced; the rollout starts over' : 'plan set', saved.state, weight, nowMs, []),
    });
    return { rollout: saved, weight };
  });
  return view(rollout, weight);
}

function manualEvidence(
  decision: string,
  why: string,
  state: RolloutState,
  weight: number,
  nowMs: number,
  guardrails: RolloutEvidence['guardrails'],
  toStage = state.stage,
  nextWeight?: number,
): RolloutEvidence {
  const evidence: RolloutEvidence = {
    decision,
    why,
    at: new Date(nowMs).toISOString(),
    stage: state.stage,
    toStage,
    weights: weightsOf(weight),
    holdElapsedMs: state.stage < 0 ? 0 : Math.max(0, nowMs - state.stageSinceMs),
    holdMs: null,
    samples: null,
    guardrails,
  };
  if (nextWeight !== undefined) evidence.nextWeights = weightsOf(nextWeight);
  return evidence;
}

const ALLOWED: Record<RolloutAction, readonly RolloutState['status'][]> = {
  pause: ['running'],
  resume: ['paused'],
  skip: ['running', 'paused'],
  abort: ['running', 'paused'],
};

/**
 * A person's action: `pause` (no advancing until resumed), `resume`, `skip` (apply the next stage now, or
 * complete after the last) and `abort` (traffic back to control, rollout over). Flag changes go through the
 * flags service under the person's name; the rollout change is audited and put on the timeline.
 */
export async function actOnRollout(plane: Plane, target: Target & { action: RolloutAction; note?: string }) {
  const { environment, key, actor, action } = target;
  const nowMs = (target.now ?? Date.now)();
  const rollout = await findRollout(plane.db, environment, key);
  if (!rollout) throw notFound(`flag ${JSON.stringify(key)} has no rollout plan`);
  const { plan, state } = rollout;
  if (!ALLOWED[action].includes(state.status)) {
    throw conflict('rollout_state', `cannot ${action} a rollout that is ${state.status.replace('_', ' ')}`, { status: state.status });
  }
  const stored = await findFlag(plane.db, environment, key);
  if (!stored) throw notFound(`no flag ${JSON.stringify(key)}`);
  const weight = candidateWeight(stored.flag, plan);
  let next: RolloutState = state;
  let nextWeight: number | undefined;
  if (action === 'pause') next = { ...state, status: 'paused' };
  if (action === 'resume') next = { ...state, status: 'running' };
  if (action === 'abort') {
    next = { ...state, status: 'aborted' };
    nextWeight = 0;
  }
  if (action === 'skip') {
    const toStage = state.stage + 1;
    const stage = plan.stages[toStage];
    if (stage) {
      next = { ...state, stage: toStage, stageSinceMs: nowMs };
      nextWeight = Math.max(weight, stage.weight);
    } else next = { ...state, status: 'completed' };
  }
  if (nextWeight !== undefined) {
    const problems = planProblemsFor(stored.flag, plan);
    if (problems.length > 0) throw invalidPlan(problems);
    await applyWeight(plane, { environment, stored, plan, weight: nextWeight, actor });
  }
  const guardrails = await guardrailStates(plane.db, environment, key, plan.candidate);
  const why = target.note ? `${action} by ${actor.name}: ${target.note}` : `${action} by ${actor.name}`;
  const evidence = manualEvidence(action, why, state, weight, nowMs, guardrails, next.stage, nextWeight);
  try {
    await plane.db.transaction(async (tx) => {
      await writeRolloutState(tx, rollout, next, undefined, nowMs);
      await appendRolloutAudit(tx, {
        actor,
        action: `rollout.${action}`,
        environment,
        flag: key,
        before: { ...state, weights: weightsOf(weight) },
        after: { ...next, weights: weightsOf(nextWeight ?? weight) },
        note: target.note ? `${action}: ${target.note}` : action,
      });
      await appendDecision(tx, { environment, flag: key, nowMs, actor: actor.name, decision: action, stage: state.stage, evidence });
    });
  } catch (error) {
    if (error instanceof RolloutChanged) throw conflict('rollout_changed', 'the rollout changed meanwhile; read it again and retry');
    throw error;
  }
  return readRollout(plane, environment, key, 50);
}
