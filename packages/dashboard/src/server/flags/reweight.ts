'use server';

import { FlagValidationError, reweightSplit, type Split, type SplitArm } from '@flaglens/evaluator';
import { currentViewer } from '../auth/page-session';

/** One split whose weights the editor changed: the stored split it started from and the new arms. */
export interface ReweightRequest {
  base: Split;
  arms: SplitArm[];
}

export type ReweightResult = { ok: true; splits: Split[] } | { ok: false; problems: { index: number; problem: string }[] };

// A flag has a handful of splits; the cap keeps one call from costing more than a save.
const MAX_SPLITS = 200;

/**
 * New layouts for changed weights, computed with the evaluator's `reweightSplit` so that users in arms
 * whose weight stayed the same never move. A server function because the browser cannot bundle the
 * evaluator's entry; it only computes, and the save itself still goes through the flags API.
 */
export async function reweightSplits(requests: ReweightRequest[]): Promise<ReweightResult> {
  if (!(await currentViewer())) return { ok: false, problems: [{ index: -1, problem: 'your session has ended; sign in again' }] };
  if (!Array.isArray(requests) || requests.length > MAX_SPLITS) return { ok: false, problems: [{ index: -1, problem: 'too many splits' }] };
  const splits: Split[] = [];
  const problems: { index: number; problem: string }[] = [];
  requests.forEach(({ base, arms }, index) => {
    try {
      splits.push(reweightSplit(base, arms));
    } catch (error) {
      // The input comes from a browser: anything malformed is a problem to report, not a crash.
      const found =
        error instanceof FlagValidationError ? error.issues.map((issue) => issue.problem) : ['this split could not be reweighted'];
      for (const problem of found) problems.push({ index, problem });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, splits };
}
