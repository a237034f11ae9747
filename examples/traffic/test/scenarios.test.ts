import { generateApplicant, seededRandom, trueDefaultProbability } from '@flaglens/example-express-inference/data';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../src/progress.js';
import type { TrafficStats } from '../src/run.js';
import { downturnApplicant, SCENARIO_NAMES, scenarioOf } from '../src/scenarios.js';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('scenarios', () => {
  it('the regressions degrade the candidate on the service itself, never in the figures', () => {
    expect(scenarioOf('latency-regression').faults).toEqual({ v2: { latencyMs: 250 } });
    expect(scenarioOf('accuracy-regression').faults).toEqual({ v2: { wrongRate: 0.4 } });
    expect(scenarioOf('srm-bug').retryVariant).toBe('v2');
    expect(scenarioOf('healthy').faults).toBeUndefined();
    expect(SCENARIO_NAMES.map((name) => scenarioOf(name).name)).toEqual([...SCENARIO_NAMES]);
  });

  it('input drift moves the applicants and, with them, the true default rate', () => {
    const healthy = Array.from(
      { length: 2_000 },
      (
        (random) => () =>
          generateApplicant(random)
      )(seededRandom(3)),
    );
    const drifted = Array.from(
      { length: 2_000 },
      (
        (random) => () =>
          downturnApplicant(random)
      )(seededRandom(3)),
    );
    expect(mean(drifted.map((a) => a.income))).toBeLessThan(0.7 * mean(healthy.map((a) => a.income)));
    expect(mean(drifted.map((a) => a.debtRatio)) - mean(healthy.map((a) => a.debtRatio))).toBeGreaterThan(0.19);
    expect(mean(drifted.map(trueDefaultProbability))).toBeGreaterThan(mean(healthy.map(trueDefaultProbability)) + 0.2);
  });
});

describe('progressLine', () => {
  it('shows rate, sent, errors, per-variant counts, feedback and conversions', () => {
    const stats: TrafficStats = {
      scenario: 'srm-bug',
      phase: 'degraded',
      elapsedMs: 12_000,
      sent: 240,
      errors: 1,
      retries: 20,
      byVariant: { v2: 40, v1: 200 },
      feedback: { sent: 150, pending: 40, withheld: 30 },
      conversions: 25,
      lastError: '/score: 503 busy',
    };
    expect(progressLine(stats, { sent: 220, elapsedMs: 11_000 })).toBe(
      '[srm-bug · degraded] 12s  20.0 req/s  sent 240 (20 retries)  errors 1  v1 200 · v2 40  ' +
        'feedback 150 sent, 40 due, 30 never  conversions 25  last error: /score: 503 busy',
    );
  });
});
