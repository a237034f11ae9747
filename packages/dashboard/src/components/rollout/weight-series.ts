import type { RolloutStep } from './types';

/** A point of the candidate's share over time: epoch ms and percent of traffic. */
export interface WeightPoint {
  x: number;
  y: number;
}

const percent = (basisPoints: number) => basisPoints / 100;

/**
 * The candidate's share of the fallthrough over time, from the timeline (newest first, as the API sends it):
 * its weight when each step was decided, the weight the step applied, and where it stands now. A rollback
 * turns the flag off, so from then on the candidate serves nobody: the line drops to 0. Pure, for the chart.
 */
export function weightSeries(steps: readonly RolloutStep[], current: number, nowMs: number): WeightPoint[] {
  const points: WeightPoint[] = [];
  let last: number | undefined;
  const add = (x: number, y: number) => {
    if (y === last && points.length > 0) return;
    points.push({ x, y });
    last = y;
  };
  for (const step of [...steps].reverse()) {
    const at = Date.parse(step.at);
    add(at, percent(step.evidence.weights.candidate));
    if (step.evidence.nextWeights) add(at, percent(step.evidence.nextWeights.candidate));
    if (step.decision === 'rolled_back') add(at, 0);
  }
  const rolledBack = steps[0]?.decision === 'rolled_back';
  const end = rolledBack ? 0 : percent(current);
  add(Math.max(nowMs, points.at(-1)?.x ?? nowMs), end);
  // The chart draws steps between points, so the share holds until the next change and up to now.
  const tail = points.at(-1);
  if (tail && tail.x < nowMs) points.push({ x: nowMs, y: tail.y });
  return points;
}
