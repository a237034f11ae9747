import { TOTAL_SLOTS } from '@flaglens/evaluator';
import { z } from 'zod';
import { durationMs, issuesOf } from '../alerts/rule';
import { ApiError } from '../http/errors';

const DURATION = /^(\d{1,7})(ms|s|m|h|d)$/;
const MAX_HOLD = '30d';

const duration = z
  .string()
  .regex(DURATION, 'a duration such as "30s", "5m" or "1h"')
  .refine((value) => !DURATION.test(value) || durationMs(value) <= durationMs(MAX_HOLD), `at most ${MAX_HOLD}`);

const stageSchema = z.strictObject({
  /** The candidate's share of the flag's fallthrough at this stage, in basis points (100 = 1%). */
  weight: z.number().int('a whole number of basis points').min(1).max(TOTAL_SLOTS),
  /** How long the stage must serve before the controller may advance past it. */
  hold: duration.default('10m'),
  /** Requests the candidate must have served since the stage began. */
  minSamples: z.number().int().min(0).max(1_000_000_000).default(100),
});

export const rolloutPlanSchema = z
  .strictObject({
    candidate: z.string().min(1).max(128),
    control: z.string().min(1).max(128),
    stages: z.array(stageSchema).min(1).max(20),
  })
  .superRefine((plan, ctx) => {
    if (plan.candidate === plan.control) ctx.addIssue({ code: 'custom', path: ['candidate'], message: 'must differ from control' });
    plan.stages.forEach((stage, i) => {
      const before = plan.stages[i - 1];
      if (before && stage.weight <= before.weight) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'weight'],
          message: `stage weights must grow: ${stage.weight} is not above the previous stage's ${before.weight}`,
        });
      }
    });
  });

export type RolloutPlan = z.output<typeof rolloutPlanSchema>;
export type RolloutStage = RolloutPlan['stages'][number];

/** Validates a plan or throws the 400 that names every problem by path (`stages.2.weight`, …). */
export function parseRolloutPlan(input: unknown): RolloutPlan {
  const result = rolloutPlanSchema.safeParse(input);
  if (result.success) return result.data;
  throw invalidPlan(issuesOf(result.error));
}

export function invalidPlan(issues: { path: string; problem: string }[]): ApiError {
  const [first] = issues;
  return new ApiError(400, 'invalid_rollout_plan', `invalid rollout plan: ${first?.path}: ${first?.problem}`, { issues });
}
