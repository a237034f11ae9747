import type { AlertStatus } from '../alerts/machine';
import { durationMs } from '../alerts/rule';
import type { RolloutPlan } from './plan';

export const ROLLOUT_STATUSES = ['running', 'paused', 'completed', 'rolled_back', 'aborted'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** Where a rollout stands. `stage` is the index of the stage being served; -1 before the first is applied. */
export interface RolloutState {
  status: RolloutStatus;
  stage: number;
  /** When the current stage's weight was applied (epoch ms); its hold counts from here. */
  stageSinceMs: number;
}

/** A rule on the flag that gates the rollout: the flag's own rules and the environment's guardrails. */
export interface GuardrailState {
  rule: string;
  name: string;
  action: 'notify' | 'rollback' | 'hold';
  status: AlertStatus;
  /**
   * Whether the rule's latest evaluation judged the candidate: false before its first evaluation, while its
   * figures are unavailable, or while it has not enough data on the candidate.
   */
  judged: boolean;
}

/**
 * What the controller decides on one tick:
 * `advance` (to `toStage`), `complete` (the last stage's hold and samples are met), `hold` (a guardrail is
 * pending or firing, or the flag is off), `wait` (the stage's minimum hold has not passed),
 * `insufficient` ("not enough data yet": the candidate has served fewer than the stage's minimum samples, no
 * figures could be read, or a hold or rollback rule has not judged the candidate yet), `rolled_back` (a
 * rollback rule fired).
 */
export type RolloutDecision = 'advance' | 'complete' | 'hold' | 'wait' | 'insufficient' | 'rolled_back';

export interface DecisionInput {
  plan: RolloutPlan;
  state: RolloutState;
  nowMs: number;
  /** Requests the candidate served since the stage began; undefined when the figures could not be read. */
  samples: number | undefined;
  guardrails: readonly GuardrailState[];
  flagEnabled: boolean;
}

export interface RolloutVerdict {
  decision: RolloutDecision;
  why: string;
  /** The stage the rollout is at after this decision. */
  toStage: number;
  holdElapsedMs: number;
  holdMs: number | null;
  minSamples: number | null;
}

const gating = (g: GuardrailState) => g.action !== 'notify' && (g.status === 'pending' || g.status === 'firing');

/**
 * The rollout gate. Pure: time, samples and alert states come in. Returns undefined for a rollout that is
 * paused or finished (nothing to decide). Guardrails come first — a firing rollback rule ends the rollout and
 * a pending or firing hold/rollback rule keeps it where it is — then the stage's hold, then its samples, then
 * whether every hold/rollback rule has judged the candidate: a rule still short of data has not said it is fine.
 */
export function decideRollout(input: DecisionInput): RolloutVerdict | undefined {
  const { plan, state, nowMs, samples } = input;
  if (state.status !== 'running') return undefined;
  const current = plan.stages[state.stage];
  const holdElapsedMs = state.stage < 0 ? 0 : Math.max(0, nowMs - state.stageSinceMs);
  const base = {
    toStage: state.stage,
    holdElapsedMs,
    holdMs: current ? durationMs(current.hold) : null,
    minSamples: current?.minSamples ?? null,
  };
  const firingRollback = input.guardrails.find((g) => g.action === 'rollback' && g.status === 'firing');
  if (firingRollback) return { ...base, decision: 'rolled_back', why: `rollback rule "${firingRollback.name}" is firing` };
  if (!input.flagEnabled) return { ...base, decision: 'hold', why: 'the flag is off' };
  const blocking = input.guardrails.filter(gating);
  if (blocking.length > 0) {
    return { ...base, decision: 'hold', why: `guardrail ${blocking.map((g) => `"${g.name}" is ${g.status}`).join(', ')}` };
  }
  if (!current) return { ...base, decision: 'advance', why: 'starting the first stage', toStage: 0 };
  if (base.holdMs !== null && holdElapsedMs < base.holdMs) {
    return { ...base, decision: 'wait', why: `minimum hold not yet passed (${Math.floor(holdElapsedMs / 1000)}s of ${current.hold})` };
  }
  if (samples === undefined) return { ...base, decision: 'insufficient', why: 'not enough data yet: figures unavailable' };
  if (samples < current.minSamples) {
    return { ...base, decision: 'insufficient', why: `not enough data yet: ${samples} of ${current.minSamples} samples` };
  }
  const unjudged = input.guardrails.filter((g) => g.action !== 'notify' && !g.judged);
  if (unjudged.length > 0) {
    const names = unjudged.map((g) => `"${g.name}"`).join(', ');
    return {
      ...base,
      decision: 'insufficient',
      why: `not enough data yet: ${names} ${unjudged.length === 1 ? 'has' : 'have'} not judged the candidate`,
    };
  }
  if (state.stage === plan.stages.length - 1) return { ...base, decision: 'complete', why: 'last stage held with enough samples' };
  return { ...base, decision: 'advance', why: `stage ${state.stage + 1} held with enough samples`, toStage: state.stage + 1 };
}

/** The state a verdict leads to (the controller applies the weights first). */
export function nextState(state: RolloutState, verdict: RolloutVerdict, nowMs: number): RolloutState {
  switch (verdict.decision) {
    case 'advance':
      return { status: 'running', stage: verdict.toStage, stageSinceMs: nowMs };
    case 'complete':
      return { ...state, status: 'completed' };
    case 'rolled_back':
      return { ...state, status: 'rolled_back' };
    default:
      return state;
  }
}
