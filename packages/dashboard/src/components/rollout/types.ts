import type { RolloutStatus } from '@/src/server/rollouts/decide';
import type { RolloutPlan } from '@/src/server/rollouts/plan';
import type { RolloutEvidence } from '@/src/server/rollouts/store';

/** One step on the rollout's timeline: a controller decision or a person's action. */
export interface RolloutStep {
  id: string;
  at: string;
  actor: string;
  decision: string;
  stage: number;
  evidence: RolloutEvidence;
}

/** `GET /api/v1/flags/{key}/rollout` as the page reads it. */
export interface RolloutView {
  flag: string;
  plan: RolloutPlan;
  status: RolloutStatus;
  stage: number;
  stageSince: string | null;
  weights: { candidate: number; control: number };
  evaluatedAt: string | null;
  lastDecision: RolloutEvidence | null;
  decisionCounts: Record<string, number>;
  /** Newest first. */
  decisions: RolloutStep[];
}
