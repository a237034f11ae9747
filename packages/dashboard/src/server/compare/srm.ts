import type { Flag } from '@flaglens/evaluator';
import { type AnalysisOptions, type Figure, type SampleRatioMismatch, sampleRatioMismatch } from '../analysis';
import type { Queryable } from '../db/database';
import { configuredSplit } from './control';
import { splitAssignments, splitHistory } from './expected-split';
import type { VariantSteps } from './mapping';
import type { SplitInfo } from './types';

/**
 * Sample-ratio mismatch of a window against the splits in force during it, so a staged rollout that widened
 * its candidate inside the window is not mistaken for broken assignment. It counts evaluations whose reason is
 * `SPLIT` when the service records evaluations: those are exactly the assignments the split made, while
 * requests also include users a targeting rule sent to one variant. Without evaluations, requests are all there is.
 */
export async function srmOf(
  db: Queryable,
  target: { environment: string; key: string; flag: Flag },
  variants: readonly VariantSteps[],
  window: { fromMs: number; stepMs: number; untilMs: number },
  options: AnalysisOptions,
): Promise<{ srm: Figure<SampleRatioMismatch>; split: SplitInfo }> {
  const current = configuredSplit(target.flag);
  const splitEvaluations = (v: VariantSteps) => v.evaluations.get('SPLIT') ?? [];
  const basis = variants.some((v) => splitEvaluations(v).some((c) => c > 0)) ? 'split-evaluations' : 'requests';
  const history = await splitHistory(
    db,
    { environment: target.environment, key: target.key, current: target.flag, basis },
    window.fromMs,
    window.untilMs,
  );
  const split: SplitInfo = { ...current, basis, history };
  if (current.from === 'none') return { srm: { status: 'insufficient', needed: 1, have: 0, unit: 'configured splits' }, split };
  const counts = new Map(variants.map((v) => [v.variant, basis === 'split-evaluations' ? splitEvaluations(v) : v.requests]));
  const assignments = splitAssignments(counts, history, window).filter((a) => a.count > 0 || a.weightBasisPoints > 0);
  return { srm: sampleRatioMismatch(assignments, options.srmThreshold, options.minimums.srmExpected), split };
}
