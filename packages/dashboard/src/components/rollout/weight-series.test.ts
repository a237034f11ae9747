import { describe, expect, it } from 'vitest';
import type { RolloutStep } from './types';
import { weightSeries } from './weight-series';

const step = (at: number, decision: string, candidate: number, next?: number): RolloutStep => ({
  id: String(at),
  at: new Date(at).toISOString(),
  actor: 'controller',
  decision,
  stage: 0,
  evidence: {
    decision,
    why: '',
    at: new Date(at).toISOString(),
    stage: 0,
    toStage: 0,
    weights: { candidate, control: 10_000 - candidate },
    ...(next === undefined ? {} : { nextWeights: { candidate: next, control: 10_000 - next } }),
    holdElapsedMs: 0,
    holdMs: null,
    samples: null,
    guardrails: [],
  },
});

describe('the rollout weight series', () => {
  it('steps up at each advance and holds the share until now', () => {
    const newestFirst = [step(3_000, 'advance', 100, 500), step(2_000, 'wait', 100), step(1_000, 'advance', 0, 100), step(500, 'plan', 0)];
    expect(weightSeries(newestFirst, 500, 10_000)).toEqual([
      { x: 500, y: 0 },
      { x: 1_000, y: 1 },
      { x: 3_000, y: 5 },
      { x: 10_000, y: 5 },
    ]);
  });

  it('drops to 0 when a rollback rule rolled the flag back, whatever the split still says', () => {
    const newestFirst = [step(2_000, 'rolled_back', 500), step(1_000, 'advance', 100, 500)];
    expect(weightSeries(newestFirst, 500, 5_000)).toEqual([
      { x: 1_000, y: 1 },
      { x: 1_000, y: 5 },
      { x: 2_000, y: 0 },
      { x: 5_000, y: 0 },
    ]);
  });

  it('shows the current weight alone before any step', () => {
    expect(weightSeries([], 2_000, 7_000)).toEqual([{ x: 7_000, y: 20 }]);
  });
});
