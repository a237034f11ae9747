import { chiSquareGoodnessOfFit } from './chi-square';
import { guard, insufficient, ok } from './guards';
import type { Figure } from './types';

/** Observed assignments of one arm and its configured weight in basis points (10,000 = 100%). */
export interface Assignment {
  variant: string;
  count: number;
  weightBasisPoints: number;
}

/** Result of the sample-ratio-mismatch check. */
export interface SampleRatioMismatch {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** p-value below `threshold`: the split is broken and every other figure is suspect. */
  mismatch: boolean;
  threshold: number;
  observedShares: Record<string, number>;
  expectedShares: Record<string, number>;
}

/**
 * Sample-ratio mismatch: Pearson's chi-square goodness of fit of observed assignment counts against the
 * configured split, df = arms − 1. Flagged at p < `threshold` (GrowthBook's default 0.001: a strict level,
 * because the check runs continuously and a false SRM alarm discredits the whole comparison). Needs every
 * arm's expected count to reach `minExpected` (Cochran's rule of 5) for the chi-square law to hold.
 * An arm with weight 0 that still receives traffic is a mismatch whatever its size (p = 0).
 */
export function sampleRatioMismatch(assignments: Assignment[], threshold: number, minExpected: number): Figure<SampleRatioMismatch> {
  const total = assignments.reduce((s, a) => s + a.count, 0);
  const weightTotal = assignments.reduce((s, a) => s + a.weightBasisPoints, 0);
  const smallestShare = Math.min(...assignments.filter((a) => a.weightBasisPoints > 0).map((a) => a.weightBasisPoints / weightTotal));
  const needed = Number.isFinite(smallestShare) ? Math.ceil(minExpected / smallestShare) : minExpected;
  const short = guard(total, needed, 'assignments');
  if (short) return short;
  const test = chiSquareGoodnessOfFit(
    assignments.map((a) => a.count),
    assignments.map((a) => a.weightBasisPoints),
  );
  // Only when no arm has a positive weight: there is no split to check against.
  if (!test) return insufficient(1, 0, 'arms with a positive weight');
  const observedShares: Record<string, number> = {};
  const expectedShares: Record<string, number> = {};
  for (const a of assignments) {
    observedShares[a.variant] = a.count / total;
    expectedShares[a.variant] = a.weightBasisPoints / weightTotal;
  }
  return ok({ ...test, mismatch: test.pValue < threshold, threshold, observedShares, expectedShares }, total);
}
